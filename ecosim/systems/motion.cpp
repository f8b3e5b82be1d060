/// @file motion.cpp
/// @brief System 2: motion, energy burn, wander, hunger time.

#include <ecosim/rng.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/systems/systems.hpp>

#include <cmath>

namespace ecosim {

void motion(world& w) {
    const config& cfg = w.cfg;
    auto& c = w.creature;
    const auto dt = static_cast<float>(cfg.dt);
    const float side = cfg.world_size;
    const float p_turn = cfg.turn_rate * dt;
    const float idle = cfg.burn_idle * dt;
    const float burn = cfg.burn_move * dt;
    const float hunger_line = cfg.hunger_line;
    const std::uint64_t tk = rng::tick_key(w.rng_key, w.tick, rng::stream::wander);
    const std::size_t n = c.size();
    const std::uint32_t* id = c.id.data();
    float* px = c.pos_x.data();
    float* py = c.pos_y.data();
    float* vx = c.vel_x.data();
    float* vy = c.vel_y.data();
    float* en = c.energy.data();
    float* hb = c.hunger_buildup.data();
    for (std::size_t i = 0; i < n; ++i) {
        // wander: draw 0 decides, draws 1.. give the new heading (only drawn when turning)
        if (rng::unit(rng::bits(tk, id[i], 0)) < p_turn) {
            const velocity v = random_velocity(tk, id[i], 1, cfg);
            vx[i] = v.x;
            vy[i] = v.y;
        }
        float x = px[i] + vx[i] * dt;
        float y = py[i] + vy[i] * dt;
        if (x < 0.0f) { x = -x; vx[i] = -vx[i]; }
        else if (x > side) { x = side - (x - side); vx[i] = -vx[i]; }
        if (y < 0.0f) { y = -y; vy[i] = -vy[i]; }
        else if (y > side) { y = side - (y - side); vy[i] = -vy[i]; }
        px[i] = x;
        py[i] = y;
        const float speed = std::sqrt(vx[i] * vx[i] + vy[i] * vy[i]);
        const float e = en[i] - (burn * speed + idle);
        en[i] = e;
        if (e < hunger_line) hb[i] += dt;
    }
}

} // namespace ecosim
