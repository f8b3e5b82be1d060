#pragma once
/// @file transport.hpp
/// @brief The MPI side of a sharded tick (docs/SHARDING.md, "Per-tick protocol"): the exchanges
/// between the phases of ecosim/shard/phases.hpp, one shard per rank of a communicator, and
/// step(), the tick that runs the phases with them. Rank r holds strip r; rank 0 is the log
/// keeper. Every call here is collective over the communicator.

#include <ecosim/shard/phases.hpp>
#include <ecosim/shard/shard.hpp>
#include <ecosim/shard/strips.hpp>
#include <ecosim/world.hpp>

#include <cstdint>
#include <vector>

#include <mpi.h>

namespace ecosim::mpi {

/// @brief This rank's place: its communicator, rank and the rank count (= the strips').
struct place {
    MPI_Comm comm;
    std::uint32_t rank, ranks;
};
/// @brief The place of the calling rank in @p comm.
place place_in(MPI_Comm comm);

/// @brief Step 4: sends @p out.below to rank r - 1 and @p out.above to rank r + 1 (MPI_Sendrecv
/// each way); returns what they sent here (.below: from r - 1, .above: from r + 1).
shard::to_neighbours<std::vector<shard::claim>>
exchange_claims(const place& p, const shard::to_neighbours<std::vector<shard::claim>>& out);

/// @brief Step 5: every rank's records (MPI_Allgatherv), merged in (t, creature_id) order.
std::vector<shard::record> gather_records(const place& p, const std::vector<shard::record>& mine);

/// @brief Step 8: the emigrants to the neighbours, whole rows; returns the immigrants
/// (.below: from r - 1, .above: from r + 1).
shard::to_neighbours<creature_table>
exchange_migrants(const place& p, const shard::to_neighbours<creature_table>& out);

/// @brief Step 9: the counts summed over the ranks (MPI_Allreduce).
shard::counts sum_counts(const place& p, shard::counts mine);

/// @brief One tick of this rank's @p shard: phases A-D with the exchanges above. Returns this
/// rank's edge traffic (claims it sent, its eats lost across an edge, its emigrants).
shard::edge_traffic step(const place& p, world& shard, const shard::strips& s);

} // namespace ecosim::mpi
