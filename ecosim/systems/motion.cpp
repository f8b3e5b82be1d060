/// @file motion.cpp
/// @brief System 2: motion, energy burn, wander, hunger time; and pass 1 of the eat query.

#include <ecosim/isa.hpp>
#include <ecosim/rng.hpp>
#include <ecosim/kernels/compact.hpp>
#include <ecosim/eat_query/summary.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/kernels/prefetch.hpp>
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
    std::uint64_t wander_key;  ///< rng::tick_key of this tick's wander stream
    std::uint64_t turn_below;  ///< turn when draw 0's top 24 bits are below this
    const config* cfg;
    event_rules rules;
    // pass 1 of the eat query; summaries == nullptr: skip it
    const summary::geometry* quant;
    const std::uint64_t* summaries;
    const summary::food_list* lists; ///< of the windows whose summary is a list
    std::uint32_t* candidates;
    float *cand_x, *cand_y, *cand_e; ///< the candidates' new pos_x, pos_y, energy
};

/// rng::unit(b) < p  <=>  (b >> 40) * 2^-24 < p  <=>  (b >> 40) < ceil(p * 2^24): the turn
/// decision as an integer comparison, so that it vectorises with the generator.
std::uint64_t turn_threshold(float p) {
    const double t = static_cast<double>(p) * 16777216.0; // exact
    if (!(t > 0.0)) return 0;                              // also NaN: never turn
    if (t > 16777216.0) return 16777217;                    // always turn
    return static_cast<std::uint64_t>(std::ceil(t));
}

// Move, reflect, burn: branch-free so that the compiler vectorises it (IEEE add, mul and sqrt
// give the same bits in SIMD lanes as in scalar code; nothing is contracted into an FMA).
template <bool with_boxes>
[[gnu::always_inline]] inline void move(std::size_t n, float* __restrict px,
                                        float* __restrict py, float* __restrict vx, float* vy,
                                        float* __restrict en, float* __restrict hb, float dt,
                                        float side, float burn, float idle, float hunger_line,
                                        const summary::geometry& g,
                                        const event_rules& rules, summary::boxes& b) {
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
        if constexpr (with_boxes) box_of(g, rules, px[i], py[i], e, i, b);
    }
}

/// Wander, move and pass 1, chunk by chunk (each chunk's rows stay in cache between the
/// steps). Wander: draw 0 decides (vectorised: the generator is integer arithmetic), draws
/// 1.. give the new heading, only for the few rows that turn. Pass 1 runs here, while the
/// positions are in cache; valid because the food does not change between motion and
/// next_event (food_grid only re-indexes it).
template <isa level> [[gnu::always_inline]] inline std::size_t run(const motion_args& a) {
    std::size_t m = 0;
    alignas(64) std::uint32_t pass[chunk];
    summary::boxes boxes;
    for (std::size_t i0 = 0; i0 < a.n; i0 += chunk) {
        const std::size_t len = a.n - i0 < chunk ? a.n - i0 : chunk;
        const std::uint32_t* id = a.id + i0;
        alignas(64) std::uint8_t turn[chunk];
        for (std::size_t k = 0; k < len; ++k)
            turn[k] = (rng::bits(a.wander_key, id[k], 0) >> 40) < a.turn_below;
        for (std::size_t k = len; k % 8 != 0; ++k) turn[k] = 0;
        // ~2 % turn: look at eight flags (bytes 0 or 1) at a time, visit the set ones
        for (std::size_t k0 = 0; k0 < len; k0 += 8) {
            std::uint64_t flags;
            std::memcpy(&flags, turn + k0, 8);
            while (flags != 0) {
                const std::size_t k = k0 + static_cast<std::size_t>(std::countr_zero(flags) >> 3);
                flags &= flags - 1;
                const velocity v = random_velocity(a.wander_key, id[k], 1, *a.cfg);
                a.vx[i0 + k] = v.x;
                a.vy[i0 + k] = v.y;
            }
        }
        if (!a.summaries) {
            move<false>(len, a.px + i0, a.py + i0, a.vx + i0, a.vy + i0, a.en + i0, a.hb + i0,
                        a.dt, a.side, a.burn, a.idle, a.hunger_line, *a.quant, a.rules, boxes);
            continue;
        }
        // the boxes of pass 1 are computed in the move loop, on the new positions and energies
        move<true>(len, a.px + i0, a.py + i0, a.vx + i0, a.vy + i0, a.en + i0, a.hb + i0, a.dt,
                   a.side, a.burn, a.idle, a.hunger_line, *a.quant, a.rules, boxes);
        summary::test_boxes(a.summaries, boxes, len, pass);
        const auto first = static_cast<std::uint32_t>(i0);
        const std::size_t m0 = m;
        if constexpr (level == isa::v4) m = compact_avx512(pass, len, first, a.candidates, m);
        else if constexpr (level == isa::v3) m = compact_avx2(pass, len, first, a.candidates, m);
        else m = compact(pass, len, first, a.candidates, m);
        // the survivors again, against the reach disk (eat_query/summary.hpp: near_disk): their
        // inputs gathered, tested in a loop that vectorises, compacted
        const std::size_t got = m - m0;
        alignas(64) float sx[chunk], sy[chunk];
        alignas(64) std::uint64_t sv[chunk];
        alignas(64) std::uint32_t sf[chunk];
        for (std::size_t t = 0; t < got; ++t) {
            const std::uint32_t i = a.candidates[m0 + t];
            const std::size_t k = i - i0;
            sx[t] = a.px[i];
            sy[t] = a.py[i];
            sv[t] = a.summaries[boxes.at[k]];
            sf[t] = boxes.force[k];
            // a window with 5..12 food keeps them in a list, read below
            if (summary::is_list(sv[t])) prefetch(&a.lists[summary::list_index(sv[t])]);
        }
        for (std::size_t t = 0; t < got; ++t)
            pass[t] = sf[t] | static_cast<std::uint32_t>(summary::near_disk(*a.quant, sv[t], sx[t], sy[t]));
        for (std::size_t t = 0; t < got; ++t)
            if (summary::is_list(sv[t]) && sf[t] == 0)
                pass[t] = summary::near_list(*a.quant, a.lists[summary::list_index(sv[t])], sx[t], sy[t]);
        // with the values next_event reads, while they are in cache
        std::size_t kept = m0;
        for (std::size_t t = 0; t < got; ++t) {
            const std::uint32_t i = a.candidates[m0 + t];
            a.candidates[kept] = i;
            a.cand_x[kept] = sx[t];
            a.cand_y[kept] = sy[t];
            a.cand_e[kept] = a.en[i];
            kept += pass[t] != 0;
        }
        m = kept;
    }
    return m;
}

std::size_t run_baseline(const motion_args& a) { return run<isa::baseline>(a); }
#if ECOSIM_HAVE_ISA_LEVELS
ECOSIM_TARGET_V3 std::size_t run_v3(const motion_args& a) { return run<isa::v3>(a); }
ECOSIM_TARGET_V4 std::size_t run_v4(const motion_args& a) { return run<isa::v4>(a); }
#endif

} // namespace

void motion(world& w) {
    const config& cfg = w.cfg;
    auto& c = w.creature;
    auto& g = w.work;
    const auto dt = static_cast<float>(cfg.dt);
    const summary::geometry& quant = g.summary_geometry; // set with the index (grid_ready)
    const std::size_t n = c.size();
    const bool pass1 = g.grid_ready && quant.usable && !g.no_prefilter;
    if (pass1) {
        g.candidates.resize(n + 16); // compact() may write 16 past the end
        g.candidate_x.resize(n);
        g.candidate_y.resize(n);
        g.candidate_energy.resize(n);
    }
    const motion_args a{n,
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
                        &cfg,
                        event_rules(cfg),
                        &quant,
                        pass1 ? g.food_summary.data() : nullptr,
                        g.food_lists.data(),
                        pass1 ? g.candidates.data() : nullptr,
                        g.candidate_x.data(),
                        g.candidate_y.data(),
                        g.candidate_energy.data()};
    std::size_t m = 0;
    switch (g.isa_level) {
#if ECOSIM_HAVE_ISA_LEVELS
    case isa::v4: m = run_v4(a); break;
    case isa::v3: m = run_v3(a); break;
#endif
    default: m = run_baseline(a); break;
    }
    g.candidates_ready = pass1;
    g.candidates_count = m;
    g.candidates_rows = n;
}

} // namespace ecosim
