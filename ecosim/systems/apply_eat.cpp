/// @file apply_eat.cpp
/// @brief Eat: if the food still exists (nobody took it earlier this tick), its value moves
/// into the creature, the food is pushed to removal (and marked taken in food_id_to_slot
/// until cleanup removes it), and the meal is logged.

#include <ecosim/systems/systems.hpp>

namespace ecosim {

void apply_eat(world& w, std::size_t k) {
    const auto& pe = w.pending_event;
    const std::uint32_t fid = pe.target_id[k];
    std::uint32_t& entry = w.food_id_to_slot[fid];
    if (entry == no_slot || (entry & taken_bit)) return; // someone was faster
    const std::uint32_t fslot = entry;
    entry = fslot | taken_bit;
    const std::uint32_t cslot = w.creature_id_to_slot[pe.creature_id[k]];
    const float value = w.food.value[fslot];
    w.creature.energy[cslot] += value;
    w.creature.hunger_buildup[cslot] = 0.0f;
    w.food_to_remove.push_back(fid);
    w.eaten.push({.t = pe.t[k], .creature_id = pe.creature_id[k], .food_id = fid, .energy = value});
}

} // namespace ecosim
