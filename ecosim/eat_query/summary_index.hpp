#pragma once
/// @file summary_index.hpp
/// @brief Keeping pass 1's window summaries exact as food comes and goes (summary_index.cpp).
/// Internal to eat_query/: food_index.cpp calls it wherever the food index changes.

#include <ecosim/config.hpp>
#include <ecosim/eat_query/state.hpp>

#include <cstddef>

namespace ecosim {

/// @brief The summaries of @p cfg's geometry built afresh from the food at (xs[i], ys[i]).
void summary_build(summary_state& g, const config& cfg, const float* xs, const float* ys,
                   std::size_t n);
/// @brief A food at (x, y) enters the summaries of its windows. Requires g.geometry.usable.
void summary_add(summary_state& g, float x, float y);
/// @brief A food at (x, y), already dead in @p idx, leaves the summaries of its windows; a full
/// window is counted afresh from @p idx. Requires g.geometry.usable.
void summary_remove(summary_state& g, const food_index_state& idx, const config& cfg, float x,
                    float y);
/// @brief Requests the summary lines of the windows that hold a food at (x, y).
void prefetch_windows(const summary_state& g, float x, float y);

} // namespace ecosim
