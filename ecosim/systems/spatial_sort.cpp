/// @file spatial_sort.cpp
/// @brief Cleanup step: reorder creature and food rows by grid cell. Rows drift out of order
/// between sorts (motion, swap-remove, appended offspring and food), so the sort runs every
/// sort_interval ticks; between sorts the tables are still nearly in order, which makes each
/// scatter below close to a sequential copy.

#include <ecosim/kernels/grid_cell.hpp>
#include <ecosim/systems/systems.hpp>

#include <utility>

namespace ecosim {

namespace {

/// dest[i] = new slot of row i: stable counting sort of rows by cell.
void sort_slots(const grid_geometry& geo, const column<float>& xs, const column<float>& ys,
                column<std::uint32_t>& count, column<std::uint32_t>& dest) {
    const std::size_t n = xs.size();
    const std::size_t cells = std::size_t{geo.side} * geo.side;
    count.assign(cells + 1, 0);
    dest.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t c = geo.cell_of(xs[i], ys[i]);
        dest[i] = c;
        ++count[c + 1];
    }
    for (std::size_t c = 1; c <= cells; ++c) count[c] += count[c - 1];
    for (std::size_t i = 0; i < n; ++i) dest[i] = count[dest[i]]++;
}

template <typename T>
void scatter(column<T>& col, column<T>& tmp, const column<std::uint32_t>& dest) {
    const std::size_t n = col.size();
    // the world gets tmp's buffer: give it the column's capacity, so that later appends do not
    // reallocate (and touch fresh pages) just because a sort happened
    if (tmp.capacity() < col.capacity()) tmp.reserve(col.capacity());
    tmp.resize(n);
    for (std::size_t i = 0; i < n; ++i) tmp[dest[i]] = col[i];
    col.swap(tmp);
}

/// Sort key: blocks of 4 x 4 grid cells (row-major). Coarser than the grid keeps the counters
/// small enough for the L2 cache; within a block rows stay in their previous relative order,
/// which is plenty of locality for the queries.
grid_geometry sort_geometry(const config& c) { return grid_geometry(c, 4.0f); }

/// Sorts the rows of @p t (a table with id, pos_x and pos_y) and rewrites @p id_to_slot.
template <typename Table> void sort_table(world& w, Table& t, column<std::uint32_t>& id_to_slot) {
    auto& s = w.work.sort;
    sort_slots(sort_geometry(w.cfg), t.pos_x, t.pos_y, s.count, s.dest);
    Table::for_each_column([&](auto def) {
        using T = typename decltype(def)::value_type;
        scatter(t.*def.member, s.template buffer<T>(), s.dest);
    });
    for (std::size_t i = 0; i < t.size(); ++i) id_to_slot[t.id[i]] = static_cast<std::uint32_t>(i);
}

} // namespace

void spatial_sort_creatures(world& w) { sort_table(w, w.creature, w.creature_id_to_slot); }

void spatial_sort_food(world& w) { sort_table(w, w.food, w.food_id_to_slot); }

} // namespace ecosim
