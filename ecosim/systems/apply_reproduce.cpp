/// @file apply_reproduce.cpp
/// @brief Reproduce (fission): the parent is consumed; two offspring at its position share its
/// energy equally, each with a fresh or recycled id and a random heading.

#include <ecosim/ids.hpp>
#include <ecosim/rng.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/systems/systems.hpp>

namespace ecosim {

float queue_children(world& w, std::uint32_t parent, double t, issued_id a, issued_id b) {
    const std::uint32_t slot = w.creature_id_to_slot[parent];
    auto& c = w.creature;
    const float share = child_energy(c.energy[slot]);
    w.creature_to_remove.push_back(parent);
    const std::uint64_t tk = rng::tick_key(w.rng_key, w.tick, rng::stream::birth);
    for (std::uint32_t j = 0; j < 2; ++j) {
        const issued_id nid = j == 0 ? a : b;
        const velocity v = random_velocity(tk, parent, 64 * j, w.cfg);
        w.creature_to_insert.push({.id = nid.id,
                                   .gen = nid.gen,
                                   .pos_x = c.pos_x[slot],
                                   .pos_y = c.pos_y[slot],
                                   .vel_x = v.x,
                                   .vel_y = v.y,
                                   .energy = share,
                                   .birth_t = t}); // the other columns start at their default
    }
    return share;
}

void apply_reproduce(world& w, std::size_t k) {
    const auto& pe = w.pending_event;
    const std::uint32_t parent = pe.creature_id[k];
    const issued_id a = issue_creature_id(w);
    const issued_id b = issue_creature_id(w);
    const float share = queue_children(w, parent, pe.t[k], a, b);
    w.born.push(
        {.t = pe.t[k], .parent_id = parent, .child_a = a.id, .child_b = b.id, .energy = share});
}

} // namespace ecosim
