#pragma once
/// @file eat_query.hpp
/// @brief The eat query: which food lies nearest within reach of each creature that may have an
/// event, for next_event. Its state (state.hpp: the food index, the window summaries, the
/// candidates) lives in world::work.eat and is touched only through this interface:
///   - the food index follows the food table: food_index_add()/food_index_remove() where food
///     appears (food_spawn) and disappears (cleanup), build_food_grid() once a tick (systems.hpp);
///   - pass 1, the window summaries (summary.hpp), runs fused into motion's loop through the
///     chunk hook of prefilter.hpp while the rows are in cache, or in find_eat_candidates();
///   - pass 2, the exact search (nearest_food.hpp), in find_eat_candidates().

#include <ecosim/world.hpp>

#include <cstddef>
#include <cstdint>

namespace ecosim {

/// @brief A food (id, at x, y) appears in the food table: it joins the index.
void food_index_add(world& w, std::uint32_t id, float x, float y);
/// @brief Food @p id leaves the food table: it leaves the index.
void food_index_remove(world& w, std::uint32_t id);
/// @brief Requests the cache lines food_index_add(w, id, x, y) will touch (@p id may be no_id
/// when it is not known yet).
void food_index_prefetch_addition(const world& w, std::uint32_t id, float x, float y);
/// @brief Requests the cache lines that food_index_remove(w, id) will touch, in three stages
/// called in order some removals apart, each reading what the one before requested:
/// 0 the id's index map entry, 1 its index entry, 2 the summary windows it lies in.
void food_index_prefetch_removal(const world& w, std::uint32_t id, int stage);

/// @brief The creatures of this tick that may have an event (every creature with an event
/// that needs no food, event_rules::food_free_event, and every one that may have food within
/// reach), in slot order, with the nearest food within reach of each.
struct eat_candidates {
    const std::uint32_t* slot;   ///< creature slots
    const float* energy;         ///< their energy
    const float* best_d2;        ///< squared distance to the nearest food within reach
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
