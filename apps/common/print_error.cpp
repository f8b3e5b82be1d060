#include "print_error.hpp"

#include "escape_text.hpp"

#include <cstdio>
#include <string>

namespace apps_common {

void print_error(std::string_view tool, std::string_view what) {
    std::fflush(stdout);
    // Appended piece by piece: GCC 12's -Wrestrict misfires on string_view + "..." chains.
    std::string line(tool);
    line += ": ";
    line += escape_text(what);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace apps_common
