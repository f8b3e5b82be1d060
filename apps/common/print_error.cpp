#include "print_error.hpp"

#include "escape_text.hpp"

#include <cstdio>
#include <string>

namespace apps_common {

void print_error(std::string_view tool, std::string_view what) {
    std::fflush(stdout);
    // what() escapes its names already: only control characters are escaped here. Appended
    // piece by piece: GCC 12's -Wrestrict misfires on string_view + "..." chains.
    const std::string message = escape_text(what, false);
    std::string line;
    line.reserve(tool.size() + message.size() + 3);
    line.append(tool.data(), tool.size());
    line.append(": ");
    line.append(message);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace apps_common
