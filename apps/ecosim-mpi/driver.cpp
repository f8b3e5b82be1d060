// The run loop of ecosim-mpi: the wall clock is used here only for the progress line on stderr.

#include "driver.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/mpi/gather.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

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

} // namespace

void drive(const ecosim::mpi::place& p, ecosim::world& shard, const ecosim::shard::strips& s,
           const run_options& opt) {
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
