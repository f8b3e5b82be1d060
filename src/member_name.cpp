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
