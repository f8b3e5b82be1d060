#pragma once
/// @file members.hpp
/// @brief The persisted part of the world, once: every table, index map, scalar and config
/// value under its snapshot name, in the documented member order (docs/FORMAT.md). Saving,
/// hashing, loading (snapshot.cpp) and the invariant check (invariants.cpp) all walk it, so they
/// cannot disagree.

#include <ecosim/world.hpp>

namespace ecosim {

/// @brief v.log(name, log) for an append-only log (eaten, born, dead, population), or
/// v.table(name, log) for a visitor without log(): a snapshot of schema 3 holds a log's row
/// count and chain hash, its rows being in segment files (log_segments.hpp).
template <typename V, typename Table> void visit_log(V& v, const char* name, Table& log) {
    if constexpr (requires { v.log(name, log); }) v.log(name, log);
    else v.table(name, log);
}

/// @brief Calls, in member order:
///   v.table(name, table)            for every table (its columns: Table::for_each_column);
///   visit_log(v, name, log)         for every log (see above);
///   v.column(table, name, column)   for every index map and id list (one column, width 1);
///   v.schema_version(table, name, value)  for meta/schema_version;
///   v.scalar(table, name, value)    for every other scalar;
///   v.config_value(field, value)    for every config value (config_field: name, since, fill).
/// @p W is world or const world.
template <typename W, typename V> void for_each_member(W& w, V& v) {
    v.table("creature", w.creature);
    v.table("creature_to_insert", w.creature_to_insert);
    v.column("creature_to_remove", "id", w.creature_to_remove);
    v.table("creature_free_ids", w.creature_free);
    v.column("creature_id_to_slot", "slot", w.creature_id_to_slot);

    v.table("food", w.food);
    v.column("food_to_remove", "id", w.food_to_remove);
    v.column("food_free_ids", "id", w.food_free);
    v.column("food_id_to_slot", "slot", w.food_id_to_slot);

    v.table("food_spawner", w.food_spawner);
    v.table("pending_event", w.pending_event);
    v.column("hungry", "id", w.hungry);

    visit_log(v, "eaten", w.eaten);
    visit_log(v, "born", w.born);
    visit_log(v, "dead", w.dead);
    visit_log(v, "population", w.population);

    v.schema_version("meta", "schema_version", w.schema);
    v.scalar("meta", "tick", w.tick);
    v.scalar("meta", "clock_us", w.clock_us);
    v.scalar("meta", "rng_key", w.rng_key);
    v.scalar("meta", "creature_next_id", w.creature_next_id);
    v.scalar("meta", "food_next_id", w.food_next_id);

#define ECOSIM_VISIT_CONFIG(type, name, since, def, doc)                                           \
    v.config_value(config_field<type>{#name, since, def}, w.cfg.name);
    ECOSIM_CONFIG_FIELDS(ECOSIM_VISIT_CONFIG)
#undef ECOSIM_VISIT_CONFIG
}

} // namespace ecosim
