#pragma once
// Internal: the text of Python literals as numpy's header writer produces them (repr() of a
// str, tuple shapes) and the encodings numpy reads a header in (latin-1 for versions 1.0 and
// 2.0, UTF-8 for 3.0).

#include <colsnap/strings.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace colsnap::detail {

/// The code points of a UTF-8 string, or nullopt when it is not valid UTF-8 (overlong forms,
/// surrogates and values past U+10FFFF included).
std::optional<std::u32string> decode_utf8(std::string_view s);
using colsnap::append_utf8; // strings.hpp
/// Each byte of @p s as the code point of the same value (how Python decodes latin-1), in UTF-8.
std::string latin1_to_utf8(std::string_view s);

/// repr() of a Python str holding the UTF-8 string @p s (which must be valid): quotes as
/// Python picks them, backslash escapes for the quote, '\\' and characters Python does not
/// print. Printability past U+00FF follows Unicode's general categories for the ranges a
/// field name plausibly holds (controls, separators, surrogates, private use, format
/// characters); the rest is taken as printable.
std::string py_repr(std::string_view s);
/// repr() of a tuple of ints: "()", "(3,)", "(2, 3)".
std::string py_tuple(std::span<const std::uint64_t> dims);

} // namespace colsnap::detail
