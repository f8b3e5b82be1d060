/// @file invariants.cpp
/// @brief What a valid world is: every config value in range, every table's columns of equal
/// length with values inside their column's rule (table.hpp), id_to_slot exact both ways, free
/// ids free, the cleanup buffers empty at a tick boundary, the scalars consistent. A snapshot is
/// loaded only when all of it holds (snapshot.cpp), so a hostile file cannot make a tick
/// allocate without bound or convert a NaN or negative float to an integer.

#include <ecosim/eat_query/summary.hpp>
#include <ecosim/error.hpp>
#include <ecosim/members.hpp>
#include <ecosim/rng.hpp>
#include <ecosim/world.hpp>

#include <bit>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

namespace ecosim {

namespace {

template <typename T>
[[noreturn]] void bad_config(const char* field, T value, const std::string& need) {
    throw error(errc::invalid_config, std::string("config/") + field,
                "is " + show(value) + ", must be " + need);
}

/// Refuses a config value for which @p ok is false; @p need says what it must be.
template <typename T> void require(bool ok, const char* field, T value, const char* need) {
    if (!ok) bad_config(field, value, need);
}

bool finite_at_least(double v, double lo) { return std::isfinite(v) && v >= lo; }
bool finite_above(double v, double lo) { return std::isfinite(v) && v > lo; }

[[noreturn]] void broken(const std::string& where, const std::string& what) {
    throw error(errc::broken_invariant, where, what);
}

std::string name_of(const char* table, const char* column) {
    return std::string(table) + "/" + column;
}

/// Checks that the columns of each table have one length (times their width) and that every
/// value keeps its column's rule.
struct table_checker {
    template <typename T> static bool keeps(value_rule rule, T v) {
        if constexpr (std::is_floating_point_v<T>) {
            switch (rule) {
            case value_rule::any: return true;
            case value_rule::finite: return std::isfinite(v);
            case value_rule::nonnegative: return std::isfinite(v) && v >= T{0};
            case value_rule::fraction: return std::isfinite(v) && v >= T{0} && v < T{1};
            }
            return false;
        } else {
            return rule == value_rule::any;
        }
    }
    static const char* rule_text(value_rule rule) {
        switch (rule) {
        case value_rule::any: return "anything";
        case value_rule::finite: return "finite";
        case value_rule::nonnegative: return "finite and >= 0";
        case value_rule::fraction: return "in [0, 1)";
        }
        return "?";
    }
    template <typename Table> void table(const char* t, const Table& tab) {
        const std::size_t rows = tab.size();
        Table::for_each_column([&](auto def) {
            const auto& col = tab.*def.member;
            if (col.size() != rows * def.width)
                broken(name_of(t, def.name), "has " + std::to_string(col.size() / def.width) +
                                                 " rows, the table has " + std::to_string(rows));
            if (def.rule == value_rule::any) return;
            for (std::size_t k = 0; k < col.size(); ++k)
                if (!keeps(def.rule, col[k]))
                    broken(name_of(t, def.name), "value " + show(col[k]) + " at " +
                                                     std::to_string(k) + ", must be " +
                                                     rule_text(def.rule));
        });
    }
    template <typename T>
    void column(const char* /*name*/, const char* /*doc*/, const column<T>& /*c*/) {}
    template <typename T>
    void schema_version(const char* /*name*/, const char* /*doc*/, const T& /*v*/) {}
    template <typename T> void scalar(const char* /*name*/, const char* /*doc*/, const T& /*v*/) {}
    template <typename T>
    void config_value(const config_field<T>& /*f*/, const T& /*v*/) {} // check_config
};

/// id_to_slot of a table with an id column: exact in both directions, and every id below
/// next_id is either live or free (once).
template <typename Table>
void check_id_map(const char* table, const Table& t, const column<std::uint32_t>& id_to_slot,
                  const char* map_name, std::uint32_t next_id, const char* next_name,
                  const column<std::uint32_t>& free_ids, const char* free_name) {
    const std::size_t n = t.size();
    if (id_to_slot.size() != next_id)
        broken(map_name, "has " + std::to_string(id_to_slot.size()) + " entries, " + next_name +
                             " is " + std::to_string(next_id));
    for (std::size_t s = 0; s < n; ++s) {
        const std::uint32_t id = t.id[s];
        if (id >= next_id)
            broken(name_of(table, "id"), "id " + std::to_string(id) + " at slot " +
                                             std::to_string(s) + " >= next id " +
                                             std::to_string(next_id));
        if (id_to_slot[id] != s)
            broken(map_name, "entry " + std::to_string(id) + " is " +
                                 std::to_string(id_to_slot[id]) + ", the row is at slot " +
                                 std::to_string(s));
    }
    std::size_t mapped = 0;
    for (const std::uint32_t slot : id_to_slot) {
        if (slot == no_slot) continue;
        if (slot >= n) broken(map_name, "slot " + std::to_string(slot) + " is past the table");
        ++mapped;
    }
    if (mapped != n)
        broken(map_name,
               "maps " + std::to_string(mapped) + " ids for " + std::to_string(n) + " rows");
    std::vector<bool> seen(next_id, false);
    for (const std::uint32_t id : free_ids) {
        if (id >= next_id || id_to_slot[id] != no_slot || seen[id])
            broken(free_name,
                   "id " + std::to_string(id) + " is live, listed twice or never issued");
        seen[id] = true;
    }
    if (mapped + free_ids.size() != next_id) broken(free_name, "live + free ids != issued ids");
}

/// Every id of @p ids is below @p next (the logs and the events name ids ever issued).
void check_ids_below(const char* where, const column<std::uint32_t>& ids, std::uint32_t next,
                     bool allow_none = false) {
    for (std::size_t k = 0; k < ids.size(); ++k)
        if (ids[k] >= next && !(allow_none && ids[k] == no_id))
            broken(where, "id " + std::to_string(ids[k]) + " at " + std::to_string(k) +
                              " was never issued (next id " + std::to_string(next) + ")");
}

} // namespace

void check_config(const config& c) {
    // ECOSIM_CONFIG_FIELDS order; seed and sort_interval take any value
    require(c.initial_creatures <= max_rows, "initial_creatures", c.initial_creatures, "<= 2^31");
    require(finite_above(c.area_per_creature, 0), "area_per_creature", c.area_per_creature, "> 0");
    require(finite_above(c.world_size, 0), "world_size", c.world_size, "> 0");
    require(finite_above(c.dt, 0), "dt", c.dt, "> 0");
    require(finite_at_least(c.speed_min, 0), "speed_min", c.speed_min, ">= 0");
    require(finite_at_least(c.speed_max, c.speed_min), "speed_max", c.speed_max, ">= speed_min");
    require(finite_at_least(c.turn_rate, 0), "turn_rate", c.turn_rate, ">= 0");
    require(finite_at_least(c.burn_move, 0), "burn_move", c.burn_move, ">= 0");
    require(finite_at_least(c.burn_idle, 0), "burn_idle", c.burn_idle, ">= 0");
    require(finite_above(c.eat_radius, 0), "eat_radius", c.eat_radius, "> 0");
    require(finite_at_least(c.food_value, 0), "food_value", c.food_value, ">= 0");
    require(finite_above(c.reproduce_energy, 0), "reproduce_energy", c.reproduce_energy, "> 0");
    require(std::isfinite(c.hunger_line), "hunger_line", c.hunger_line, "finite");
    require(std::isfinite(c.initial_energy_min), "initial_energy_min", c.initial_energy_min,
            "finite");
    require(finite_at_least(c.initial_energy_max, c.initial_energy_min), "initial_energy_max",
            c.initial_energy_max, ">= initial_energy_min");
    require(finite_at_least(c.initial_food_per_creature, 0) &&
                static_cast<double>(c.initial_food_per_creature) * c.initial_creatures <= max_rows,
            "initial_food_per_creature", c.initial_food_per_creature,
            ">= 0, and at most 2^31 food rows at tick 0");
    // one tick spawns food_per_area_per_second x world_size^2 x dt rows: at most 2^24 (16.8 M,
    // ~14 x the default world's whole food table at 1 M creatures), so a hostile value cannot
    // make one tick allocate gigabytes
    require(finite_at_least(c.food_per_area_per_second, 0) &&
                static_cast<double>(c.food_per_area_per_second) * c.world_size * c.world_size *
                        c.dt <=
                    max_spawn_per_tick,
            "food_per_area_per_second", c.food_per_area_per_second,
            ">= 0, and at most 2^24 food spawned per tick (x world_size^2 x dt)");
    require(c.spawners_per_side >= 1 && c.spawners_per_side <= 16, "spawners_per_side",
            c.spawners_per_side, "1..16");
    require(finite_above(c.grid_cell, 0), "grid_cell", c.grid_cell, "> 0");
    require(std::ceil(static_cast<double>(c.world_size) / c.grid_cell) <= 16384.0, "grid_cell",
            c.grid_cell, ">= world_size / 16384 (grid too large)");
    // the eat query's window summaries (eat_query/summary.hpp) need a summary cell wider than
    // two reaches: grid_cell > 4 eat_reach plus rounding margins
    if (!summary::geometry(c).usable)
        bad_config("grid_cell", c.grid_cell,
                   "> 4.1 x config/eat_radius (" + show(c.eat_radius) +
                       ") plus a rounding margin, for the eat query's window summaries");
}

void check_invariants(const world& w) {
    check_config(w.cfg);
    table_checker tc;
    for_each_member(w, tc);

    check_id_map("creature", w.creature, w.creature_id_to_slot, "creature_id_to_slot/slot",
                 w.creature_next_id, "meta/creature_next_id", w.creature_free.id,
                 "creature_free_ids/id");
    check_id_map("food", w.food, w.food_id_to_slot, "food_id_to_slot/slot", w.food_next_id,
                 "meta/food_next_id", w.food_free, "food_free_ids/id");

    const auto& pe = w.pending_event;
    for (std::size_t k = 0; k < pe.size(); ++k) {
        if (pe.kind[k] > last_event_kind)
            broken("pending_event/kind", "kind " + std::to_string(pe.kind[k]) + " unknown");
        const bool eat = pe.kind[k] == static_cast<std::uint8_t>(event_kind::eat);
        if (eat ? pe.target_id[k] >= w.food_next_id : pe.target_id[k] != no_id)
            broken("pending_event/target_id", "target " + std::to_string(pe.target_id[k]) + " at " +
                                                  std::to_string(k) + " does not fit its kind");
    }
    check_ids_below("pending_event/creature_id", pe.creature_id, w.creature_next_id);
    check_ids_below("eaten/creature_id", w.eaten.creature_id, w.creature_next_id);
    check_ids_below("eaten/food_id", w.eaten.food_id, w.food_next_id);
    check_ids_below("born/parent_id", w.born.parent_id, w.creature_next_id);
    check_ids_below("born/child_a", w.born.child_a, w.creature_next_id);
    check_ids_below("born/child_b", w.born.child_b, w.creature_next_id);
    check_ids_below("dead/creature_id", w.dead.creature_id, w.creature_next_id);

    {
        // the spawners are the config's, bit for bit, but for the carry each one owes: a rate
        // or region of a file's own would spawn what the config does not say (or anywhere)
        const spawner_table want = make_spawners(w.cfg);
        const spawner_table& sp = w.food_spawner;
        if (sp.size() != want.size())
            broken("food_spawner/id", std::to_string(sp.size()) + " spawners, config makes " +
                                          std::to_string(want.size()));
        for (std::size_t s = 0; s < sp.size(); ++s) {
            if (sp.id[s] != want.id[s])
                broken("food_spawner/id", "at " + std::to_string(s) + " is not the config's");
            if (std::bit_cast<std::uint32_t>(sp.rate[s]) !=
                std::bit_cast<std::uint32_t>(want.rate[s]))
                broken("food_spawner/rate",
                       "at " + std::to_string(s) + " is " + show(sp.rate[s]) +
                           ", config/food_per_area_per_second x its area makes " +
                           show(want.rate[s]));
            for (std::size_t c = 4 * s; c < 4 * s + 4; ++c)
                if (std::bit_cast<std::uint32_t>(sp.region[c]) !=
                    std::bit_cast<std::uint32_t>(want.region[c]))
                    broken("food_spawner/region",
                           "at " + std::to_string(s) + " is not the config's");
        }
    }
    if (!w.creature_to_remove.empty())
        broken("creature_to_remove/id", "not empty at a tick boundary");
    if (w.creature_to_insert.size() != 0)
        broken("creature_to_insert/id", "not empty at a tick boundary");
    if (!w.food_to_remove.empty()) broken("food_to_remove/id", "not empty at a tick boundary");
    {
        const auto& c = w.creature;
        std::size_t k = 0;
        for (std::size_t s = 0; s < c.size(); ++s) {
            if (!(c.energy[s] < w.cfg.hunger_line)) continue;
            if (k >= w.hungry.size() || w.hungry[k] != c.id[s])
                broken("hungry/id",
                       "differs from the creatures below hunger_line at slot " + std::to_string(s));
            ++k;
        }
        if (k != w.hungry.size()) broken("hungry/id", "lists creatures that are not hungry");
    }
    if (w.schema != schema_version) broken("meta/schema_version", "in memory is not current");
    if (w.rng_key != rng::world_key(w.cfg.seed))
        broken("meta/rng_key", "is not the key of config/seed " + std::to_string(w.cfg.seed));
    if (w.clock_us != static_cast<double>(w.tick) * dt_us(w.cfg))
        broken("meta/clock_us", "is " + show(w.clock_us) + ", meta/tick x dt is " +
                                    show(static_cast<double>(w.tick) * dt_us(w.cfg)));
}

} // namespace ecosim
