/// @file apply_events.cpp
/// @brief System 4: pending events in (t, creature_id) order (next_event sorted them), each
/// dispatched to its apply_* function. Structural changes go to the cleanup buffers only.

#include <ecosim/systems/systems.hpp>

namespace ecosim {

void apply_events(world& w) {
    const auto& pe = w.pending_event;
    for (std::size_t k = 0; k < pe.size(); ++k) {
        switch (static_cast<event_kind>(pe.kind[k])) {
        case event_kind::eat: apply_eat(w, k); break;
        case event_kind::reproduce: apply_reproduce(w, k); break;
        case event_kind::starve: apply_starve(w, k); break;
        }
    }
}

} // namespace ecosim
