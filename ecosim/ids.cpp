/// @file ids.cpp
/// @brief Issuing creature and food ids (ids.hpp).

#include <ecosim/ids.hpp>

namespace ecosim {

issued_id issue_creature_id(world& w) {
    auto& fr = w.creature_free;
    if (!fr.id.empty()) {
        const issued_id out{fr.id.back(), fr.gen.back() + 1};
        fr.id.pop_back();
        fr.gen.pop_back();
        return out;
    }
    w.creature_id_to_slot.push_back(no_slot);
    return {w.creature_next_id++, 0};
}

std::uint32_t issue_food_id(world& w) {
    if (!w.food_free.empty()) {
        const std::uint32_t id = w.food_free.back();
        w.food_free.pop_back();
        return id;
    }
    w.food_id_to_slot.push_back(no_slot);
    return w.food_next_id++;
}

} // namespace ecosim
