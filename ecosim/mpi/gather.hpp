#pragma once
/// @file gather.hpp
/// @brief The whole world on rank 0, gathered from the shards (docs/SHARDING.md, "The canonical
/// hash"): every rank sends its owned rows (MPI_Gatherv), rank 0 assembles them with its
/// replicated state and logs.

#include <ecosim/mpi/transport.hpp>

#include <optional>

namespace ecosim::mpi {

/// @brief Collective: on rank 0 the world every rank's @p shard holds (a valid world), on the
/// others nothing.
std::optional<world> gather_world(const place& p, const world& shard, const shard::strips& s);

} // namespace ecosim::mpi
