#pragma once
/// @file strings.hpp
/// @brief numpy's string arrays (U: UCS-4, S: bytes) as UTF-8 std::strings, both ways.

#include <colsnap/array.hpp>

#include <span>
#include <string>
#include <vector>

namespace colsnap {

/// @brief Appends the UTF-8 bytes of @p cp, a Unicode scalar value (< U+110000, not a
/// surrogate) to @p out.
void append_utf8(std::string& out, char32_t cp);

/// @brief The items of a U (UCS-4) or S (bytes) array in C order, any byte and memory order,
/// as std::strings: U items in UTF-8, S items as their bytes; trailing NULs dropped, as numpy
/// drops them. Throws error(type_mismatch) for another dtype, and for a U item holding a code
/// unit that is not a Unicode scalar value (a lone surrogate, or past U+10FFFF): such text is
/// reported with its item and code unit, never replaced.
std::vector<std::string> strings(const array& a);

/// @brief @p values (UTF-8) as numpy stores strings, in a 1-d owned array: U (UCS-4, this
/// machine's order) as wide as the longest value in characters, or, with @p kind
/// dtype_kind::bytes, S as wide as the longest in bytes (at least 1, as numpy makes them).
/// Throws error(invalid_argument) for a U value that is not valid UTF-8.
array encode_strings(std::span<const std::string> values, dtype_kind kind = dtype_kind::unicode);

} // namespace colsnap
