/// @file partition.cpp
/// @brief split() and merge() (shard.hpp): a world to strip shards and back.

#include <ecosim/log_tables.hpp>
#include <ecosim/shard/shard.hpp>
#include <ecosim/systems/systems.hpp>

namespace ecosim::shard {

namespace {

/// What every shard holds the same of (docs/SHARDING.md, "Per-tick protocol": replicated).
void copy_replicated(const world& from, world& to) {
    to.cfg = from.cfg;
    to.schema = from.schema;
    to.tick = from.tick;
    to.clock_us = from.clock_us;
    to.rng_key = from.rng_key;
    to.creature_next_id = from.creature_next_id;
    to.food_next_id = from.food_next_id;
    to.creature_free = from.creature_free;
    to.food_free = from.food_free;
    to.food_spawner = from.food_spawner;
    to.creature_id_to_slot.assign(from.creature_next_id, no_slot);
    to.food_id_to_slot.assign(from.food_next_id, no_slot);
}

/// What the log keeper (shard 0) holds.
void copy_logs(const world& from, world& to) {
    to.pending_event = from.pending_event;
    detail::logs_of(to) = detail::logs_of(from); // every log (log_tables.hpp)
}

} // namespace

world split_one(const world& w, const strips& s, std::uint32_t r) {
    world p;
    copy_replicated(w, p);
    if (r == 0) copy_logs(w, p);
    const auto own = s.owns(r);
    for (std::size_t i = 0; i < w.creature.size(); ++i)
        if (own(w.creature.pos_y[i])) push_row_id(p.creature, p.creature_id_to_slot, w.creature, i);
    for (std::size_t i = 0; i < w.food.size(); ++i)
        if (s.holds(r, w.food.pos_y[i])) push_row_id(p.food, p.food_id_to_slot, w.food, i);
    update_hungry(p);
    return p;
}

std::vector<world> split(const world& w, const strips& s) {
    std::vector<world> out;
    out.reserve(s.ranks());
    for (std::uint32_t r = 0; r < s.ranks(); ++r) out.push_back(split_one(w, s, r));
    return out;
}

food_table owned_food(const world& shard, const strips& s, std::uint32_t r) {
    food_table out;
    const auto own = s.owns(r);
    for (std::size_t i = 0; i < shard.food.size(); ++i)
        if (own(shard.food.pos_y[i])) out.push_row(shard.food, i);
    return out;
}

world assemble(const world& keeper, std::span<const creature_table> creatures,
               std::span<const food_table> food) {
    world m;
    copy_replicated(keeper, m);
    copy_logs(keeper, m);
    for (const creature_table& t : creatures)
        for (std::size_t i = 0; i < t.size(); ++i)
            push_row_id(m.creature, m.creature_id_to_slot, t, i);
    for (const food_table& t : food)
        for (std::size_t i = 0; i < t.size(); ++i) push_row_id(m.food, m.food_id_to_slot, t, i);
    update_hungry(m);
    return m;
}

world merge(const std::vector<world>& shards, const strips& s) {
    std::vector<creature_table> creatures;
    std::vector<food_table> food;
    for (std::uint32_t r = 0; r < shards.size(); ++r) {
        creatures.push_back(shards[r].creature);
        food.push_back(owned_food(shards[r], s, r));
    }
    return assemble(shards.front(), creatures, food);
}

} // namespace ecosim::shard
