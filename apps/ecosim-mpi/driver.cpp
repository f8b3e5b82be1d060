// The run loop of ecosim-mpi: the wall clock is used here only for the progress line on stderr.

#include "driver.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/mpi/gather.hpp>
#include <ecosim/mpi/snapshot.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <system_error>

namespace ecosim_mpi {

namespace {

/// Collective: the gathered world's canonical hash, printed on rank 0.
void print_hash(const ecosim::mpi::place& p, const ecosim::world& shard,
                const ecosim::shard::strips& s, const char* label) {
    const auto w = ecosim::mpi::gather_world(p, shard, s);
    if (!w) return;
    std::printf("%s %llu creatures %zu food %zu canonical %s\n", label,
                static_cast<unsigned long long>(w->tick), w->creature.size(), w->food.size(),
                ecosim::canonical_hash(*w).hex().c_str());
    std::fflush(stdout);
}

/// The snapshot of tick @p tick in @p dir: the single-process ecosim's name for it.
std::string snapshot_path(const std::string& dir, std::uint64_t tick) {
    char name[64];
    std::snprintf(name, sizeof name, "tick_%06llu.npz", static_cast<unsigned long long>(tick));
    return (std::filesystem::path(dir) / name).string();
}

/// Collective: rank 0 creates DIR (and its parents); its failure, one line naming the option
/// and the OS reason, is thrown on every rank.
void create_out_dir(const ecosim::mpi::place& p, const std::string& dir) {
    int failed = 0;
    std::string reason;
    if (p.rank == 0) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        failed = ec ? 1 : 0;
        reason = ec.message();
    }
    MPI_Bcast(&failed, 1, MPI_INT, 0, p.comm);
    if (failed) // the reason is rank 0's to print; the others need only know
        throw collective_error("--out " + dir + ": cannot create: " + reason, false);
}

/// Collective: writes the snapshot of this tick; its error, thrown alike on every rank by
/// save_snapshot, becomes a collective_error.
void write_snapshot(const ecosim::mpi::place& p, const ecosim::world& shard,
                    const ecosim::shard::strips& s, const run_options& opt) {
    const std::string path = snapshot_path(opt.out_dir, shard.tick);
    try {
        ecosim::mpi::save_snapshot(p.comm, shard, s, path);
    } catch (const std::exception& e) {
        throw collective_error(e.what(), false);
    }
    if (p.rank == 0) {
        std::printf("snapshot tick %llu -> %s\n", static_cast<unsigned long long>(shard.tick),
                    path.c_str());
        std::fflush(stdout);
    }
}

} // namespace

void drive(const ecosim::mpi::place& p, ecosim::world& shard, const ecosim::shard::strips& s,
           const run_options& opt, bool fresh) {
    if (opt.target_tick < shard.tick)
        throw collective_error("--ticks " + std::to_string(opt.target_tick) +
                                   " is before the snapshot's tick " + std::to_string(shard.tick) +
                                   " (--ticks is the target tick)",
                               true);
    if (opt.snapshot_every > 0 && opt.out_dir.empty())
        throw collective_error("--snapshot-every needs --out DIR", true);
    const bool snapshots = !opt.out_dir.empty();
    if (snapshots) create_out_dir(p, opt.out_dir);
    if (snapshots && fresh && opt.snapshot_every > 0) write_snapshot(p, shard, s, opt);

    using clock = std::chrono::steady_clock;
    const std::uint64_t start = shard.tick;
    const auto t_begin = clock::now();
    auto t_last = t_begin;
    ecosim::shard::edge_traffic sum;
    while (shard.tick < opt.target_tick) {
        const ecosim::shard::edge_traffic t = ecosim::mpi::step(p, shard, s);
        sum.band_claims += t.band_claims;
        sum.lost_to_neighbour += t.lost_to_neighbour;
        sum.migrants += t.migrants;
        const bool last = shard.tick == opt.target_tick;
        if (opt.hash_every > 0 && shard.tick % opt.hash_every == 0 && !last)
            print_hash(p, shard, s, "tick");
        if (snapshots && (last || (opt.snapshot_every > 0 && shard.tick % opt.snapshot_every == 0)))
            write_snapshot(p, shard, s, opt);
        if (opt.progress && p.rank == 0) {
            const auto now = clock::now();
            if (now - t_last > std::chrono::seconds(2) || last) {
                t_last = now;
                const double ms = std::chrono::duration<double, std::milli>(now - t_begin).count() /
                                  static_cast<double>(shard.tick - start);
                const auto& row = shard.population; // the keeper's: global counts
                std::fprintf(stderr,
                             "ecosim-mpi: tick %llu/%llu  creatures %u  food %u  %.2f ms/tick  "
                             "(%u ranks)\n",
                             static_cast<unsigned long long>(shard.tick),
                             static_cast<unsigned long long>(opt.target_tick), row.creatures.back(),
                             row.food.back(), ms, p.ranks);
            }
        }
    }
    if (opt.edge_traffic) {
        unsigned long long in[3] = {sum.migrants, sum.band_claims, sum.lost_to_neighbour},
                           out[3] = {0, 0, 0};
        MPI_Reduce(in, out, 3, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, p.comm);
        if (p.rank == 0)
            std::printf("edges ticks %llu..%llu: migrants %llu band_claims %llu lost_across %llu\n",
                        static_cast<unsigned long long>(start),
                        static_cast<unsigned long long>(shard.tick), out[0], out[1], out[2]);
    }
    if (p.rank == 0 && !shard.population.creatures.empty()) {
        const auto& pop = shard.population;
        const auto [cmin, cmax] = std::minmax_element(pop.creatures.begin(), pop.creatures.end());
        const auto [fmin, fmax] = std::minmax_element(pop.food.begin(), pop.food.end());
        std::printf("population ticks 0..%llu: creatures min %u max %u, food min %u max %u\n",
                    static_cast<unsigned long long>(shard.tick), *cmin, *cmax, *fmin, *fmax);
    }
    print_hash(p, shard, s, "final tick");
}

} // namespace ecosim_mpi
