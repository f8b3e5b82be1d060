// ecosim ticks at 1,000,000 creatures with snapshots every K ticks, three ways on one evolving
// world, one phase after the other: no snapshots; background snapshots (background_writer: the
// tick thread pays world_columns() + the staging copy); blocking snapshots (ecosim::snapshot).
// Per phase: p50 / p99 / max of the tick thread's wall time per tick (step + snapshot). Per
// background snapshot: the capture against a memcpy of the same persisted bytes into a warm
// buffer, taken right after it (same moment, same load). Own harness.
#include <colsnap/background_writer.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>
#include <ecosim/world.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/resource.h>

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

double pct(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[i];
}

void print_phase(const char* name, const std::vector<double>& ticks, double budget) {
    const auto over =
        std::count_if(ticks.begin(), ticks.end(), [&](double t) { return t > budget; });
    std::printf("%-22s ticks %4zu  p50 %7.1f  p99 %7.1f  max %7.1f ms  over %.0f ms: %ld\n", name,
                ticks.size(), pct(ticks, 0.5), pct(ticks, 0.99), pct(ticks, 1.0), budget,
                static_cast<long>(over));
}

long peak_rss_mb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

} // namespace

int main(int argc, char** argv) {
    std::uint32_t creatures = 1000000;
    std::uint64_t ticks = 120, every = 30, warmup = 10;
    std::filesystem::path dir = std::filesystem::temp_directory_path();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const auto n = std::strtoull(argv[i + 1], nullptr, 10);
        if (a == "--creatures") creatures = static_cast<std::uint32_t>(n);
        else if (a == "--ticks") ticks = n;
        else if (a == "--every") every = n;
        else if (a == "--warmup") warmup = n;
        else if (a == "--dir") dir = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: colsnap_bench_snapshot_tick [--creatures 1000000] "
                                 "[--ticks 120] [--every 30] [--warmup 10] [--dir D]\n");
            return 2;
        }
    }
    ecosim::world w = ecosim::create_world(ecosim::make_config(creatures, 42));
    for (std::uint64_t t = 0; t < warmup; ++t) ecosim::step(w);
    std::printf("%u creatures, %llu warm-up ticks; %llu ticks per phase, a snapshot every %llu; "
                "dir %s\n",
                creatures, static_cast<unsigned long long>(warmup),
                static_cast<unsigned long long>(ticks), static_cast<unsigned long long>(every),
                dir.c_str());
    const std::filesystem::path path = dir / "colsnap_bench_snapshot_tick.npz";
    colsnap::background_writer bw;
    std::vector<std::byte> warm;
    std::vector<double> capture_ms, memcpy_ms, ratio, blocking_ms;
    std::size_t persisted = 0, waited = 0;
    long rss_before = peak_rss_mb();

    auto phase = [&](int mode) { // 0 none, 1 background, 2 blocking
        std::vector<double> per_tick;
        for (std::uint64_t t = 0; t < ticks; ++t) {
            const auto t0 = clock_type::now();
            ecosim::step(w);
            if (mode != 0 && w.tick % every == 0) {
                const auto t1 = clock_type::now();
                if (mode == 1) {
                    const auto cols = ecosim::world_columns(w);
                    waited += bw.submit(path, cols) == colsnap::submit_status::queued_waited;
                    const double cap = ms_since(t1);
                    per_tick.push_back(ms_since(t0));
                    persisted = 0;
                    for (const auto& c : cols) persisted += c.bytes.size();
                    if (warm.size() < persisted) warm.resize(persisted); // faulted once, here
                    const auto t2 = clock_type::now();
                    std::size_t at = 0;
                    for (const auto& c : cols) {
                        std::memcpy(warm.data() + at, c.bytes.data(), c.bytes.size());
                        at += c.bytes.size();
                    }
                    const double mc = ms_since(t2);
                    capture_ms.push_back(cap);
                    memcpy_ms.push_back(mc);
                    ratio.push_back(cap / mc);
                    continue;
                }
                ecosim::snapshot(w, path);
                blocking_ms.push_back(ms_since(t1));
            }
            per_tick.push_back(ms_since(t0));
        }
        return per_tick;
    };
    const auto none = phase(0);
    const auto background = phase(1);
    bw.wait();
    const long rss_background = peak_rss_mb();
    const auto blocking = phase(2);
    print_phase("no snapshots", none, 33.0);
    print_phase("background snapshots", background, 33.0);
    print_phase("blocking snapshots", blocking, 33.0);
    std::printf("persisted state %.1f MB\n", static_cast<double>(persisted) / 1e6);
    for (std::size_t i = 0; i < capture_ms.size(); ++i)
        std::printf("background snapshot %zu: capture %.1f ms%s, memcpy of the same bytes %.1f ms, "
                    "ratio %.2f\n",
                    i + 1, capture_ms[i], i == 0 ? " (staging faulted)" : "", memcpy_ms[i],
                    ratio[i]);
    std::printf("background submits that waited for the previous write: %zu\n", waited);
    if (ratio.size() > 1) {
        std::vector<double> later(ratio.begin() + 1, ratio.end());
        std::printf("capture / memcpy, snapshots after the first: median %.2f, max %.2f\n",
                    pct(later, 0.5), pct(later, 1.0));
    }
    for (std::size_t i = 0; i < blocking_ms.size(); ++i)
        std::printf("blocking snapshot %zu: %.1f ms on the tick thread\n", i + 1, blocking_ms[i]);
    std::printf("peak RSS: %ld MB before the background phase, %ld MB after it (the blocking "
                "phase follows)\n",
                rss_before, rss_background);
    std::filesystem::remove(path);
    return 0;
}
