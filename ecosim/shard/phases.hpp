#pragma once
/// @file phases.hpp
/// @brief One sharded tick (docs/SHARDING.md, "Per-tick protocol") as the four phases one shard
/// runs, with everything that crosses between shards as explicit data: phase A sends eat claims
/// to the two neighbours, phase B's records go to every shard (merged in (t, creature_id)
/// order), phase C sends emigrants to the two neighbours, phase D's counts are summed over all
/// shards. shard::step() (shard.hpp) passes them as vectors in one process; ecosim-mpi
/// (ecosim/mpi/transport.hpp) passes them with MPI. No MPI here.
///
/// A shard is an ecosim::world holding its strip's creatures, its strip's food and the halo
/// copies of its neighbours' food, local id -> slot maps, and the replicated state (scalars,
/// spawners, free lists). The log keeper (rank 0) holds the logs, the population log and the
/// merged pending_event.

#include <ecosim/shard/strips.hpp>
#include <ecosim/world.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

namespace ecosim::shard {

/// @brief An eat claim (t, creature_id) on a food in the band of an edge (step 4).
struct claim {
    double t;
    std::uint32_t creature_id;
    std::uint32_t food_id;
};

/// @brief One event of the tick as step 5 sends it to every shard. No padding: sent as bytes.
struct record {
    double t = 0;
    std::uint32_t creature_id = 0;
    std::uint32_t aux = 0; ///< eat: the food id; reproduce, starve: the creature's gen
    float energy = 0;      ///< eat: the food's value; reproduce: each child's share; starve: left
    std::uint8_t kind = 0; ///< event_kind
    std::uint8_t won = 0;  ///< eat: 1 when this claim got the food (R9)
    std::uint16_t zero = 0;
};
static_assert(sizeof(record) == 24 && std::is_trivially_copyable_v<record>);
static_assert(sizeof(claim) == 16 && std::is_trivially_copyable_v<claim>);

/// @brief What a shard sends to the rank below (r - 1) and the one above (r + 1).
template <typename T> struct to_neighbours { T below, above; };

/// @brief A shard's rows that the population row counts (owned rows; no halo copies).
struct counts {
    std::uint64_t creatures = 0, food = 0;
};

/// @brief Phase A, steps 1-3 and 4's sending side: spawns the tick's food (keeping what shard
/// @p r holds), moves its creatures, decides their events; returns its eat claims on food in
/// the band of the edge below (for r - 1) and above (for r + 1).
to_neighbours<std::vector<claim>> claim_phase(world& w, std::uint32_t r, const strips& s);

/// @brief Phase B, step 4's receiving side: shard @p w's events as records in (t, creature_id)
/// order, each eat won when it is the first claim on its food among the shard's own claims
/// and the neighbours' band claims @p from_below, @p from_above. Counts in @p lost the shard's
/// eats lost to a neighbour's claim.
std::vector<record> record_phase(const world& w, std::span<const claim> from_below,
                                 std::span<const claim> from_above, std::size_t& lost);

/// @brief Step 5's merge: the union of every shard's records, in (t, creature_id) order.
void order_records(std::vector<record>& all);

/// @brief Phase C, steps 5-8's sending side, given @p all (every shard's records, ordered):
/// every child's id from the replicated free list (R10), the shard's own events applied, the
/// logs and pending_event on the @p keeper, cleanup with the free lists pushed in the global
/// order (R12), the spatial sort on schedule; returns the creatures that left the strip
/// (removed here) for the neighbours.
to_neighbours<creature_table> apply_phase(world& w, std::uint32_t r, const strips& s,
                                          std::span<const record> all, bool keeper);

/// @brief Phase D, steps 8's receiving side and 9: appends the immigrants, the hungry table,
/// tick + 1 and the clock; returns the shard's counts (summed over shards for the population).
counts finish_phase(world& w, std::uint32_t r, const strips& s, const creature_table& from_below,
                    const creature_table& from_above);

/// @brief Step 9 on the keeper: the population row of the global @p total.
void keep_population(world& keeper, counts total);

} // namespace ecosim::shard
