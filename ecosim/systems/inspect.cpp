/// @file inspect.cpp
/// @brief System 6: one population row (tick, t, creatures, food) per tick.

#include <ecosim/systems/systems.hpp>

namespace ecosim {

void inspect(world& w) {
    w.population.push({.tick = w.tick,
                       .t = w.clock_us,
                       .creatures = static_cast<std::uint32_t>(w.creature.size()),
                       .food = static_cast<std::uint32_t>(w.food.size())});
}

} // namespace ecosim
