/// @file motion.cpp
/// @brief System 2: motion, energy burn, wander, hunger time.

#include <ecosim/rng.hpp>
#include <ecosim/systems/grid_cell.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/systems/systems.hpp>

#include <cmath>

namespace ecosim {

namespace {

// Move, reflect, burn: branch-free so that the compiler vectorises it (IEEE add, mul and sqrt
// give the same bits in SIMD lanes as in scalar code; nothing is contracted into an FMA).
void move(std::size_t n, float* __restrict px, float* __restrict py, float* __restrict vx,
          float* vy, float* __restrict en, float* __restrict hb, float dt, float side,
          float burn, float idle, float hunger_line) {
    for (std::size_t i = 0; i < n; ++i) {
        const float wx = vx[i], wy = vy[i];
        const float x0 = px[i] + wx * dt;
        const float y0 = py[i] + wy * dt;
        const float x1 = x0 < 0.0f ? -x0 : x0; // reflect at 0 ...
        const float y1 = y0 < 0.0f ? -y0 : y0;
        px[i] = x1 > side ? side - (x1 - side) : x1; // ... and at side
        py[i] = y1 > side ? side - (y1 - side) : y1;
        // a reflection flips the velocity component (times -1 is exact)
        vx[i] = wx * (x0 < 0.0f ? -1.0f : 1.0f) * (x0 > side ? -1.0f : 1.0f);
        vy[i] = wy * (y0 < 0.0f ? -1.0f : 1.0f) * (y0 > side ? -1.0f : 1.0f);
        const float speed = std::sqrt(wx * wx + wy * wy);
        const float e = en[i] - (burn * speed + idle);
        en[i] = e;
        hb[i] = hb[i] + (e < hunger_line ? dt : 0.0f); // h + 0 == h (h is never -0)
    }
}

} // namespace

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
    // wander first (draw 0 decides; draws 1.. give the new heading, only drawn when turning):
    // scalar, since it calls the generator per row
    for (std::size_t i = 0; i < n; ++i) {
        if (rng::unit(rng::bits(tk, id[i], 0)) < p_turn) {
            const velocity v = random_velocity(tk, id[i], 1, cfg);
            vx[i] = v.x;
            vy[i] = v.y;
        }
    }
    // move in chunks and run pass 1 of the eat query (next_event) on each chunk while its
    // positions and energies are in cache; valid because food_grid, between motion and
    // next_event, only clears bits of the occupancy bitmap (a superset is enough: pass 2 is exact)
    auto& g = w.work;
    const occupancy_geometry occ(cfg);
    g.candidates_ready = false;
    if (g.grid_ready && occ.side < (1u << 24) && g.occupied.size() == occ.words()) {
        auto& cand = g.candidates;
        cand.resize(n);
        std::uint32_t* out = cand.data();
        const std::uint64_t* bits = g.occupied.data();
        std::size_t m = 0;
        for (std::size_t i0 = 0; i0 < n; i0 += 512) {
            const std::size_t len = n - i0 < 512 ? n - i0 : 512;
            move(len, px + i0, py + i0, vx + i0, vy + i0, en + i0, hb + i0, dt, side, burn, idle,
                 hunger_line);
            m = occupancy_filter_chunk(occ, bits, cfg.eat_radius, cfg.reproduce_energy, px, py,
                                       en, i0, len, out, m);
        }
        g.candidates_ready = true;
        g.candidates_count = m;
        g.candidates_rows = n;
        return;
    }
    move(n, px, py, vx, vy, en, hb, dt, side, burn, idle, hunger_line);
}

} // namespace ecosim
