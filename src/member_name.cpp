// Member names: what the writer accepts (names any reader shows as they are and unzips inside
// the target directory), and how error messages show any name a file may hold.
#include "member_name.hpp"

#include <colsnap/error.hpp>

#include <algorithm>
#include <cstdint>

namespace colsnap::detail {

// RFC 3629 section 4 (the well-formed byte sequences).
std::size_t utf8_sequence_length(std::string_view s, std::size_t at) noexcept {
    const auto byte = [&](std::size_t k) -> unsigned {
        return at + k < s.size() ? static_cast<unsigned char>(s[at + k]) : 0x100u;
    };
    const unsigned b0 = byte(0);
    if (b0 < 0x80) return 1;
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF; // range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F; // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F; // nothing past U+10FFFF
    } else {
        return 0;
    }
    if (byte(1) < lo || byte(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
    return n;
}

std::size_t first_non_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence_length(s, i);
        if (n == 0) return i;
        i += n;
    }
    return std::string_view::npos;
}

namespace {

// Bytes 0x80..0xFF of code page 437 as CPython's codec (Lib/encodings/cp437.py) maps them; zipfile
// decodes every name without the UTF-8 flag with it. 0x00..0x7F map to themselves. (glibc's
// iconv has IBM437 too, but only through gconv modules loaded at run time.)
constexpr std::uint16_t cp437_high[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF,
    0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA,
    0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557,
    0x255D, 0x255C, 0x255B, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559,
    0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4,
    0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

} // namespace

std::string decode_cp437(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (const char ch : raw) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out.push_back(ch);
            continue;
        }
        const unsigned u = cp437_high[c - 0x80]; // all in the BMP: 2 or 3 UTF-8 bytes
        if (u < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (u >> 6)));
        } else {
            out.push_back(static_cast<char>(0xE0 | (u >> 12)));
            out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
        }
        out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
    }
    return out;
}

std::string escape_for_message(std::string_view text, bool escape_backslash) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0 || c < 0x20 || c == 0x7F) {
            out.append("\\x").push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
            ++i;
        } else if (c == '\\' && escape_backslash) {
            out.append("\\\\");
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

namespace {

[[noreturn]] void refuse(const std::string& file, std::string_view name, const std::string& why) {
    throw error(errc::invalid_argument, "member name " + why, file, std::string(name),
                error::no_offset);
}

} // namespace

void check_member_name(std::string_view name, const std::string& file) {
    if (name.empty() || name.size() > 0xFFFF - 4) refuse(file, name, "must be 1..65531 bytes");
    for (std::size_t i = 0; i < name.size();) {
        const auto c = static_cast<unsigned char>(name[i]);
        const std::size_t n = utf8_sequence_length(name, i);
        if (c < 0x20 || c == 0x7F)
            refuse(file, name,
                   "has control character " + escape_for_message(name.substr(i, 1), true) +
                       " at byte " + std::to_string(i));
        if (n == 0) refuse(file, name, "is not UTF-8 (byte " + std::to_string(i) + ")");
        if (c == '\\')
            refuse(file, name,
                   "has a backslash at byte " + std::to_string(i) +
                       " (a path separator when unzipped on Windows)");
        i += n;
    }
    // Unzipped, the member is the file NAME.npy: it must stay inside the directory.
    if (name.front() == '/') refuse(file, name, "is an absolute path (starts with '/')");
    const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (name.size() >= 2 && letter(name[0]) && name[1] == ':')
        refuse(file, name, "starts with a drive letter");
    for (std::size_t at = 0; at <= name.size();) {
        const std::size_t end = std::min(name.find('/', at), name.size());
        if (name.substr(at, end - at) == "..")
            refuse(file, name, "has a '..' component: unzipped, it would leave the directory");
        at = end + 1;
    }
}

} // namespace colsnap::detail
