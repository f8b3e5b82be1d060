// The single-process world's canonical hashes, printed as ecosim-mpi prints them, for
// ecosim_mpi_test.sh to compare with: `ecosim_mpi_reference N T H SEED` runs
// create_world(make_config(N, SEED)) with ecosim::step to tick T and prints
// `tick K creatures C food F canonical HEX` every H ticks before T and `final tick ...` at T.

#include <ecosim/canonical_hash.hpp>
#include <ecosim/tick.hpp>
#include <ecosim/world.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

void print(const ecosim::world& w, const char* label) {
    std::printf("%s %llu creatures %zu food %zu canonical %s\n", label,
                static_cast<unsigned long long>(w.tick), w.creature.size(), w.food.size(),
                ecosim::canonical_hash(w).hex().c_str());
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: ecosim_mpi_reference N T H SEED\n");
        return 2;
    }
    const auto n = static_cast<std::uint32_t>(std::stoul(argv[1]));
    const std::uint64_t ticks = std::stoull(argv[2]), every = std::stoull(argv[3]);
    ecosim::world w = ecosim::create_world(ecosim::make_config(n, std::stoull(argv[4])));
    while (w.tick < ticks) {
        ecosim::step(w);
        if (every > 0 && w.tick % every == 0 && w.tick != ticks) print(w, "tick");
    }
    print(w, "final tick");
    return 0;
}
