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
#include <ecosim/systems/grid_cell.hpp>

#include <cstddef>
#include <cstdint>

namespace ecosim::summary {

inline constexpr std::uint64_t empty = 0x8080808080808080ull; ///< a cell without food
inline constexpr std::uint64_t full = ~std::uint64_t{0};       ///< more than four food
inline constexpr std::uint16_t empty_slot = 0x8080;
inline constexpr std::uint64_t lanes = 0x0001000100010001ull; ///< times a u16: one per slot

/// @brief How positions are quantized for the summaries of the food grid of config @p c.
struct geometry {
    float scale = 0;  ///< quanta per unit: 128 per two cells
    float offset = 0; ///< a whole number of periods, so that every coordinate maps above 0
    float reach = 0;  ///< eat_radius plus a margin well above float rounding at world_size
    bool usable = false; ///< quanta fit in int32 and a box spans at most two cells per axis
    explicit geometry(const config& c) {
        const float cell = c.grid_cell;
        scale = 64.0f / cell;
        reach = c.eat_radius + c.eat_radius * 0x1p-6f + c.world_size * 0x1p-20f;
        const float period = 2.0f * cell;
        offset = period * (1.0f + static_cast<float>(static_cast<std::uint32_t>(reach / period)));
        usable = cell > 0.0f && 2.0f * reach < cell && c.world_size / cell < 46000.0f && // u32 cells
                 (c.world_size + 2.0f * offset) * scale < 1073741824.0f; // 2^30
    }
    /// @brief Unwrapped quantum of a coordinate: monotone in v; NaN -> 0.
    std::int32_t quantum(float v) const noexcept {
        const float q = (v + offset) * scale;
        const float lo = q > 0.0f ? q : 0.0f;
        return static_cast<std::int32_t>(lo < 1073741824.0f ? lo : 1073741824.0f);
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

/// @brief Pass 1 over rows [i0, i0 + len), len <= 512: appends to out[m..] the rows that may
/// have an event (energy at a threshold, or a food of a summary inside the reach box) and
/// returns the new m. Requires g.usable and a summary array of side * side + 1 cells (the
/// last one empty: a box in the last cell also reads its right neighbour).
[[gnu::always_inline]] inline std::size_t filter_chunk(const grid_geometry& grid,
                                                       const geometry& g,
                                                       const std::uint64_t* cells, float repro,
                                                       const float* px, const float* py,
                                                       const float* en, std::size_t i0,
                                                       std::size_t len, std::uint32_t* out,
                                                       std::size_t m) {
    constexpr std::size_t chunk = 512;
    alignas(64) std::uint32_t at0[chunk], at1[chunk], lo[chunk], room[chunk], use[chunk];
    const float r = g.reach, inv = grid.inv_cell, top = static_cast<float>(grid.side - 1);
    const float qtop = 1073741824.0f;
    const std::uint32_t side = grid.side;
    const float* cx = px + i0;
    const float* cy = py + i0;
    const float* ce = en + i0;
    // the box of each row: its cells (grid_geometry::axis spelled out so that it vectorises)
    // and its quantized corner and span
    for (std::size_t k = 0; k < len; ++k) {
        const float x0 = cx[k] - r, x1 = cx[k] + r, y0 = cy[k] - r, y1 = cy[k] + r;
        const float ax0 = x0 * inv, ax1 = x1 * inv, ay0 = y0 * inv, ay1 = y1 * inv;
        const float bx0 = ax0 > 0.0f ? ax0 : 0.0f, bx1 = ax1 > 0.0f ? ax1 : 0.0f;
        const float by0 = ay0 > 0.0f ? ay0 : 0.0f, by1 = ay1 > 0.0f ? ay1 : 0.0f;
        const auto gx0 = static_cast<std::uint32_t>(static_cast<std::int32_t>(bx0 < top ? bx0 : top));
        const auto gx1 = static_cast<std::uint32_t>(static_cast<std::int32_t>(bx1 < top ? bx1 : top));
        const auto gy0 = static_cast<std::uint32_t>(static_cast<std::int32_t>(by0 < top ? by0 : top));
        const auto gy1 = static_cast<std::uint32_t>(static_cast<std::int32_t>(by1 < top ? by1 : top));
        const float qx0f = (x0 + g.offset) * g.scale, qx1f = (x1 + g.offset) * g.scale;
        const float qy0f = (y0 + g.offset) * g.scale, qy1f = (y1 + g.offset) * g.scale;
        const float ux0 = qx0f > 0.0f ? qx0f : 0.0f, ux1 = qx1f > 0.0f ? qx1f : 0.0f;
        const float uy0 = qy0f > 0.0f ? qy0f : 0.0f, uy1 = qy1f > 0.0f ? qy1f : 0.0f;
        const auto qx0 = static_cast<std::int32_t>(ux0 < qtop ? ux0 : qtop);
        const auto qx1 = static_cast<std::int32_t>(ux1 < qtop ? ux1 : qtop);
        const auto qy0 = static_cast<std::int32_t>(uy0 < qtop ? uy0 : qtop);
        const auto qy1 = static_cast<std::int32_t>(uy1 < qtop ? uy1 : qtop);
        const std::int32_t sx = qx1 - qx0, sy = qy1 - qy0;
        const float e = ce[k];
        const bool force = (gx1 - gx0 > 1) | (gy1 - gy0 > 1) | (sx > 127) | (sy > 127) |
                           (e <= 0.0f) | (e >= repro);
        at0[k] = gy0 * side + gx0;
        at1[k] = gy1 * side + gx0;
        lo[k] = static_cast<std::uint32_t>((qx0 & 127) | ((qy0 & 127) << 8));
        room[k] = static_cast<std::uint32_t>(((127 - (sx & 127)) & 127) | (((127 - (sy & 127)) & 127) << 8));
        use[k] = static_cast<std::uint32_t>(gx1 > gx0) | (static_cast<std::uint32_t>(gy1 > gy0) << 1) |
                 (static_cast<std::uint32_t>(force) << 2);
    }
    // the test of the (up to) four summaries; a second cell or row outside the box is read
    // all the same (branch-free) and its answer dropped
    alignas(64) std::uint32_t pass[chunk];
    for (std::size_t k = 0; k < len; ++k) {
        const std::uint64_t l = std::uint64_t{lo[k]} * lanes, rm = std::uint64_t{room[k]} * lanes;
        const std::uint64_t u = use[k];
        const std::uint64_t second_cell = 0 - (u & 1), second_row = 0 - ((u >> 1) & 1);
        const std::uint64_t a0 = at0[k], a1 = at1[k];
        const std::uint64_t h = holds(cells[a0], l, rm) |
                                (holds(cells[a0 + 1], l, rm) & second_cell) |
                                (holds(cells[a1], l, rm) & second_row) |
                                (holds(cells[a1 + 1], l, rm) & second_cell & second_row) |
                                (u >> 2);
        pass[k] = static_cast<std::uint32_t>(h != 0);
    }
    for (std::size_t k = 0; k < len; ++k) { // branch-free: every row written, few kept
        out[m] = static_cast<std::uint32_t>(i0 + k);
        m += pass[k];
    }
    return m;
}

} // namespace ecosim::summary
