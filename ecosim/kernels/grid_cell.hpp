#pragma once
/// @file grid_cell.hpp
/// @brief Geometry of the food grid: side cells of width grid_cell covering [0, world_size].

#include <ecosim/config.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace ecosim {

struct grid_geometry {
    float inv_cell;
    std::uint32_t side;
    /// @brief Cells of @p scale x grid_cell over [0, world_size].
    explicit grid_geometry(const config& c, float scale = 1.0f) {
        const float cell = c.grid_cell * scale;
        inv_cell = 1.0f / cell;
        side = static_cast<std::uint32_t>(std::ceil(static_cast<double>(c.world_size) / cell));
        if (side == 0) side = 1;
    }
    /// @brief Cell column (or row) of a coordinate, clamped to the grid (NaN -> 0). Branch-free:
    /// clamp in float (exact: side < 2^24), then truncate.
    std::uint32_t axis(float v) const noexcept {
        const float q = v * inv_cell;
        const float lo = q > 0.0f ? q : 0.0f;
        const auto top = static_cast<float>(side - 1);
        return static_cast<std::uint32_t>(lo < top ? lo : top);
    }
    std::uint32_t cell_of(float x, float y) const noexcept { return axis(y) * side + axis(x); }
};

/// @brief The food index's main grid: cells 2 x grid_cell (a cell's few entries share a cache
/// line or two, and the cell starts fit a quarter of the memory; measured ~0.2 ms faster per
/// tick at 1 M creatures than cells of grid_cell).
grid_geometry main_geometry(const config& c);
/// @brief The coarse grid of the food index's overflow (cells 4 x grid_cell).
grid_geometry overflow_geometry(const config& c);

} // namespace ecosim
