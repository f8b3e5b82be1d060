#pragma once
// A contested food on a strip edge (docs/SHARDING.md, R9): one food just above the edge below
// strip 1, reached by a still creature on each side. The one below (0.3 away, strip 0) is
// nearer than the one above (0.6 away, the food's own strip): the claim across the edge wins.
// Shared by the one-process shard test and the MPI step test.

#include <ecosim/ids.hpp>
#include <ecosim/shard/strips.hpp>
#include <ecosim/systems/systems.hpp>
#include <ecosim/world.hpp>

#include <cstdint>
#include <stdexcept>

namespace ecosim_test {

struct edge_world {
    ecosim::world w;
    std::uint32_t food;
    std::uint32_t below, above; ///< the creature of strip 0 and of strip 1
};

/// @p w with the food and the two creatures added at a spot with no other food within 3 units.
inline edge_world with_a_food_on_an_edge(ecosim::world w, const ecosim::shard::strips& s) {
    w.work = ecosim::scratch{};
    const auto edge = static_cast<float>(s.lo(1));
    float x = 2.0f;
    auto clear = [&](float at) {
        for (std::size_t i = 0; i < w.food.size(); ++i) {
            const float dx = w.food.pos_x[i] - at, dy = w.food.pos_y[i] - edge;
            if (dx * dx + dy * dy < 9.0f) return false;
        }
        return true;
    };
    while (!clear(x)) x += 4.0f;
    if (x >= w.cfg.world_size - 2.0f) throw std::runtime_error("no free spot on the edge");
    edge_world e{.w = {}, .food = ecosim::issue_food_id(w), .below = 0, .above = 0};
    w.food_id_to_slot[e.food] = static_cast<std::uint32_t>(w.food.size());
    w.food.push({.id = e.food, .pos_x = x, .pos_y = edge + 0.05f, .value = w.cfg.food_value});
    for (const float dy : {-0.25f, 0.65f}) {
        const ecosim::issued_id id = ecosim::issue_creature_id(w);
        (dy > 0.0f ? e.above : e.below) = id.id;
        w.creature_id_to_slot[id.id] = static_cast<std::uint32_t>(w.creature.size());
        w.creature.push(
            {.id = id.id, .gen = id.gen, .pos_x = x, .pos_y = edge + dy, .energy = 50.0f});
    }
    ecosim::update_hungry(w);
    e.w = std::move(w);
    return e;
}

/// Whether the last row of @p w's eaten log for @p food (its id may have been eaten before it
/// was recycled) says @p creature ate it.
inline bool ate(const ecosim::world& w, std::uint32_t creature, std::uint32_t food) {
    bool by = false;
    for (std::size_t i = 0; i < w.eaten.size(); ++i)
        if (w.eaten.food_id[i] == food) by = w.eaten.creature_id[i] == creature;
    return by;
}

} // namespace ecosim_test
