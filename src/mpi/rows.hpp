#pragma once
// Internal: what the collective writer and reader both compute about rows: the bytes of one row
// of a C-order array, and the CRC-32 of a run of rows (chunked, so each chunk is hashed while
// it is in cache).

#include <colsnap/array.hpp>

#include <libdeflate.h>

#include <algorithm>
#include <cstdint>
#include <span>

namespace colsnap::detail::mpi {

/// Bytes of one row (one index of the first dimension) of @p info in C order.
inline std::uint64_t row_bytes(const array_info& info) noexcept {
    std::uint64_t b = info.type.itemsize;
    for (std::size_t d = 1; d < info.shape.size(); ++d) b *= info.shape[d];
    return b;
}

/// CRC-32 of @p bytes continuing @p crc (libdeflate's; 0 starts one).
inline std::uint32_t crc_of(std::uint32_t crc, std::span<const std::byte> bytes) noexcept {
    constexpr std::size_t chunk = std::size_t{1} << 20;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const auto part = bytes.subspan(at, std::min(chunk, bytes.size() - at));
        crc = static_cast<std::uint32_t>(libdeflate_crc32(crc, part.data(), part.size()));
    }
    return crc;
}

} // namespace colsnap::detail::mpi
