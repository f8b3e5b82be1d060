/// @file query.cpp
/// @brief find_eat_candidates(): pass 1 of the eat query over every creature (when motion's
/// prefilter did not run this tick: the first tick of a new or loaded world, or with the test
/// knob no_prefilter), the candidates' positions and energies, then pass 2.

#include <ecosim/eat_query/eat_query.hpp>
#include <ecosim/eat_query/nearest_food.hpp>
#include <ecosim/eat_query/summary.hpp>
#include <ecosim/kernels/compact.hpp>

#include <algorithm>

namespace ecosim {

eat_candidates find_eat_candidates(world& w, prefilter_result pre) {
    const auto& c = w.creature;
    auto& eq = w.work.eat;
    auto& cd = eq.candidates;
    const std::size_t n = c.size();
    const summary_state& sm = eq.summaries; // build_food_grid() has run
    if (pre.ran) {
        // motion's prefilter (prefilter.hpp) found them, with their positions and energies
    } else {
        // pass 1: which creatures may have an event at all (an event that needs no food, or a
        // food of their window's summary inside the reach box); their slots are compacted, so
        // pass 2 runs over the few that matter
        std::size_t m = 0;
        if (sm.geometry.usable && !eq.no_prefilter) {
            cd.slot.resize(n + 16); // compact() may write 16 past the end
            std::uint32_t pass[summary::boxes::chunk];
            for (std::size_t i0 = 0; i0 < n; i0 += summary::boxes::chunk) {
                const std::size_t len = std::min(summary::boxes::chunk, n - i0);
                summary::filter_chunk(sm.geometry, sm.cells.data(), event_rules(w.cfg),
                                      c.pos_x.data(), c.pos_y.data(), c.energy.data(), i0, len,
                                      pass);
                m = compact(pass, len, static_cast<std::uint32_t>(i0), cd.slot.data(), m);
            }
        } else { // every creature is a candidate
            cd.slot.resize(n);
            for (std::size_t i = 0; i < n; ++i) cd.slot[i] = static_cast<std::uint32_t>(i);
            m = n;
        }
        // their positions and energies: independent loads that overlap, most of them misses
        cd.x.resize(m);
        cd.y.resize(m);
        cd.energy.resize(m);
        for (std::size_t j = 0; j < m; ++j) {
            const std::uint32_t i = cd.slot[j];
            cd.x[j] = c.pos_x[i];
            cd.y[j] = c.pos_y[i];
            cd.energy[j] = c.energy[i];
        }
        cd.count = m;
    }
    // pass 2: the nearest food within reach of every candidate (nearest_food.hpp)
    const std::size_t m = cd.count;
    cd.best_d2.resize(m);
    cd.best_id.resize(m);
    nearest_food(food_index_view(w), cd.x.data(), cd.y.data(), m, cd.best_d2.data(),
                 cd.best_id.data());
    return {cd.slot.data(), cd.energy.data(), cd.best_d2.data(), cd.best_id.data(), m};
}

} // namespace ecosim
