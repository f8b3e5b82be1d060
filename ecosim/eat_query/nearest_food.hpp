#pragma once
/// @file nearest_food.hpp
/// @brief Pass 2 of the eat query: the exact nearest food within reach of each candidate,
/// read from the food index (main grid + overflow, state.hpp). The answer is the minimum of
/// (squared distance, food id) over the food with d2 <= eat_radius^2 (nearest wins, ties to
/// the lower id), so it does not depend on the order entries are visited in.

#include <ecosim/kernels/grid_cell.hpp>
#include <ecosim/world.hpp>

#include <cstddef>
#include <cstdint>

namespace ecosim {

/// @brief The food index as the eat query reads it.
struct food_index_view {
    grid_geometry geo, ogeo;    ///< main grid, overflow's coarse grid
    const std::uint32_t* start; ///< main: cell c is [start[c], start[c + 1])
    const food_entry* entries;  ///< main entries (x = +inf: removed)
    const std::uint32_t* over_start;
    const food_entry* over_entries;
    float r, r2;
    explicit food_index_view(const world& w);
};

/// @brief best_d2[j], best_id[j] for the point (xs[j], ys[j]), j < n: the nearest food
/// within reach (best_id = no_id: none; best_d2 = r2 then).
void nearest_food(const food_index_view& v, const float* xs, const float* ys, std::size_t n,
                  float* best_d2, std::uint32_t* best_id);

/// @brief The same, for one point, scanning every row of its box (any box height).
void nearest_food_one(const food_index_view& v, float x, float y, float& best_d2,
                      std::uint32_t& best_id);

} // namespace ecosim
