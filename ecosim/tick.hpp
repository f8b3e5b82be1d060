#pragma once
/// @file tick.hpp
/// @brief One tick: the systems of docs/WORLD.md in order, with an optional per-system timing.

#include <ecosim/world.hpp>

#include <array>
#include <cstdint>
#include <string_view>

namespace ecosim {

/// @brief The timed phases of a tick, in order.
enum class phase : std::uint8_t {
    food_spawn, ///< 1
    motion,     ///< 2
    food_grid,  ///< 3a (spatial grid for next_event)
    next_event, ///< 3b
    apply,      ///< 4 apply_eat / apply_reproduce / apply_starve
    cleanup,    ///< 5
    inspect,    ///< 6
};
inline constexpr std::size_t phase_count = 7;
std::string_view to_string(phase p) noexcept;

/// @brief Nanoseconds spent in each phase by one step(), wall clock and this thread's CPU time
/// (measurement only: clocks never feed back into the world).
struct tick_profile {
    std::array<std::int64_t, phase_count> ns{};     ///< steady_clock
    std::array<std::int64_t, phase_count> cpu_ns{}; ///< CLOCK_THREAD_CPUTIME_ID
};

/// @brief Advances @p w by one tick. With @p profile, times each phase. Builds without NDEBUG
/// (Debug, the asan preset) check every invariant after every tick.
void step(world& w, tick_profile* profile = nullptr);

/// @brief step() until w.tick == @p target (no-op when already there).
void run_until(world& w, std::uint64_t target);

} // namespace ecosim
