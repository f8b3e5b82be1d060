#pragma once
/// @file log_chain.hpp
/// @brief The chain hash of the four append-only logs (eaten, born, dead, population), and
/// what a schema-3 snapshot holds of each: its row count and its chain (docs/FORMAT.md, "Logs
/// as segments").
///
/// The chain of a log of n rows is XXH3-128 over the XXH3-128 (canonical, 16 bytes) of each of
/// its columns' little-endian bytes of rows [0, n), the columns in snapshot order. It depends
/// only on the rows, not on where the segments were cut, so a run that snapshots and one that
/// never does have the same world hash. Each column is hashed as a stream: appending rows costs
/// O(rows appended), and the digest of the stream so far is O(1).
///
/// log_chains remembers the streams of one world (world::work.logs, never persisted). It hashes
/// a row once, when it is no longer among the last `settle_rows` rows of its log; the rows after
/// that are hashed again at every call. The logs are append-only: a row that is older than that
/// and changed in place is not seen (create the world's cache anew: `w.work.logs = {}`).

#include <colsnap/column.hpp>
#include <colsnap/hash.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct XXH3_state_s;

namespace ecosim {

struct world;

/// @brief The logs, in snapshot order: the index of a log in a log_refs.
inline constexpr std::size_t log_count = 4;
inline constexpr std::array<const char*, log_count> log_names{"eaten", "born", "dead",
                                                              "population"};

/// @brief What a schema-3 snapshot holds of one log (meta/<log>_rows, meta/<log>_chain).
struct log_ref {
    std::uint64_t rows = 0;
    std::array<std::uint8_t, 16> chain{}; ///< XXH3-128, canonical (big-endian) bytes
    friend bool operator==(const log_ref&, const log_ref&) = default;
};
using log_refs = std::array<log_ref, log_count>;

/// @brief The members meta/<log>_rows and meta/<log>_chain of @p refs, borrowing it.
std::vector<colsnap::column_ref> ref_columns(const log_refs& refs);

/// @brief The key of a history: colsnap::content_hash(ref_columns(refs)). It names the segment
/// that ends there (log_segments.hpp).
colsnap::digest history_key(const log_refs& refs);

/// @brief A streaming XXH3-128 (copyable: a copy goes on from the same state).
class stream_hash {
public:
    stream_hash();
    stream_hash(const stream_hash& o);
    stream_hash& operator=(const stream_hash& o);
    stream_hash(stream_hash&&) noexcept = default;
    stream_hash& operator=(stream_hash&&) noexcept = default;
    ~stream_hash();
    void update(const void* p, std::size_t n);
    /// @brief The digest of what was fed so far, canonical bytes (the stream goes on).
    std::array<std::uint8_t, 16> digest() const;

private:
    struct free_state {
        void operator()(XXH3_state_s* s) const noexcept;
    };
    std::unique_ptr<XXH3_state_s, free_state> s_;
};

/// @brief The running chains of one world's logs (see the file comment).
class log_chains {
public:
    /// Rows of a log that are hashed again at every refs() call (not yet settled).
    static constexpr std::uint64_t settle_rows = 65536;
    /// @brief The refs of @p w's logs now. Valid until the next call.
    const log_refs& refs(const world& w);

private:
    struct one_log {
        std::uint64_t settled = 0;     ///< rows fed to cols
        std::vector<stream_hash> cols; ///< one stream per column
    };
    std::array<one_log, log_count> logs_{};
    log_refs out_{};
};

/// @brief The last segment written for a world (log_segments.hpp): where, up to which rows.
struct segment_head {
    bool set = false;
    std::string dir;        ///< absolute, lexically normal
    std::uint64_t tick = 0; ///< the tick the segment ends at
    log_refs refs{};        ///< the logs up to the end of that segment
};

/// @brief world::work.logs: never persisted, derived from the logs (and from where they were
/// last written). Not safe to use from two threads on one world at once.
struct log_state {
    log_chains chains;
    segment_head head;
};

} // namespace ecosim
