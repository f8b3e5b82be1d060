// ecosim ticks at 1,000,000 creatures with snapshots every K ticks, on one evolving world, one
// phase after the other: no snapshots; background snapshots (background_writer, its staging
// reserved and faulted before the phase, as `ecosim run` does; the tick thread pays
// snapshot_files() + the staging copy; segment + snapshot are one job); blocking snapshots
// (ecosim::snapshot); then the capture against a memcpy of the same bytes into a warm buffer,
// interleaved (a separate phase, so that buffer is not in the background phase's RSS).
// Per phase: p50 / p99 / max of the tick thread's wall time per tick (step + snapshot), and for
// the background phase the ticks with and without a snapshot apart, each snapshot tick's step,
// capture and sum, and the ticks a capture pushed over budget (step within it, step + capture
// not). RSS: VmHWM reset (/proc/self/clear_refs) before the background phase, read after it,
// against the world's RSS before the staging was reserved plus one copy of the persisted bytes.
// Own harness.
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
#include <fstream>
#include <string>
#include <vector>

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
    if (ticks.empty()) return;
    const auto over =
        std::count_if(ticks.begin(), ticks.end(), [&](double t) { return t > budget; });
    std::printf("%-30s ticks %4zu  p50 %6.1f  p99 %6.1f  max %6.1f ms  over %.0f ms: %ld\n", name,
                ticks.size(), pct(ticks, 0.5), pct(ticks, 0.99), pct(ticks, 1.0), budget,
                static_cast<long>(over));
}

/// A field of /proc/self/status in MB (VmRSS, VmHWM).
double status_mb(const char* field) {
    std::ifstream f("/proc/self/status");
    for (std::string line; std::getline(f, line);)
        if (line.rfind(field, 0) == 0)
            return std::strtod(line.c_str() + std::strlen(field) + 1, nullptr) / 1024.0;
    return 0;
}

/// Resets VmHWM to the current RSS (Linux >= 4.0: "5" > /proc/self/clear_refs).
bool reset_peak_rss() {
    std::ofstream f("/proc/self/clear_refs");
    f << "5";
    f.flush();
    return bool(f);
}

std::size_t persisted_bytes(const ecosim::world& w) {
    std::size_t n = 0;
    for (const auto& c : ecosim::world_columns(w)) n += c.bytes.size();
    return n;
}

} // namespace

int main(int argc, char** argv) {
    std::uint32_t creatures = 1000000;
    std::uint64_t ticks = 120, every = 30, warmup = 10;
    const double budget = 33.0;
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
    dir /= "colsnap_bench_snapshot_tick"; // its own: the log segments go beside the snapshot
    std::filesystem::create_directories(dir);
    const std::filesystem::path path = dir / "snapshot.npz";
    const ecosim::snapshot_options so;
    double plan_ms = 0, job_mb = 0; // of the last submit: snapshot_files(), the job's bytes
    const auto submit = [&](colsnap::background_writer& bw) { // what snapshot_writer does
        const auto t0 = clock_type::now();
        const ecosim::snapshot_plan plan = ecosim::snapshot_files(w, path, so);
        std::vector<colsnap::file_columns> job;
        if (plan.segment) job.push_back({plan.segment->path, plan.segment->columns});
        job.push_back({path, plan.columns});
        plan_ms = ms_since(t0);
        job_mb = 0;
        for (const auto& f : job)
            for (const auto& c : f.columns) job_mb += static_cast<double>(c.bytes.size()) / 1e6;
        const auto st = bw.submit(job);
        if (st != colsnap::submit_status::skipped) plan.segment_written(w);
        return st;
    };
    colsnap::background_options bo;
    bo.write = ecosim::snapshot_write_options(so);

    // no snapshots
    std::vector<double> none;
    for (std::uint64_t t = 0; t < ticks; ++t) {
        const auto t0 = clock_type::now();
        ecosim::step(w);
        none.push_back(ms_since(t0));
    }

    // background snapshots
    const double world_rss = status_mb("VmRSS");
    // As ecosim's snapshot_writer: the job a snapshot into dir would be now (columns + segment).
    const std::size_t persisted_at_reserve = ecosim::snapshot_files(w, path, so).bytes();
    bo.reserve = persisted_at_reserve;
    const bool hwm_reset = reset_peak_rss();
    std::size_t staging = 0, waited = 0, pushed_over = 0, over_anyway = 0;
    std::vector<double> bg_all, bg_plain, bg_snap, step_ms, capture_ms, plans_ms, jobs_mb;
    double persisted_max = 0;
    {
        const auto r0 = clock_type::now();
        colsnap::background_writer bw(bo); // reserves and faults its staging here
        const double reserve_ms = ms_since(r0);
        staging = bw.staging_capacity();
        std::printf("staging reserved: %.1f MB capacity for a job of %.1f MB (columns and "
                    "segment), %.0f ms before the first tick\n",
                    static_cast<double>(staging) / 1e6,
                    static_cast<double>(persisted_at_reserve) / 1e6, reserve_ms);
        for (std::uint64_t t = 0; t < ticks; ++t) {
            const auto t0 = clock_type::now();
            ecosim::step(w);
            const double step = ms_since(t0);
            if (w.tick % every != 0) {
                bg_all.push_back(step);
                bg_plain.push_back(step);
                continue;
            }
            const auto t1 = clock_type::now();
            waited += submit(bw) == colsnap::submit_status::queued_waited;
            const double cap = ms_since(t1);
            bg_all.push_back(step + cap);
            bg_snap.push_back(step + cap);
            step_ms.push_back(step);
            capture_ms.push_back(cap);
            plans_ms.push_back(plan_ms);
            jobs_mb.push_back(job_mb);
            if (step + cap > budget) (step <= budget ? pushed_over : over_anyway) += 1;
            persisted_max = std::max(persisted_max, static_cast<double>(persisted_bytes(w)) / 1e6);
        }
        bw.wait();
        if (bw.staging_capacity() != staging)
            std::printf("staging grew during the phase: %.1f MB\n",
                        static_cast<double>(bw.staging_capacity()) / 1e6);
        staging = bw.staging_capacity();
    }
    const double peak_rss = status_mb("VmHWM");
    const double rss_after = status_mb("VmRSS");

    // blocking snapshots
    std::vector<double> blocking, blocking_ms;
    for (std::uint64_t t = 0; t < ticks; ++t) {
        const auto t0 = clock_type::now();
        ecosim::step(w);
        if (w.tick % every == 0) {
            const auto t1 = clock_type::now();
            ecosim::snapshot(w, path, so);
            blocking_ms.push_back(ms_since(t1));
        }
        blocking.push_back(ms_since(t0));
    }

    // the capture against a memcpy of the same bytes, interleaved, on the same world
    std::vector<double> ratio;
    {
        colsnap::background_writer bw(bo);
        std::vector<std::byte> warm(persisted_bytes(w) + persisted_bytes(w) / 4);
        std::memset(warm.data(), 1, warm.size());
        for (int k = 0; k < 5; ++k) {
            for (std::uint64_t t = 0; t < every; ++t) ecosim::step(w);
            bw.wait();
            const auto t1 = clock_type::now();
            submit(bw);
            const double cap = ms_since(t1);
            const auto cols = ecosim::world_columns(w);
            const auto t2 = clock_type::now();
            std::size_t at = 0;
            for (const auto& c : cols) {
                if (at + c.bytes.size() > warm.size()) break;
                std::memcpy(warm.data() + at, c.bytes.data(), c.bytes.size());
                at += c.bytes.size();
            }
            const double mc = ms_since(t2);
            ratio.push_back(cap / mc);
            std::printf("capture vs memcpy %d: %.1f / %.1f ms, ratio %.2f\n", k + 1, cap, mc,
                        cap / mc);
        }
        bw.wait();
    }

    print_phase("no snapshots", none, budget);
    print_phase("background: all ticks", bg_all, budget);
    print_phase("background: ticks w/o snapshot", bg_plain, budget);
    print_phase("background: snapshot ticks", bg_snap, budget);
    print_phase("blocking snapshots", blocking, budget);
    for (std::size_t i = 0; i < step_ms.size(); ++i)
        std::printf("background snapshot %zu: step %.1f + capture %.1f (snapshot_files %.1f, "
                    "copy of %.1f MB %.1f) = %.1f ms%s\n",
                    i + 1, step_ms[i], capture_ms[i], plans_ms[i], jobs_mb[i],
                    capture_ms[i] - plans_ms[i], step_ms[i] + capture_ms[i],
                    step_ms[i] + capture_ms[i] > budget
                        ? (step_ms[i] <= budget ? "  (pushed over budget by the capture)"
                                                : "  (step alone over budget)")
                        : "");
    std::printf("snapshot ticks over %.0f ms whose step alone was within it: %zu of %zu (%zu more "
                "over with the step alone)\n",
                budget, pushed_over, step_ms.size(), over_anyway);
    std::printf("background submits that waited for the previous write: %zu\n", waited);
    std::printf("capture / memcpy: median %.2f, max %.2f\n", pct(ratio, 0.5), pct(ratio, 1.0));
    for (std::size_t i = 0; i < blocking_ms.size(); ++i)
        std::printf("blocking snapshot %zu: %.1f ms on the tick thread\n", i + 1, blocking_ms[i]);
    // The world grows during the phase (its tables' reserved headroom gets touched): "the
    // world" is its RSS after the phase, with the writer (and its staging) gone. One copy: the
    // largest job (the snapshot's columns and its log segment).
    const double one_copy = *std::max_element(jobs_mb.begin(), jobs_mb.end());
    std::printf("RSS: world %.1f MB before the phase, %.1f MB after it (staging freed); one copy "
                "(largest job: columns %.1f MB max + its segment) %.1f MB; staging capacity "
                "%.1f MB; peak during the phase %.1f MB%s; peak / (world after + one copy) = "
                "%.2f\n",
                world_rss, rss_after, persisted_max, one_copy, static_cast<double>(staging) / 1e6,
                peak_rss, hwm_reset ? "" : " (VmHWM not reset: since start)",
                peak_rss / (rss_after + one_copy));
    std::filesystem::remove_all(dir);
    return 0;
}
