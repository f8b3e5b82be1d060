// The run loop of ecosim-mpi: the wall clock is used here only for the progress line on stderr.

#include "driver.hpp"

#include "../common/snapshot_schedule.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/mpi/gather.hpp>
#include <ecosim/mpi/snapshot.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

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

/// Collective: rank 0 creates DIR (and its parents) and a probe file in it, which every rank
/// must then see: a relative DIR is taken from each rank's working directory, and a path on a
/// node-local file system is another directory on every node, and either would leave the ranks
/// opening different files in the collective write. A failure, or the lowest rank that does not
/// see the probe, is thrown on every rank.
void prepare_out_dir(const ecosim::mpi::place& p, const std::string& dir) {
    long long pid = p.rank == 0 ? ::getpid() : 0; // the probe is named by rank 0's pid
    MPI_Bcast(&pid, 1, MPI_LONG_LONG, 0, p.comm);
    const std::filesystem::path probe =
        std::filesystem::path(dir) / (".ecosim-mpi-probe-" + std::to_string(pid));
    char reason[256] = "";
    if (p.rank == 0) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        std::FILE* f = ec ? nullptr : std::fopen(probe.c_str(), "w");
        if (ec) std::snprintf(reason, sizeof reason, "cannot create: %s", ec.message().c_str());
        else if (f == nullptr)
            std::snprintf(reason, sizeof reason, "cannot create a file in it: %s",
                          std::strerror(errno));
        else std::fclose(f);
    }
    MPI_Bcast(reason, sizeof reason, MPI_CHAR, 0, p.comm);
    if (reason[0] != '\0') throw collective_error("--out " + dir + ": " + reason, false);
    std::error_code ec;
    const int mine = std::filesystem::exists(probe, ec) ? static_cast<int>(p.ranks) : p.rank;
    int first = 0;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, p.comm);
    if (p.rank == 0) std::filesystem::remove(probe, ec);
    if (first != static_cast<int>(p.ranks))
        throw collective_error("--out " + dir + ": rank " + std::to_string(first) +
                                   " does not see the directory rank 0 made (a relative path "
                                   "is taken from each rank's working directory; every rank "
                                   "needs the same directory, on a shared file system)",
                               false);
}

/// Collective: writes the snapshot of this tick; its error, thrown alike on every rank by
/// save_snapshot, becomes a collective_error.
void write_snapshot(const ecosim::mpi::place& p, const ecosim::world& shard,
                    const ecosim::shard::strips& s, const run_options& opt) {
    const std::string path = apps_common::snapshot_path(opt.out_dir, shard.tick);
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
    if (const std::string why = apps_common::target_tick_problem(opt.target_tick, shard.tick);
        !why.empty())
        throw collective_error(why, true); // the same world on every rank: the same refusal
    const bool snapshots = !opt.out_dir.empty();
    if (snapshots) prepare_out_dir(p, opt.out_dir);
    if (snapshots && apps_common::snapshot_at_start(fresh, opt.snapshot_every))
        write_snapshot(p, shard, s, opt);

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
        if (snapshots && apps_common::snapshot_due(shard.tick, opt.snapshot_every, last))
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
