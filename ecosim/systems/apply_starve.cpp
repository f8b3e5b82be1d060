/// @file apply_starve.cpp
/// @brief Starve: the creature is pushed to removal and its death logged.

#include <ecosim/systems/systems.hpp>

namespace ecosim {

void apply_starve(world& w, std::size_t k) {
    const auto& pe = w.pending_event;
    const std::uint32_t id = pe.creature_id[k];
    w.creature_to_remove.push_back(id);
    w.dead.push(
        {.t = pe.t[k], .creature_id = id, .energy = w.creature.energy[w.creature_id_to_slot[id]]});
}

} // namespace ecosim
