/// @file next_event.cpp
/// @brief System 3b: decide at most one event per creature, with a sub-tick timestamp.
///   starve    when energy <= 0: t = the moment this tick's burn crossed zero;
///   reproduce when energy >= reproduce_energy: t = start of the tick;
///   eat       when food is within eat_radius: nearest wins, ties to the lower food id;
///             t = start + dt * distance / eat_radius (closer food is reached sooner).
/// Events are then sorted by (t, creature_id), the order apply_events processes them in.

#include <ecosim/systems/grid_cell.hpp>
#include <ecosim/systems/systems.hpp>

#include <algorithm>
#include <cmath>

namespace ecosim {

void next_event(world& w) {
    const config& cfg = w.cfg;
    auto& ev = w.work.events;
    ev.clear();
    const auto& c = w.creature;
    const auto& g = w.work;
    const grid_geometry geo(cfg);
    const occupancy_geometry occ(cfg);
    const std::uint64_t* bits = g.occupied.data();
    const double t0 = w.clock_us;
    const double span = dt_us(cfg);
    const auto dt = static_cast<float>(cfg.dt);
    const float idle = cfg.burn_idle * dt;
    const float burn = cfg.burn_move * dt;
    const float r = cfg.eat_radius;
    const float r2 = r * r;
    const float repro = cfg.reproduce_energy;
    const std::uint32_t* start = g.cell_start.data();
    const scratch::food_entry* main_entries = g.cell.data();
    const std::uint32_t* main_ids = g.cell_id.data();
    const grid_geometry ogeo = overflow_geometry(cfg);
    const std::uint32_t* ostart = g.over_start.data();
    const scratch::food_entry* over_entries = g.over_cell.data();
    const std::uint32_t* over_ids = g.over_cell_id.data();
    const std::size_t n = c.size();
    // pass 1, branch-free: which creatures may have an event at all (energy at a threshold, or
    // food possibly within reach by the occupancy bitmap); their slots are compacted into
    // `candidates`, so pass 2 runs over the few that matter without mispredicted branches
    auto& cand = w.work.candidates;
    cand.resize(n);
    std::size_t m = 0;
    {
        const float* en = c.energy.data();
        const float* px = c.pos_x.data();
        const float* py = c.pos_y.data();
        std::uint32_t* out = cand.data();
        const std::uint64_t side = occ.side;
        // food in reach lies in squares sx0..sx1 x sy0..sy1 (monotone rounding); that span is at
        // most 2 x 2 except when rounding widens it, and occupied's bit at (sx0, sy0) covers the
        // 2 x 2 block. Done in chunks: a vectorised loop computes each creature's square and a
        // "candidate anyway" flag (wide span, energy at a threshold), then a scalar loop tests
        // the bits and compacts. The vector loop converts with int32, exact while side < 2^24.
        if (w.work.candidates_ready && w.work.candidates_rows == n) {
            // motion computed the list with the bitmap before food_grid, which only clears bits
            m = w.work.candidates_count;
        } else if (occ.side < (1u << 24)) {
            for (std::size_t i0 = 0; i0 < n; i0 += 512)
                m = occupancy_filter_chunk(occ, bits, r, repro, px, py, en, i0,
                                           std::min<std::size_t>(512, n - i0), out, m);
        } else {
            for (std::size_t i = 0; i < n; ++i) {
                const float x = px[i], y = py[i], e = en[i];
                const std::uint32_t sx0 = occ.axis(x - r), sx1 = occ.axis(x + r);
                const std::uint32_t sy0 = occ.axis(y - r), sy1 = occ.axis(y + r);
                const bool any = test_bit(bits, std::uint64_t{sy0} * side + sx0) |
                                 (sx1 - sx0 > 1) | (sy1 - sy0 > 1);
                out[m] = static_cast<std::uint32_t>(i);
                m += static_cast<std::size_t>(any | (e <= 0.0f) | (e >= repro));
            }
        }
    }
    w.work.candidates_ready = false;
    // pass 2: the event of each candidate
    for (std::size_t j = 0; j < m; ++j) {
        const std::size_t i = cand[j];
        const float e = c.energy[i];
        const std::uint32_t cid = c.id[i];
        if (e <= 0.0f) {
            const float vx = c.vel_x[i], vy = c.vel_y[i];
            const float spent = burn * std::sqrt(vx * vx + vy * vy) + idle;
            const float before = e + spent;
            double frac = spent > 0.0f ? static_cast<double>(before) / static_cast<double>(spent) : 0.0;
            frac = std::clamp(frac, 0.0, 1.0);
            ev.push_back({t0 + span * frac, cid, no_id, event_kind::starve});
            continue;
        }
        if (e >= repro) {
            ev.push_back({t0, cid, no_id, event_kind::reproduce});
            continue;
        }
        const float x = c.pos_x[i], y = c.pos_y[i];
        // cells ax0..ax1 of one grid row are adjacent in cell order, so each row's candidates
        // are one contiguous range: at most 2 ranges in the main grid, 2 in the overflow
        float best = r2;
        std::uint32_t best_id = no_id;
        auto scan = [&](const grid_geometry& gg, const std::uint32_t* st,
                        const scratch::food_entry* fe, const std::uint32_t* ids) {
            const std::uint32_t ax0 = gg.axis(x - r), ax1 = gg.axis(x + r);
            const std::uint32_t ay0 = gg.axis(y - r), ay1 = gg.axis(y + r);
            for (std::uint32_t cy = ay0; cy <= ay1; ++cy) {
                const std::uint32_t row = cy * gg.side;
                const std::uint32_t end = st[row + ax1 + 1];
                for (std::uint32_t k = st[row + ax0]; k < end; ++k) {
                    const float dx = fe[k].x - x, dy = fe[k].y - y;
                    const float d2 = dx * dx + dy * dy; // +inf for a removed entry
                    // better: d2 < best, or d2 == best and a lower id (rarely taken: most
                    // entries are out of reach, so the id is read only for the few within)
                    if (d2 <= best) {
                        const std::uint32_t fid = ids[k];
                        if (d2 < best || fid < best_id) {
                            best = d2;
                            best_id = fid;
                        }
                    }
                }
            }
        };
        scan(geo, start, main_entries, main_ids);
        scan(ogeo, ostart, over_entries, over_ids);
        if (best_id != no_id) {
            const double frac = std::sqrt(static_cast<double>(best)) / static_cast<double>(r);
            ev.push_back({t0 + span * frac, cid, best_id, event_kind::eat});
        }
    }
    std::sort(ev.begin(), ev.end(), [](const scratch::event_rec& a, const scratch::event_rec& b) {
        return a.t < b.t || (a.t == b.t && a.creature_id < b.creature_id);
    });
    auto& pe = w.pending_event;
    pe.clear();
    for (const auto& e : ev) {
        pe.t.push_back(e.t);
        pe.kind.push_back(static_cast<std::uint8_t>(e.kind));
        pe.creature_id.push_back(e.creature_id);
        pe.target_id.push_back(e.target_id);
    }
}

} // namespace ecosim
