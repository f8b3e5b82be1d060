#pragma once
/// @file systems.hpp
/// @brief The systems of one tick (docs/WORLD.md "One tick"), one per file, in the order step() runs
/// them. Each is a free function over the world's tables.

#include <ecosim/eat_query/eat_query.hpp>
#include <ecosim/ids.hpp>
#include <ecosim/world.hpp>

namespace ecosim {

/// @brief 1. Each spawner owes rate * dt food; whole units appear at random points of its
/// region (appended to food right away: spawn runs at the tick boundary, before any reader).
void food_spawn(world& w);
/// @brief 2. pos += vel * dt reflecting at the walls; energy burn; wander; hunger time. Runs
/// the eat query's pass 1 fused into its loop when it can; the result is next_event()'s.
prefilter_result motion(world& w);
/// @brief 3a. Brings the eat query's food index up to date (eat_query/food_index.cpp): a full
/// rebuild when it is missing or its overflow is large, else only the overflow's coarse index.
void build_food_grid(world& w);
/// @brief 3b. At most one event per creature (starve, reproduce or eat) into pending_event,
/// sorted by (t, creature_id). Needs build_food_grid() first, and @p pre from this tick's
/// motion() (without it, the eat query runs pass 1 itself).
void next_event(world& w, prefilter_result pre = {});
/// @brief 4. Applies pending_event in order, dispatching to apply_eat / apply_reproduce /
/// apply_starve, each given the row @p k of pending_event.
void apply_events(world& w);
void apply_eat(world& w, std::size_t k);
void apply_reproduce(world& w, std::size_t k);
/// @brief apply_reproduce's effect on the world but the ids and the log: the parent @p parent
/// (held here) goes to removal, two children @p a, @p b at its position, with half its energy
/// each and headings from stream 5 by the parent's id, born at @p t. Returns the share.
/// apply_reproduce issues the ids itself; a shard (ecosim/shard) gets them from the merged
/// records of every rank (docs/SHARDING.md, R10).
float queue_children(world& w, std::uint32_t parent, double t, issued_id a, issued_id b);
/// @brief The energy each of the two children of a parent with @p parent_energy starts with.
inline float child_energy(float parent_energy) { return parent_energy * 0.5f; }
/// @brief What a meal of @p value does to the creature at @p slot (energy, hunger_buildup).
void feed(creature_table& c, std::uint32_t slot, float value);
void apply_starve(world& w, std::size_t k);
/// @brief 5. Swap-removes, recycles ids, appends inserts, updates hungry.
void cleanup(world& w);
/// @brief cleanup's steps, for a caller that frees ids itself (a shard frees them in the global
/// order of every rank's events, docs/SHARDING.md R12): creature_to_remove by swap-remove,
/// each id with the gen of its row to creature_free when @p free_ids; creature_to_insert
/// appended; food_to_remove by swap-remove and out of the eat query's index, each id to
/// food_free when @p free_ids; the spatial sorts on their schedule.
void remove_creatures(world& w, bool free_ids);
void insert_creatures(world& w);
void remove_food(world& w, bool free_ids);
void sort_on_schedule(world& w);
/// @brief Part of cleanup every sort_interval ticks (and at tick 0): stable counting sort of
/// the creature (resp. food) rows by grid cell (row-major), id_to_slot rewritten. Keeps the
/// eat query and the index rebuild walking memory in order; the order is a pure function of
/// the state. The two sorts run on different ticks to spread their cost.
void spatial_sort_creatures(world& w);
void spatial_sort_food(world& w);
/// @brief The hungry table from energy (part of cleanup; also used at tick 0).
void update_hungry(world& w);
/// @brief 6. Appends one population row.
void inspect(world& w);

} // namespace ecosim
