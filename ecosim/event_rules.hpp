#pragma once
/// @file event_rules.hpp
/// @brief The rules that decide a creature's event (docs/WORLD.md, "One tick", step 3),
/// written once. next_event decides with them, and the eat query's prefilter
/// (eat_query/summary.hpp: box_of) passes every creature for which food_free_event() holds,
/// so a rule added here cannot be dropped by the prefilter:
///   starve    when energy <= 0;
///   reproduce when energy >= reproduce_energy;
///   eat       when food lies within eat_reach() (nearest wins, ties to the lower id).
/// The order of the three is the order of decide().

#include <ecosim/config.hpp>

#include <cstdint>

namespace ecosim {

/// @brief Event kinds of pending_event/kind.
enum class event_kind : std::uint8_t {
    eat = 0,       ///< target_id is the food id
    reproduce = 1, ///< fission; target_id is no_id
    starve = 2,    ///< target_id is no_id
};
/// @brief The largest value of event_kind (pending_event/kind is refused above it).
inline constexpr std::uint8_t last_event_kind = 2;

/// @brief Whether an event of @p kind removes its creature (whose id the cleanup then frees).
constexpr bool removes_creature(event_kind kind) noexcept {
    switch (kind) {
    case event_kind::eat: return false;
    case event_kind::reproduce: // the parent, replaced by two children
    case event_kind::starve: return true;
    }
    return false; // not an event_kind (pending_event/kind is checked on load)
}

/// @brief The rules of the events that need no food, in decide() order, each
/// X(kind, predicate of `energy`). decide() tries them in this order before eat, and
/// food_free_event() is their OR, so a rule listed here reaches both (and the prefilter).
#define ECOSIM_FOOD_FREE_RULES(X)                                                                  \
    X(starve, starves(energy))                                                                     \
    X(reproduce, reproduces(energy))

/// @brief Energy thresholds of the events that do not need food.
struct event_rules {
    float reproduce_energy;
    explicit event_rules(const config& c) noexcept : reproduce_energy(c.reproduce_energy) {}

    [[gnu::always_inline]] static bool starves(float energy) noexcept { return energy <= 0.0f; }
    [[gnu::always_inline]] bool reproduces(float energy) const noexcept {
        return energy >= reproduce_energy;
    }
    /// @brief Whether a creature with @p energy has an event whatever food lies around it:
    /// every rule of decide() but eat. Branch-free, so that the prefilter vectorises.
    // NOLINTBEGIN(clang-diagnostic-bitwise-instead-of-logical): branch-free on purpose
    [[gnu::always_inline]] bool food_free_event(float energy) const noexcept {
#define ECOSIM_RULE_OR(kind, predicate) | (predicate)
        return false ECOSIM_FOOD_FREE_RULES(ECOSIM_RULE_OR);
#undef ECOSIM_RULE_OR
    }
    // NOLINTEND(clang-diagnostic-bitwise-instead-of-logical)
    /// @brief The event of a creature with @p energy, with or without food in reach; false
    /// when it has none. @p kind is set when true.
    bool decide(float energy, bool food_in_reach, event_kind& kind) const noexcept {
#define ECOSIM_RULE_IF(k, predicate)                                                               \
    if (predicate) kind = event_kind::k;                                                           \
    else
        ECOSIM_FOOD_FREE_RULES(ECOSIM_RULE_IF)
#undef ECOSIM_RULE_IF
        if (food_in_reach) kind = event_kind::eat;
        else return false;
        return true;
    }
};

/// @brief The eat reach: food within this distance of a creature can be eaten.
inline float eat_reach(const config& c) noexcept { return c.eat_radius; }

} // namespace ecosim
