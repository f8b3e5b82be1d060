/// @file next_event.cpp
/// @brief System 3b: decide at most one event per creature, with a sub-tick timestamp.
///   starve    when energy <= 0: t = the moment this tick's burn crossed zero;
///   reproduce when energy >= reproduce_energy: t = start of the tick;
///   eat       when food is within eat_radius: nearest wins, ties to the lower food id;
///             t = start + dt * distance / eat_radius (closer food is reached sooner).
/// Events are then sorted by (t, creature_id), the order apply_events processes them in.

#include <ecosim/systems/compact.hpp>
#include <ecosim/systems/food_summary.hpp>
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
    // pass 1: which creatures may have an event at all (energy at a threshold, or a food of
    // the cell summaries inside the reach box, food_summary.hpp); their slots are compacted
    // into `candidates`, so pass 2 runs over the few that matter. Usually motion did it.
    std::size_t m = 0;
    const summary::geometry quant(cfg);
    auto& cand_slot = w.work.candidates;
    if (g.candidates_ready && g.candidates_rows == n) {
        m = g.candidates_count;
    } else if (quant.usable && !g.no_prefilter) {
        cand_slot.resize(n + 16); // compact() may write 16 past the end
        std::uint32_t pass[512];
        for (std::size_t i0 = 0; i0 < n; i0 += 512) {
            const std::size_t len = std::min<std::size_t>(512, n - i0);
            summary::filter_chunk(quant, g.food_summary.data(), repro, c.pos_x.data(),
                                  c.pos_y.data(), c.energy.data(), i0, len, pass);
            m = compact(pass, len, static_cast<std::uint32_t>(i0), cand_slot.data(), m);
        }
    } else { // every creature is a candidate
        cand_slot.resize(n);
        for (std::size_t i = 0; i < n; ++i) cand_slot[i] = static_cast<std::uint32_t>(i);
        m = n;
    }
    // the candidates' positions and energies, gathered once: independent loads that overlap
    // (candidates are a few percent of the rows, so most are cache misses)
    auto& gx = w.work.candidate_x;
    auto& gy = w.work.candidate_y;
    auto& ge = w.work.candidate_energy;
    gx.resize(m);
    gy.resize(m);
    ge.resize(m);
    for (std::size_t j = 0; j < m; ++j) {
        const std::uint32_t i = cand_slot[j];
        gx[j] = c.pos_x[i];
        gy[j] = c.pos_y[i];
        ge[j] = c.energy[i];
    }
    w.work.candidates_ready = false;
    // pass 2: the event of each candidate, in blocks. Step A (no data-dependent branches)
    // reads the index ranges of every candidate of the block: the bounds of the main grid's
    // rows ay0 and ay1 and of the overflow's (an empty second range when the box spans one
    // row), so the cell-start loads of different candidates overlap instead of waiting behind
    // each other's scan loops; it also requests the first main entries, and the cell starts of
    // the next block (candidates are a few percent of the rows, so these are cache misses).
    // Step B scans. Positions and energies come from pass 1's copies; a row's other columns
    // are read only when it has an event.
    constexpr std::size_t block = 256;
    std::uint32_t rng_b[block][4], rng_e[block][4];
    bool rows3[block]; // box over more than two rows of either grid (only when cells < 2 r)
    auto ranges = [&](const grid_geometry& gg, const std::uint32_t* st, float x, float y,
                      std::uint32_t* rb, std::uint32_t* re) {
        const std::uint32_t ax0 = gg.axis(x - r), ax1 = gg.axis(x + r);
        const std::uint32_t ay0 = gg.axis(y - r), ay1 = gg.axis(y + r);
        const std::uint32_t row0 = ay0 * gg.side, row1 = ay1 * gg.side;
        rb[0] = st[row0 + ax0];
        re[0] = st[row0 + ax1 + 1];
        const std::uint32_t b1 = st[row1 + ax0], e1 = st[row1 + ax1 + 1];
        rb[1] = b1;
        re[1] = ay1 != ay0 ? e1 : b1;
        return ay1 - ay0 > 1;
    };
    const std::uint32_t* cand = g.candidates.data();
    const float* cand_x = g.candidate_x.data();
    const float* cand_y = g.candidate_y.data();
    const float* cand_e = g.candidate_energy.data();
    auto prefetch_starts = [&](std::size_t j) {
        const float x = cand_x[j], y = cand_y[j];
        const std::uint32_t ax0 = geo.axis(x - r), ay0 = geo.axis(y - r), ay1 = geo.axis(y + r);
        __builtin_prefetch(start + ay0 * geo.side + ax0);
        __builtin_prefetch(start + ay1 * geo.side + ax0);
    };
    for (std::size_t j = 0; j < std::min(block, m); ++j) prefetch_starts(j);
    for (std::size_t j0 = 0; j0 < m; j0 += block) {
        const std::size_t len = std::min(block, m - j0);
        for (std::size_t j = j0 + block; j < std::min(j0 + 2 * block, m); ++j) prefetch_starts(j);
        for (std::size_t k = 0; k < len; ++k) {
            const float x = cand_x[j0 + k], y = cand_y[j0 + k];
            const bool w0 = ranges(geo, start, x, y, rng_b[k], rng_e[k]);
            const bool w1 = ranges(ogeo, ostart, x, y, rng_b[k] + 2, rng_e[k] + 2);
            rows3[k] = w0 | w1;
            __builtin_prefetch(main_entries + rng_b[k][0]);
        }
        for (std::size_t k = 0; k < len; ++k) {
            const std::size_t i = cand[j0 + k];
            const float e = cand_e[j0 + k];
            if (e <= 0.0f) {
                const float vx = c.vel_x[i], vy = c.vel_y[i];
                const float spent = burn * std::sqrt(vx * vx + vy * vy) + idle;
                const float before = e + spent;
                double frac = spent > 0.0f ? static_cast<double>(before) / static_cast<double>(spent) : 0.0;
                frac = std::clamp(frac, 0.0, 1.0);
                ev.push_back({t0 + span * frac, c.id[i], no_id, event_kind::starve});
                continue;
            }
            if (e >= repro) {
                ev.push_back({t0, c.id[i], no_id, event_kind::reproduce});
                continue;
            }
            const float x = cand_x[j0 + k], y = cand_y[j0 + k];
            // nearest wins, ties to the lower id: the minimum of (d2, id), whatever the order
            float best = r2;
            std::uint32_t best_id = no_id;
            auto consider = [&](float d2, std::uint32_t fid) {
                if (d2 < best || fid < best_id) {
                    best = d2;
                    best_id = fid;
                }
            };
            if (rows3[k]) { // every row of the box, as ranges of adjacent cells
                auto scan = [&](const grid_geometry& gg, const std::uint32_t* st,
                                const scratch::food_entry* fe, const std::uint32_t* ids) {
                    const std::uint32_t ax0 = gg.axis(x - r), ax1 = gg.axis(x + r);
                    const std::uint32_t ay0 = gg.axis(y - r), ay1 = gg.axis(y + r);
                    for (std::uint32_t cy = ay0; cy <= ay1; ++cy) {
                        const std::uint32_t row = cy * gg.side;
                        for (std::uint32_t t = st[row + ax0]; t < st[row + ax1 + 1]; ++t) {
                            const float dx = fe[t].x - x, dy = fe[t].y - y;
                            const float d2 = dx * dx + dy * dy;
                            if (d2 <= best) consider(d2, ids[t]);
                        }
                    }
                };
                scan(geo, start, main_entries, main_ids);
                scan(ogeo, ostart, over_entries, over_ids);
            } else for (int q = 0; q < 4; ++q) {
                const scratch::food_entry* fe = q < 2 ? main_entries : over_entries;
                const std::uint32_t* ids = q < 2 ? main_ids : over_ids;
                const std::uint32_t end = rng_e[k][q];
                for (std::uint32_t t = rng_b[k][q]; t < end; ++t) {
                    const float dx = fe[t].x - x, dy = fe[t].y - y;
                    const float d2 = dx * dx + dy * dy; // +inf for a removed entry
                    // better: d2 < best, or d2 == best and a lower id (rarely taken: most
                    // entries are out of reach, so the id is read only for the few within)
                    if (d2 <= best) consider(d2, ids[t]);
                }
            }
            if (best_id != no_id) {
                const double frac = std::sqrt(static_cast<double>(best)) / static_cast<double>(r);
                ev.push_back({t0 + span * frac, c.id[i], best_id, event_kind::eat});
            }
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
