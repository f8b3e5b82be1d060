#pragma once
/// @file options.hpp
/// @brief Command line of colsnap-exhibit.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace exhibit {

struct options {
    std::size_t rows = 1'000'000;   ///< --n
    int runs = 5;                   ///< --runs: measured runs (after one warm-up run)
    std::optional<int> aos_runs;    ///< --aos-runs: runs of the (slow) AoS row; default runs
    bool json = false;              ///< --json: print JSON instead of the table
    std::filesystem::path json_out; ///< --json-out FILE: also write the JSON there
    std::filesystem::path dir = "/tmp/colsnap-exhibit"; ///< --dir: where the files go
    std::uint64_t seed = 20240605;                      ///< --seed
    int fast_level = 1;                                 ///< --fast-level: the "fast" deflate level
    unsigned threads = 0;                    ///< --threads: deflate threads (0 = all cores)
    bool numpy = true;                       ///< --no-numpy skips the Python rows
    bool aos = true;                         ///< --no-aos skips the AoS row
    bool memory = true;                      ///< --no-memory skips the peak-RSS children
    std::string python = "/usr/bin/python3"; ///< --python
    std::filesystem::path script;            ///< --script (default: the source tree's copy)
    std::vector<std::string> only;           ///< --only KEY[,KEY...]: measure only these rows
    std::string mem_child;                   ///< --mem-child WAY (internal: one peak-RSS child)
};

/// @brief Parses argv; prints usage and exits on --help or on a bad argument.
options parse_options(int argc, char** argv);

} // namespace exhibit
