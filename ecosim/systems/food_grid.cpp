/// @file food_grid.cpp
/// @brief System 3a: the spatial grid of food for the eat query (counting sort by cell, into
/// buffers reused from tick to tick). Cells are at least eat_radius wide, so a reach disk
/// overlaps at most 2 x 2 cells.

#include <ecosim/systems/grid_cell.hpp>
#include <ecosim/systems/systems.hpp>

#include <algorithm>
#include <cmath>

namespace ecosim {

void build_food_grid(world& w) {
    auto& g = w.work;
    const grid_geometry geo(w.cfg);
    g.grid_side = geo.side;
    const std::size_t cells = std::size_t{geo.side} * geo.side;
    g.cell_start.assign(cells + 2, 0);
    const auto& f = w.food;
    const std::size_t n = f.size();
    const float* fx = f.pos_x.data();
    const float* fy = f.pos_y.data();
    std::uint32_t* start = g.cell_start.data();
    const occupancy_geometry occ(w.cfg);
    g.occ_side = occ.side;
    g.occupied.assign(occ.words(), 0);
    std::uint64_t* bits = g.occupied.data();
    for (std::size_t i = 0; i < n; ++i) {
        ++start[geo.cell_of(fx[i], fy[i]) + 2];
        const std::uint64_t sq = std::uint64_t{occ.axis(fy[i])} * occ.side + occ.axis(fx[i]);
        bits[sq >> 6] |= std::uint64_t{1} << (sq & 63);
    }
    for (std::size_t k = 2; k < cells + 2; ++k) start[k] += start[k - 1];
    g.cell_x.resize(n);
    g.cell_y.resize(n);
    g.cell_id.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t at = start[geo.cell_of(fx[i], fy[i]) + 1]++;
        g.cell_x[at] = fx[i];
        g.cell_y[at] = fy[i];
        g.cell_id[at] = f.id[i];
    }
    // now food of cell c is [start[c], start[c + 1])
}

} // namespace ecosim
