// colsnap::error: one exception type carrying a code, the file, the member and a byte offset.

#include "member_name.hpp"

#include <colsnap/error.hpp>

#include <utility>

namespace colsnap {

std::string_view to_string(errc code) noexcept {
    switch (code) {
    case errc::io_error: return "io_error";
    case errc::bad_magic: return "bad_magic";
    case errc::unsupported_version: return "unsupported_version";
    case errc::header_too_large: return "header_too_large";
    case errc::header_syntax: return "header_syntax";
    case errc::unsupported_dtype: return "unsupported_dtype";
    case errc::size_overflow: return "size_overflow";
    case errc::truncated: return "truncated";
    case errc::trailing_bytes: return "trailing_bytes";
    case errc::not_a_zip: return "not_a_zip";
    case errc::zip_corrupt: return "zip_corrupt";
    case errc::unsupported_zip: return "unsupported_zip";
    case errc::crc_mismatch: return "crc_mismatch";
    case errc::size_mismatch: return "size_mismatch";
    case errc::duplicate_member: return "duplicate_member";
    case errc::no_such_member: return "no_such_member";
    case errc::type_mismatch: return "type_mismatch";
    case errc::limit_exceeded: return "limit_exceeded";
    case errc::invalid_argument: return "invalid_argument";
    }
    return "unknown_error";
}

error::error(errc code, std::string detail, std::uint64_t offset)
    : std::runtime_error(std::string()), code_(code), detail_(std::move(detail)), offset_(offset) {
    format();
}

error::error(errc code, std::string detail, std::string file, std::string member,
             std::uint64_t offset)
    : std::runtime_error(std::string()), code_(code), detail_(std::move(detail)),
      file_(std::move(file)), member_(std::move(member)), offset_(offset) {
    format();
}

void error::locate(std::string_view file, std::string_view member, std::uint64_t base) {
    if (file_.empty()) file_ = file;
    if (member_.empty()) member_ = member;
    if (offset_ != no_offset) offset_ += base;
    format();
}

// "FILE: member M: at byte O: DETAIL [code]", leaving out the parts that are unknown. Names come
// from files: a NUL would cut what() short, a newline split the line, so every byte that does
// not print as itself is escaped (in names also '\', so that they read back unambiguously).
void error::format() {
    std::string m;
    m.reserve(file_.size() + member_.size() + detail_.size() + 64);
    if (!file_.empty()) m.append(detail::escape_for_message(file_, true)).append(": ");
    if (!member_.empty())
        m.append("member ").append(detail::escape_for_message(member_, true)).append(": ");
    if (offset_ != no_offset) m.append("at byte ").append(std::to_string(offset_)).append(": ");
    m.append(detail::escape_for_message(detail_, false))
        .append(" [")
        .append(to_string(code_))
        .append("]");
    message_ = std::move(m);
}

} // namespace colsnap
