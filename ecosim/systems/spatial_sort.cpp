/// @file spatial_sort.cpp
/// @brief Cleanup step: reorder creature and food rows by grid cell. Rows drift out of order
/// between sorts (motion, swap-remove, appended offspring and food), so the sort runs every
/// sort_interval ticks; between sorts the tables are still nearly in order, which makes each
/// scatter below close to a sequential copy.

#include <ecosim/systems/grid_cell.hpp>
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

} // namespace

/// Sort key: blocks of 4 x 4 grid cells (row-major). Coarser than the grid keeps the counters
/// small enough for the L2 cache; within a block rows stay in their previous relative order,
/// which is plenty of locality for the queries.
grid_geometry sort_geometry(const config& c) {
    config coarse = c;
    coarse.grid_cell = c.grid_cell * 4.0f;
    return grid_geometry(coarse);
}

void spatial_sort_creatures(world& w) {
    const grid_geometry geo = sort_geometry(w.cfg);
    auto& s = w.work;
    auto& c = w.creature;
    sort_slots(geo, c.pos_x, c.pos_y, s.sort_count, s.sort_dest);
    scatter(c.id, s.tmp_u32, s.sort_dest);
    scatter(c.gen, s.tmp_u32, s.sort_dest);
    scatter(c.pos_x, s.tmp_f32, s.sort_dest);
    scatter(c.pos_y, s.tmp_f32, s.sort_dest);
    scatter(c.vel_x, s.tmp_f32, s.sort_dest);
    scatter(c.vel_y, s.tmp_f32, s.sort_dest);
    scatter(c.energy, s.tmp_f32, s.sort_dest);
    scatter(c.birth_t, s.tmp_f64, s.sort_dest);
    scatter(c.hunger_buildup, s.tmp_f32, s.sort_dest);
    for (std::size_t i = 0; i < c.size(); ++i)
        w.creature_id_to_slot[c.id[i]] = static_cast<std::uint32_t>(i);
}

void spatial_sort_food(world& w) {
    const grid_geometry geo = sort_geometry(w.cfg);
    auto& s = w.work;
    auto& f = w.food;
    sort_slots(geo, f.pos_x, f.pos_y, s.sort_count, s.sort_dest);
    scatter(f.id, s.tmp_u32, s.sort_dest);
    scatter(f.pos_x, s.tmp_f32, s.sort_dest);
    scatter(f.pos_y, s.tmp_f32, s.sort_dest);
    scatter(f.value, s.tmp_f32, s.sort_dest);
    for (std::size_t i = 0; i < f.size(); ++i)
        w.food_id_to_slot[f.id[i]] = static_cast<std::uint32_t>(i);
}

} // namespace ecosim
