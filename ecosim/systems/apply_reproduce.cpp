/// @file apply_reproduce.cpp
/// @brief Reproduce (fission): the parent is consumed; two offspring at its position share its
/// energy equally, each with a fresh or recycled id and a random heading.

#include <ecosim/ids.hpp>
#include <ecosim/rng.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/systems/systems.hpp>

namespace ecosim {

void apply_reproduce(world& w, std::size_t k) {
    const auto& pe = w.pending_event;
    const std::uint32_t parent = pe.creature_id[k];
    const std::uint32_t slot = w.creature_id_to_slot[parent];
    auto& c = w.creature;
    const float share = c.energy[slot] * 0.5f;
    w.creature_to_remove.push_back(parent);
    const std::uint64_t tk = rng::tick_key(w.rng_key, w.tick, rng::stream::birth);
    auto& ins = w.creature_to_insert;
    std::uint32_t child[2];
    for (std::uint32_t j = 0; j < 2; ++j) {
        const issued_id nid = issue_creature_id(w);
        const velocity v = random_velocity(tk, parent, 64 * j, w.cfg);
        child[j] = nid.id;
        ins.push({.id = nid.id,
                  .gen = nid.gen,
                  .pos_x = c.pos_x[slot],
                  .pos_y = c.pos_y[slot],
                  .vel_x = v.x,
                  .vel_y = v.y,
                  .energy = share,
                  .birth_t = pe.t[k]}); // the other columns start at their default
    }
    w.born.push({.t = pe.t[k],
                 .parent_id = parent,
                 .child_a = child[0],
                 .child_b = child[1],
                 .energy = share});
}

} // namespace ecosim
