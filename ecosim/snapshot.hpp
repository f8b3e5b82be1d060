#pragma once
/// @file snapshot.hpp
/// @brief The world as colsnap columns: one `.npz` per snapshot, one member per column
/// (`table/column`), scalars as 0-d arrays under `meta/`, the configuration under `config/`.
/// docs/FORMAT.md lists every member with its dtype. The world hash is colsnap::content_hash of
/// exactly the columns a snapshot writes, so `colsnap hash snap.npz` == world_hash(live world).

#include <ecosim/world.hpp>

#include <colsnap/column.hpp>
#include <colsnap/hash.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace ecosim {

/// @brief A snapshot was refused: newer schema, missing/mistyped/misshapen member, unexpected
/// member, unequal column lengths in a table, or a broken invariant. what() names the file and
/// member.
class snapshot_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// @brief Every persisted column, scalar and config value of @p w, borrowing its memory, in the
/// documented member order (tables, then meta/, then config/).
std::vector<colsnap::column_ref> world_columns(const world& w);

/// @brief The world hash: colsnap::content_hash(world_columns(w)).
colsnap::digest world_hash(const world& w);

struct snapshot_options {
    /// Schema to write: 2 (current) or 1 (without hunger_buildup; for migration fixtures).
    std::uint32_t schema = schema_version;
    /// Deflate the members (smaller, slower) instead of storing them.
    bool compress = false;
    /// fsync around the atomic rename.
    bool durable = true;
};

/// @brief Writes @p w to @p path (atomically, via colsnap::save_npz).
void snapshot(const world& w, const std::filesystem::path& path, const snapshot_options& opt = {});

/// @brief Reads a snapshot into a new world. Schema 1 is migrated (hunger_buildup zero-filled);
/// anything invalid throws snapshot_error (or colsnap::error for a damaged file) and no world
/// is returned.
world load(const std::filesystem::path& path);

} // namespace ecosim
