#pragma once
/// @file log_segments.hpp
/// @brief The logs on disk: every log row is written once, into a segment file beside the
/// snapshots (docs/FORMAT.md, "Logs as segments").
///
/// A segment `log_<tick>_<key>.npz` holds the rows the four logs gained since the segment
/// before it (its members eaten/t, ..., population/food), where its history ends (meta/tick
/// and the logs' rows and chains there, meta/<log>_rows and meta/<log>_chain, exactly the
/// members a snapshot of that tick holds) and where it begins (segment/first_rows, and the
/// name of the segment before it: segment/prev_tick, segment/prev_key). `<key>` is
/// history_key() of its end: a function of the rows up to there, not of where the segments
/// were cut. A segment that begins at row 0 of every log is a root.

#include <ecosim/log_chain.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ecosim {

struct world;

/// @brief `log_<tick, 6 digits or more>_<32 hex digits of key>.npz`.
std::string segment_name(std::uint64_t tick, const colsnap::digest& key);

struct segment_write_options {
    bool compress = false;
    bool durable = true;
};

/// @brief The segment write_segment() writes, not written: where, its members (borrowing @p w's
/// memory and this object's own; so it is not copied or moved), and the head once it is on disk.
struct segment_plan {
    std::filesystem::path path;
    std::vector<colsnap::column_ref> columns;
    segment_head head;
    std::array<std::uint64_t, log_count> first{};
    std::uint64_t prev_tick = 0;
    std::array<std::uint8_t, 16> prev_key{};
};

/// @brief write_segment()'s segment, planned: null when the head already ends at @p now.
std::unique_ptr<const segment_plan> plan_segment(const world& w, const log_refs& now,
                                                 const std::filesystem::path& dir);

/// @brief Writes, into @p dir, the segment of @p w's log rows since @p w's segment head (all
/// rows when the head is unset or in another directory), atomically (colsnap::save_npz), and
/// returns the new head. @p now: w's refs now. Writes nothing when the head already ends at
/// @p now. A file already under that name is replaced: it holds the same rows.
segment_head write_segment(const world& w, const log_refs& now, const std::filesystem::path& dir,
                           const segment_write_options& opt);

/// @brief Reads the segments that end at (@p tick, @p refs) in the directory of @p snapshot,
/// root first, into @p w's logs (empty on entry), checking every link and every segment's rows
/// against its chain; returns their paths, root first. Refuses (ecosim::error naming the
/// segment) a missing, unreadable, truncated, renamed, reordered or altered segment; @p w's logs
/// are then half filled: the caller throws @p w away.
std::vector<std::filesystem::path> read_segments(world& w, const std::filesystem::path& snapshot,
                                                 std::uint64_t tick, const log_refs& refs);

/// @brief The directory of @p file as a segment_head names it (absolute, lexically normal).
std::string segment_dir(const std::filesystem::path& file);

} // namespace ecosim
