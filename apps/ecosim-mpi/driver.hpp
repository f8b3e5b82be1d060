#pragma once
// The run loop of ecosim-mpi: one shard per rank, canonical hashes and output on rank 0.

#include <ecosim/mpi/transport.hpp>
#include <ecosim/shard/strips.hpp>
#include <ecosim/world.hpp>

#include <cstdint>

namespace ecosim_mpi {

struct run_options {
    std::uint64_t target_tick = 0;
    std::uint64_t hash_every = 0; ///< 0: only the final hash
    bool progress = true;
    bool edge_traffic = false; ///< print the creatures and claims that crossed an edge
};

/// Collective: steps this rank's @p shard (of the world the strips @p s divide) to
/// opt.target_tick; rank 0 prints `tick T creatures N food F canonical HEX` every H ticks and
/// `final tick ...` at the end (the canonical hash of the gathered world), progress on stderr.
void drive(const ecosim::mpi::place& p, ecosim::world& shard, const ecosim::shard::strips& s,
           const run_options& opt);

} // namespace ecosim_mpi
