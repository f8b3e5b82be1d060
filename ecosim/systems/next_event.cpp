/// @file next_event.cpp
/// @brief System 3b: decide at most one event per creature (event_rules.hpp), with a sub-tick
/// timestamp:
///   starve    t = the moment this tick's burn crossed zero;
///   reproduce t = start of the tick;
///   eat       t = start + dt * distance / eat_reach (closer food is reached sooner).
/// Events are then sorted by (t, creature_id), the order apply_events processes them in.

#include <ecosim/eat_query/eat_query.hpp>
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
void sort_events(column<event_buffers::record>& ev, column<event_buffers::record>& tmp) {
    for (int b = 0; b < 32; b += 8)
        radix_pass(ev, tmp,
                   [b](const event_buffers::record& e) { return (e.creature_id >> b) & 0xFFu; });
    for (int b = 0; b < 64; b += 8)
        radix_pass(ev, tmp, [b](const event_buffers::record& e) {
            return static_cast<std::uint32_t>((std::bit_cast<std::uint64_t>(e.t) >> b) & 0xFFu);
        });
}

} // namespace

void next_event(world& w, prefilter_result pre) {
    const config& cfg = w.cfg;
    auto& ev = w.work.events.list;
    ev.clear();
    const auto& c = w.creature;
    const double t0 = w.clock_us;
    const double span = dt_us(cfg);
    const auto dt = static_cast<float>(cfg.dt);
    const float idle = cfg.burn_idle * dt;
    const float burn = cfg.burn_move * dt;
    const float r = eat_reach(cfg);
    // the creatures that may have an event, each with the nearest food within reach
    const eat_candidates cand = find_eat_candidates(w, pre);
    const std::size_t m = cand.size;
    const auto* const best_d2 = cand.best_d2;
    const auto* const best_id = cand.best_id;
    // the event of each; a row's other columns are read only when it has an event
    const event_rules rules(cfg);
    for (std::size_t j = 0; j < m; ++j) {
        const std::size_t i = cand.slot[j];
        const float e = cand.energy[j];
        event_kind kind = event_kind::eat; // set by decide() when it returns true
        if (!rules.decide(e, best_id[j] != no_id, kind)) continue;
        switch (kind) {
        case event_kind::starve: { // t: the moment this tick's burn crossed zero
            const float vx = c.vel_x[i], vy = c.vel_y[i];
            const float spent = burn * std::sqrt(vx * vx + vy * vy) + idle;
            const float before = e + spent;
            double frac =
                spent > 0.0f ? static_cast<double>(before) / static_cast<double>(spent) : 0.0;
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
    sort_events(ev, w.work.events.tmp);
    auto& pe = w.pending_event;
    pe.clear();
    for (const auto& e : ev)
        pe.push({.t = e.t,
                 .kind = static_cast<std::uint8_t>(e.kind),
                 .creature_id = e.creature_id,
                 .target_id = e.target_id});
}

} // namespace ecosim
