/// @file food_spawn.cpp
/// @brief System 1: food spawners.

#include <ecosim/rng.hpp>
#include <ecosim/systems/systems.hpp>

#include <cmath>

namespace ecosim {

std::uint32_t issue_food_id(world& w) {
    if (!w.food_free.empty()) {
        const std::uint32_t id = w.food_free.back();
        w.food_free.pop_back();
        return id;
    }
    w.food_id_to_slot.push_back(no_slot);
    return w.food_next_id++;
}

void food_spawn(world& w) {
    auto& sp = w.food_spawner;
    const auto dt = static_cast<float>(w.cfg.dt);
    const std::uint64_t tk = rng::tick_key(w.rng_key, w.tick, rng::stream::spawn);
    for (std::size_t s = 0; s < sp.size(); ++s) {
        const float owed = sp.carry[s] + sp.rate[s] * dt;
        const float whole = std::floor(owed);
        sp.carry[s] = owed - whole;
        const auto count = static_cast<std::uint32_t>(whole);
        const float x0 = sp.region[4 * s], y0 = sp.region[4 * s + 1];
        const float wx = sp.region[4 * s + 2] - x0, wy = sp.region[4 * s + 3] - y0;
        for (std::uint32_t k = 0; k < count; ++k) {
            const std::uint64_t b = rng::bits(tk, sp.id[s], k);
            const std::uint32_t id = issue_food_id(w);
            const float x = x0 + rng::unit(b) * wx, y = y0 + rng::unit_low(b) * wy;
            w.food_id_to_slot[id] = static_cast<std::uint32_t>(w.food.size());
            w.food.id.push_back(id);
            w.food.pos_x.push_back(x);
            w.food.pos_y.push_back(y);
            w.food.value.push_back(w.cfg.food_value);
            food_index_add(w, id, x, y);
        }
    }
}

} // namespace ecosim
