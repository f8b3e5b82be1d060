#pragma once
/// @file state.hpp
/// @brief The eat query's memory (eat_query.hpp): the food index, the window summaries and the
/// candidates of this tick. Derived from the food table and the creatures (never saved), kept
/// across ticks so that no tick touches fresh pages once the world is warm. Only eat_query/
/// reads or writes it; tests read it to compare an incremental index with a fresh one.

#include <ecosim/column.hpp>
#include <ecosim/eat_query/summary.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>

namespace ecosim {

/// @brief The x of a removed index entry: never within reach.
inline constexpr float dead_entry = std::numeric_limits<float>::infinity();

/// @brief One indexed food. The id sits with the position: a query reads it for every food
/// within reach, and an id in a parallel column was a cache miss of its own.
struct food_entry {
    float x, y; ///< x = +inf: removed
    std::uint32_t id;
};

/// @brief Spatial index of food. It holds exactly the live food (so query results never
/// depend on how or when it was built) and is maintained incrementally:
///  - the main grid: food sorted by cell (counting sort), rebuilt from the food table only when
///    it is missing (new or loaded world) or the overflow has grown past 1/16 of it;
///  - the overflow: food spawned since that rebuild, merged every tick into an index on coarse
///    cells (food_index.cpp: merge_overflow);
///  - a removed food's entry is killed in place (x = +inf: never within reach).
struct food_index_state {
    column<std::uint32_t> cell_start; ///< cells + 2 entries; cell c is [start[c], start[c+1])
    column<food_entry> cell;          ///< food in cell order
    column<float> over_x, over_y;     ///< overflow, in spawn order (+inf: removed)
    column<std::uint32_t> over_id;
    column<std::uint32_t> over_start;    ///< overflow index on coarse cells (cells + 2 entries)
    column<food_entry> over_cell;        ///< the live overflow in (coarse cell, entry) order
    column<std::uint32_t> over_cell_key; ///< the coarse cell of each entry of `over_cell`
    column<std::uint32_t> over_cell_k;   ///< the overflow entry of each entry of `over_cell`
    column<std::uint32_t> over_where;    ///< per overflow entry: its place in `over_cell`
    std::size_t over_merged = 0;         ///< overflow entries [0, over_merged) are in `over_cell`
    // the merge's buffers: new entries as cell << 32 | entry, and the merged index's next copy
    column<std::uint64_t> merge_new, merge_tmp;
    column<food_entry> merge_cell;
    column<std::uint32_t> merge_key, merge_k;
    column<std::uint32_t> entry_of_id; ///< per food id: main entry, or over_flag | overflow entry
    static constexpr std::uint32_t over_flag = 0x80000000u;
    bool ready = false;
};

/// @brief Pass 1's window summaries: per window of the summary grid, the quantized positions
/// of up to four of its food (summary.hpp); built with the first index, then kept exact as food
/// comes and goes (a window with five to list_size keeps them in a list; with more it reads
/// "full", and when food leaves a full window it is counted afresh from the index).
struct summary_state {
    column<std::uint64_t> cells;
    summary::geometry geometry;       ///< of `cells` (set with them, by the rebuild)
    column<summary::food_list> lists; ///< the food of windows with 5..list_size of it
    column<std::uint32_t> lists_free; ///< lists not in use
};

/// @brief This tick's candidates: the creature slots that may have an event, their pos_x,
/// pos_y and energy, and (pass 2) the nearest food within reach of each.
struct candidate_state {
    column<std::uint32_t> slot;
    column<float> x, y, energy;
    column<float> best_d2;         ///< squared distance to the nearest food
    column<std::uint32_t> best_id; ///< its id (no_id: none within reach)
    std::size_t count = 0;
};

/// @brief Everything the eat query keeps.
struct eat_query_state {
    food_index_state index;
    summary_state summaries;
    candidate_state candidates;
    bool always_rebuild = false; ///< test knob: rebuild the whole index every tick
    bool no_prefilter = false;   ///< test knob: skip pass 1 (every creature goes to pass 2)
};

} // namespace ecosim
