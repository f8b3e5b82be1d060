#pragma once
/// @file shard.hpp
/// @brief ecosim sharded over strips (docs/SHARDING.md): a world split into R strip sub-worlds
/// ("shards", phases.hpp) and merged back, and step(), which runs one tick of all R shards in one
/// process with every message passed in memory (tests/ecosim/shard_prototype_test.cpp checks
/// it against the unsharded world). ecosim-mpi runs one shard per rank, the same phases with
/// MPI where step() passes vectors (ecosim/mpi/transport.hpp).

#include <ecosim/shard/strips.hpp>
#include <ecosim/world.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace ecosim::shard {

/// @brief The shards of @p w (at a tick boundary) for @p s.
std::vector<world> split(const world& w, const strips& s);
/// @brief Shard @p r of them only (what rank r of ecosim-mpi keeps).
world split_one(const world& w, const strips& s, std::uint32_t r);

/// @brief The food rows shard @p r owns (its strip's; no halo copies).
food_table owned_food(const world& shard, const strips& s, std::uint32_t r);
/// @brief A valid world of @p keeper's replicated state and logs and the owned rows of every
/// shard (@p creatures, @p food: one table per shard, in any order), with fresh id -> slot maps
/// and hungry table.
world assemble(const world& keeper, std::span<const creature_table> creatures,
               std::span<const food_table> food);

/// @brief The world the shards hold: every owned row, the replicated state and shard 0's logs,
/// with fresh id -> slot maps and hungry table (a valid world: check_invariants holds).
world merge(const std::vector<world>& shards, const strips& s);

/// @brief What one sharded tick moved across strip edges (to show a test exercises them).
struct edge_traffic {
    std::size_t band_claims = 0;       ///< eat claims sent to a neighbour (step 4)
    std::size_t lost_to_neighbour = 0; ///< eat claims lost to a claim from a neighbour
    std::size_t migrants = 0;          ///< creatures that changed strip (step 8)
};

/// @brief One tick of every shard, by the protocol of docs/SHARDING.md.
edge_traffic step(std::vector<world>& shards, const strips& s);

} // namespace ecosim::shard
