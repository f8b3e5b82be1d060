#pragma once
/// @file eat_query.hpp
/// @brief The eat query: which food lies nearest within reach of each creature that may have an
/// event, for next_event. Its state (state.hpp: the food index, the window summaries, the
/// candidates) lives in world::work.eat and is touched only through this interface:
///   - the food index follows the food table: food_index_add_rows()/food_index_remove_all() where
///     food appears (food_spawn) and disappears (cleanup), build_food_grid() once a tick
///     (systems.hpp);
///   - pass 1, the window summaries (summary.hpp), runs fused into motion's loop through the
///     chunk hook of prefilter.hpp while the rows are in cache, or in find_eat_candidates();
///   - pass 2, the exact search (nearest_food.hpp), in find_eat_candidates().

#include <ecosim/world.hpp>

#include <cstddef>
#include <cstdint>

namespace ecosim {

/// @brief The food rows from @p first to the end were appended to the food table: they join
/// the index, in row order. Each addition's cache misses (the id's index map entry, its
/// summary windows) are requested some additions ahead, so that they overlap.
void food_index_add_rows(world& w, std::size_t first);
/// @brief The food @p ids[0..n) left the food table: they leave the index, in that order. The
/// misses are requested in stages some removals ahead (the id's map entry, then its index
/// entry, then the summary windows it lies in), each stage reading what the one before asked.
void food_index_remove_all(world& w, const std::uint32_t* ids, std::size_t n);

/// @brief The creatures of this tick that may have an event (every creature with an event
/// that needs no food, event_rules::food_free_event, and every one that may have food within
/// reach), in slot order, with the nearest food within reach of each.
struct eat_candidates {
    const std::uint32_t* slot;    ///< creature slots
    const float* energy;          ///< their energy
    const float* best_d2;         ///< squared distance to the nearest food within reach
    const std::uint32_t* best_id; ///< its id; no_id: none within reach
    std::size_t size;
};
/// @brief What motion's prefilter (prefilter.hpp) left for this tick, handed by step() from
/// motion() to next_event(): `ran` when it filled the candidates' slots, positions and energies
/// for the creatures as they are now (the food does not change between motion and next_event;
/// build_food_grid only re-indexes it).
struct prefilter_result {
    bool ran = false;
};

/// @brief Pass 1 (unless @p pre says motion's prefilter ran this tick) and pass 2 over the
/// creatures as they are now. Needs build_food_grid() first. Valid until the eat query is next
/// used.
eat_candidates find_eat_candidates(world& w, prefilter_result pre = {});

} // namespace ecosim
