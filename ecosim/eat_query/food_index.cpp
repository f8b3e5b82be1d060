/// @file food_index.cpp
/// @brief The spatial index of food for the eat query (layout in state.hpp: food_index_state),
/// kept exact as food comes and goes, and brought up to date once a tick (build_food_grid,
/// system 3a). Cells are at least eat_radius wide, so a reach disk overlaps at most 2 x 2
/// cells, and the cells of one grid row are adjacent in cell order: a query reads at most two
/// ranges. Every change of the index is passed on to the window summaries (summary_index.hpp).

#include <ecosim/eat_query/eat_query.hpp>
#include <ecosim/eat_query/summary_index.hpp>
#include <ecosim/kernels/grid_cell.hpp>
#include <ecosim/kernels/prefetch.hpp>
#include <ecosim/kernels/radix_pass.hpp>
#include <ecosim/systems/systems.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ecosim {

namespace {

constexpr float dead = dead_entry;

/// Stable counting sort of (xs, ys, ids) by cell into out; start gets cells + 2 entries with
/// cell c at [start[c], start[c + 1]). Entries with x = +inf are left out.
void counting_sort(const grid_geometry& geo, const float* xs, const float* ys,
                   const std::uint32_t* ids, std::size_t n, column<std::uint32_t>& start,
                   column<food_entry>& out) {
    const std::size_t cells = std::size_t{geo.side} * geo.side;
    start.assign(cells + 2, 0);
    std::uint32_t* st = start.data();
    std::size_t live = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (xs[i] == dead) continue;
        ++st[geo.cell_of(xs[i], ys[i]) + 2];
        ++live;
    }
    for (std::size_t k = 2; k < cells + 2; ++k) st[k] += st[k - 1];
    out.resize(live);
    for (std::size_t i = 0; i < n; ++i) {
        if (xs[i] == dead) continue;
        const std::uint32_t at = st[geo.cell_of(xs[i], ys[i]) + 1]++;
        out[at] = {xs[i], ys[i], ids[i]};
    }
}

/// Stable LSD radix sort of (key << 32 | value) words by key, a byte at a time, over the
/// bytes that keys below @p keys can have.
void sort_by_key(column<std::uint64_t>& v, column<std::uint64_t>& tmp, std::size_t keys) {
    for (unsigned shift = 32; shift < 64 && (keys - 1) >> (shift - 32) != 0; shift += 8)
        radix_pass(v, tmp, [shift](std::uint64_t x) { return (x >> shift) & 0xFF; });
}

/// The overflow's coarse index brought up to date: the entries spawned since the last merge,
/// sorted by cell, are merged into it, and entries removed since are dropped. The result is
/// what a counting sort of the whole overflow gives (live entries by (cell, entry): the new
/// entries come after the old ones), at the cost of the few thousand new entries and one
/// sequential pass, instead of a counting sort of tens of thousands every tick.
void merge_overflow(world& w) {
    auto& g = w.work.eat.index;
    const grid_geometry geo = overflow_geometry(w.cfg);
    const std::size_t cells = std::size_t{geo.side} * geo.side, n = g.over_x.size();
    auto& fresh = g.merge_new;
    fresh.clear();
    for (std::size_t k = g.over_merged; k < n; ++k)
        if (g.over_x[k] != dead)
            fresh.push_back(std::uint64_t{geo.cell_of(g.over_x[k], g.over_y[k])} << 32 | k);
    sort_by_key(fresh, g.merge_tmp, cells);
    const std::size_t old = g.over_cell.size();
    g.merge_cell.resize(old + fresh.size());
    g.merge_key.resize(old + fresh.size());
    g.merge_k.resize(old + fresh.size());
    std::size_t p = 0, i = 0;
    // old entries [i, e), dropping the removed ones without a branch (each is written, and
    // overwritten by the next unless it is live)
    auto copy_old = [&](std::size_t e) {
        for (; i < e; ++i) {
            const std::uint32_t k = g.over_cell_k[i];
            g.merge_cell[p] = g.over_cell[i];
            g.merge_key[p] = g.over_cell_key[i];
            g.merge_k[p] = k;
            const bool live = g.over_cell[i].x != dead;
            g.over_where[k] = live ? static_cast<std::uint32_t>(p) : no_slot;
            p += live;
        }
    };
    for (const std::uint64_t f : fresh) { // each after the old entries of its cell
        const auto key = static_cast<std::uint32_t>(f >> 32), k = static_cast<std::uint32_t>(f);
        std::size_t e = i;
        while (e < old && g.over_cell_key[e] <= key) ++e;
        copy_old(e);
        g.merge_cell[p] = {g.over_x[k], g.over_y[k], g.over_id[k]};
        g.merge_key[p] = key;
        g.merge_k[p] = k;
        g.over_where[k] = static_cast<std::uint32_t>(p++);
    }
    copy_old(old);
    g.merge_cell.resize(p);
    g.merge_key.resize(p);
    g.merge_k.resize(p);
    g.over_cell.swap(g.merge_cell);
    g.over_cell_key.swap(g.merge_key);
    g.over_cell_k.swap(g.merge_k);
    // cell c is [start[c], start[c + 1]): start[c + 1] counts the entries of cells <= c
    g.over_start.assign(cells + 2, 0);
    std::uint32_t* st = g.over_start.data();
    for (std::size_t q = 0; q < p; ++q) ++st[g.over_cell_key[q] + 1];
    for (std::size_t c = 1; c < cells + 2; ++c) st[c] += st[c - 1];
    g.over_merged = n;
}

void rebuild(world& w) {
    auto& g = w.work.eat.index;
    const grid_geometry geo = main_geometry(w.cfg);
    const auto& f = w.food;
    counting_sort(geo, f.pos_x.data(), f.pos_y.data(), f.id.data(), f.size(), g.cell_start, g.cell);
    g.entry_of_id.assign(w.food_next_id, no_slot);
    for (std::size_t k = 0; k < g.cell.size(); ++k)
        g.entry_of_id[g.cell[k].id] = static_cast<std::uint32_t>(k);
    g.over_x.clear();
    g.over_y.clear();
    g.over_id.clear();
    g.over_where.clear();
    g.over_cell.clear();
    g.over_cell_key.clear();
    g.over_cell_k.clear();
    g.over_merged = 0;
    if (!g.ready) // the summaries are kept exact from then on (full: recounted)
        summary_build(w.work.eat.summaries, w.cfg, f.pos_x.data(), f.pos_y.data(), f.size());
    g.ready = true;
}

} // namespace

grid_geometry main_geometry(const config& c) { return grid_geometry(c, 2.0f); }

grid_geometry overflow_geometry(const config& c) { return grid_geometry(c, 4.0f); }

namespace {

/// A food (id, at x, y) joins the index: the overflow list and its summary windows.
void add_one(world& w, std::uint32_t id, float x, float y) {
    auto& g = w.work.eat.index;
    if (!g.ready) return; // the next rebuild reads the food table
    if (g.entry_of_id.size() <= id) g.entry_of_id.resize(std::size_t{id} + 1, no_slot);
    g.entry_of_id[id] = food_index_state::over_flag | static_cast<std::uint32_t>(g.over_x.size());
    g.over_x.push_back(x);
    g.over_y.push_back(y);
    g.over_id.push_back(id);
    g.over_where.push_back(no_slot); // not in the coarse index until the next merge
    auto& sm = w.work.eat.summaries;
    if (sm.geometry.usable) summary_add(sm, x, y);
}

/// The cache lines add_one(w, id, x, y) will touch.
void prefetch_addition(const world& w, std::uint32_t id, float x, float y) {
    const auto& g = w.work.eat.index;
    if (!g.ready) return;
    if (id < g.entry_of_id.size()) prefetch(&g.entry_of_id[id]);
    const auto& sm = w.work.eat.summaries;
    if (sm.geometry.usable) prefetch_windows(sm, x, y);
}

/// The cache lines remove_one(w, id) will touch, stage 0, 1 or 2 (eat_query.hpp).
void prefetch_removal(const world& w, std::uint32_t id, int stage) {
    const auto& g = w.work.eat.index;
    if (!g.ready || id >= g.entry_of_id.size()) return;
    if (stage == 0) {
        prefetch(&g.entry_of_id[id]);
        return;
    }
    const std::uint32_t e = g.entry_of_id[id];
    if (e == no_slot) return;
    const std::uint32_t k = e & ~food_index_state::over_flag;
    const bool over = (e & food_index_state::over_flag) != 0;
    if (stage == 1) {
        if (over) prefetch(&g.over_x[k]);
        else prefetch(&g.cell[k]);
    } else if (w.work.eat.summaries.geometry.usable) {
        const float x = over ? g.over_x[k] : g.cell[k].x, y = over ? g.over_y[k] : g.cell[k].y;
        prefetch_windows(w.work.eat.summaries, x, y);
    }
}

/// Food @p id leaves the index (marked dead where it is) and its summary windows.
void remove_one(world& w, std::uint32_t id) {
    auto& g = w.work.eat.index;
    if (!g.ready || id >= g.entry_of_id.size()) return;
    const std::uint32_t e = g.entry_of_id[id];
    if (e == no_slot) return;
    float x = 0.0f, y = 0.0f;
    if (e & food_index_state::over_flag) { // dead in the spawn-order list and its coarse index
        const std::uint32_t k = e & ~food_index_state::over_flag;
        x = g.over_x[k];
        y = g.over_y[k];
        g.over_x[k] = dead;
        if (const std::uint32_t at = g.over_where[k]; at != no_slot) g.over_cell[at].x = dead;
    } else {
        x = g.cell[e].x;
        y = g.cell[e].y;
        g.cell[e].x = dead;
    }
    g.entry_of_id[id] = no_slot;
    auto& sm = w.work.eat.summaries;
    if (sm.geometry.usable) summary_remove(sm, g, w.cfg, x, y);
}

} // namespace

void food_index_add_rows(world& w, std::size_t first) {
    if (!w.work.eat.index.ready) return; // the next rebuild reads the food table
    const auto& f = w.food;
    const std::size_t n = f.size();
    const std::uint32_t* id = f.id.data();
    const float* x = f.pos_x.data();
    const float* y = f.pos_y.data();
    constexpr std::size_t ahead = 16;
    for (std::size_t k = first; k < std::min(first + ahead, n); ++k)
        prefetch_addition(w, id[k], x[k], y[k]);
    for (std::size_t k = first; k < n; ++k) {
        if (k + ahead < n) prefetch_addition(w, id[k + ahead], x[k + ahead], y[k + ahead]);
        add_one(w, id[k], x[k], y[k]);
    }
}

void food_index_remove_all(world& w, const std::uint32_t* ids, std::size_t n) {
    if (!w.work.eat.index.ready) return;
    constexpr std::size_t d = 8;
    auto request = [&](std::size_t k, int stage) {
        if (k < n) prefetch_removal(w, ids[k], stage);
    };
    for (int stage = 0; stage < 3; ++stage)
        for (std::size_t k = 0; k < static_cast<std::size_t>(3 - stage) * d; ++k) request(k, stage);
    for (std::size_t k = 0; k < n; ++k) {
        request(k + 3 * d, 0);
        request(k + 2 * d, 1);
        request(k + d, 2);
        remove_one(w, ids[k]);
    }
}

void build_food_grid(world& w) {
    auto& g = w.work.eat.index;
    // merge the overflow once it passes 1/16 of the index, but not on a tick whose cleanup
    // sorts rows (spatial_sort.cpp): the two costliest steps then never share a tick (the
    // overflow is a tick larger instead; the index never changes a result)
    const std::uint64_t every = w.cfg.sort_interval, next = w.tick + 1;
    const bool sorting = every != 0 && (next % every == 0 || next % every == every / 2);
    const std::size_t limit = g.cell.size() + 1024;
    if (!g.ready || w.work.eat.always_rebuild ||
        g.over_x.size() * 16 > (sorting ? 2 * limit : limit))
        rebuild(w);
    merge_overflow(w);
}

} // namespace ecosim
