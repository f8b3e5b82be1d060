#pragma once
/// @file shard.hpp
/// @brief A one-process prototype of ecosim on MPI ranks (docs/SHARDING.md): a world split into
/// R strip sub-worlds ("shards"), stepped by the per-tick protocol with every message passed in
/// memory, and merged back. Its only purpose is the check that the protocol gives the unsharded
/// world (tests/ecosim/shard_prototype_test.cpp); ecosim-mpi will run one shard per rank with
/// the same steps and MPI calls where this passes vectors.
///
/// A shard is an ecosim::world holding its strip's creatures, its strip's food and the halo
/// copies of its neighbours' food, local id -> slot maps, and the replicated state (scalars,
/// spawners, free lists). Shard 0 is the log keeper: it holds the merged logs, the population
/// log and the merged pending_event.

#include <ecosim/shard/strips.hpp>
#include <ecosim/world.hpp>

#include <cstddef>
#include <vector>

namespace ecosim::shard {

/// @brief The shards of @p w (at a tick boundary) for @p s.
std::vector<world> split(const world& w, const strips& s);

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
