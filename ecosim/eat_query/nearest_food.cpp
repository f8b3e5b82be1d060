/// @file nearest_food.cpp
/// @brief Pass 2 of the eat query, in blocks: step A (no data-dependent branches) reads the
/// index ranges of every point of the block: the bounds of the main grid's rows ay0 and ay1
/// and of the overflow's (an empty second range when the box spans one row), so the
/// cell-start loads of different points overlap instead of waiting behind each other's scan
/// loops; it also requests the first entries and the next block's cell starts (candidates
/// are a few percent of the creatures, so these are cache misses). Step B scans. It is bound
/// by those misses (bench/tick/README.md lists what was tried against them).

#include <ecosim/eat_query/nearest_food.hpp>
#include <ecosim/kernels/prefetch.hpp>

#include <algorithm>

namespace ecosim {

food_index_view::food_index_view(const world& w)
    : geo(main_geometry(w.cfg)), ogeo(overflow_geometry(w.cfg)),
      start(w.work.eat.index.cell_start.data()), entries(w.work.eat.index.cell.data()),
      over_start(w.work.eat.index.over_start.data()),
      over_entries(w.work.eat.index.over_cell.data()), r(eat_reach(w.cfg)),
      r2(eat_reach(w.cfg) * eat_reach(w.cfg)) {}

namespace {

/// Keeps the minimum of (d2, id) over entries [b, e) with d2 <= best.
[[gnu::always_inline]] inline void scan(const food_entry* fe, std::uint32_t b, std::uint32_t e,
                                        float x, float y, float& best, std::uint32_t& best_id) {
    for (std::uint32_t t = b; t < e; ++t) {
        const float dx = fe[t].x - x, dy = fe[t].y - y;
        const float d2 = dx * dx + dy * dy; // +inf for a removed entry
        // better: d2 < best, or d2 == best and a lower id
        if (d2 <= best && (d2 < best || fe[t].id < best_id)) {
            best = d2;
            best_id = fe[t].id;
        }
    }
}

} // namespace

void nearest_food_one(const food_index_view& v, float x, float y, float& best,
                      std::uint32_t& best_id) {
    best = v.r2;
    best_id = no_id;
    auto rows = [&](const grid_geometry& gg, const std::uint32_t* st, const food_entry* fe) {
        const std::uint32_t ax0 = gg.axis(x - v.r), ax1 = gg.axis(x + v.r);
        const std::uint32_t ay0 = gg.axis(y - v.r), ay1 = gg.axis(y + v.r);
        for (std::uint32_t cy = ay0; cy <= ay1; ++cy) {
            const std::uint32_t row = cy * gg.side;
            scan(fe, st[row + ax0], st[row + ax1 + 1], x, y, best, best_id);
        }
    };
    rows(v.geo, v.start, v.entries);
    rows(v.ogeo, v.over_start, v.over_entries);
}

void nearest_food(const food_index_view& v, const float* xs, const float* ys, std::size_t n,
                  float* best_d2, std::uint32_t* best_id) {
    const float r = v.r;
    constexpr std::size_t block = 256;
    std::uint32_t rng_b[block][4], rng_e[block][4];
    bool wide[block]; // box over more than two rows of either grid (only when cells < 2 r)
    auto ranges = [&](const grid_geometry& gg, const std::uint32_t* st, float x, float y,
                      std::uint32_t* rb, std::uint32_t* re) {
        const std::uint32_t ax0 = gg.axis(x - r), ax1 = gg.axis(x + r);
        const std::uint32_t ay0 = gg.axis(y - r), ay1 = gg.axis(y + r);
        const std::uint32_t row0 = ay0 * gg.side, row1 = ay1 * gg.side;
        rb[0] = st[row0 + ax0];
        re[0] = st[row0 + ax1 + 1];
        const std::uint32_t b1 = st[row1 + ax0], e1 = st[row1 + ax1 + 1];
        rb[1] = b1;
        re[1] = ay1 != ay0 ? e1 : b1;
        return ay1 - ay0 > 1;
    };
    auto prefetch_starts = [&](std::size_t j) {
        const std::uint32_t ax0 = v.geo.axis(xs[j] - r);
        const std::uint32_t ay0 = v.geo.axis(ys[j] - r), ay1 = v.geo.axis(ys[j] + r);
        prefetch(v.start + std::size_t{ay0} * v.geo.side + ax0);
        prefetch(v.start + std::size_t{ay1} * v.geo.side + ax0);
    };
    for (std::size_t j = 0; j < std::min(block, n); ++j) prefetch_starts(j);
    for (std::size_t j0 = 0; j0 < n; j0 += block) {
        const std::size_t len = std::min(block, n - j0);
        for (std::size_t j = j0 + block; j < std::min(j0 + 2 * block, n); ++j) prefetch_starts(j);
        for (std::size_t k = 0; k < len; ++k) {
            const float x = xs[j0 + k], y = ys[j0 + k];
            const bool w0 = ranges(v.geo, v.start, x, y, rng_b[k], rng_e[k]);
            const bool w1 = ranges(v.ogeo, v.over_start, x, y, rng_b[k] + 2, rng_e[k] + 2);
            wide[k] = w0 | w1;
            prefetch(v.entries + rng_b[k][0]);
        }
        for (std::size_t k = 0; k < len; ++k) {
            const float x = xs[j0 + k], y = ys[j0 + k];
            float best = v.r2;
            std::uint32_t id = no_id;
            if (wide[k]) {
                nearest_food_one(v, x, y, best, id);
            } else {
                for (int q = 0; q < 4; ++q)
                    scan(q < 2 ? v.entries : v.over_entries, rng_b[k][q], rng_e[k][q], x, y, best,
                         id);
            }
            best_d2[j0 + k] = best;
            best_id[j0 + k] = id;
        }
    }
}

} // namespace ecosim
