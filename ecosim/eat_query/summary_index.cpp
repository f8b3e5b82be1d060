/// @file summary_index.cpp
/// @brief Maintenance of pass 1's window summaries (summary.hpp) as food comes and goes: a
/// food enters or leaves the summary of every window that holds it; a fifth food moves a
/// window's slots to a list, past list_size the window reads full, and a full window that
/// loses a food is counted afresh from the food index.

#include <ecosim/eat_query/summary_index.hpp>
#include <ecosim/kernels/grid_cell.hpp>
#include <ecosim/kernels/prefetch.hpp>

namespace ecosim {

namespace {

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

/// A new list holding the four slots of inline summary @p v and slot @p s; returns its
/// summary word.
std::uint64_t spill(summary_state& g, std::uint64_t v, std::uint16_t s) {
    std::uint32_t at = 0;
    if (!g.lists_free.empty()) {
        at = g.lists_free.back();
        g.lists_free.pop_back();
    } else {
        at = static_cast<std::uint32_t>(g.lists.size());
        g.lists.emplace_back();
    }
    summary::food_list& l = g.lists[at];
    for (int j = 0; j < 4; ++j) l.slot[j] = static_cast<std::uint16_t>(v >> (16 * j));
    l.slot[4] = s;
    l.count = 5;
    return summary::list_tag | at;
}

/// The summary word of the slots [s, s + n) (n <= list_size): inline up to four, else a list.
std::uint64_t summary_of(summary_state& g, const std::uint16_t* s, std::size_t n) {
    std::uint64_t v = summary::empty;
    for (std::size_t j = 0; j < n && j < 4; ++j) v = with_slot(v, static_cast<int>(j), s[j]);
    if (n <= 4) return v;
    v = spill(g, v, s[4]);
    summary::food_list& l = g.lists[summary::list_index(v)];
    for (std::size_t j = 5; j < n; ++j) l.slot[l.count++] = s[j];
    return v;
}

/// The summary of window (wx, wy) counted afresh from the index (main grid and overflow,
/// whose removed entries are already dead): used when a food leaves a full window, which may
/// hold list_size or fewer now.
std::uint64_t recount(summary_state& g, const food_index_state& idx, const config& cfg,
                      std::uint32_t wx, std::uint32_t wy) {
    const summary::geometry& sg = g.geometry;
    // the window's quanta, and the index cells of that range widened by a quantum (rounding)
    const auto q0x = static_cast<std::int32_t>(wx) * 64, q0y = static_cast<std::int32_t>(wy) * 64;
    const float unit = 1.0f / sg.scale;
    const float x0 = static_cast<float>(q0x - 1) * unit - sg.offset;
    const float y0 = static_cast<float>(q0y - 1) * unit - sg.offset;
    const float x1 = static_cast<float>(q0x + 65 + sg.extent) * unit - sg.offset;
    const float y1 = static_cast<float>(q0y + 65 + sg.extent) * unit - sg.offset;
    std::uint16_t slots[summary::list_size];
    std::size_t used = 0;
    auto add = [&](const food_entry& e) {
        if (e.x == dead_entry || used > summary::list_size) return;
        const std::int32_t qx = sg.quantum(e.x), qy = sg.quantum(e.y);
        if (sg.first_window(qx) > wx || summary::geometry::last_window(qx) < wx ||
            sg.first_window(qy) > wy || summary::geometry::last_window(qy) < wy)
            return;
        if (used < summary::list_size) slots[used] = summary::geometry::slot(qx, qy);
        ++used;
    };
    auto scan = [&](const grid_geometry& gg, const std::uint32_t* st, const food_entry* fe) {
        const std::uint32_t ax0 = gg.axis(x0), ax1 = gg.axis(x1);
        for (std::uint32_t cy = gg.axis(y0); cy <= gg.axis(y1); ++cy)
            for (std::uint32_t t = st[cy * gg.side + ax0]; t < st[cy * gg.side + ax1 + 1]; ++t)
                add(fe[t]);
    };
    scan(main_geometry(cfg), idx.cell_start.data(), idx.cell.data());
    scan(overflow_geometry(cfg), idx.over_start.data(), idx.over_cell.data());
    return used > summary::list_size ? summary::full : summary_of(g, slots, used);
}

} // namespace

// Requests the summary lines of the windows that hold a food at (x, y).
void prefetch_windows(const summary_state& g, float x, float y) {
    const summary::geometry& sg = g.geometry;
    for_each_window(sg, sg.quantum(x), sg.quantum(y),
                    [&](std::size_t at, std::uint32_t, std::uint32_t) { prefetch(&g.cells[at]); });
}

/// A food at (x, y) enters the summaries of its windows: the first empty slot of each; the
/// fifth food moves a window's slots to a list; past list_size the window becomes full.
void summary_add(summary_state& g, float x, float y) {
    const summary::geometry& sg = g.geometry;
    const std::int32_t qx = sg.quantum(x), qy = sg.quantum(y);
    const std::uint16_t s = summary::geometry::slot(qx, qy);
    for_each_window(sg, qx, qy, [&](std::size_t at, std::uint32_t, std::uint32_t) {
        std::uint64_t& v = g.cells[at];
        if (v == summary::full) return;
        if (summary::is_list(v)) {
            summary::food_list& l = g.lists[summary::list_index(v)];
            if (l.count < summary::list_size) {
                l.slot[l.count++] = s;
            } else {
                g.lists_free.push_back(summary::list_index(v));
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

/// A food at (x, y), already dead in the index, leaves the summaries of its windows; a list
/// that drops to four goes back inline; a full window is counted afresh.
void summary_remove(summary_state& g, const food_index_state& idx, const config& cfg, float x,
                    float y) {
    const summary::geometry& sg = g.geometry;
    const std::int32_t qx = sg.quantum(x), qy = sg.quantum(y);
    const std::uint16_t s = summary::geometry::slot(qx, qy);
    for_each_window(sg, qx, qy, [&](std::size_t at, std::uint32_t wx, std::uint32_t wy) {
        std::uint64_t& v = g.cells[at];
        if (v == summary::full) {
            v = recount(g, idx, cfg, wx, wy);
            return;
        }
        if (summary::is_list(v)) {
            summary::food_list& l = g.lists[summary::list_index(v)];
            for (std::uint32_t j = 0; j < l.count; ++j)
                if (l.slot[j] == s) {
                    l.slot[j] = l.slot[--l.count];
                    break;
                }
            if (l.count <= 4) {
                g.lists_free.push_back(summary::list_index(v));
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

void summary_build(summary_state& g, const config& cfg, const float* xs, const float* ys,
                   std::size_t n) {
    g.geometry = summary::geometry(cfg);
    g.cells.assign(g.geometry.cells(), summary::empty);
    g.lists.clear();
    g.lists_free.clear();
    if (g.geometry.usable)
        for (std::size_t i = 0; i < n; ++i) summary_add(g, xs[i], ys[i]);
}

} // namespace ecosim
