// ecosim_make_fixture OUT.npz [SCHEMA] | --list: writes the committed fixtures: 300 creatures,
// seed 7, 40 ticks, written as schema 1 (tests/data/ecosim/world_v1.npz, no hunger_buildup; the
// default) or 2 (world_v2.npz, the logs in the file). With --list, prints every member of a
// current snapshot with its dtype and shape instead (the source of docs/FORMAT.md's table).

#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: ecosim_make_fixture OUT.npz | --list\n");
        return 2;
    }
    ecosim::world w = ecosim::create_world(ecosim::make_config(300, 7));
    ecosim::run_until(w, 40);
    if (std::strcmp(argv[1], "--list") == 0) {
        for (const auto& c : ecosim::world_columns(w))
            std::printf("%s %s %zu\n", c.name.c_str(), c.info.type.descr().c_str(),
                        c.info.shape.size());
        return 0;
    }
    ecosim::snapshot_options opt;
    opt.schema = argc > 2 ? static_cast<std::uint32_t>(std::atoi(argv[2])) : 1;
    opt.compress = true;
    ecosim::snapshot(w, argv[1], opt);
    std::printf("wrote %s (schema %u, tick %llu, %zu creatures)\n", argv[1], opt.schema,
                static_cast<unsigned long long>(w.tick), w.creature.size());
    return 0;
}
