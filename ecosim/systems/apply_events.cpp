/// @file apply_events.cpp
/// @brief System 4: pending events in (t, creature_id) order (next_event sorted them), each
/// dispatched to its apply_* function. Structural changes go to the cleanup buffers only.

#include <ecosim/kernels/prefetch.hpp>
#include <ecosim/systems/systems.hpp>

namespace ecosim {

namespace {

/// Requests the rows that event k will read, in two stages called `d` events apart: 0 the
/// map entries of its creature (and food), 1 the rows they point at. Events come in time
/// order, so their rows are all over million-row tables: without this, each event waits for
/// its misses one after another.
void request(const world& w, std::size_t k, int stage) {
    const auto& pe = w.pending_event;
    if (k >= pe.size()) return;
    const std::uint32_t cid = pe.creature_id[k];
    const auto kind = static_cast<event_kind>(pe.kind[k]);
    const std::uint32_t fid = pe.target_id[k];
    if (stage == 0) {
        prefetch(&w.creature_id_to_slot[cid]);
        if (kind == event_kind::eat) {
            prefetch(&w.food_id_to_slot[fid]);
            if (fid / 64 < w.work.food_taken.size()) prefetch(&w.work.food_taken[fid / 64]);
        }
        return;
    }
    const std::uint32_t slot = w.creature_id_to_slot[cid];
    const auto& c = w.creature;
    if (slot >= c.size()) return;
    prefetch(&c.energy[slot]);
    if (kind == event_kind::eat) {
        prefetch(&c.hunger_buildup[slot]);
        const std::uint32_t fslot = w.food_id_to_slot[fid];
        if (fslot < w.food.size()) prefetch(&w.food.value[fslot]); // not gone
    } else if (kind == event_kind::reproduce) {
        prefetch(&c.pos_x[slot]);
        prefetch(&c.pos_y[slot]);
    }
}

} // namespace

void apply_events(world& w) {
    const auto& pe = w.pending_event;
    // a taken bit per food id (apply_eat), all clear between ticks
    w.work.food_taken.resize(std::size_t{w.food_next_id} / 64 + 1, 0);
    constexpr std::size_t d = 8;
    for (std::size_t k = 0; k < 2 * d; ++k) request(w, k, 0);
    for (std::size_t k = 0; k < d; ++k) request(w, k, 1);
    for (std::size_t k = 0; k < pe.size(); ++k) {
        request(w, k + 2 * d, 0);
        request(w, k + d, 1);
        switch (static_cast<event_kind>(pe.kind[k])) {
        case event_kind::eat: apply_eat(w, k); break;
        case event_kind::reproduce: apply_reproduce(w, k); break;
        case event_kind::starve: apply_starve(w, k); break;
        }
    }
    // the food eaten this tick is exactly the food to remove: its taken bits are cleared again
    for (const std::uint32_t id : w.food_to_remove)
        w.work.food_taken[id / 64] &= ~(std::uint64_t{1} << (id % 64));
}

} // namespace ecosim
