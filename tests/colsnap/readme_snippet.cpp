// The README's "The library in 15 lines", compiled and run as written: CMake copies the block
// from README.md into readme_snippet.inc (tests/colsnap/CMakeLists.txt), so the test follows
// every edit of the README. The snippet's own #include expands to nothing here (#pragma once).
#include <colsnap/colsnap.hpp>

#include <cstdio>

int main() {
#include "readme_snippet.inc"
    // What the snippet's comments promise.
    const bool ok = xs.size() == pos_x.size() && xs[0] == pos_x[0] && xs[1] == pos_x[1] &&
                    h == colsnap::content_hash(cols);
    if (!ok) std::fputs("README snippet: read back other values or another hash\n", stderr);
    return ok ? 0 : 1;
}
