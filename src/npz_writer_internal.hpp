#pragma once
// Internal: the writer's deflate step on its own, for save_npz's parallel path (columns are
// deflated on worker threads, then placed in order) and for tests that build hostile archives.

#include <colsnap/npz_writer.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace colsnap::detail {

/// A deflated .npy member: a reusable output buffer (grown, never zero-filled, so only the
/// bytes written occupy memory) plus what the zip directory needs about it.
struct deflated_npy {
    std::unique_ptr<std::byte[]> buffer;
    std::size_t capacity = 0;   ///< bytes allocated in buffer
    std::size_t size = 0;       ///< bytes of deflate data in buffer
    std::uint32_t crc = 0;      ///< CRC-32 of the uncompressed .npy (header + payload)
    std::uint64_t npy_size = 0; ///< uncompressed .npy size
    std::span<const std::byte> bytes() const noexcept { return {buffer.get(), size}; }
};

/// Deflates @p npy_header followed by @p payload into one raw deflate stream (no zlib header)
/// at @p level, without joining them: the header goes first as non-final stored blocks
/// (RFC 1951, 3.2.4), then libdeflate's compression of the payload. @p out is reused.
void deflate_npy(std::string_view npy_header, std::span<const std::byte> payload, int level,
                 deflated_npy& out);

struct npz_writer_access {
    /// Writes a member whose .npy was deflated by deflate_npy() as @p d (as
    /// npz_writer::add does with deflate, but the deflating was done elsewhere).
    static void add_deflated(npz_writer& w, std::string_view name, const deflated_npy& d);
};

} // namespace colsnap::detail
