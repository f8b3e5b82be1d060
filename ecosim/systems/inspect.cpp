/// @file inspect.cpp
/// @brief System 6: one population row (tick, t, creatures, food) per tick.

#include <ecosim/systems/systems.hpp>

namespace ecosim {

void inspect(world& w) {
    auto& p = w.population;
    p.tick.push_back(w.tick);
    p.t.push_back(w.clock_us);
    p.creatures.push_back(static_cast<std::uint32_t>(w.creature.size()));
    p.food.push_back(static_cast<std::uint32_t>(w.food.size()));
}

} // namespace ecosim
