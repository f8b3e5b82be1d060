#pragma once
// Text as the CLIs print it: control characters escaped so that any name or message fits on
// one line, and the inverse, so that a name printed by `colsnap hash` reads back.

#include <string>
#include <string_view>

namespace apps_common {

/// Escapes \n, \t, \r, \\ and other control characters (\xNN) so that @p text prints on one line.
std::string escape_text(std::string_view text);

/// Undoes escape_text (\n, \t, \r, \\, \xNN); any other backslash pair gives its second character.
std::string unescape_text(std::string_view text);

} // namespace apps_common
