#pragma once
/// @file world.hpp
/// @brief The world of docs/WORLD.md in data-oriented form: every table is a struct of equal-length
/// std::vector columns (ecosim::column<T>, a std::vector with a huge-page allocator), every index map and buffer is a column too, and the scalars sit beside
/// them. Nothing here is behaviour; the systems (systems/*.cpp) are free functions over it.

#include <ecosim/column.hpp>
#include <ecosim/config.hpp>
#include <ecosim/eat_query/state.hpp>
#include <ecosim/event_rules.hpp>
#include <ecosim/isa.hpp>
#include <ecosim/log_chain.hpp>
#include <ecosim/table.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <tuple>
#include <vector>

namespace ecosim {

/// @brief Rows (and ids) a table may hold: 2^31.
inline constexpr std::uint32_t max_rows = 0x80000000u;
/// The most food one tick may spawn (check_config bounds food_per_area_per_second by it).
inline constexpr double max_spawn_per_tick = 16777216.0;
/// @brief Marks "no target" in pending_event/target_id.
inline constexpr std::uint32_t no_id = 0xFFFFFFFFu;
/// @brief Schema written by this release (2 adds creature/hunger_buildup; 3 moves the logs'
/// rows into segment files, log_segments.hpp).
inline constexpr std::uint32_t schema_version = 3;

// The tables' columns, each X(type, name, since, width, rule, fill, doc) (table.hpp). The order
// of a list is the order of its members in a snapshot (docs/FORMAT.md).

/// creature (variable quantity, swap-remove). Also the layout of creature_to_insert.
#define ECOSIM_CREATURE_COLUMNS(X)                                                                 \
    X(std::uint32_t, id, 1, 1, any, 0, "")                                                         \
    X(std::uint32_t, gen, 1, 1, any, 0, "bumped each time the id is reused")                       \
    X(float, pos_x, 1, 1, finite, 0.0f, "")                                                        \
    X(float, pos_y, 1, 1, finite, 0.0f, "")                                                        \
    X(float, vel_x, 1, 1, finite, 0.0f, "")                                                        \
    X(float, vel_y, 1, 1, finite, 0.0f, "")                                                        \
    X(float, energy, 1, 1, finite, 0.0f, "")                                                       \
    X(double, birth_t, 1, 1, nonnegative, 0.0, "µs since start")                                   \
    X(float, hunger_buildup, 2, 1, nonnegative, 0.0f, "seconds spent hungry since the last meal")
struct creature_table {
    ECOSIM_TABLE_BODY(creature_table, ECOSIM_CREATURE_COLUMNS, id)
};

/// food (variable quantity, swap-remove).
#define ECOSIM_FOOD_COLUMNS(X)                                                                     \
    X(std::uint32_t, id, 1, 1, any, 0, "")                                                         \
    X(float, pos_x, 1, 1, finite, 0.0f, "")                                                        \
    X(float, pos_y, 1, 1, finite, 0.0f, "")                                                        \
    X(float, value, 1, 1, finite, 0.0f, "energy it gives")
struct food_table {
    ECOSIM_TABLE_BODY(food_table, ECOSIM_FOOD_COLUMNS, id)
};

/// food_spawner (constant quantity). region is an N x 4 column (x0, y0, x1, y1).
#define ECOSIM_SPAWNER_COLUMNS(X)                                                                  \
    X(std::uint8_t, id, 1, 1, any, 0, "")                                                          \
    X(float, region, 1, 4, finite, 0.0f, "4 floats per row, C order")                              \
    X(float, rate, 1, 1, nonnegative, 0.0f, "food per second")                                     \
    X(float, carry, 1, 1, fraction, 0.0f, "fraction of a food owed")
struct spawner_table {
    ECOSIM_TABLE_BODY(spawner_table, ECOSIM_SPAWNER_COLUMNS, id)
};

/// pending_event (rebuilt every tick by next_event; at a tick boundary it holds the events of
/// the tick just completed, in the (t, creature_id) order they were applied in).
#define ECOSIM_EVENT_COLUMNS(X)                                                                    \
    X(double, t, 1, 1, nonnegative, 0.0, "µs since start")                                         \
    X(std::uint8_t, kind, 1, 1, any, 0, "event_kind")                                              \
    X(std::uint32_t, creature_id, 1, 1, any, 0, "")                                                \
    X(std::uint32_t, target_id, 1, 1, any, 0, "the food of an eat, else no_id")
struct event_table {
    ECOSIM_TABLE_BODY(event_table, ECOSIM_EVENT_COLUMNS, t)
};

/// creature free ids: recycled LIFO; gen is the gen of the row that died (bumped on reuse).
#define ECOSIM_FREE_ID_COLUMNS(X)                                                                  \
    X(std::uint32_t, id, 1, 1, any, 0, "")                                                         \
    X(std::uint32_t, gen, 1, 1, any, 0, "")
struct creature_free_list {
    ECOSIM_TABLE_BODY(creature_free_list, ECOSIM_FREE_ID_COLUMNS, id)
};

/// eaten log (append-only): energy is the food value moved into the creature.
#define ECOSIM_EATEN_COLUMNS(X)                                                                    \
    X(double, t, 1, 1, nonnegative, 0.0, "")                                                       \
    X(std::uint32_t, creature_id, 1, 1, any, 0, "")                                                \
    X(std::uint32_t, food_id, 1, 1, any, 0, "")                                                    \
    X(float, energy, 1, 1, finite, 0.0f, "")
struct eaten_log {
    ECOSIM_TABLE_BODY(eaten_log, ECOSIM_EATEN_COLUMNS, t)
};
/// born log (append-only): energy is what each of the two offspring got.
#define ECOSIM_BORN_COLUMNS(X)                                                                     \
    X(double, t, 1, 1, nonnegative, 0.0, "")                                                       \
    X(std::uint32_t, parent_id, 1, 1, any, 0, "")                                                  \
    X(std::uint32_t, child_a, 1, 1, any, 0, "")                                                    \
    X(std::uint32_t, child_b, 1, 1, any, 0, "")                                                    \
    X(float, energy, 1, 1, finite, 0.0f, "")
struct born_log {
    ECOSIM_TABLE_BODY(born_log, ECOSIM_BORN_COLUMNS, t)
};
/// dead log (append-only): energy the creature had left (<= 0) when it starved.
#define ECOSIM_DEAD_COLUMNS(X)                                                                     \
    X(double, t, 1, 1, nonnegative, 0.0, "")                                                       \
    X(std::uint32_t, creature_id, 1, 1, any, 0, "")                                                \
    X(float, energy, 1, 1, finite, 0.0f, "")
struct dead_log {
    ECOSIM_TABLE_BODY(dead_log, ECOSIM_DEAD_COLUMNS, t)
};
/// population log: one row per tick (and one for the initial world, tick 0).
#define ECOSIM_POPULATION_COLUMNS(X)                                                               \
    X(std::uint64_t, tick, 1, 1, any, 0, "")                                                       \
    X(double, t, 1, 1, nonnegative, 0.0, "µs since start, at the end of the tick")                 \
    X(std::uint32_t, creatures, 1, 1, any, 0, "")                                                  \
    X(std::uint32_t, food, 1, 1, any, 0, "")
struct population_log {
    ECOSIM_TABLE_BODY(population_log, ECOSIM_POPULATION_COLUMNS, tick)
};

/// @brief next_event's events before sorting, and the radix sort's other buffer.
struct event_buffers {
    struct record {
        double t;
        std::uint32_t creature_id, target_id;
        event_kind kind;
    };
    column<record> list, tmp;
};

/// @brief The spatial sort's buffers (cleanup): destination slot per row, per-cell counters,
/// and one double buffer per column type of the sorted tables (creature, food). A column of
/// another type is one more type in the `tmp` list (buffer<T>() does not compile without it).
struct sort_buffers {
    column<std::uint32_t> dest, count;
    std::tuple<column<std::uint32_t>, column<float>, column<double>> tmp;
    /// @brief The double buffer that columns of type @p T are scattered through.
    template <typename T> column<T>& buffer() { return std::get<column<T>>(tmp); }
};

/// @brief Scratch memory of the systems, one member per owner: derived from the persisted
/// state every tick (never saved), kept across ticks so that no tick touches fresh pages once
/// the world is warm.
struct scratch {
    isa isa_level = best_isa();     ///< instruction-set level of the hot loops (same bits at any)
    eat_query_state eat;            ///< the eat query (eat_query/)
    event_buffers events;           ///< next_event
    column<float> spawn_x, spawn_y; ///< food_spawn: positions of this tick's new food
    /// apply_events: a bit per food id, set for the food eaten so far this tick ("nobody else
    /// may eat it"), cleared again before apply_events returns
    column<std::uint64_t> food_taken;
    column<std::uint32_t> hungry_select; ///< update_hungry's selection buffer (rows + 16)
    sort_buffers sort;                   ///< spatial_sort
    /// the logs' chain hashes and the last segment written (snapshot, load; log_chain.hpp);
    /// mutable: world_hash() and snapshot() of a const world advance it
    mutable log_state logs;
};

/// @brief The whole world. Everything but `work` is persisted in a snapshot.
struct world {
    config cfg;

    creature_table creature;
    creature_table creature_to_insert;        ///< cleanup buffer: rows appended at tick end
    column<std::uint32_t> creature_to_remove; ///< cleanup buffer: ids removed at tick end
    creature_free_list creature_free;
    column<std::uint32_t> creature_id_to_slot; ///< one entry per id ever issued

    food_table food;
    column<std::uint32_t> food_to_remove;
    column<std::uint32_t> food_free; ///< free food ids (recycled LIFO)
    column<std::uint32_t> food_id_to_slot;

    spawner_table food_spawner;
    event_table pending_event;
    column<std::uint32_t> hungry; ///< ids with energy < hunger_line, in slot order

    eaten_log eaten;
    born_log born;
    dead_log dead;
    population_log population;

    // scalars (meta/)
    std::uint32_t schema = schema_version;
    std::uint64_t tick = 0;             ///< completed ticks
    double clock_us = 0.0;              ///< tick * dt, in µs
    std::uint64_t rng_key = 0;          ///< the counter-based generator's key (its whole state)
    std::uint32_t creature_next_id = 0; ///< next fresh creature id
    std::uint32_t food_next_id = 0;     ///< next fresh food id

    scratch work; ///< not persisted
};

/// @brief The spawners @p cfg makes: spawners_per_side^2 squares tiling the world, each with
/// the rate food_per_area_per_second x its area and no carry. A loaded world's spawner table
/// must be this one but for carry (check_invariants).
spawner_table make_spawners(const config& cfg);

/// @brief The world at tick 0 for @p cfg (use make_config() to get a scaled default).
world create_world(const config& cfg);

/// @brief Reserves room for the variable tables to grow by half (creature, food, their cleanup
/// buffers) so that ordinary population swings never reallocate a column mid-run.
void reserve_headroom(world& w);

/// @brief Refuses a config that the world cannot run: any value NaN, infinite or out of its range,
/// or a grid_cell too small for the eat query (> 4.1 eat_radius). Throws ecosim::error
/// (errc::invalid_config) naming the field and its value.
void check_config(const config& c);

/// @brief Checks every invariant (invariants.cpp): the config (check_config), equal column
/// lengths and every value within its column's rule (table.hpp), id_to_slot exact in both
/// directions, free ids without a row, ids below next_id, buffers empty at a tick boundary, the
/// hungry table, the scalars. Throws ecosim::error (errc::invalid_config or broken_invariant)
/// naming the member on the first violation.
void check_invariants(const world& w);

/// @brief dt in µs, as used for every timestamp.
inline double dt_us(const config& c) noexcept { return c.dt * 1e6; }

} // namespace ecosim
