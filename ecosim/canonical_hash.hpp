#pragma once
/// @file canonical_hash.hpp
/// @brief The canonical world hash: the world's state with every trace of slot order taken
/// out, so that two worlds that hold the same creatures, food, logs and scalars hash equal
/// however their rows are laid out (a permuted copy, a world merged from R shards). It is
/// colsnap::content_hash (XXH3-128 over members in name order, each with its name, dtype and
/// shape, include/colsnap/hash.hpp) of the snapshot's members (members.hpp) in a canonical form:
///   - creature, creature_to_insert, food, food_spawner: rows in id order;
///   - pending_event: rows in (t, creature_id) order;
///   - hungry: ids in increasing order;
///   - the id -> slot maps: left out (slots only; their length is meta/*_next_id);
///   - the free id lists and the removal buffers: as listed (their order is state: it decides
///     which id is issued next, docs/SHARDING.md "Ids");
///   - eaten, born, dead: rows in (t, creature id) order (born: parent_id), population in tick
///     order, read through logs_of() so that the log storage can change;
///   - meta/ and config/ scalars as they are.
/// Rows equal in their key are ordered by their bytes, so the order is a pure function of the
/// set of rows. A table already in canonical order is hashed in place, without a copy.

#include <colsnap/hash.hpp>
#include <ecosim/world.hpp>

#include <vector>

namespace ecosim {

/// @brief The world's logs, each as the parts it is stored in (one part per log today: the
/// world's table; a segmented log lists its segments). The canonical hash reads the logs only
/// through this, and takes the parts of a log together as one table.
struct log_parts {
    std::vector<const eaten_log*> eaten;
    std::vector<const born_log*> born;
    std::vector<const dead_log*> dead;
    std::vector<const population_log*> population;
};
/// @brief The log parts of @p w (borrowed: valid while @p w is unchanged).
log_parts logs_of(const world& w);

/// @brief The canonical hash of @p w (see the file comment). Equal for any permutation of the
/// rows of the tables; differs when any column value, scalar, config value or log row differs.
colsnap::digest canonical_hash(const world& w);

} // namespace ecosim
