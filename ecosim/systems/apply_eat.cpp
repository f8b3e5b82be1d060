/// @file apply_eat.cpp
/// @brief Eat: if the food still exists (nobody took it earlier this tick), its value moves
/// into the creature, the food is pushed to removal (and marked taken in apply_events'
/// scratch::food_taken until the last event is applied), and the meal is logged.

#include <ecosim/systems/systems.hpp>

namespace ecosim {

void feed(creature_table& c, std::uint32_t slot, float value) {
    c.energy[slot] += value;
    c.hunger_buildup[slot] = 0.0f;
}

void apply_eat(world& w, std::size_t k) {
    const auto& pe = w.pending_event;
    const std::uint32_t fid = pe.target_id[k];
    const std::uint32_t fslot = w.food_id_to_slot[fid];
    auto& taken = w.work.food_taken;
    const std::size_t word = fid / 64;
    const std::uint64_t bit = std::uint64_t{1} << (fid % 64);
    if (word >= taken.size())
        taken.resize(std::size_t{w.food_next_id} / 64 + 1, 0); // not via apply_events
    if (fslot == no_slot || (taken[word] & bit)) return;       // someone was faster
    taken[word] |= bit;
    const float value = w.food.value[fslot];
    feed(w.creature, w.creature_id_to_slot[pe.creature_id[k]], value);
    w.food_to_remove.push_back(fid);
    w.eaten.push({.t = pe.t[k], .creature_id = pe.creature_id[k], .food_id = fid, .energy = value});
}

} // namespace ecosim
