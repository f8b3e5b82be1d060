#pragma once
// Internal: member names, as the writer accepts them and as messages show them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace colsnap::detail {

/// Length of the well-formed UTF-8 sequence starting at @p s[at] (1..4), or 0 when the bytes
/// there are not one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF,
/// a sequence cut short).
std::size_t utf8_sequence_length(std::string_view s, std::size_t at) noexcept;

/// Offset of the first byte of @p s that does not start a well-formed UTF-8 sequence, or npos
/// when all of @p s is well-formed UTF-8.
std::size_t first_non_utf8(std::string_view s) noexcept;

/// @p raw (a zip name without the UTF-8 flag) decoded as code page 437, in UTF-8: what CPython's
/// zipfile, and so numpy's NpzFile, names such a member. Bytes below 0x80 stay as they are.
std::string decode_cp437(std::string_view raw);

/// @p text with every byte a terminal would not print as itself written as \xNN: control
/// characters (NUL, newline, ...), DEL, bytes that are not well-formed UTF-8; with
/// @p escape_backslash also '\' as "\\" (so that names read back unambiguously).
std::string escape_for_message(std::string_view text, bool escape_backslash);

/// Throws error(invalid_argument) naming @p file and the member when the writer must refuse
/// @p name: empty or longer than a zip name allows (65531 bytes + ".npy"), a byte a message
/// would have to escape (control characters, DEL, '\', malformed UTF-8), or a path that would
/// leave the directory it is unzipped into ("/abs", "C:x", a ".." component).
void check_member_name(std::string_view name, const std::string& file);

} // namespace colsnap::detail
