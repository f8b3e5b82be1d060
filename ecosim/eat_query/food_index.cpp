/// @file food_index.cpp
/// @brief System 3a: the spatial index of food for the eat query (layout in world.hpp, scratch).
/// Cells are at least eat_radius wide, so a reach disk overlaps at most 2 x 2 cells, and the
/// cells of one grid row are adjacent in cell order: a query reads at most two ranges.

#include <ecosim/eat_query/summary.hpp>
#include <ecosim/kernels/grid_cell.hpp>
#include <ecosim/kernels/prefetch.hpp>
#include <ecosim/kernels/radix_pass.hpp>
#include <ecosim/systems/systems.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ecosim {

namespace {

constexpr float dead = std::numeric_limits<float>::infinity();

/// Calls f(index of the summary, wx, wy) for every window (wx, wy) that holds quanta (qx, qy).
template <typename F>
void for_each_window(const summary::geometry& sg, std::int32_t qx, std::int32_t qy, F&& f) {
    for (std::uint32_t wy = sg.first_window(qy); wy <= summary::geometry::last_window(qy); ++wy)
        for (std::uint32_t wx = sg.first_window(qx); wx <= summary::geometry::last_window(qx); ++wx)
            f(std::size_t{wy} * sg.stride + wx, wx, wy);
}

/// Slot j (0..3) of summary v set to s.
std::uint64_t with_slot(std::uint64_t v, int j, std::uint64_t s) {
    return (v & ~(std::uint64_t{0xFFFF} << (16 * j))) | (s << (16 * j));
}

/// Requests the summary lines of the windows that hold a food at (x, y).
void prefetch_windows(const scratch& g, const summary::geometry& sg, float x, float y) {
    for_each_window(sg, sg.quantum(x), sg.quantum(y), [&](std::size_t at, std::uint32_t, std::uint32_t) {
        prefetch(&g.food_summary[at]);
    });
}

/// A new list holding the four slots of inline summary @p v and slot @p s; returns its
/// summary word.
std::uint64_t spill(scratch& g, std::uint64_t v, std::uint16_t s) {
    std::uint32_t at;
    if (!g.food_lists_free.empty()) {
        at = g.food_lists_free.back();
        g.food_lists_free.pop_back();
    } else {
        at = static_cast<std::uint32_t>(g.food_lists.size());
        g.food_lists.emplace_back();
    }
    summary::food_list& l = g.food_lists[at];
    for (int j = 0; j < 4; ++j) l.slot[j] = static_cast<std::uint16_t>(v >> (16 * j));
    l.slot[4] = s;
    l.count = 5;
    return summary::list_tag | at;
}

/// The summary word of the slots [s, s + n) (n <= list_size): inline up to four, else a list.
std::uint64_t summary_of(scratch& g, const std::uint16_t* s, std::size_t n) {
    std::uint64_t v = summary::empty;
    for (std::size_t j = 0; j < n && j < 4; ++j) v = with_slot(v, static_cast<int>(j), s[j]);
    if (n <= 4) return v;
    v = spill(g, v, s[4]);
    summary::food_list& l = g.food_lists[summary::list_index(v)];
    for (std::size_t j = 5; j < n; ++j) l.slot[l.count++] = s[j];
    return v;
}

/// A food at (x, y) enters the summaries of its windows: the first empty slot of each; the
/// fifth food moves a window's slots to a list; past list_size the window becomes full.
void summary_add(scratch& g, const summary::geometry& sg, float x, float y) {
    const std::int32_t qx = sg.quantum(x), qy = sg.quantum(y);
    const std::uint16_t s = summary::geometry::slot(qx, qy);
    for_each_window(sg, qx, qy, [&](std::size_t at, std::uint32_t, std::uint32_t) {
        std::uint64_t& v = g.food_summary[at];
        if (v == summary::full) return;
        if (summary::is_list(v)) {
            summary::food_list& l = g.food_lists[summary::list_index(v)];
            if (l.count < summary::list_size) {
                l.slot[l.count++] = s;
            } else {
                g.food_lists_free.push_back(summary::list_index(v));
                v = summary::full;
            }
            return;
        }
        for (int j = 0; j < 4; ++j)
            if (((v >> (16 * j)) & 0xFFFF) == summary::empty_slot) {
                v = with_slot(v, j, s);
                return;
            }
        v = spill(g, v, s);
    });
}

/// The summary of window (wx, wy) counted afresh from the index (main grid and overflow,
/// whose removed entries are already dead): used when a food leaves a full window, which may
/// hold list_size or fewer now.
std::uint64_t recount(scratch& g, const config& cfg, std::uint32_t wx, std::uint32_t wy) {
    const summary::geometry& sg = g.summary_geometry;
    // the window's quanta, and the index cells of that range widened by a quantum (rounding)
    const auto q0x = static_cast<std::int32_t>(wx) * 64, q0y = static_cast<std::int32_t>(wy) * 64;
    const float unit = 1.0f / sg.scale;
    const float x0 = static_cast<float>(q0x - 1) * unit - sg.offset;
    const float y0 = static_cast<float>(q0y - 1) * unit - sg.offset;
    const float x1 = static_cast<float>(q0x + 65 + sg.extent) * unit - sg.offset;
    const float y1 = static_cast<float>(q0y + 65 + sg.extent) * unit - sg.offset;
    std::uint16_t slots[summary::list_size];
    std::size_t used = 0;
    auto add = [&](const scratch::food_entry& e) {
        if (e.x == dead || used > summary::list_size) return;
        const std::int32_t qx = sg.quantum(e.x), qy = sg.quantum(e.y);
        if (sg.first_window(qx) > wx || summary::geometry::last_window(qx) < wx ||
            sg.first_window(qy) > wy || summary::geometry::last_window(qy) < wy)
            return;
        if (used < summary::list_size) slots[used] = summary::geometry::slot(qx, qy);
        ++used;
    };
    auto scan = [&](const grid_geometry& gg, const std::uint32_t* st,
                    const scratch::food_entry* fe) {
        const std::uint32_t ax0 = gg.axis(x0), ax1 = gg.axis(x1);
        for (std::uint32_t cy = gg.axis(y0); cy <= gg.axis(y1); ++cy)
            for (std::uint32_t t = st[cy * gg.side + ax0]; t < st[cy * gg.side + ax1 + 1]; ++t)
                add(fe[t]);
    };
    scan(main_geometry(cfg), g.cell_start.data(), g.cell.data());
    scan(overflow_geometry(cfg), g.over_start.data(), g.over_cell.data());
    return used > summary::list_size ? summary::full : summary_of(g, slots, used);
}

/// A food at (x, y), already dead in the index, leaves the summaries of its windows; a list
/// that drops to four goes back inline; a full window is counted afresh.
void summary_remove(scratch& g, const config& cfg, float x, float y) {
    const summary::geometry& sg = g.summary_geometry;
    const std::int32_t qx = sg.quantum(x), qy = sg.quantum(y);
    const std::uint16_t s = summary::geometry::slot(qx, qy);
    for_each_window(sg, qx, qy, [&](std::size_t at, std::uint32_t wx, std::uint32_t wy) {
        std::uint64_t& v = g.food_summary[at];
        if (v == summary::full) {
            v = recount(g, cfg, wx, wy);
            return;
        }
        if (summary::is_list(v)) {
            summary::food_list& l = g.food_lists[summary::list_index(v)];
            for (std::uint32_t j = 0; j < l.count; ++j)
                if (l.slot[j] == s) {
                    l.slot[j] = l.slot[--l.count];
                    break;
                }
            if (l.count <= 4) {
                g.food_lists_free.push_back(summary::list_index(v));
                v = summary_of(g, l.slot, l.count);
            }
            return;
        }
        for (int j = 0; j < 4; ++j)
            if (((v >> (16 * j)) & 0xFFFF) == s) {
                v = with_slot(v, j, summary::empty_slot);
                return;
            }
    });
}

/// Stable counting sort of (xs, ys, ids) by cell into out; start gets cells + 2 entries with
/// cell c at [start[c], start[c + 1]). Entries with x = +inf are left out.
void counting_sort(const grid_geometry& geo, const float* xs, const float* ys,
                   const std::uint32_t* ids, std::size_t n, column<std::uint32_t>& start,
                   column<scratch::food_entry>& out) {
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
    auto& g = w.work;
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
    auto& g = w.work;
    const grid_geometry geo = main_geometry(w.cfg);
    const auto& f = w.food;
    counting_sort(geo, f.pos_x.data(), f.pos_y.data(), f.id.data(), f.size(), g.cell_start,
                  g.cell);
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
    if (!g.grid_ready) { // the summaries are kept exact from then on (full: recounted)
        const summary::geometry sg(w.cfg);
        g.summary_geometry = sg;
        g.food_summary.assign(sg.cells(), summary::empty);
        g.food_lists.clear();
        g.food_lists_free.clear();
        if (sg.usable)
            for (std::size_t i = 0; i < f.size(); ++i) summary_add(g, sg, f.pos_x[i], f.pos_y[i]);
    }
    g.grid_ready = true;
}

} // namespace

grid_geometry main_geometry(const config& c) {
    config coarse = c;
    coarse.grid_cell = c.grid_cell * 2.0f;
    return grid_geometry(coarse);
}

grid_geometry overflow_geometry(const config& c) {
    config coarse = c;
    coarse.grid_cell = c.grid_cell * 4.0f;
    return grid_geometry(coarse);
}

void food_index_add(world& w, std::uint32_t id, float x, float y) {
    auto& g = w.work;
    if (!g.grid_ready) return; // the next rebuild reads the food table
    if (g.entry_of_id.size() <= id) g.entry_of_id.resize(std::size_t{id} + 1, no_slot);
    g.entry_of_id[id] = scratch::over_flag | static_cast<std::uint32_t>(g.over_x.size());
    g.over_x.push_back(x);
    g.over_y.push_back(y);
    g.over_id.push_back(id);
    g.over_where.push_back(no_slot); // not in the coarse index until the next merge
    if (g.summary_geometry.usable) summary_add(g, g.summary_geometry, x, y);
}

void food_index_prefetch_addition(const world& w, float x, float y) {
    const summary::geometry& sg = w.work.summary_geometry;
    if (w.work.grid_ready && sg.usable) prefetch_windows(w.work, sg, x, y);
}

void food_index_prefetch_removal(const world& w, std::uint32_t id, int stage) {
    const auto& g = w.work;
    if (!g.grid_ready || id >= g.entry_of_id.size()) return;
    if (stage == 0) {
        prefetch(&g.entry_of_id[id]);
        return;
    }
    const std::uint32_t e = g.entry_of_id[id];
    if (e == no_slot) return;
    const std::uint32_t k = e & ~scratch::over_flag;
    const bool over = (e & scratch::over_flag) != 0;
    if (stage == 1) {
        if (over) prefetch(&g.over_x[k]);
        else prefetch(&g.cell[k]);
    } else if (g.summary_geometry.usable) {
        const float x = over ? g.over_x[k] : g.cell[k].x, y = over ? g.over_y[k] : g.cell[k].y;
        prefetch_windows(g, g.summary_geometry, x, y);
    }
}

void food_index_remove(world& w, std::uint32_t id) {
    auto& g = w.work;
    if (!g.grid_ready || id >= g.entry_of_id.size()) return;
    const std::uint32_t e = g.entry_of_id[id];
    if (e == no_slot) return;
    float x, y;
    if (e & scratch::over_flag) { // dead in the spawn-order list and in its coarse index
        const std::uint32_t k = e & ~scratch::over_flag;
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
    if (g.summary_geometry.usable) summary_remove(g, w.cfg, x, y);
}

void build_food_grid(world& w) {
    auto& g = w.work;
    // merge the overflow once it passes 1/16 of the index, but not on a tick whose cleanup
    // sorts rows (spatial_sort.cpp): the two costliest steps then never share a tick (the
    // overflow is a tick larger instead; the index never changes a result)
    const std::uint64_t every = w.cfg.sort_interval, next = w.tick + 1;
    const bool sorting = every != 0 && (next % every == 0 || next % every == every / 2);
    const std::size_t limit = g.cell.size() + 1024;
    if (!g.grid_ready || g.always_rebuild || g.over_x.size() * 16 > (sorting ? 2 * limit : limit))
        rebuild(w);
    merge_overflow(w);
}

} // namespace ecosim
