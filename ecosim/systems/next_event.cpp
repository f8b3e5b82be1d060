/// @file next_event.cpp
/// @brief System 3b: decide at most one event per creature (event_rules.hpp), with a sub-tick
/// timestamp:
///   starve    t = the moment this tick's burn crossed zero;
///   reproduce t = start of the tick;
///   eat       t = start + dt * distance / eat_reach (closer food is reached sooner).
/// Events are then sorted by (t, creature_id), the order apply_events processes them in.

#include <ecosim/kernels/compact.hpp>
#include <ecosim/eat_query/summary.hpp>
#include <ecosim/kernels/grid_cell.hpp>
#include <ecosim/eat_query/nearest_food.hpp>
#include <ecosim/kernels/radix_pass.hpp>
#include <ecosim/systems/systems.hpp>

#include <algorithm>
#include <bit>
#include <cmath>

namespace ecosim {

namespace {

/// LSD radix sort of the events by (t, creature_id): stably by creature_id, then stably by the
/// bits of t (t >= 0, never -0: its IEEE bits order like its values), a byte per pass; a pass
/// whose byte is the same in every key (most of t's high bytes) is skipped.
void sort_events(column<scratch::event_rec>& ev, column<scratch::event_rec>& tmp) {
    for (int b = 0; b < 32; b += 8)
        radix_pass(ev, tmp, [b](const scratch::event_rec& e) { return (e.creature_id >> b) & 0xFFu; });
    for (int b = 0; b < 64; b += 8)
        radix_pass(ev, tmp, [b](const scratch::event_rec& e) {
            return static_cast<std::uint32_t>((std::bit_cast<std::uint64_t>(e.t) >> b) & 0xFFu);
        });
}

} // namespace

void next_event(world& w) {
    const config& cfg = w.cfg;
    auto& ev = w.work.events;
    ev.clear();
    const auto& c = w.creature;
    const auto& g = w.work;
    const double t0 = w.clock_us;
    const double span = dt_us(cfg);
    const auto dt = static_cast<float>(cfg.dt);
    const float idle = cfg.burn_idle * dt;
    const float burn = cfg.burn_move * dt;
    const float r = eat_reach(cfg);
    const std::size_t n = c.size();
    // pass 1: which creatures may have an event at all (energy at a threshold, or a food of
    // their window's summary inside the reach box, eat_query/summary.hpp); their slots are compacted
    // into `candidates`, so pass 2 runs over the few that matter. Usually motion did it.
    std::size_t m = 0;
    const summary::geometry& quant = g.summary_geometry; // build_food_grid() has run
    auto& cand_slot = w.work.candidates;
    if (g.candidates_ready && g.candidates_rows == n) {
        m = g.candidates_count;
    } else if (quant.usable && !g.no_prefilter) {
        cand_slot.resize(n + 16); // compact() may write 16 past the end
        std::uint32_t pass[512];
        for (std::size_t i0 = 0; i0 < n; i0 += 512) {
            const std::size_t len = std::min<std::size_t>(512, n - i0);
            summary::filter_chunk(quant, g.food_summary.data(), event_rules(cfg), c.pos_x.data(),
                                  c.pos_y.data(), c.energy.data(), i0, len, pass);
            m = compact(pass, len, static_cast<std::uint32_t>(i0), cand_slot.data(), m);
        }
    } else { // every creature is a candidate
        cand_slot.resize(n);
        for (std::size_t i = 0; i < n; ++i) cand_slot[i] = static_cast<std::uint32_t>(i);
        m = n;
    }
    // the candidates' positions and energies (motion copied them out with the slots; else
    // gathered here: independent loads that overlap, most of them cache misses)
    auto& gx = w.work.candidate_x;
    auto& gy = w.work.candidate_y;
    auto& ge = w.work.candidate_energy;
    if (!g.candidates_ready || g.candidates_rows != n) {
        gx.resize(m);
        gy.resize(m);
        ge.resize(m);
        for (std::size_t j = 0; j < m; ++j) {
            const std::uint32_t i = cand_slot[j];
            gx[j] = c.pos_x[i];
            gy[j] = c.pos_y[i];
            ge[j] = c.energy[i];
        }
    }
    w.work.candidates_ready = false;
    // pass 2: the nearest food within reach of every candidate (nearest_food.hpp), then the
    // event of each. A row's other columns are read only when it has an event.
    auto& best_d2 = w.work.candidate_best_d2;
    auto& best_id = w.work.candidate_best_id;
    best_d2.resize(m);
    best_id.resize(m);
    nearest_food(food_index_view(w), gx.data(), gy.data(), m, best_d2.data(), best_id.data());
    const event_rules rules(cfg);
    for (std::size_t j = 0; j < m; ++j) {
        const std::size_t i = cand_slot[j];
        const float e = ge[j];
        event_kind kind;
        if (!rules.decide(e, best_id[j] != no_id, kind)) continue;
        switch (kind) {
        case event_kind::starve: { // t: the moment this tick's burn crossed zero
            const float vx = c.vel_x[i], vy = c.vel_y[i];
            const float spent = burn * std::sqrt(vx * vx + vy * vy) + idle;
            const float before = e + spent;
            double frac = spent > 0.0f ? static_cast<double>(before) / static_cast<double>(spent) : 0.0;
            frac = std::clamp(frac, 0.0, 1.0);
            ev.push_back({t0 + span * frac, c.id[i], no_id, kind});
            break;
        }
        case event_kind::reproduce: ev.push_back({t0, c.id[i], no_id, kind}); break;
        case event_kind::eat: { // closer food is reached sooner
            const double frac = std::sqrt(static_cast<double>(best_d2[j])) / static_cast<double>(r);
            ev.push_back({t0 + span * frac, c.id[i], best_id[j], kind});
            break;
        }
        }
    }
    sort_events(ev, w.work.events_tmp);
    auto& pe = w.pending_event;
    pe.clear();
    for (const auto& e : ev)
        pe.push({.t = e.t, .kind = static_cast<std::uint8_t>(e.kind), .creature_id = e.creature_id,
                 .target_id = e.target_id});
}

} // namespace ecosim
