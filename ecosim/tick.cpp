/// @file tick.cpp
/// @brief The tick: systems in the order of docs/WORLD.md "One tick"; tick and clock advance before inspect.

#include <ecosim/systems/systems.hpp>
#include <ecosim/tick.hpp>

#include <chrono>
#include <ctime>

namespace ecosim {

std::string_view to_string(phase p) noexcept {
    switch (p) {
    case phase::food_spawn: return "food_spawn";
    case phase::motion: return "motion";
    case phase::food_grid: return "food_grid";
    case phase::next_event: return "next_event";
    case phase::apply: return "apply_events";
    case phase::cleanup: return "cleanup";
    case phase::inspect: return "inspect";
    }
    return "?";
}

namespace {
using clock_type = std::chrono::steady_clock;

std::int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

template <typename F> void timed(tick_profile* prof, phase p, F&& f) {
    if (!prof) {
        f();
        return;
    }
    const auto a = clock_type::now();
    const std::int64_t c = thread_cpu_ns();
    f();
    const auto k = static_cast<std::size_t>(p);
    prof->cpu_ns[k] = thread_cpu_ns() - c;
    prof->ns[k] =
        std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now() - a).count();
}
} // namespace

void step(world& w, tick_profile* prof) {
    timed(prof, phase::food_spawn, [&] { food_spawn(w); });
    prefilter_result pre;
    timed(prof, phase::motion, [&] { pre = motion(w); });
    timed(prof, phase::food_grid, [&] { build_food_grid(w); });
    timed(prof, phase::next_event, [&] { next_event(w, pre); });
    timed(prof, phase::apply, [&] { apply_events(w); });
    timed(prof, phase::cleanup, [&] { cleanup(w); });
    timed(prof, phase::inspect, [&] {
        ++w.tick;
        w.clock_us = static_cast<double>(w.tick) * dt_us(w.cfg);
        inspect(w);
    });
#ifndef NDEBUG
    check_invariants(w);
#endif
}

void run_until(world& w, std::uint64_t target) {
    while (w.tick < target) step(w);
}

} // namespace ecosim
