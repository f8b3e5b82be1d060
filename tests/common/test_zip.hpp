#pragma once
/// @file test_zip.hpp
/// @brief A zip builder for hostile archives: members written as given (any method, sizes and
/// CRC, true or not), an optional zip64 end record that declares other counts and sizes.
/// Record layouts per APPNOTE 4.3.7 (local header), 4.3.12 (central directory), 4.3.14-16
/// (zip64 end record and locator, end of central directory).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace test_common {

/// Appends @p v to @p s as @p n little-endian bytes.
inline void put(std::string& s, std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

struct zip_member {
    std::string name;
    std::uint16_t method = 0;
    std::string data;        ///< bytes as stored in the archive
    std::uint64_t usize = 0; ///< declared uncompressed size
    std::uint32_t crc = 0;
};

struct zip_lies {
    std::optional<std::uint64_t> entries; ///< declared entry count (forces zip64 end records)
    std::optional<std::uint64_t> cd_size; ///< declared central directory size
};

/// The archive of @p members, in order, with the end records @p lies describes.
inline std::string zip_file(const std::vector<zip_member>& members, const zip_lies& lies = {}) {
    std::string out, cd;
    for (const zip_member& m : members) {
        const bool z64 = m.usize >= 0xFFFFFFFFu || m.data.size() >= 0xFFFFFFFFu;
        const std::uint64_t offset = out.size();
        // The fields local and central headers share: version needed .. extra field length.
        auto shared_fields = [&](std::string& s) {
            put(s, z64 ? 45 : 20, 2);
            put(s, 0, 2);
            put(s, m.method, 2);
            put(s, 0, 2);    // time 00:00
            put(s, 0x21, 2); // date 1980-01-01
            put(s, m.crc, 4);
            put(s, z64 ? 0xFFFFFFFFu : m.data.size(), 4);
            put(s, z64 ? 0xFFFFFFFFu : m.usize, 4);
            put(s, m.name.size(), 2);
            put(s, z64 ? 20 : 0, 2);
        };
        auto name_and_extra = [&](std::string& s) {
            s += m.name;
            if (!z64) return;
            put(s, 1, 2);
            put(s, 16, 2);
            put(s, m.usize, 8);
            put(s, m.data.size(), 8);
        };
        put(out, 0x04034b50, 4);
        shared_fields(out);
        name_and_extra(out);
        out += m.data;
        put(cd, 0x02014b50, 4);
        put(cd, (3u << 8) | (z64 ? 45 : 20), 2);
        shared_fields(cd);
        put(cd, 0, 2); // comment length
        put(cd, 0, 2); // disk
        put(cd, 0, 2); // internal attributes
        put(cd, 0, 4); // external attributes
        put(cd, offset, 4);
        name_and_extra(cd);
    }
    const std::uint64_t cd_offset = out.size();
    out += cd;
    const std::uint64_t entries = lies.entries.value_or(members.size());
    const std::uint64_t cd_size = lies.cd_size.value_or(cd.size());
    if (lies.entries) {
        const std::uint64_t e64 = out.size();
        put(out, 0x06064b50, 4);
        put(out, 44, 8);
        put(out, (3u << 8) | 45, 2);
        put(out, 45, 2);
        put(out, 0, 4);
        put(out, 0, 4);
        put(out, entries, 8);
        put(out, entries, 8);
        put(out, cd_size, 8);
        put(out, cd_offset, 8);
        put(out, 0x07064b50, 4);
        put(out, 0, 4);
        put(out, e64, 8);
        put(out, 1, 4);
    }
    put(out, 0x06054b50, 4);
    put(out, 0, 2);
    put(out, 0, 2);
    put(out, lies.entries ? 0xFFFF : entries, 2);
    put(out, lies.entries ? 0xFFFF : entries, 2);
    put(out, lies.entries ? 0xFFFFFFFFu : cd_size, 4);
    put(out, lies.entries ? 0xFFFFFFFFu : cd_offset, 4);
    put(out, 0, 2);
    return out;
}

} // namespace test_common
