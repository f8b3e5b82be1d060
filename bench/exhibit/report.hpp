#pragma once
/// @file report.hpp
/// @brief The exhibit's results, the targets evaluated on them, and their two outputs:
/// a table like the seed chapter's (plus ratios) and a JSON document.

#include "peak_memory.hpp"
#include "timing.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace exhibit {

/// @brief One row: a way of persisting (or of reading a file another way wrote).
struct measured_way {
    std::string key;   ///< stable id, e.g. "colsnap_stored"
    std::string label; ///< the table's text
    std::string peer;  ///< key of the numpy row its ratios compare with ("" = none)
    std::uint64_t file_bytes = 0;
    samples write, read;
    samples write_cpu, read_cpu; ///< process CPU time (all threads) of the same calls
    samples fsync;               ///< the fsync() inside write, on its own (raw + fsync row only)
    samples release;             ///< dropping what read produced (unmap, free), not part of read
    /// The same read repeated at once, after the release: the allocator's (and the page
    /// tables') best case, for comparison with read (which follows other ways' work).
    samples read_again;
};

/// @brief A values-equal check of one file against the source columns.
struct check_result {
    std::string what;
    bool equal = false;
    std::string detail;
};

struct machine_info {
    unsigned cores = 0;
    std::string cpu, kernel;
    std::string load_before, load_after; ///< /proc/loadavg's 1/5/15-minute averages
};
/// @brief The 1, 5 and 15-minute load averages from /proc/loadavg ("" if unreadable).
std::string load_average();
/// @brief nproc, /proc/cpuinfo's model name and uname's release.
machine_info describe_machine();

struct exhibit_result {
    machine_info machine;
    std::uint64_t rows = 0, data_bytes = 0, largest_column_bytes = 0;
    int runs = 0, aos_runs = 0;
    std::string dir;
    int fast_level = 1;
    unsigned threads = 0;
    nlohmann::json numpy_info; ///< python/numpy versions (null without numpy)
    std::vector<measured_way> ways;
    samples construction; ///< building vector<creature> from the columns
    std::vector<memory_result> memory;
    std::vector<check_result> checks;

    const measured_way* find(const std::string& key) const;
};

/// @brief One target of the issue, evaluated.
struct target_result {
    std::string text;       ///< the target, e.g. "stored write <= 1.0x pickle-of-columns write"
    std::string figures;    ///< the measured figures and ratio
    bool available = false; ///< false when a row it needs was not measured
    bool reached = false;
};
/// @brief The targets on wall-clock medians, or with @p cpu on CPU-time medians (ratio and
/// time targets only).
std::vector<target_result> evaluate_targets(const exhibit_result& r, bool cpu = false);
/// @brief Ratios that explain the targets (durable vs its floor, caller-parallel read, ...);
/// reached is not meaningful for these.
std::vector<target_result> evaluate_context(const exhibit_result& r);

/// @brief The table, ratios, targets, memory and checks, for people.
void print_report(std::ostream& out, const exhibit_result& r);
/// @brief Everything, for machines.
nlohmann::json to_json(const exhibit_result& r);

} // namespace exhibit
