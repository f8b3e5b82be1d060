#pragma once
/// @file shim_runner.hpp
/// @brief Runs a program under the fault_shim LD_PRELOAD library (see fault_shim.c) and reads
/// back the shim's report of the calls it saw and the faults it made.

#include "subprocess.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace colsnap_crash {

/// @brief What to ask of the shim.
struct fault_plan {
    std::string mode = "count"; ///< count | fail | short | eintr | short+eintr | shrink
    std::string call;   ///< fail: open | write | pwrite | fsync | close | rename | mmap | pread
    long nth = 0;       ///< fail: which occurrence
    int err = 0;        ///< fail: errno
    long shrink_to = 0; ///< shrink: the size the file being read is truncated to
};

/// @brief The shim's counts ("write" -> 14, ..., "injected", "short", "eintr").
using shim_report = std::map<std::string, long>;

/// @brief The sanitizer runtime this process was linked with ("" in a plain build): a child
/// running under the shim must load it before the shim (ASan insists on coming first, and its
/// interceptors then call the shim as their "real" functions).
std::string asan_runtime_path();

/// @brief Runs @p argv with the shim preloaded, touching only paths under @p prefix; the
/// report is written to @p report_file and parsed into @p report.
exit_info run_with_shim(const std::vector<std::string>& argv, const std::filesystem::path& prefix,
                        const fault_plan& plan, const std::filesystem::path& report_file,
                        shim_report& report);

} // namespace colsnap_crash
