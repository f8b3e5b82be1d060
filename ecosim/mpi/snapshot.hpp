#pragma once
/// @file snapshot.hpp
/// @brief The snapshot of a sharded world (docs/SHARDING.md, "Snapshots"): one schema-3 `.npz`
/// written collectively through colsnap::mpi by the ranks of a communicator, rank r holding
/// strip r, rank 0 the log keeper. Its bytes are those ecosim::snapshot() writes for the merged
/// world (shard::merge: the owned rows in rank order), and it is read back at any rank count.

#include <ecosim/shard/strips.hpp>
#include <ecosim/world.hpp>

#include <filesystem>

#include <mpi.h>

namespace ecosim::mpi {

struct snapshot_options {
    bool durable = true; ///< sync the file before the rename (and the log segment)
    /// MPI-IO hints for the collective write (colsnap::mpi::write_options::hints).
    MPI_Info hints = MPI_INFO_NULL;
};

/// @brief Collective over @p comm (one rank per strip of @p s; @p shard is this rank's shard at
/// a tick boundary): writes @p path as ecosim::snapshot() writes the merged world. First rank 0
/// writes, beside @p path, the log segment of the rows its logs have not yet written to that
/// directory (log_segments.hpp); then every rank passes its creature rows and its owned food
/// rows, rank 0 the replicated state, the logs' refs and the id -> slot maps of the merged row
/// order, and every rank its hungry ids, to colsnap::mpi::save_npz. On any failure every rank
/// throws the same error ("rank K: ..." naming the lowest failing rank) and @p path is
/// unchanged.
void save_snapshot(MPI_Comm comm, const world& shard, const shard::strips& s,
                   const std::filesystem::path& path, const snapshot_options& opt = {});

/// @brief Collective over @p comm: this rank's shard of the snapshot at @p path (a file of
/// ecosim::snapshot() or save_snapshot(), from any rank count), for the strips @p s (one per
/// rank). Every rank loads and validates the whole snapshot with ecosim::load() and keeps its
/// strip (shard::split); rank 0 also keeps the log segments' head, so the next snapshot in that
/// directory extends them. On any failure every rank throws the same error.
world load_shard(MPI_Comm comm, const std::filesystem::path& path, const shard::strips& s);

/// @brief A shard and the strips it is one of.
struct loaded_shard {
    world shard;
    shard::strips strips;
};

/// @brief The same for the strips of the snapshot's world at this communicator's size (what a
/// resume uses: the strips depend on the world's config): throws, on every rank, the refusal of
/// a rank count the world has no strips for (shard::strips).
loaded_shard load_shard(MPI_Comm comm, const std::filesystem::path& path);

} // namespace ecosim::mpi
