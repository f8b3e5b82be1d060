/// @file phases.cpp
/// @brief The four phases of one shard's tick (phases.hpp, docs/SHARDING.md steps 1-9). Motion,
/// the eat query, next_event, queue_children, cleanup's steps, the spatial sort and the hungry
/// table are the single-process systems; what needs global state (food ids, eat claims,
/// creature ids, free lists, logs) comes from the replicated state and the merged records.

#include <ecosim/error.hpp>
#include <ecosim/event_rules.hpp>
#include <ecosim/ids.hpp>
#include <ecosim/shard/phases.hpp>
#include <ecosim/systems/systems.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

namespace ecosim::shard {

namespace {

/// The order of events, R8: (t, creature_id), a total order within a tick.
using event_key = std::pair<double, std::uint32_t>;

bool is(const record& e, event_kind k) { return e.kind == static_cast<std::uint8_t>(k); }

/// 1. Every shard spawns the tick's food with the same ids (its free list and next id are the
/// replicated ones), then drops the food it does not hold from its table and eat-query index.
void spawn(world& w, std::uint32_t r, const strips& s) {
    const std::size_t first = w.food.size();
    food_spawn(w);
    std::vector<std::uint32_t> drop;
    for (std::size_t i = first; i < w.food.size(); ++i)
        if (!s.holds(r, w.food.pos_y[i])) drop.push_back(w.food.id[i]);
    for (const std::uint32_t id : drop)
        swap_remove_id(w.food, w.food_id_to_slot, id, w.food_id_to_slot[id]);
    food_index_remove_all(w, drop.data(), drop.size());
}

} // namespace

to_neighbours<std::vector<claim>> claim_phase(world& w, std::uint32_t r, const strips& s) {
    spawn(w, r, s);
    const prefilter_result pre = motion(w);
    build_food_grid(w);
    next_event(w, pre);
    to_neighbours<std::vector<claim>> out;
    const auto& pe = w.pending_event;
    for (std::size_t k = 0; k < pe.size(); ++k) {
        if (pe.kind[k] != static_cast<std::uint8_t>(event_kind::eat)) continue;
        const claim c{pe.t[k], pe.creature_id[k], pe.target_id[k]};
        const float y = w.food.pos_y[w.food_id_to_slot[c.food_id]];
        if (r > 0 && s.in_band(r, y)) out.below.push_back(c);
        if (r + 1 < s.ranks() && s.in_band(r + 1, y)) out.above.push_back(c);
    }
    return out;
}

std::vector<record> record_phase(const world& w, std::span<const claim> from_below,
                                 std::span<const claim> from_above, std::size_t& lost) {
    const auto& pe = w.pending_event;
    const auto& c = w.creature;
    // the first claim (by event_key) on each food this shard's creatures claim
    std::unordered_map<std::uint32_t, event_key> first;
    first.reserve(pe.size());
    auto offer = [&](std::uint32_t food, event_key k) {
        const auto [it, fresh] = first.emplace(food, k);
        if (!fresh && k < it->second) it->second = k;
    };
    for (std::size_t k = 0; k < pe.size(); ++k)
        if (pe.kind[k] == static_cast<std::uint8_t>(event_kind::eat))
            offer(pe.target_id[k], {pe.t[k], pe.creature_id[k]});
    for (const auto side : {from_below, from_above})
        for (const claim& n : side)
            if (first.contains(n.food_id)) offer(n.food_id, {n.t, n.creature_id});

    std::vector<record> out;
    out.reserve(pe.size());
    for (std::size_t k = 0; k < pe.size(); ++k) {
        const std::uint32_t slot = w.creature_id_to_slot[pe.creature_id[k]];
        record e{.t = pe.t[k],
                 .creature_id = pe.creature_id[k],
                 .aux = c.gen[slot],
                 .energy = c.energy[slot],
                 .kind = pe.kind[k],
                 .won = 0};
        switch (static_cast<event_kind>(e.kind)) { // what every shard needs to apply it
        case event_kind::eat: {
            e.aux = pe.target_id[k];
            const event_key winner = first.at(e.aux);
            e.won = winner == event_key{e.t, e.creature_id} ? 1 : 0;
            e.energy = e.won ? w.food.value[w.food_id_to_slot[e.aux]] : 0.0f;
            if (!e.won && w.creature_id_to_slot[winner.second] == no_slot) ++lost;
            break;
        }
        case event_kind::reproduce: e.energy = child_energy(c.energy[slot]); break;
        case event_kind::starve: break; // the creature's energy, its id's generation
        }
        out.push_back(e);
    }
    return out;
}

void order_records(std::vector<record>& all) {
    std::sort(all.begin(), all.end(), [](const record& a, const record& b) {
        return event_key{a.t, a.creature_id} < event_key{b.t, b.creature_id};
    });
}

to_neighbours<creature_table> apply_phase(world& w, std::uint32_t r, const strips& s,
                                          std::span<const record> all, bool keeper) {
    auto& c = w.creature;
    const auto& cmap = w.creature_id_to_slot;
    if (keeper) w.pending_event.clear();
    // 5, 6: in (t, creature_id) order, every child's id issued on every shard (R10), the
    // shard's own events applied, the log rows on the keeper (R14, R15)
    for (const record& e : all) {
        const std::uint32_t slot = cmap[e.creature_id];
        const bool own = slot != no_slot;
        const bool eat = is(e, event_kind::eat);
        if (keeper)
            w.pending_event.push({.t = e.t,
                                  .kind = e.kind,
                                  .creature_id = e.creature_id,
                                  .target_id = eat ? e.aux : no_id});
        // each case: the effect on the shard's own rows (the single-process apply_* system's
        // effect, through the same functions), then the keeper's log row
        switch (static_cast<event_kind>(e.kind)) {
        case event_kind::eat:
            if (!e.won) continue; // someone was faster (R9)
            if (own) feed(c, slot, e.energy);
            if (w.food_id_to_slot[e.aux] != no_slot) w.food_to_remove.push_back(e.aux);
            if (keeper)
                w.eaten.push(
                    {.t = e.t, .creature_id = e.creature_id, .food_id = e.aux, .energy = e.energy});
            break;
        case event_kind::reproduce: {
            const issued_id a = issue_creature_id(w);
            const issued_id b = issue_creature_id(w);
            if (own) queue_children(w, e.creature_id, e.t, a, b);
            if (keeper)
                w.born.push({.t = e.t,
                             .parent_id = e.creature_id,
                             .child_a = a.id,
                             .child_b = b.id,
                             .energy = e.energy});
            break;
        }
        case event_kind::starve:
            if (own) w.creature_to_remove.push_back(e.creature_id);
            if (keeper) w.dead.push({.t = e.t, .creature_id = e.creature_id, .energy = e.energy});
            break;
        }
    }
    // 7. cleanup of the shard's rows; the free lists in the global order of the events (R12)
    remove_creatures(w, false);
    for (const record& e : all)
        if (removes_creature(static_cast<event_kind>(e.kind)))
            w.creature_free.push({.id = e.creature_id, .gen = e.aux});
    insert_creatures(w);
    remove_food(w, false); // the eaten food this shard holds, owned or halo copy
    for (const record& e : all)
        if (is(e, event_kind::eat) && e.won) w.food_free.push_back(e.aux);
    sort_on_schedule(w);
    // 8. the creatures whose block row left the strip, to the neighbour's strip
    to_neighbours<creature_table> out;
    std::vector<std::uint32_t> leaving;
    const auto own = s.owns(r);
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (own(c.pos_y[i])) continue;
        const std::uint32_t to = s.owner(c.pos_y[i]);
        if (to + 1 != r && to != r + 1)
            throw error(errc::broken_invariant, "creature",
                        "creature " + std::to_string(c.id[i]) + " moved from strip " +
                            std::to_string(r) + " past a neighbour, to strip " +
                            std::to_string(to));
        (to < r ? out.below : out.above).push_row(c, i);
        leaving.push_back(c.id[i]);
    }
    for (const std::uint32_t id : leaving) swap_remove_id(c, w.creature_id_to_slot, id, cmap[id]);
    return out;
}

counts finish_phase(world& w, std::uint32_t r, const strips& s, const creature_table& from_below,
                    const creature_table& from_above) {
    for (const creature_table* t : {&from_below, &from_above})
        for (std::size_t i = 0; i < t->size(); ++i)
            push_row_id(w.creature, w.creature_id_to_slot, *t, i);
    update_hungry(w);
    ++w.tick;
    w.clock_us = static_cast<double>(w.tick) * dt_us(w.cfg);
    counts n{.creatures = w.creature.size(), .food = 0};
    const auto own = s.owns(r);
    for (const float y : w.food.pos_y) n.food += own(y) ? 1 : 0;
    return n;
}

void keep_population(world& keeper, counts total) {
    keeper.population.push({.tick = keeper.tick,
                            .t = keeper.clock_us,
                            .creatures = static_cast<std::uint32_t>(total.creatures),
                            .food = static_cast<std::uint32_t>(total.food)});
}

} // namespace ecosim::shard
