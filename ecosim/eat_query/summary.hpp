#pragma once
/// @file summary.hpp
/// @brief Pass 1 of the eat query: a 64-bit summary of the food in a window around each cell
/// of a summary grid, and the filter that tests every creature against ONE summary.
///
/// The summary grid's cells are grid_cell - 2 * reach wide (5.95 units at the defaults), and
/// the window of a cell is the cell extended by the widest reach box to the right and above,
/// so grid_cell wide: the reach box of a creature, which starts in some cell, lies entirely
/// in that cell's window. A food is summarised in every window that holds it (one to four;
/// 1.8 on average at the defaults), so each creature reads one summary, not up to four.
///
/// Positions are quantized to 64 quanta per cell, 7 bits per axis kept modulo 128: a window
/// spans fewer than 128 quanta, so inside one window a quantized position stands for one place
/// only. A creature's reach box (eat_radius plus a margin for float rounding) is quantized by
/// the same monotone function, so a food that the exact query (next_event's pass 2) can find
/// always lies inside it: the filter only ever lets through a superset, and the world never
/// depends on it. A summary holds up to four 16-bit slots (x | y << 8):
///   - empty slot: 0x8080 (top bits set: never inside a box);
///   - a window with 5..list_size food: its slots move to a food_list beside the summaries
///     and the summary reads list_tag | the list's index; the box test lets every creature
///     that reads it through, and the survivors' disk test reads the list (near_list);
///   - more food than a list holds: every bit set (`full`), which lets every creature through;
///     when food leaves a full window it is counted afresh (summary_index.cpp), so `full` means
///     exactly "more than list_size".
/// At the default density a window holds 1.2 food on average; about 0.7 % of them keep a
/// list (a third of the box test's survivors read one: without the lists all of them went
/// on to the exact search, and fewer than 3 % of those found food).
///
/// The test of a summary is SWAR arithmetic on one 64-bit word, with no carry or borrow
/// crossing a byte, so that the compiler vectorises the filter (its one load per row is an
/// emulated gather: GCC's generic tuning avoids real gathers, which are slow on Zen 4).

#include <ecosim/config.hpp>
#include <ecosim/event_rules.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace ecosim::summary {

inline constexpr std::uint64_t empty = 0x8080808080808080ull; ///< a window without food
inline constexpr std::uint64_t full = ~std::uint64_t{0};      ///< more than list_size food
/// A window with 5..list_size food keeps their slots in a food_list beside the summaries
/// (summary_state::lists, state.hpp); its summary reads list_tag | the list's index. The box test lets
/// such a window through like a full one; the disk test of the survivors reads the list.
inline constexpr std::uint64_t list_tag = 0xFFFF000000000000ull;
inline constexpr std::size_t list_size = 12;
struct alignas(32) food_list {
    std::uint16_t slot[list_size];
    std::uint32_t count;
};
/// @brief A summary that every box passes (a list or full): its top slot is all ones.
constexpr bool spilled(std::uint64_t v) noexcept { return (v >> 48) == 0xFFFF; }
constexpr bool is_list(std::uint64_t v) noexcept { return spilled(v) && v != full; }
constexpr std::uint32_t list_index(std::uint64_t v) noexcept {
    return static_cast<std::uint32_t>(v);
}
inline constexpr std::uint16_t empty_slot = 0x8080;
inline constexpr std::uint64_t lanes = 0x0001000100010001ull; ///< times a u16: one per slot

/// @brief How positions are quantized, and the summary grid (see the file's comment).
struct geometry {
    float scale = 0;          ///< quanta per unit: 64 per summary cell
    float offset = 0;         ///< added to every coordinate, so that quanta stay positive
    float reach = 0;          ///< eat_radius plus a margin well above float rounding at world_size
    std::int32_t extent = 0;  ///< quanta a window extends past its cell: the widest box span
    std::uint32_t stride = 0; ///< cells per summary row (and rows)
    bool usable = false;      ///< windows narrower than a period; indices fit in u32
    geometry() = default;
    explicit geometry(const config& c) {
        const float r = eat_reach(c);
        reach = r + r * 0x1p-6f + c.world_size * 0x1p-20f;
        const double cell = static_cast<double>(c.grid_cell) - 2.0 * reach;
        if (!(cell > 2.0 * reach)) return; // a window must be narrower than two cells
        scale = static_cast<float>(64.0 / cell);
        extent = static_cast<std::int32_t>(std::ceil(2.0 * reach * scale)) + 2;
        offset = static_cast<float>(cell * (1.0 + std::ceil(reach / cell)));
        const double cells = (static_cast<double>(c.world_size) + reach + offset) / cell + 3.0;
        usable = extent < 64 && cells < 46000.0;
        stride = usable ? static_cast<std::uint32_t>(cells) : 0;
    }
    /// @brief Unwrapped quantum of a coordinate: monotone in v; NaN -> 0.
    std::int32_t quantum(float v) const noexcept { return quantum_at(v, offset); }
    /// @brief quantum() of v with @p shift in place of offset (offset -+ reach: a reach box's
    /// corners; x + (offset - r) differs from (x - r) + offset by rounding far below the
    /// margin in reach). Branch-free, so that loops over rows vectorise.
    [[gnu::always_inline]] std::int32_t quantum_at(float v, float shift) const noexcept {
        const float q = (v + shift) * scale;
        const float lo = q > 0.0f ? q : 0.0f;
        const float hi = static_cast<float>(stride - 2) * 64.0f;
        return static_cast<std::int32_t>(lo < hi ? lo : hi);
    }
    /// @brief Summary cells: stride x stride.
    std::size_t cells() const noexcept { return std::size_t{stride} * stride; }
    /// @brief The cells whose windows hold quantum q, along one axis: [first, last].
    std::uint32_t first_window(std::int32_t q) const noexcept {
        // window w holds quanta 64 w .. 64 w + 63 + extent (a box starting in cell w)
        const std::int32_t w = (q - extent) >> 6; // arithmetic shift: floor
        return static_cast<std::uint32_t>(w > 0 ? w : 0);
    }
    static std::uint32_t last_window(std::int32_t q) noexcept {
        return static_cast<std::uint32_t>(q >> 6);
    }
    /// @brief The slot of a food at quanta (qx, qy).
    static std::uint16_t slot(std::int32_t qx, std::int32_t qy) noexcept {
        return static_cast<std::uint16_t>((qx & 127) | ((qy & 127) << 8));
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
    const auto is_full = static_cast<std::uint64_t>(spilled(v));
    return (ok & (ok >> 8) & 0x0080008000800080ull) | is_full;
}

/// @brief Pass 1's per-row inputs: a row's box (window, corner, span) and whether it is a
/// candidate anyway, for rows of one chunk (at most 512).
struct boxes {
    static constexpr std::size_t chunk = 512;
    alignas(64) std::uint32_t at[chunk], lo[chunk], room[chunk], force[chunk];
};

/// @brief The box of row k at (x, y) with energy e, into @p b (vectorisable; inline so that the
/// prefilter, prefilter.hpp, computes it in motion's loop on values still in registers). A row
/// with an event that needs no food (event_rules::food_free_event) is forced through.
[[gnu::always_inline]] inline void box_of(const geometry& g, const event_rules& rules, float x,
                                          float y, float e, std::size_t k, boxes& b) {
    const float below = g.offset - g.reach, above = g.offset + g.reach;
    const std::int32_t qx0 = g.quantum_at(x, below), qx1 = g.quantum_at(x, above);
    const std::int32_t qy0 = g.quantum_at(y, below), qy1 = g.quantum_at(y, above);
    const std::int32_t sx = qx1 - qx0, sy = qy1 - qy0;
    b.force[k] =
        static_cast<std::uint32_t>((sx > g.extent) | (sy > g.extent) | rules.food_free_event(e));
    b.at[k] =
        static_cast<std::uint32_t>(qy0 >> 6) * g.stride + static_cast<std::uint32_t>(qx0 >> 6);
    b.lo[k] = static_cast<std::uint32_t>((qx0 & 127) | ((qy0 & 127) << 8));
    b.room[k] = static_cast<std::uint32_t>(((127 - sx) & 127) | (((127 - sy) & 127) << 8));
}

/// @brief What the disk test needs of a row at (x, y): its box's lower corner (exactly as
/// box_of() computes it) and its centre, in quanta, and the reach squared.
struct disk_probe {
    std::int32_t qx0, qy0;
    float cx, cy, limit;
};
[[gnu::always_inline]] inline disk_probe probe(const geometry& g, float x, float y) noexcept {
    const float below = g.offset - g.reach, reach = g.reach * g.scale;
    return {g.quantum_at(x, below), g.quantum_at(y, below), (x + g.offset) * g.scale,
            (y + g.offset) * g.scale, reach * reach};
}

/// @brief May the food of slot @p s (16 bits; an empty slot never) lie within reach of the
/// row of @p p? Compares the distance from the row to the food's quantum square with the
/// reach (which carries the margins). Branch-free.
[[gnu::always_inline]] inline bool slot_near(const disk_probe& p, std::uint32_t s) noexcept {
    // the food's quantum, unwrapped next to the box corner (a window spans < 128 quanta)
    const auto ux = ((s & 127u) - static_cast<std::uint32_t>(p.qx0)) & 127u;
    const auto uy = (((s >> 8) & 127u) - static_cast<std::uint32_t>(p.qy0)) & 127u;
    const auto fx = static_cast<float>(p.qx0 + static_cast<std::int32_t>(ux));
    const auto fy = static_cast<float>(p.qy0 + static_cast<std::int32_t>(uy));
    // distance to the square [fx, fx + 1] x [fy, fy + 1] along each axis (0 inside)
    const float lx = fx - p.cx, hx = p.cx - (fx + 1.0f), ly = fy - p.cy, hy = p.cy - (fy + 1.0f);
    const float mx = lx > hx ? lx : hx, my = ly > hy ? ly : hy;
    const float dx = mx > 0.0f ? mx : 0.0f, dy = my > 0.0f ? my : 0.0f;
    return ((s & 0x8080u) == 0) & (dx * dx + dy * dy <= p.limit); // 0x80 bits: empty slot
}

/// @brief The finer test of a row that passed test_boxes(): may a food of summary @p v lie
/// within reach of (x, y)? The box is 4.6 units^2 around a 3.1 units^2 disk, so most rows
/// that pass the box test hold a food in a corner. Conservative like the box test; a list or
/// full summary passes (a list is read by near_list()). Vectorises over the survivors.
[[gnu::always_inline]] inline bool near_disk(const geometry& g, std::uint64_t v, float x,
                                             float y) noexcept {
    const disk_probe p = probe(g, x, y);
    bool any = spilled(v);
    for (int j = 0; j < 4; ++j)
        any |= slot_near(p, static_cast<std::uint32_t>(v >> (16 * j)) & 0xFFFFu);
    return any;
}

/// @brief near_disk() for a window whose food is in list @p l.
inline bool near_list(const geometry& g, const food_list& l, float x, float y) noexcept {
    const disk_probe p = probe(g, x, y);
    bool any = false;
    for (std::uint32_t j = 0; j < l.count; ++j) any |= slot_near(p, l.slot[j]);
    return any;
}

/// @brief pass[k] (0 or 1) for the first len rows of @p b: may the row have an event (energy
/// at a threshold, or a food of its window's summary inside its reach box)? Requires a summary
/// array of g.cells() cells.
[[gnu::always_inline]] inline void test_boxes(const std::uint64_t* cells, const boxes& b,
                                              std::size_t len, std::uint32_t* pass) {
    for (std::size_t k = 0; k < len; ++k) {
        const std::uint64_t l = std::uint64_t{b.lo[k]} * lanes,
                            rm = std::uint64_t{b.room[k]} * lanes;
        pass[k] = static_cast<std::uint32_t>((holds(cells[b.at[k]], l, rm) | b.force[k]) != 0);
    }
}

/// @brief Pass 1 over rows [i0, i0 + len), len <= 512, into pass[0..len). Requires g.usable.
[[gnu::always_inline]] inline void filter_chunk(const geometry& g, const std::uint64_t* cells,
                                                const event_rules& rules, const float* px,
                                                const float* py, const float* en, std::size_t i0,
                                                std::size_t len, std::uint32_t* pass) {
    boxes b; // NOLINT(cppcoreguidelines-pro-type-member-init): box_of fills rows [0, len)
    for (std::size_t k = 0; k < len; ++k)
        box_of(g, rules, px[i0 + k], py[i0 + k], en[i0 + k], k, b);
    test_boxes(cells, b, len, pass);
}

} // namespace ecosim::summary
