#pragma once
// The one line every CLI error is: "TOOL: MESSAGE\n" on stderr, the message escaped so that a
// newline in a file name or an exception's text cannot split it.

#include <string_view>

namespace apps_common {

/// Flushes stdout, then writes "@p tool: @p what" and a newline to stderr, with the control
/// characters of @p what escaped (not its backslashes: colsnap::error::what() escapes its names).
void print_error(std::string_view tool, std::string_view what);

} // namespace apps_common
