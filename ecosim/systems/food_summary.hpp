#pragma once
/// @file food_summary.hpp
/// @brief Pass 1 of the eat query: a 64-bit summary of the food in each grid cell, and the
/// filter that tests every creature against the summaries of the cells its reach box touches.
///
/// A summary holds up to four 16-bit slots, one per food of the cell: the food's position
/// quantized to 1/128 of two cells (1/8 unit at the default 8-unit cells), 7 bits per axis,
/// kept modulo 128. Two adjacent cells span exactly one period, so within the 2 x 2 cells a
/// creature reads, a quantized position stands for one place only. A creature's reach box
/// (eat_radius plus a margin for rounding) is quantized by the same monotone function, so a
/// food the exact query (next_event's pass 2) can find always lies inside it: the filter only
/// ever lets through a superset, and the world never depends on it.
///   - empty slot: 0x8080 (top bits set: never inside a box);
///   - a cell with more than four food: every bit set (`full`), which lets every creature
///     that reads it through, until the next full rebuild of the index recounts the cell.
/// At the default density a cell holds 1.2 food on average; about 0.7 % of cells are full.
///
/// The test of a summary is SWAR arithmetic on one 64-bit word, with no carry or borrow
/// crossing a byte, so that the compiler vectorises the filter (with gathers at x86-64-v3/v4).

#include <ecosim/config.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace ecosim::summary {

inline constexpr std::uint64_t empty = 0x8080808080808080ull; ///< a cell without food
inline constexpr std::uint64_t full = ~std::uint64_t{0};       ///< more than four food
inline constexpr std::uint16_t empty_slot = 0x8080;
inline constexpr std::uint64_t lanes = 0x0001000100010001ull; ///< times a u16: one per slot

/// @brief How positions are quantized, and the summary cells: a cell is 64 x 64 quanta, so the
/// cell of a position follows from its quanta (q >> 6) and a reach box's cells from its
/// corners' quanta, by one monotone function. The summary grid has the food grid's cell size,
/// shifted by `offset` and padded by a cell on each side.
struct geometry {
    float scale = 0;  ///< quanta per unit: 64 per cell, 128 (one period) per two cells
    float offset = 0; ///< whole cells added to every coordinate, so that quanta stay positive
    float reach = 0;  ///< eat_radius plus a margin well above float rounding at world_size
    std::uint32_t stride = 0; ///< cells per summary row (and rows)
    bool usable = false; ///< a reach box spans at most two cells per axis; indices fit in u32
    explicit geometry(const config& c) {
        const float cell = c.grid_cell;
        scale = 64.0f / cell;
        reach = c.eat_radius + c.eat_radius * 0x1p-6f + c.world_size * 0x1p-20f;
        offset = cell * (1.0f + std::floor(reach / cell));
        const double cells = (static_cast<double>(c.world_size) + reach + offset) / cell + 2.0;
        usable = cell > 0.0f && 2.0f * reach < cell && cells < 46000.0;
        stride = usable ? static_cast<std::uint32_t>(cells) : 0;
    }
    /// @brief Unwrapped quantum of a coordinate: monotone in v; NaN -> 0.
    std::int32_t quantum(float v) const noexcept {
        const float q = (v + offset) * scale;
        const float lo = q > 0.0f ? q : 0.0f;
        const float hi = static_cast<float>(stride - 1) * 64.0f;
        return static_cast<std::int32_t>(lo < hi ? lo : hi);
    }
    /// @brief Summary cells: stride x stride.
    std::size_t cells() const noexcept { return std::size_t{stride} * stride; }
    /// @brief The summary cell of a food at (x, y).
    std::uint32_t cell_of(float x, float y) const noexcept {
        return static_cast<std::uint32_t>(quantum(y) >> 6) * stride +
               static_cast<std::uint32_t>(quantum(x) >> 6);
    }
    /// @brief The slot of a food at (x, y).
    std::uint16_t slot(float x, float y) const noexcept {
        return static_cast<std::uint16_t>((quantum(x) & 127) | ((quantum(y) & 127) << 8));
    }
};

/// @brief Nonzero when summary @p v holds a food inside the box whose lower corner is @p lo
/// and whose per-axis room is @p room (both a u16 repeated in the four slots; room =
/// 127 - span). Per byte: (v - lo) mod 128 <= span  <=>  ((v | 0x80) - lo) & 0x7F  +
/// (127 - span) < 128, with no borrow or carry leaving the byte; a set top bit in v (empty
/// slot) fails too. Plain 64-bit arithmetic, so that the filter loop vectorises.
[[gnu::always_inline]] inline std::uint64_t holds(std::uint64_t v, std::uint64_t lo,
                                                  std::uint64_t room) noexcept {
    constexpr std::uint64_t high = 0x8080808080808080ull, low = 0x7F7F7F7F7F7F7F7Full;
    const std::uint64_t bad = ((((v | high) - lo) & low) + room) | v;
    const std::uint64_t ok = ~bad & high;
    const std::uint64_t is_full = static_cast<std::uint64_t>(v == full);
    return (ok & (ok >> 8) & 0x0080008000800080ull) | is_full;
}

/// @brief Pass 1 over rows [i0, i0 + len), len <= 512: sets pass[k] (0 or 1) for row i0 + k:
/// may it have an event (energy at a threshold, or a food of a summary inside its reach box)?
/// Requires g.usable and a summary array of g.cells() cells.
[[gnu::always_inline]] inline void filter_chunk(const geometry& g, const std::uint64_t* cells,
                                                float repro, const float* px, const float* py,
                                                const float* en, std::size_t i0, std::size_t len,
                                                std::uint32_t* pass) {
    constexpr std::size_t chunk = 512;
    alignas(64) std::uint32_t at0[chunk], at1[chunk], lo[chunk], room[chunk], use[chunk];
    const float r = g.reach, scale = g.scale;
    const float below = g.offset - r, above = g.offset + r;
    const float qtop = static_cast<float>(g.stride - 1) * 64.0f;
    const std::uint32_t stride = g.stride;
    const float* cx = px + i0;
    const float* cy = py + i0;
    const float* ce = en + i0;
    // the box of each row: its corners' quanta (geometry::quantum spelled out so that it
    // vectorises; x - r + offset is computed as x + (offset - r), the same function for food
    // and boxes is not needed: any monotone function of x - r would do, and this one is)
    for (std::size_t k = 0; k < len; ++k) {
        const float x0 = (cx[k] + below) * scale, x1 = (cx[k] + above) * scale;
        const float y0 = (cy[k] + below) * scale, y1 = (cy[k] + above) * scale;
        const float bx0 = x0 > 0.0f ? x0 : 0.0f, bx1 = x1 > 0.0f ? x1 : 0.0f;
        const float by0 = y0 > 0.0f ? y0 : 0.0f, by1 = y1 > 0.0f ? y1 : 0.0f;
        const auto qx0 = static_cast<std::int32_t>(bx0 < qtop ? bx0 : qtop);
        const auto qx1 = static_cast<std::int32_t>(bx1 < qtop ? bx1 : qtop);
        const auto qy0 = static_cast<std::int32_t>(by0 < qtop ? by0 : qtop);
        const auto qy1 = static_cast<std::int32_t>(by1 < qtop ? by1 : qtop);
        const std::int32_t gx0 = qx0 >> 6, gx1 = qx1 >> 6, gy0 = qy0 >> 6, gy1 = qy1 >> 6;
        const std::int32_t sx = qx1 - qx0, sy = qy1 - qy0;
        const float e = ce[k];
        const bool force = (gx1 - gx0 > 1) | (gy1 - gy0 > 1) | (sx > 127) | (sy > 127) |
                           (e <= 0.0f) | (e >= repro);
        at0[k] = static_cast<std::uint32_t>(gy0) * stride + static_cast<std::uint32_t>(gx0);
        at1[k] = static_cast<std::uint32_t>(gy1) * stride + static_cast<std::uint32_t>(gx0);
        lo[k] = static_cast<std::uint32_t>((qx0 & 127) | ((qy0 & 127) << 8));
        room[k] = static_cast<std::uint32_t>(((127 - (sx & 127)) & 127) | (((127 - (sy & 127)) & 127) << 8));
        use[k] = static_cast<std::uint32_t>(gx1 > gx0) | (static_cast<std::uint32_t>(gy1 > gy0) << 1) |
                 (static_cast<std::uint32_t>(force) << 2);
    }
    // the test of the (up to) four summaries; where the box does not reach a second cell or
    // row, the first one is read again instead (same cache line, same answer): no branches
    for (std::size_t k = 0; k < len; ++k) {
        const std::uint64_t l = std::uint64_t{lo[k]} * lanes, rm = std::uint64_t{room[k]} * lanes;
        const std::uint32_t u = use[k];
        const std::uint32_t a00 = at0[k], a01 = a00 + (u & 1);
        const std::uint32_t a10 = (u & 2) ? at1[k] : a00, a11 = a10 + (u & 1);
        const std::uint64_t v00 = cells[a00], v01 = cells[a01], v10 = cells[a10], v11 = cells[a11];
        const std::uint64_t h = holds(v00, l, rm) | holds(v01, l, rm) | holds(v10, l, rm) |
                                holds(v11, l, rm) | (u >> 2);
        pass[k] = static_cast<std::uint32_t>(h != 0);
    }
}

} // namespace ecosim::summary
