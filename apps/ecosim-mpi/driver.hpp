#pragma once
// The run loop of ecosim-mpi: one shard per rank, canonical hashes and output on rank 0.

#include <ecosim/mpi/transport.hpp>
#include <ecosim/shard/strips.hpp>
#include <ecosim/world.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ecosim_mpi {

struct run_options {
    std::uint64_t target_tick = 0;
    std::uint64_t hash_every = 0;     ///< 0: only the final hash
    std::uint64_t snapshot_every = 0; ///< 0: only the last tick's snapshot (if out_dir is set)
    std::string out_dir;              ///< empty: no snapshots
    bool progress = true;
    bool edge_traffic = false; ///< print the creatures and claims that crossed an edge
};

/// An error every rank threw alike (a refused option, a snapshot that failed on some rank and
/// was agreed on by all): rank 0 prints it once and every rank exits, no MPI_Abort needed.
struct collective_error : std::runtime_error {
    bool usage = false; ///< a bad combination of arguments (exit 2), else an error (exit 1)
    collective_error(const std::string& what, bool is_usage)
        : std::runtime_error(what), usage(is_usage) {}
};

/// Collective: steps this rank's @p shard (of the world the strips @p s divide) to
/// opt.target_tick; rank 0 prints `tick T creatures N food F canonical HEX` every H ticks and
/// `final tick ...` at the end (the canonical hash of the gathered world), progress on stderr.
/// With opt.out_dir, the ranks write DIR/tick_NNNNNN.npz together (ecosim::mpi::save_snapshot)
/// every opt.snapshot_every ticks, at the start of a fresh run (@p fresh) and always at the
/// last tick; rank 0 prints `snapshot tick T -> PATH` after each.
void drive(const ecosim::mpi::place& p, ecosim::world& shard, const ecosim::shard::strips& s,
           const run_options& opt, bool fresh);

} // namespace ecosim_mpi
