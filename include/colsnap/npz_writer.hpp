#pragma once
/// @file npz_writer.hpp
/// @brief Writes .npz archives: streaming, one member at a time, atomic commit.

#include <colsnap/column.hpp>
#include <colsnap/compression.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace colsnap {

namespace detail {
struct npz_writer_access; // src/npz_writer_internal.hpp: members deflated by the caller
} // namespace detail

struct write_options {
    compression method = compression::stored;
    int level = 6;        ///< deflate level, 0..12 (libdeflate); numpy uses zlib's 6
    bool durable = true;  ///< fsync file and directory around the atomic rename
    unsigned threads = 0; ///< save_npz: columns deflated in parallel (0 = all cores)
};

/// @brief Streams members into a new archive: each add() writes one member immediately, so
/// memory is bounded by the largest (compressed) column. Stored members' data are aligned to
/// 64 bytes (padding in the local header's extra field) so that readers can map them zero-copy.
/// The archive appears at @p path only on commit(): written to a temp file beside it, fsynced
/// and renamed over it. Destroying an uncommitted writer removes the temp file. Timestamps are
/// fixed (1980-01-01 00:00) and members keep the caller's order: same arrays, same bytes.
class npz_writer {
public:
    explicit npz_writer(std::filesystem::path path, write_options opt = {});
    ~npz_writer();
    npz_writer(const npz_writer&) = delete;
    npz_writer& operator=(const npz_writer&) = delete;
    npz_writer(npz_writer&& other) noexcept;
    npz_writer& operator=(npz_writer&& other) noexcept;

    /// @brief Writes one member now, with the writer's compression.
    void add(const column_ref& column);
    /// @brief Writes one member now, with @p method (and @p level for deflate).
    void add(const column_ref& column, compression method, int level);
    /// @brief Writes a member that is not an array as @p content, byte for byte, under the zip
    /// name @p zip_name: how `colsnap copy` keeps an object array's .npy or a readme.txt.
    /// Names must be unique as numpy keys them (a ".npy" name without its ".npy").
    void add_file(std::string_view zip_name, std::span<const std::byte> content, compression method,
                  int level);
    /// @brief Writes the central directory, then fsync + rename. The writer is then closed.
    void commit();
    /// @brief Drops the archive: removes the temp file. Idempotent; never throws.
    void abort() noexcept;
    /// @brief Bytes written so far.
    std::uint64_t bytes_written() const noexcept;

private:
    friend struct detail::npz_writer_access;
    struct impl;
    std::unique_ptr<impl> impl_;
};

/// @brief Writes @p columns as one archive, in their order. With deflate, columns are
/// compressed in parallel on opt.threads cores while earlier ones are written.
void save_npz(const std::filesystem::path& path, std::span<const column_ref> columns,
              const write_options& opt = {});

} // namespace colsnap
