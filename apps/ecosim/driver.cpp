// The run/resume loop: the wall clock is used here only for the progress line on stderr.

#include "driver.hpp"

#include "../common/snapshot_schedule.hpp"
#include "snapshot_writer.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/error.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>

namespace ecosim_cli {

namespace {

void write_snapshot(snapshot_writer& snaps, const ecosim::world& w, const run_options& opt) {
    const std::string path = apps_common::snapshot_path(opt.out_dir, w.tick);
    snaps.write(w, path); // in the background unless --blocking (snapshot_writer.hpp)
    std::printf("snapshot tick %llu -> %s\n", static_cast<unsigned long long>(w.tick),
                path.c_str());
    std::fflush(stdout);
}

/// Creates DIR (and its parents); a failure is one line naming the option and the OS reason.
void create_out_dir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("--out " + dir + ": cannot create: " + ec.message());
}

/// The world hash (slots included: `colsnap hash` of its snapshot) and the canonical hash (slot
/// order taken out: equal for the same world at any rank count, docs/SHARDING.md).
void print_hash(const ecosim::world& w, const char* label) {
    std::printf("%s %llu creatures %zu food %zu hash %s canonical %s\n", label,
                static_cast<unsigned long long>(w.tick), w.creature.size(), w.food.size(),
                ecosim::world_hash(w).hex().c_str(), ecosim::canonical_hash(w).hex().c_str());
    std::fflush(stdout);
}

} // namespace

int drive(ecosim::world& w, const run_options& opt, bool fresh) {
    if (const std::string why = apps_common::target_tick_problem(opt.target_tick, w.tick);
        !why.empty())
        throw usage_error(why);
    if (!opt.out_dir.empty()) create_out_dir(opt.out_dir);
    const bool snapshots = !opt.out_dir.empty();
    const std::uint64_t start = w.tick;
    snapshot_writer snaps(w, opt.out_dir, snapshots && !opt.blocking, opt.compress);
    if (snapshots && apps_common::snapshot_at_start(fresh, opt.snapshot_every))
        write_snapshot(snaps, w, opt);

    using clock = std::chrono::steady_clock;
    const auto t_begin = clock::now();
    auto t_last = t_begin;
    while (w.tick < opt.target_tick) {
        try {
            ecosim::step(w);
        } catch (const std::bad_alloc&) {
            // A world may legitimately grow past this machine (a config that spawns far more
            // food than is eaten): one line that says when and how big, not "std::bad_alloc".
            throw ecosim::error(ecosim::errc::capacity, "tick " + std::to_string(w.tick + 1),
                                "out of memory with " + std::to_string(w.creature.size()) +
                                    " creatures and " + std::to_string(w.food.size()) +
                                    " food rows: the world outgrew this machine's memory");
        }
        const bool last = w.tick == opt.target_tick;
        if (opt.hash_every > 0 && w.tick % opt.hash_every == 0 && !last) print_hash(w, "tick");
        if (snapshots && apps_common::snapshot_due(w.tick, opt.snapshot_every, last))
            write_snapshot(snaps, w, opt);
        if (opt.progress) {
            const auto now = clock::now();
            if (now - t_last > std::chrono::seconds(2) ||
                (last && now - t_begin > std::chrono::seconds(2))) {
                t_last = now;
                const double ms = std::chrono::duration<double, std::milli>(now - t_begin).count() /
                                  static_cast<double>(w.tick - start);
                std::fprintf(stderr,
                             "ecosim: tick %llu/%llu  creatures %zu  food %zu  %.2f ms/tick\n",
                             static_cast<unsigned long long>(w.tick),
                             static_cast<unsigned long long>(opt.target_tick), w.creature.size(),
                             w.food.size(), ms);
            }
        }
    }
    const auto& p = w.population;
    if (!p.creatures.empty()) {
        const auto [cmin, cmax] = std::minmax_element(p.creatures.begin(), p.creatures.end());
        const auto [fmin, fmax] = std::minmax_element(p.food.begin(), p.food.end());
        std::printf("population ticks 0..%llu: creatures min %u max %u, food min %u max %u\n",
                    static_cast<unsigned long long>(w.tick), *cmin, *cmax, *fmin, *fmax);
    }
    snaps.finish(); // every snapshot is on disk before the final line
    print_hash(w, "final tick");
    return exit_ok;
}

} // namespace ecosim_cli
