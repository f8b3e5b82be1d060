// Compiled by the test Layering.InternalsAreNotIncludableFromEcosimAppsOrBench with exactly the
// include roots that ecosim, the apps and the benchmarks get (colsnap::colsnap and ecosim):
// the public headers and ecosim's resolve, and the library's internals must not.
#include <colsnap/colsnap.hpp>
#include <ecosim/world.hpp>
#include <src/posix_file.hpp> // must fail: "src/posix_file.hpp: No such file or directory"

int main() { return 0; }
