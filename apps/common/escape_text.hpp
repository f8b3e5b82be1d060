#pragma once
// Text as the CLIs print it: control characters escaped so that any name or message fits on
// one line, and the inverse, so that a name printed by `colsnap hash` reads back.

#include <string>
#include <string_view>

namespace apps_common {

/// Escapes \n, \t, \r, \\ and other control characters (\xNN) so that @p text prints on one line.
/// With @p escape_backslash false a backslash is kept as it is: for messages whose names are
/// already escaped (colsnap::error::what()), so that "\x00" is not printed as "\\x00".
std::string escape_text(std::string_view text, bool escape_backslash = true);

/// Undoes escape_text (\n, \t, \r, \\, \xNN); any other backslash pair gives its second character.
std::string unescape_text(std::string_view text);

} // namespace apps_common
