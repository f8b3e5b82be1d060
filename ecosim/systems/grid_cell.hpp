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
    explicit grid_geometry(const config& c)
        : inv_cell(1.0f / c.grid_cell),
          side(static_cast<std::uint32_t>(std::ceil(static_cast<double>(c.world_size) / c.grid_cell))) {
        if (side == 0) side = 1;
    }
    /// @brief Cell column (or row) of a coordinate, clamped to the grid (NaN -> 0). Branch-free:
    /// clamp in float (exact: side < 2^24), then truncate.
    std::uint32_t axis(float v) const noexcept {
        const float q = v * inv_cell;
        const float lo = q > 0.0f ? q : 0.0f;
        const float top = static_cast<float>(side - 1);
        return static_cast<std::uint32_t>(lo < top ? lo : top);
    }
    std::uint32_t cell_of(float x, float y) const noexcept { return axis(y) * side + axis(x); }
};

/// @brief Geometry of the occupancy bitmap: squares of side 2 * eat_radius.
struct occupancy_geometry {
    float inv_square;
    std::uint32_t side;
    explicit occupancy_geometry(const config& c)
        : inv_square(1.0f / (2.0f * c.eat_radius)),
          side(static_cast<std::uint32_t>(
              std::ceil(static_cast<double>(c.world_size) / (2.0 * static_cast<double>(c.eat_radius))))) {
        if (side == 0) side = 1;
    }
    std::uint32_t axis(float v) const noexcept {
        const float q = v * inv_square;
        const float lo = q > 0.0f ? q : 0.0f;
        const float top = static_cast<float>(side - 1);
        return static_cast<std::uint32_t>(lo < top ? lo : top);
    }
    std::uint64_t words() const noexcept { return (std::uint64_t{side} * side + 63) / 64; }
};

/// @brief The coarse grid of the food index's overflow (cells 4 x grid_cell).
grid_geometry overflow_geometry(const config& c);

inline bool test_bit(const std::uint64_t* bits, std::uint64_t i) noexcept {
    return (bits[i >> 6] >> (i & 63)) & 1u;
}

/// @brief Pass 1 of the eat query over rows [i0, i0 + len), len <= 512: appends to out[m..]
/// the rows that may have an event (energy at a threshold, or food possibly within reach by the
/// occupancy bitmap) and returns the new m. Food in reach lies in squares sx0..sx1 x sy0..sy1
/// (monotone rounding); that span is at most 2 x 2 except when rounding widens it, and
/// occupied's bit at (sx0, sy0) covers the 2 x 2 block. A vectorised loop computes each row's
/// square and a "candidate anyway" flag (wide span, energy at a threshold), then a scalar loop
/// tests the bits and compacts. Converts with int32: requires occ.side < 2^24.
[[gnu::always_inline]] inline std::size_t occupancy_filter_chunk(const occupancy_geometry& occ, const std::uint64_t* bits,
                                          float r, float repro, const float* px,
                                          const float* py, const float* en, std::size_t i0,
                                          std::size_t len, std::uint32_t* out, std::size_t m) {
    constexpr std::size_t chunk = 512;
    alignas(64) std::int32_t qx[chunk], qy[chunk], force[chunk];
    const float inv = occ.inv_square, top = static_cast<float>(occ.side - 1);
    const std::uint64_t side = occ.side;
    const float* cx = px + i0;
    const float* cy = py + i0;
    const float* ce = en + i0;
    for (std::size_t k = 0; k < len; ++k) {
        // occupancy_geometry::axis, spelled out so that it vectorises
        const float ax0 = (cx[k] - r) * inv, ax1 = (cx[k] + r) * inv;
        const float ay0 = (cy[k] - r) * inv, ay1 = (cy[k] + r) * inv;
        const float bx0 = ax0 > 0.0f ? ax0 : 0.0f, bx1 = ax1 > 0.0f ? ax1 : 0.0f;
        const float by0 = ay0 > 0.0f ? ay0 : 0.0f, by1 = ay1 > 0.0f ? ay1 : 0.0f;
        const auto sx0 = static_cast<std::int32_t>(bx0 < top ? bx0 : top);
        const auto sx1 = static_cast<std::int32_t>(bx1 < top ? bx1 : top);
        const auto sy0 = static_cast<std::int32_t>(by0 < top ? by0 : top);
        const auto sy1 = static_cast<std::int32_t>(by1 < top ? by1 : top);
        const float e = ce[k];
        qx[k] = sx0;
        qy[k] = sy0;
        force[k] = (sx1 - sx0 > 1) | (sy1 - sy0 > 1) | (e <= 0.0f) | (e >= repro);
    }
    for (std::size_t k = 0; k < len; ++k) {
        const std::uint64_t sq =
            static_cast<std::uint64_t>(qy[k]) * side + static_cast<std::uint64_t>(qx[k]);
        out[m] = static_cast<std::uint32_t>(i0 + k);
        m += static_cast<std::size_t>(test_bit(bits, sq)) | static_cast<std::size_t>(force[k]);
    }
    return m;
}

} // namespace ecosim
