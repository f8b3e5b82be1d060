// ecosim_bench_snapshot --creatures N --ticks T --every K --dir DIR [--reps R] [--schemas 23]
//                       [--durable 1]
//
// Runs one world to tick T and, every K ticks (and at tick 0), writes it as schema 3 (DIR/s3:
// the snapshot plus the segment of the rows since the last one) and/or as schema 2 (DIR/s2: the
// whole logs in the file), alternating which goes first, R times each (median), durable (fsync,
// as `ecosim run` writes them) unless --durable 0. --schemas 3 or 2 measures one alone: the
// fsyncs of one schema's files then do not wait behind the other's writeback. Prints one line
// per snapshot tick (0 for a schema not measured):
//   tick rows_in_logs  s3_snapshot_bytes s3_segment_bytes s3_ms  s2_bytes s2_ms
// and, at the end, the bytes each schema wrote in total, and an interleaved A/B: the world kept
// from tick --early (default 100) and the world at tick T written alternately, --ab-reps times
// each (default 9), each with the segment of its last K ticks; medians and their ratio. Schema-2 files are deleted after they
// are measured (a 1,000,000-creature run would otherwise leave tens of GB).

#include <colsnap/npz_reader.hpp>
#include <ecosim/log_segments.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::uint64_t arg(int argc, char** argv, const char* name, std::uint64_t def) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return std::strtoull(argv[i + 1], nullptr, 10);
    return def;
}

std::string arg_s(int argc, char** argv, const char* name, const char* def) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
    return def;
}

std::string tick_name(std::uint64_t t) {
    char b[48];
    std::snprintf(b, sizeof b, "tick_%06llu.npz", static_cast<unsigned long long>(t));
    return b;
}

} // namespace

int main(int argc, char** argv) {
    const auto creatures = static_cast<std::uint32_t>(arg(argc, argv, "--creatures", 100000));
    const std::uint64_t ticks = arg(argc, argv, "--ticks", 3000);
    const std::uint64_t every = arg(argc, argv, "--every", 100);
    const std::uint64_t reps = std::max<std::uint64_t>(1, arg(argc, argv, "--reps", 3));
    const fs::path dir = arg_s(argc, argv, "--dir", "bench_snapshot_out");
    const std::string schemas = arg_s(argc, argv, "--schemas", "23");
    const bool durable = arg(argc, argv, "--durable", 1) != 0;
    const bool want3 = schemas.find('3') != std::string::npos;
    const bool want2 = schemas.find('2') != std::string::npos;
    const std::uint64_t early = arg(argc, argv, "--early", 100);
    const std::uint64_t ab_reps = std::max<std::uint64_t>(1, arg(argc, argv, "--ab-reps", 9));
    fs::remove_all(dir);
    fs::create_directories(dir / "s3");
    fs::create_directories(dir / "s2");

    ecosim::world w = ecosim::create_world(ecosim::make_config(creatures, 42));
    std::printf("# creatures %u ticks %llu every %llu reps %llu schemas %s durable %d\n", creatures,
                static_cast<unsigned long long>(ticks), static_cast<unsigned long long>(every),
                static_cast<unsigned long long>(reps), schemas.c_str(), durable ? 1 : 0);
    std::printf("tick log_rows s3_snapshot_bytes s3_segment_bytes s3_ms s2_bytes s2_ms\n");
    std::uint64_t total3 = 0, total2 = 0;
    using clock = std::chrono::steady_clock;
    std::optional<ecosim::world> kept; // the world at tick `early`
    ecosim::segment_head kept_before;  // its head before its snapshot
    ecosim::segment_head last_before;  // the last world's head before its last snapshot
    for (;;) {
        const std::uint64_t rows =
            w.eaten.size() + w.born.size() + w.dead.size() + w.population.size();
        const ecosim::segment_head before = w.work.logs.head;
        last_before = before;
        if (w.tick == early) {
            kept.emplace(w);
            kept_before = before;
        }
        std::vector<double> ms3, ms2;
        std::uint64_t seg_bytes = 0;
        for (std::uint64_t r = 0; r < reps; ++r) {
            for (int which = 0; which < 2; ++which) {
                const bool s3 = (which + static_cast<int>(r)) % 2 == 0;
                if (!(s3 ? want3 : want2)) continue;
                ecosim::snapshot_options so;
                so.durable = durable;
                so.schema = s3 ? 3 : 2;
                if (s3) w.work.logs.head = before; // each rep writes the segment again
                const fs::path p = dir / (s3 ? "s3" : "s2") / tick_name(w.tick);
                const auto t0 = clock::now();
                ecosim::snapshot(w, p, so);
                const double ms =
                    std::chrono::duration<double, std::milli>(clock::now() - t0).count();
                (s3 ? ms3 : ms2).push_back(ms);
            }
        }
        std::uint64_t b3 = 0, b2 = 0;
        if (want3) {
            b3 = fs::file_size(dir / "s3" / tick_name(w.tick));
            const auto& h = w.work.logs.head;
            seg_bytes = fs::file_size(dir / "s3" /
                                      ecosim::segment_name(h.tick, ecosim::history_key(h.refs)));
            if (before.set && before.refs == h.refs) seg_bytes = 0;
        }
        if (want2) {
            const fs::path p2 = dir / "s2" / tick_name(w.tick);
            b2 = fs::file_size(p2);
            fs::remove(p2);
        }
        total3 += b3 + seg_bytes;
        total2 += b2;
        std::printf("%llu %llu %llu %llu %.2f %llu %.2f\n", static_cast<unsigned long long>(w.tick),
                    static_cast<unsigned long long>(rows), static_cast<unsigned long long>(b3),
                    static_cast<unsigned long long>(seg_bytes), ms3.empty() ? 0.0 : median(ms3),
                    static_cast<unsigned long long>(b2), ms2.empty() ? 0.0 : median(ms2));
        std::fflush(stdout);
        if (w.tick >= ticks) break;
        ecosim::run_until(w, std::min(ticks, w.tick + every));
    }
    if (kept) {
        for (const int schema : {3, 2}) {
            if (!(schema == 3 ? want3 : want2)) continue;
            std::vector<double> a, b;
            for (std::uint64_t r = 0; r < ab_reps; ++r)
                for (int which = 0; which < 2; ++which) {
                    const bool late = (which + static_cast<int>(r)) % 2 == 0;
                    ecosim::world& x = late ? w : *kept;
                    ecosim::snapshot_options so;
                    so.schema = static_cast<std::uint32_t>(schema);
                    so.durable = durable;
                    // schema 3: each write includes the segment of the last K ticks
                    if (schema == 3) x.work.logs.head = late ? last_before : kept_before;
                    const fs::path p =
                        dir / (schema == 3 ? "s3" : "s2") / (late ? "ab_late.npz" : "ab_early.npz");
                    const auto t0 = clock::now();
                    ecosim::snapshot(x, p, so);
                    (late ? b : a)
                        .push_back(
                            std::chrono::duration<double, std::milli>(clock::now() - t0).count());
                }
            const auto bytes = [&](const char* n) {
                return fs::file_size(dir / (schema == 3 ? "s3" : "s2") / n);
            };
            std::printf("# A/B schema %d: tick %llu %.2f ms %llu bytes, tick %llu %.2f ms %llu "
                        "bytes: time ratio %.3f, snapshot bytes ratio %.3f\n",
                        schema, static_cast<unsigned long long>(early), median(a),
                        static_cast<unsigned long long>(bytes("ab_early.npz")),
                        static_cast<unsigned long long>(w.tick), median(b),
                        static_cast<unsigned long long>(bytes("ab_late.npz")),
                        median(b) / median(a),
                        static_cast<double>(bytes("ab_late.npz")) /
                            static_cast<double>(bytes("ab_early.npz")));
        }
    }
    std::printf("# total bytes written: schema 3 %llu, schema 2 %llu\n",
                static_cast<unsigned long long>(total3), static_cast<unsigned long long>(total2));
    return 0;
}
