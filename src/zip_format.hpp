#pragma once
// Internal: the ZIP records colsnap reads and writes, per PKWARE APPNOTE.TXT 6.3.10: field
// access, the records the writer emits, and the layout plan that places every member from its
// name, method and sizes alone. No I/O and no policy here (that is npz_reader/npz_writer's job).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace colsnap::detail::zip {

inline constexpr std::uint32_t local_header_sig = 0x04034b50;    // 4.3.7
inline constexpr std::uint32_t central_header_sig = 0x02014b50;  // 4.3.12
inline constexpr std::uint32_t eocd_sig = 0x06054b50;            // 4.3.16
inline constexpr std::uint32_t eocd64_sig = 0x06064b50;          // 4.3.14
inline constexpr std::uint32_t eocd64_locator_sig = 0x07064b50;  // 4.3.15
inline constexpr std::uint32_t data_descriptor_sig = 0x08074b50; // 4.3.9

inline constexpr std::size_t local_header_size = 30;
inline constexpr std::size_t central_header_size = 46;
inline constexpr std::size_t eocd_size = 22;
inline constexpr std::size_t eocd64_size = 56;
inline constexpr std::size_t eocd64_locator_size = 20;

inline constexpr std::uint16_t zip64_extra_id = 0x0001; // 4.5.3
/// Extra-field id of colsnap's alignment padding (unregistered; readers skip unknown ids).
inline constexpr std::uint16_t align_extra_id = 0x6373; // "cs"
inline constexpr std::uint32_t sentinel32 = 0xFFFFFFFFu;
inline constexpr std::uint16_t sentinel16 = 0xFFFFu;

inline constexpr std::uint16_t flag_encrypted = 1u << 0;
inline constexpr std::uint16_t flag_data_descriptor = 1u << 3;
inline constexpr std::uint16_t flag_strong_encryption = 1u << 6;
inline constexpr std::uint16_t flag_patched = 1u << 5; // "compressed patched data"
inline constexpr std::uint16_t flag_utf8 = 1u << 11;

/// MS-DOS date of 1980-01-01 and time 00:00:00: fixed so that snapshots are reproducible.
inline constexpr std::uint16_t dos_date_1980 = (0u << 9) | (1u << 5) | 1u;
inline constexpr std::uint16_t dos_time_zero = 0;

/// Deflate cannot expand data by more than ~1032:1 (a 258-byte match per 2 bits, plus block
/// overhead); a member declaring more is lying and is refused before allocating.
inline constexpr std::uint64_t max_deflate_ratio = 1032;

inline std::uint16_t get16(const std::byte* p) noexcept {
    return static_cast<std::uint16_t>(std::to_integer<unsigned>(p[0]) |
                                      (std::to_integer<unsigned>(p[1]) << 8));
}
inline std::uint32_t get32(const std::byte* p) noexcept {
    return static_cast<std::uint32_t>(get16(p)) | (static_cast<std::uint32_t>(get16(p + 2)) << 16);
}
inline std::uint64_t get64(const std::byte* p) noexcept {
    return static_cast<std::uint64_t>(get32(p)) | (static_cast<std::uint64_t>(get32(p + 4)) << 32);
}

/// Appends little-endian fields to a byte string (headers are small; built in memory).
class record {
public:
    record& u16(std::uint64_t v) { return put(v, 2); }
    record& u32(std::uint64_t v) { return put(v, 4); }
    record& u64(std::uint64_t v) { return put(v, 8); }
    record& bytes(std::string_view s) {
        data_.append(s);
        return *this;
    }
    record& zeros(std::size_t n) {
        data_.append(n, '\0');
        return *this;
    }
    std::size_t size() const noexcept { return data_.size(); }
    const std::string& str() const noexcept { return data_; }
    std::span<const std::byte> span() const noexcept {
        return std::as_bytes(std::span(data_.data(), data_.size()));
    }

private:
    record& put(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i) data_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
        return *this;
    }
    std::string data_;
};

/// True when @p name has a byte >= 0x80 and is well-formed UTF-8: only then is flag_utf8 set
/// (a reader decodes a name without it as cp437, as CPython's zipfile does).
bool needs_utf8_flag(std::string_view name) noexcept;

/// Stored members' data start on multiples of this (numpy's ARRAY_ALIGN; also a cache line).
inline constexpr std::uint64_t member_alignment = 64;
/// Offset of the CRC-32 field in a local header (4.3.7), patched after streaming a member.
inline constexpr std::uint64_t local_crc_offset = 14;

/// One member as the directory records it.
struct entry {
    std::string zip_name;
    std::uint16_t method = 0; ///< 0 stored, 8 deflate
    std::uint32_t crc = 0;
    std::uint64_t csize = 0, usize = 0;
    std::uint64_t offset = 0; ///< of the local header
};

/// The shape of a member's local header at e.offset: zip64 size fields, and the alignment
/// padding (an extra block of colsnap's id) that puts a stored member's data on a multiple of
/// member_alignment. @p size counts the whole header: fixed part, name and extra fields.
struct local_layout {
    bool zip64 = false;
    std::size_t pad = 0;
    std::size_t size = 0;
};
/// @p align: pad as for a stored member.
local_layout local_header_layout(const entry& e, bool align) noexcept;

/// The local header (4.3.7) of @p e, laid out as local_header_layout() says.
record local_header(const entry& e, std::uint16_t flags, bool align);
/// The central directory header (4.3.12) of @p e.
record central_header(const entry& e);
/// The end records after a central directory of @p entries records, @p cd_size bytes at
/// @p cd_offset: the zip64 end record and locator when a count or offset needs them (4.3.14-15),
/// then the end of central directory record (4.3.16).
record directory_end(std::uint64_t entries, std::uint64_t cd_offset, std::uint64_t cd_size);

/// Where everything of an archive goes, computed before a byte is written.
struct layout_plan {
    std::vector<entry> entries; ///< with every offset filled in
    std::uint64_t cd_offset = 0, cd_size = 0;
    std::uint64_t size = 0; ///< of the whole archive
};
/// Places @p members (zip_name, method, csize and usize set; crc and offset not needed) one
/// after the other in this order, stored ones aligned, exactly as npz_writer writes them: a
/// writer that knows every member's sizes up front (a parallel or MPI-IO one) can write each
/// member at its offset independently, and the result is the same bytes.
layout_plan plan_layout(std::vector<entry> members);

} // namespace colsnap::detail::zip
