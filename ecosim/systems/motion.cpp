/// @file motion.cpp
/// @brief System 2: motion, energy burn, wander, hunger time. A chunk hook (the eat query's
/// prefilter, eat_query/prefilter.hpp) sees every moved row while it is in cache.

#include <ecosim/eat_query/prefilter.hpp>
#include <ecosim/isa.hpp>
#include <ecosim/rng.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/systems/systems.hpp>

#include <bit>
#include <cmath>
#include <cstring>

namespace ecosim {

namespace {

constexpr std::size_t chunk = 512;

struct motion_args {
    std::size_t n;
    const std::uint32_t* id;
    float *px, *py, *vx, *vy, *en, *hb;
    float dt, side, burn, idle, hunger_line;
    std::uint64_t wander_key; ///< rng::tick_key of this tick's wander stream
    std::uint64_t turn_below; ///< turn when draw 0's top 24 bits are below this
    const config* cfg;
};

/// rng::unit(b) < p  <=>  (b >> 40) * 2^-24 < p  <=>  (b >> 40) < ceil(p * 2^24): the turn
/// decision as an integer comparison, so that it vectorises with the generator.
std::uint64_t turn_threshold(float p) {
    const double t = static_cast<double>(p) * 16777216.0; // exact
    if (!(t > 0.0)) return 0;                             // also NaN: never turn
    if (t > 16777216.0) return 16777217;                  // always turn
    return static_cast<std::uint64_t>(std::ceil(t));
}

// Move, reflect, burn: branch-free so that the compiler vectorises it (IEEE add, mul and sqrt
// give the same bits in SIMD lanes as in scalar code; nothing is contracted into an FMA).
// The hook sees each row's new position and energy (row k of the chunk), still in registers.
template <typename Hook>
[[gnu::always_inline]] inline void move(std::size_t n, float* __restrict px, float* __restrict py,
                                        float* __restrict vx, float* vy, float* __restrict en,
                                        float* __restrict hb, float dt, float side, float burn,
                                        float idle, float hunger_line, Hook& hook) {
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
        hook.row(i, px[i], py[i], e);
    }
}

/// Wander and move chunk by chunk, then the hook's chunk() (each chunk's rows stay in cache
/// between the steps). Wander: draw 0 decides (vectorised: the generator is integer
/// arithmetic), draws 1.. give the new heading, only for the few rows that turn.
template <typename Hook> [[gnu::always_inline]] inline void run(const motion_args& a, Hook& hook) {
    static_assert(Hook::max_chunk >= chunk);
    for (std::size_t i0 = 0; i0 < a.n; i0 += chunk) {
        const std::size_t len = a.n - i0 < chunk ? a.n - i0 : chunk;
        const std::uint32_t* id = a.id + i0;
        alignas(64) std::uint8_t turn[chunk];
        for (std::size_t k = 0; k < len; ++k)
            turn[k] = (rng::bits(a.wander_key, id[k], 0) >> 40) < a.turn_below;
        for (std::size_t k = len; k % 8 != 0; ++k) turn[k] = 0;
        // ~2 % turn: look at eight flags (bytes 0 or 1) at a time, visit the set ones
        for (std::size_t k0 = 0; k0 < len; k0 += 8) {
            std::uint64_t flags = 0;
            std::memcpy(&flags, turn + k0, 8);
            while (flags != 0) {
                const std::size_t k = k0 + static_cast<std::size_t>(std::countr_zero(flags) >> 3);
                flags &= flags - 1;
                const velocity v = random_velocity(a.wander_key, id[k], 1, *a.cfg);
                a.vx[i0 + k] = v.x;
                a.vy[i0 + k] = v.y;
            }
        }
        move(len, a.px + i0, a.py + i0, a.vx + i0, a.vy + i0, a.en + i0, a.hb + i0, a.dt, a.side,
             a.burn, a.idle, a.hunger_line, hook);
        hook.chunk(i0, len, a.px, a.py, a.en);
    }
}

/// Motion at instruction-set level @p Level, with the eat query's prefilter when it is ready.
template <isa Level>
[[gnu::always_inline]] inline prefilter_result run_level(world& w, const motion_args& a) {
    if (prefilter_ready(w)) {
        prefilter<Level> hook(w);
        run(a, hook);
        return hook.finish();
    }
    no_chunk_hook hook;
    run(a, hook);
    return {};
}

prefilter_result run_baseline(world& w, const motion_args& a) {
    return run_level<isa::baseline>(w, a);
}
#if ECOSIM_HAVE_ISA_LEVELS
ECOSIM_TARGET_V3 prefilter_result run_v3(world& w, const motion_args& a) {
    return run_level<isa::v3>(w, a);
}
ECOSIM_TARGET_V4 prefilter_result run_v4(world& w, const motion_args& a) {
    return run_level<isa::v4>(w, a);
}
#endif

} // namespace

prefilter_result motion(world& w) {
    const config& cfg = w.cfg;
    auto& c = w.creature;
    const auto dt = static_cast<float>(cfg.dt);
    const motion_args a{c.size(),
                        c.id.data(),
                        c.pos_x.data(),
                        c.pos_y.data(),
                        c.vel_x.data(),
                        c.vel_y.data(),
                        c.energy.data(),
                        c.hunger_buildup.data(),
                        dt,
                        cfg.world_size,
                        cfg.burn_move * dt,
                        cfg.burn_idle * dt,
                        cfg.hunger_line,
                        rng::tick_key(w.rng_key, w.tick, rng::stream::wander),
                        turn_threshold(cfg.turn_rate * dt),
                        &cfg};
    switch (w.work.isa_level) {
#if ECOSIM_HAVE_ISA_LEVELS
    case isa::v4: return run_v4(w, a);
    case isa::v3: return run_v3(w, a);
#endif
    default: return run_baseline(w, a);
    }
}

} // namespace ecosim
