/// @file step.cpp
/// @brief shard::step(): one tick of every shard by the protocol of docs/SHARDING.md ("Per-tick
/// protocol", steps 1-9). Systems that are per row or per rank (motion, the eat query,
/// next_event, the spatial sort, the hungry table) are the single-process ones; the steps that
/// need global state (food ids, eat claims, creature ids, free lists, logs) are written here
/// from the replicated state and the merged tick records, as ecosim-mpi will run them.

#include <ecosim/eat_query/eat_query.hpp>
#include <ecosim/error.hpp>
#include <ecosim/ids.hpp>
#include <ecosim/rng.hpp>
#include <ecosim/shard/shard.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/systems/systems.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ecosim::shard {

namespace {

/// One event of the tick as step 5's allgather carries it.
struct record {
    double t;
    std::uint32_t creature_id;
    event_kind kind;
    bool won;          ///< eat: this claim got the food
    std::uint32_t aux; ///< eat: the food id; reproduce, starve: the creature's gen
    float energy;      ///< eat: the food's value; reproduce: each child's share; starve: left
};

/// The order of events, R8: (t, creature_id), a total order within a tick.
using event_key = std::pair<double, std::uint32_t>;
event_key key_of(const record& e) { return {e.t, e.creature_id}; }

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

/// 4. The first claim (by event_key) on each food that shard r can see: its own claims and
/// its neighbours' claims on the food in the band of the edge they share.
using first_claims = std::map<std::uint32_t, event_key>;
void offer(first_claims& m, std::uint32_t food, event_key k) {
    const auto [it, fresh] = m.emplace(food, k);
    if (!fresh && k < it->second) it->second = k;
}
first_claims claims_seen(const std::vector<world>& shards, std::uint32_t r, const strips& s,
                         edge_traffic& traffic) {
    first_claims best;
    auto each_eat = [](const world& w, auto&& f) {
        const auto& pe = w.pending_event;
        for (std::size_t k = 0; k < pe.size(); ++k)
            if (pe.kind[k] == static_cast<std::uint8_t>(event_kind::eat))
                f(pe.target_id[k], event_key{pe.t[k], pe.creature_id[k]});
    };
    each_eat(shards[r], [&](std::uint32_t food, event_key k) { offer(best, food, k); });
    for (const std::uint32_t n : {r - 1, r + 1}) { // r - 1 wraps for r = 0: out of range
        if (n >= shards.size()) continue;
        const world& nb = shards[n];
        const std::uint32_t edge = std::max(r, n); // the edge below strip `edge`
        each_eat(nb, [&](std::uint32_t food, event_key k) {
            if (!s.in_band(edge, nb.food.pos_y[nb.food_id_to_slot[food]])) return;
            ++traffic.band_claims; // sent n -> r
            offer(best, food, k);
        });
    }
    return best;
}

/// Shard r's events of the tick as records, in its (t, creature_id) order.
std::vector<record> records_of(const world& w, const first_claims& best, edge_traffic& traffic) {
    const auto& pe = w.pending_event;
    const auto& c = w.creature;
    std::vector<record> out;
    for (std::size_t k = 0; k < pe.size(); ++k) {
        const std::uint32_t slot = w.creature_id_to_slot[pe.creature_id[k]];
        record e{pe.t[k], pe.creature_id[k], static_cast<event_kind>(pe.kind[k]), false, 0, 0.0f};
        switch (e.kind) {
        case event_kind::eat: {
            e.aux = pe.target_id[k];
            const event_key first = best.at(e.aux);
            e.won = first == key_of(e);
            if (e.won) e.energy = w.food.value[w.food_id_to_slot[e.aux]];
            else if (w.creature_id_to_slot[first.second] == no_slot) ++traffic.lost_to_neighbour;
            break;
        }
        case event_kind::reproduce:
            e.aux = c.gen[slot];
            e.energy = c.energy[slot] * 0.5f;
            break;
        case event_kind::starve:
            e.aux = c.gen[slot];
            e.energy = c.energy[slot];
            break;
        }
        out.push_back(e);
    }
    return out;
}

/// 6. Shard w's own events, in its order, with the children's ids of step 5.
void apply(world& w, const std::vector<record>& mine,
           const std::map<std::uint32_t, std::pair<issued_id, issued_id>>& children) {
    auto& c = w.creature;
    const std::uint64_t tk = rng::tick_key(w.rng_key, w.tick, rng::stream::birth);
    for (const record& e : mine) {
        const std::uint32_t slot = w.creature_id_to_slot[e.creature_id];
        switch (e.kind) {
        case event_kind::eat:
            if (!e.won) break; // someone was faster (R9)
            c.energy[slot] += e.energy;
            c.hunger_buildup[slot] = 0.0f;
            break;
        case event_kind::reproduce: {
            w.creature_to_remove.push_back(e.creature_id);
            const auto& [a, b] = children.at(e.creature_id);
            for (std::uint32_t j = 0; j < 2; ++j) {
                const issued_id nid = j == 0 ? a : b;
                const velocity v = random_velocity(tk, e.creature_id, 64 * j, w.cfg);
                w.creature_to_insert.push({.id = nid.id,
                                           .gen = nid.gen,
                                           .pos_x = c.pos_x[slot],
                                           .pos_y = c.pos_y[slot],
                                           .vel_x = v.x,
                                           .vel_y = v.y,
                                           .energy = e.energy,
                                           .birth_t = e.t});
            }
            break;
        }
        case event_kind::starve: w.creature_to_remove.push_back(e.creature_id); break;
        }
    }
}

/// 5. (log keeper) The merged records as log rows and pending_event.
void keep_logs(world& w, const std::vector<record>& all,
               const std::map<std::uint32_t, std::pair<issued_id, issued_id>>& children) {
    w.pending_event.clear();
    for (const record& e : all) {
        const bool eat = e.kind == event_kind::eat;
        w.pending_event.push({.t = e.t,
                              .kind = static_cast<std::uint8_t>(e.kind),
                              .creature_id = e.creature_id,
                              .target_id = eat ? e.aux : no_id});
        if (eat && e.won)
            w.eaten.push(
                {.t = e.t, .creature_id = e.creature_id, .food_id = e.aux, .energy = e.energy});
        if (e.kind == event_kind::reproduce) {
            const auto& [a, b] = children.at(e.creature_id);
            w.born.push({.t = e.t,
                         .parent_id = e.creature_id,
                         .child_a = a.id,
                         .child_b = b.id,
                         .energy = e.energy});
        }
        if (e.kind == event_kind::starve)
            w.dead.push({.t = e.t, .creature_id = e.creature_id, .energy = e.energy});
    }
}

/// 7. Removals, inserts and eaten food of shard w; the free lists from the merged records.
void clean(world& w, const std::vector<record>& all) {
    auto& c = w.creature;
    auto& cmap = w.creature_id_to_slot;
    for (const std::uint32_t id : w.creature_to_remove) swap_remove_id(c, cmap, id, cmap[id]);
    w.creature_to_remove.clear();
    for (const record& e : all)
        if (e.kind != event_kind::eat) w.creature_free.push({.id = e.creature_id, .gen = e.aux});
    const auto& ins = w.creature_to_insert;
    for (std::size_t i = 0; i < ins.size(); ++i) {
        cmap[ins.id[i]] = static_cast<std::uint32_t>(c.size());
        c.push_row(ins, i);
    }
    w.creature_to_insert.clear();
    std::vector<std::uint32_t> gone; // the eaten food this shard holds (owned or halo copy)
    for (const record& e : all) {
        if (e.kind != event_kind::eat || !e.won) continue;
        if (w.food_id_to_slot[e.aux] != no_slot) {
            swap_remove_id(w.food, w.food_id_to_slot, e.aux, w.food_id_to_slot[e.aux]);
            gone.push_back(e.aux);
        }
        w.food_free.push_back(e.aux);
    }
    food_index_remove_all(w, gone.data(), gone.size());
    const std::uint64_t every = w.cfg.sort_interval; // slots only (R16): the usual schedule
    if (every != 0 && (w.tick + 1) % every == 0) spatial_sort_creatures(w);
    if (every != 0 && (w.tick + 1) % every == every / 2) spatial_sort_food(w);
}

/// 8. Creatures whose block row left their strip move to the strip's shard.
void migrate(std::vector<world>& shards, const strips& s, edge_traffic& traffic) {
    std::vector<creature_table> moving(shards.size());
    for (std::uint32_t r = 0; r < shards.size(); ++r) {
        world& w = shards[r];
        std::vector<std::uint32_t> leaving;
        for (std::size_t i = 0; i < w.creature.size(); ++i) {
            const std::uint32_t to = s.owner(w.creature.pos_y[i]);
            if (to == r) continue;
            moving[to].push_row(w.creature, i);
            leaving.push_back(w.creature.id[i]);
        }
        for (const std::uint32_t id : leaving)
            swap_remove_id(w.creature, w.creature_id_to_slot, id, w.creature_id_to_slot[id]);
        traffic.migrants += leaving.size();
    }
    for (std::uint32_t r = 0; r < shards.size(); ++r) {
        world& w = shards[r];
        for (std::size_t i = 0; i < moving[r].size(); ++i) {
            w.creature_id_to_slot[moving[r].id[i]] = static_cast<std::uint32_t>(w.creature.size());
            w.creature.push_row(moving[r], i);
        }
        update_hungry(w);
    }
}

} // namespace

edge_traffic step(std::vector<world>& shards, const strips& s) {
    const auto ranks = static_cast<std::uint32_t>(shards.size());
    edge_traffic traffic;
    // 1-3: spawn, motion, events; local but for the replicated spawn ids
    for (std::uint32_t r = 0; r < ranks; ++r) {
        world& w = shards[r];
        spawn(w, r, s);
        const prefilter_result pre = motion(w);
        build_food_grid(w);
        next_event(w, pre);
    }
    // 4: band claims with the neighbours; 5: the records, merged in (t, creature_id) order
    std::vector<std::vector<record>> mine(ranks);
    std::vector<record> all;
    for (std::uint32_t r = 0; r < ranks; ++r) {
        mine[r] = records_of(shards[r], claims_seen(shards, r, s, traffic), traffic);
        all.insert(all.end(), mine[r].begin(), mine[r].end());
    }
    std::sort(all.begin(), all.end(),
              [](const record& a, const record& b) { return key_of(a) < key_of(b); });
    // every child's id (R10), issued in that order from the replicated free list on every shard
    std::map<std::uint32_t, std::pair<issued_id, issued_id>> children;
    for (const record& e : all) {
        if (e.kind != event_kind::reproduce) continue;
        issued_id id[2];
        for (auto& one : id) {
            one = issue_creature_id(shards.front());
            for (std::uint32_t r = 1; r < ranks; ++r) {
                const issued_id same = issue_creature_id(shards[r]);
                if (same.id != one.id || same.gen != one.gen)
                    throw error(errc::broken_invariant, "creature_free_ids",
                                "shard " + std::to_string(r) + " issues another id than shard 0");
            }
        }
        children.emplace(e.creature_id, std::pair{id[0], id[1]});
    }
    // 6, 7: apply and clean up; the log keeper keeps the merged logs
    for (std::uint32_t r = 0; r < ranks; ++r) apply(shards[r], mine[r], children);
    keep_logs(shards.front(), all, children);
    for (world& w : shards) clean(w, all);
    migrate(shards, s, traffic);
    // 9: bookkeeping, the population row from the global counts
    std::uint32_t creatures = 0, food = 0;
    for (std::uint32_t r = 0; r < ranks; ++r) {
        world& w = shards[r];
        ++w.tick;
        w.clock_us = static_cast<double>(w.tick) * dt_us(w.cfg);
        creatures += static_cast<std::uint32_t>(w.creature.size());
        for (const float y : w.food.pos_y) food += s.owner(y) == r ? 1 : 0;
    }
    world& keeper = shards.front();
    keeper.population.push(
        {.tick = keeper.tick, .t = keeper.clock_us, .creatures = creatures, .food = food});
    return traffic;
}

} // namespace ecosim::shard
