#pragma once
/// @file append_rows.hpp
/// @brief The rows the append kill test writes: row i of the log is four '<u8' values, each a
/// function of its index only, so that any prefix of the log can be checked without knowing
/// how the appends were batched. check_append.py computes the same values with numpy.

#include <cstdint>
#include <vector>

namespace colsnap_crash {

/// @brief Elements of one row.
inline constexpr std::uint64_t append_row_width = 4;

/// @brief Element j of row i: x ^ (x * 0x9E3779B97F4A7C15) with x = 4i + j (mod 2^64).
constexpr std::uint64_t append_value(std::uint64_t row, std::uint64_t j) {
    const std::uint64_t x = row * append_row_width + j;
    return x ^ (x * 0x9E3779B97F4A7C15ull);
}

/// @brief Rows [first, first + n) as C-order values.
inline std::vector<std::uint64_t> append_rows(std::uint64_t first, std::uint64_t n) {
    std::vector<std::uint64_t> v;
    v.reserve(n * append_row_width);
    for (std::uint64_t i = first; i < first + n; ++i)
        for (std::uint64_t j = 0; j < append_row_width; ++j) v.push_back(append_value(i, j));
    return v;
}

} // namespace colsnap_crash
