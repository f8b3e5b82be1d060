/// @file food_spawn.cpp
/// @brief System 1: food spawners.

#include <ecosim/eat_query/eat_query.hpp>
#include <ecosim/error.hpp>
#include <ecosim/ids.hpp>
#include <ecosim/kernels/prefetch.hpp>
#include <ecosim/rng.hpp>
#include <ecosim/systems/systems.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace ecosim {

void food_spawn(world& w) {
    auto& sp = w.food_spawner;
    auto& g = w.work;
    const auto dt = static_cast<float>(w.cfg.dt);
    const std::uint64_t tk = rng::tick_key(w.rng_key, w.tick, rng::stream::spawn);
    auto owed = [&](std::size_t s) { return sp.carry[s] + sp.rate[s] * dt; };
    // the food table stays below max_rows: refused before anything changes (rate and carry are
    // finite and >= 0, check_invariants, so every count below is a whole number >= 0 that the
    // cast to u32 holds)
    double due = 0;
    for (std::size_t s = 0; s < sp.size(); ++s) due += std::floor(owed(s));
    if (!(static_cast<double>(w.food.size()) + due <= static_cast<double>(max_rows)))
        throw error(errc::capacity, "food",
                    "spawning " + show(due) + " food at tick " + std::to_string(w.tick) +
                        " would pass 2^31 rows");
    // first the positions of this tick's food, in (spawner, draw) order ...
    g.spawn_x.clear();
    g.spawn_y.clear();
    for (std::size_t s = 0; s < sp.size(); ++s) {
        const float o = owed(s);
        const float whole = std::floor(o);
        sp.carry[s] = o - whole;
        const auto count = static_cast<std::uint32_t>(whole);
        const float x0 = sp.region[4 * s], y0 = sp.region[4 * s + 1];
        const float wx = sp.region[4 * s + 2] - x0, wy = sp.region[4 * s + 3] - y0;
        for (std::uint32_t k = 0; k < count; ++k) {
            const std::uint64_t b = rng::bits(tk, sp.id[s], k);
            g.spawn_x.push_back(x0 + rng::unit(b) * wx);
            g.spawn_y.push_back(y0 + rng::unit_low(b) * wy);
        }
    }
    // ... then the insertions, in the same order, each requesting the id map entry of the one
    // `ahead` places later (when its id is a recycled one), so that their misses overlap while
    // their lines stay in cache until used; then the eat query indexes the new rows.
    const std::size_t n = g.spawn_x.size();
    constexpr std::size_t ahead = 16;
    // insertion j, asked for when `done` insertions have taken their ids from the free list
    auto request = [&](std::size_t j, std::size_t done) {
        if (j >= n) return;
        const std::uint32_t id = next_food_id(w, j - done); // no_id: a fresh one
        if (id != no_id) prefetch(&w.food_id_to_slot[id]);
    };
    const std::size_t first = w.food.size();
    for (std::size_t k = 0; k < ahead; ++k) request(k, 0);
    for (std::size_t k = 0; k < n; ++k) {
        request(k + ahead, k);
        const float x = g.spawn_x[k], y = g.spawn_y[k];
        const std::uint32_t id = issue_food_id(w);
        w.food_id_to_slot[id] = static_cast<std::uint32_t>(w.food.size());
        w.food.push({.id = id, .pos_x = x, .pos_y = y, .value = w.cfg.food_value});
    }
    food_index_add_rows(w, first);
}

} // namespace ecosim
