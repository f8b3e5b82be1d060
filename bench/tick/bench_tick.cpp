// ecosim_bench_tick: one tick of the reference world, per system, on one core.
//
//   ecosim_bench_tick [--creatures N] [--warmup W] [--ticks M] [--seed S]
//
// Creates the default world for N creatures (1,000,000), runs W warm-up ticks (buffers reach
// their steady size, pages are touched), then times M ticks with a per-phase steady_clock
// breakdown and prints min / median / p90 / max per phase and for the whole tick. The
// simulation is single-threaded; the numbers are for one core. Timing never feeds back into
// the world (the final hash is printed to show the run is the ordinary deterministic one).

#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>
#include <ecosim/world.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct stats {
    double min, median, p90, max;
};

stats summarize(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    auto at = [&](double q) {
        return v[std::min(n - 1, static_cast<std::size_t>(q * static_cast<double>(n - 1) + 0.5))];
    };
    const double med = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    return {v.front(), med, at(0.9), v.back()};
}

/// CPU time of this thread (ms): excludes time the core spent on other processes.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

unsigned long long arg(int argc, char** argv, const char* name, unsigned long long def) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return std::strtoull(argv[i + 1], nullptr, 10);
    return def;
}

} // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::puts(
                "usage: ecosim_bench_tick [--creatures N] [--warmup W] [--ticks M] [--seed S]\n"
                "                         [--grid-cell C] [--sort-interval K]\n"
                "                         [--isa baseline|x86-64-v3|x86-64-v4]  (default: the "
                "best\n"
                "                         this CPU has; every level computes the same world)");
            return 0;
        }
    const auto creatures = static_cast<std::uint32_t>(arg(argc, argv, "--creatures", 1000000));
    const auto warmup = arg(argc, argv, "--warmup", 30);
    const auto ticks = std::max<unsigned long long>(1, arg(argc, argv, "--ticks", 100));
    const auto seed = arg(argc, argv, "--seed", 42);

    auto t0 = std::chrono::steady_clock::now();
    ecosim::config cfg = ecosim::make_config(creatures, seed);
    // tuning knobs (they change the world's row order, not its behaviour)
    if (const auto v = arg(argc, argv, "--grid-cell", 0)) cfg.grid_cell = static_cast<float>(v);
    if (const auto v = arg(argc, argv, "--sort-interval", 0))
        cfg.sort_interval = static_cast<std::uint32_t>(v);
    ecosim::world w = ecosim::create_world(cfg);
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "--isa")) {
            const std::string_view want = argv[i + 1];
            bool found = false;
            for (const auto level : {ecosim::isa::baseline, ecosim::isa::v3, ecosim::isa::v4})
                if (want == ecosim::to_string(level) && level <= ecosim::best_isa()) {
                    w.work.isa_level = level;
                    found = true;
                }
            if (!found) {
                std::fprintf(
                    stderr, "ecosim_bench_tick: --isa %s: not a level this CPU runs (best: %s)\n",
                    argv[i + 1], std::string(ecosim::to_string(ecosim::best_isa())).c_str());
                return 2;
            }
        }
    const double create_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    for (unsigned long long i = 0; i < warmup; ++i) ecosim::step(w);

    std::vector<std::vector<double>> per(ecosim::phase_count), per_cpu(ecosim::phase_count);
    std::vector<double> total, total_cpu, candidates;
    ecosim::tick_profile prof;
    for (unsigned long long i = 0; i < ticks; ++i) {
        const auto a = std::chrono::steady_clock::now();
        const double cpu0 = thread_cpu_ms();
        ecosim::step(w, &prof);
        total_cpu.push_back(thread_cpu_ms() - cpu0);
        candidates.push_back(static_cast<double>(w.work.eat.candidates.count));
        total.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a)
                .count());
        for (std::size_t p = 0; p < ecosim::phase_count; ++p) {
            per[p].push_back(static_cast<double>(prof.ns[p]) * 1e-6);
            per_cpu[p].push_back(static_cast<double>(prof.cpu_ns[p]) * 1e-6);
        }
    }

    std::printf("ecosim tick benchmark: %u creatures at tick 0, world %.0f x %.0f, seed %llu, "
                "grid_cell %.0f, sort_interval %u, isa %s\n",
                creatures, static_cast<double>(w.cfg.world_size),
                static_cast<double>(w.cfg.world_size), seed, static_cast<double>(w.cfg.grid_cell),
                w.cfg.sort_interval, std::string(ecosim::to_string(w.work.isa_level)).c_str());
    std::printf(
        "create_world %.1f ms; %llu warm-up ticks, then %llu timed ticks (ticks %llu..%llu)\n",
        create_ms, warmup, ticks, warmup + 1, warmup + ticks);
    std::printf("at the end: %zu creatures, %zu food\n\n", w.creature.size(), w.food.size());
    std::printf("%-14s | %-37s | %s\n", "", "CPU time of this thread (ms)", "wall clock (ms)");
    std::printf("%-14s | %8s %8s %8s %8s  | %8s %8s\n", "phase", "min", "median", "p90", "max",
                "median", "p90");
    double sum_cpu = 0, sum_wall = 0;
    auto row = [](const char* name, const stats& c, const stats& wl) {
        std::printf("%-14s | %8.3f %8.3f %8.3f %8.3f  | %8.3f %8.3f\n", name, c.min, c.median,
                    c.p90, c.max, wl.median, wl.p90);
    };
    for (std::size_t p = 0; p < ecosim::phase_count; ++p) {
        const stats c = summarize(per_cpu[p]), wl = summarize(per[p]);
        sum_cpu += c.median;
        sum_wall += wl.median;
        row(std::string(ecosim::to_string(static_cast<ecosim::phase>(p))).c_str(), c, wl);
    }
    row("tick", summarize(total_cpu), summarize(total));
    std::printf(
        "(sum of phase medians: cpu %.3f ms, wall %.3f ms. CPU time leaves out time the core\n"
        " spent on other processes; wall clock includes it. Target <= 10 ms median, budget 33 "
        "ms)\n",
        sum_cpu, sum_wall);
    std::printf(
        "eat query: median %.0f creatures per tick pass the window summaries (pass 1) and are\n"
        " searched exactly (pass 2)\n",
        summarize(candidates).median);
    std::printf("final tick %llu hash %s\n", static_cast<unsigned long long>(w.tick),
                ecosim::world_hash(w).hex().c_str());
    return 0;
}
