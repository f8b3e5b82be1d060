#pragma once
/// @file snapshot.hpp
/// @brief The world as colsnap columns: one `.npz` per snapshot, one member per column
/// (`table/column`), scalars as 0-d arrays under `meta/`, the configuration under `config/`.
/// docs/FORMAT.md lists every member with its dtype. The world hash is colsnap::content_hash of
/// exactly the columns a snapshot writes, so `colsnap hash snap.npz` == world_hash(live world).

#include <colsnap/column.hpp>
#include <colsnap/hash.hpp>
#include <colsnap/npz_writer.hpp>
#include <ecosim/error.hpp>
#include <ecosim/log_segments.hpp>
#include <ecosim/world.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ecosim {

/// @brief Every persisted column, scalar and config value of @p w, borrowing its memory, in the
/// documented member order (tables, then meta/, then config/).
std::vector<colsnap::column_ref> world_columns(const world& w);

/// @brief The world hash: colsnap::content_hash(world_columns(w)).
colsnap::digest world_hash(const world& w);

struct snapshot_options {
    /// Schema to write: schema_version, or an older one (without the columns added since; for
    /// migration fixtures).
    std::uint32_t schema = schema_version;
    /// Deflate the members (smaller, slower) instead of storing them.
    bool compress = false;
    /// fsync around the atomic rename.
    bool durable = true;
};

/// @brief snapshot()'s first half, for a writer of one's own (colsnap::background_writer): from
/// schema 3 on, writes the log rows since the last segment beside @p path (log_segments.hpp), then
/// returns the snapshot's members, borrowing @p w's memory. Write them to @p path with
/// snapshot_write_options(opt) (or copy them) before @p w changes.
std::vector<colsnap::column_ref> snapshot_columns(const world& w, const std::filesystem::path& path,
                                                  const snapshot_options& opt = {});

/// @brief The files of one snapshot, planned (snapshot_files()), none written yet.
struct snapshot_plan {
    /// From schema 3: the segment of the log rows since the last one; null when there are none.
    std::unique_ptr<const segment_plan> segment;
    std::vector<colsnap::column_ref> columns; ///< the snapshot's members
    /// Moves @p w's segment head on to this plan's segment: call once the segment is written,
    /// or queued to be (a writer that then fails to write it ends the run).
    void segment_written(const world& w) const;
    /// The bytes of the columns of both files (what a writer stages for them).
    std::size_t bytes() const;
};

/// @brief snapshot() without writing, for a writer that writes several files as one job
/// (colsnap::background_writer::submit): write the segment, then the snapshot to @p path, each
/// with snapshot_write_options(opt), in that order, before @p w changes; then segment_written().
/// Both borrow @p w's memory.
snapshot_plan snapshot_files(const world& w, const std::filesystem::path& path,
                             const snapshot_options& opt = {});

/// @brief The write options snapshot() uses for @p opt.
colsnap::write_options snapshot_write_options(const snapshot_options& opt = {});

/// @brief Writes @p w to @p path (atomically, via colsnap::save_npz). Schema 3: first writes,
/// beside it, the segment of the log rows that @p w has not yet written to that directory
/// (log_segments.hpp; all its rows the first time), then the snapshot referring to it.
void snapshot(const world& w, const std::filesystem::path& path, const snapshot_options& opt = {});

/// @brief Reads a snapshot into a new world. An older schema is migrated (the columns added
/// since get their default, table.hpp); anything invalid (a member missing, mistyped,
/// misshapen or unexpected, a config value or table value out of range, tables that contradict
/// each other) throws ecosim::error with errc::invalid_snapshot naming the member (or
/// colsnap::error for a damaged file), and no world is returned. Schema 3: the logs are read
/// from the segments beside it (a missing, truncated, reordered or altered one is refused,
/// naming it); @p segments, when given, gets their paths, root first.
world load(const std::filesystem::path& path,
           std::vector<std::filesystem::path>* segments = nullptr);

} // namespace ecosim
