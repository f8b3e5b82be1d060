#pragma once
/// @file grid_cell.hpp
/// @brief Geometry of the food grid: side cells of width grid_cell covering [0, world_size].

#include <ecosim/config.hpp>

#include <cmath>
#include <cstdint>

namespace ecosim {

struct grid_geometry {
    float inv_cell;
    std::uint32_t side;
    explicit grid_geometry(const config& c)
        : inv_cell(1.0f / c.grid_cell),
          side(static_cast<std::uint32_t>(std::ceil(static_cast<double>(c.world_size) / c.grid_cell))) {
        if (side == 0) side = 1;
    }
    /// @brief Cell column (or row) of a coordinate, clamped to the grid.
    std::uint32_t axis(float v) const noexcept {
        const float q = v * inv_cell;
        if (!(q > 0.0f)) return 0;
        const auto k = static_cast<std::uint32_t>(q);
        return k < side ? k : side - 1;
    }
    std::uint32_t cell_of(float x, float y) const noexcept { return axis(y) * side + axis(x); }
};

} // namespace ecosim
