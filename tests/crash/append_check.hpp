#pragma once
/// @file append_check.hpp
/// @brief The numpy side of the append crash tests: check_append.py loads a log with numpy,
/// checks every row against append_rows.hpp and prints the row count.

#include "subprocess.hpp"

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <test_process.hpp>

namespace colsnap_crash {

/// @brief Rows numpy loads from @p path after checking every one of them; throws
/// std::runtime_error with numpy's complaint if it cannot load them or one row is wrong.
inline std::uint64_t numpy_rows(const std::filesystem::path& path) {
    const exit_info r = run_program({test_common::python, COLSNAP_APPEND_CHECK, path.string()});
    if (!r.exited || r.code != 0) throw std::runtime_error("numpy check failed: " + r.describe());
    return std::stoull(r.out);
}

} // namespace colsnap_crash
