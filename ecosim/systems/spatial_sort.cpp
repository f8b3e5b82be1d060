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
void sort_slots(const grid_geometry& geo, const std::vector<float>& xs, const std::vector<float>& ys,
                std::vector<std::uint32_t>& count, std::vector<std::uint32_t>& dest) {
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
void scatter(std::vector<T>& col, std::vector<T>& tmp, const std::vector<std::uint32_t>& dest) {
    const std::size_t n = col.size();
    tmp.resize(n);
    for (std::size_t i = 0; i < n; ++i) tmp[dest[i]] = col[i];
    col.swap(tmp);
}

} // namespace

void spatial_sort(world& w) {
    const grid_geometry geo(w.cfg);
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
