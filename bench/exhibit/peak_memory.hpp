#pragma once
/// @file peak_memory.hpp
/// @brief Peak resident memory of one way, measured in a child process of its own: the child
/// (this program re-executed with --mem-child WAY) sets up what the way needs (the columns, for
/// writes), resets the kernel's high-water mark (/proc/self/clear_refs "5"), runs the way once
/// and reports VmHWM against the resident size just before.

#include "options.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace exhibit {

/// @brief One child's report (kB as /proc/self/status gives them).
struct memory_result {
    std::string way;
    std::uint64_t baseline_kb = 0; ///< VmRSS right before the way ran (setup included)
    std::uint64_t peak_kb = 0;     ///< VmHWM after the way ran (high-water mark reset before)
    std::uint64_t growth_kb() const noexcept {
        return peak_kb > baseline_kb ? peak_kb - baseline_kb : 0;
    }
};

/// @brief The ways measured for memory, in order; writes first.
const std::vector<std::string>& memory_ways();

/// @brief Runs one child per memory way (files must already exist in o.dir for the reads).
std::vector<memory_result> measure_memory(const options& o);

/// @brief The child's side: runs @p o.mem_child once and prints its memory_result as JSON.
/// Returns the exit status.
int memory_child_main(const options& o);

} // namespace exhibit
