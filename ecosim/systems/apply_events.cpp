/// @file apply_events.cpp
/// @brief System 4: pending events in (t, creature_id) order (next_event sorted them), each
/// dispatched to its apply_* function. Structural changes go to the cleanup buffers only.

#include <ecosim/systems/systems.hpp>

#include <algorithm>

namespace ecosim {

namespace {

/// The events touch rows all over the tables, each a cache miss behind an id_to_slot miss:
/// request the id_to_slot entries `far` events ahead and the rows `near` events ahead (their
/// slots are in cache by then), so that the misses overlap. Values are never affected.
struct prefetcher {
    static constexpr std::size_t far = 32, near = 16;
    const world& w;
    void maps(std::size_t k) const {
        const auto& pe = w.pending_event;
        __builtin_prefetch(&w.creature_id_to_slot[pe.creature_id[k]]);
        if (static_cast<event_kind>(pe.kind[k]) == event_kind::eat)
            __builtin_prefetch(&w.food_id_to_slot[pe.target_id[k]]);
    }
    void rows(std::size_t k) const {
        const auto& pe = w.pending_event;
        const std::uint32_t c = w.creature_id_to_slot[pe.creature_id[k]];
        if (c != no_slot) {
            __builtin_prefetch(&w.creature.energy[c], 1);
            __builtin_prefetch(&w.creature.hunger_buildup[c], 1);
        }
        if (static_cast<event_kind>(pe.kind[k]) != event_kind::eat) return;
        const std::uint32_t f = w.food_id_to_slot[pe.target_id[k]];
        if (f == no_slot) return;
        __builtin_prefetch(&w.work.food_taken[f], 1);
        __builtin_prefetch(&w.food.value[f]);
    }
};

} // namespace

void apply_events(world& w) {
    w.work.food_taken.resize(w.food.size(), 0);
    const auto& pe = w.pending_event;
    const prefetcher ahead{w};
    for (std::size_t k = 0; k < std::min(prefetcher::far, pe.size()); ++k) ahead.maps(k);
    for (std::size_t k = 0; k < std::min(prefetcher::near, pe.size()); ++k) ahead.rows(k);
    for (std::size_t k = 0; k < pe.size(); ++k) {
        if (k + prefetcher::far < pe.size()) ahead.maps(k + prefetcher::far);
        if (k + prefetcher::near < pe.size()) ahead.rows(k + prefetcher::near);
        switch (static_cast<event_kind>(pe.kind[k])) {
        case event_kind::eat: apply_eat(w, k); break;
        case event_kind::reproduce: apply_reproduce(w, k); break;
        case event_kind::starve: apply_starve(w, k); break;
        }
    }
}

} // namespace ecosim
