#include "runner.hpp"

#include "colsnap_ways.hpp"
#include "creature_rows.hpp"
#include "fresh_file.hpp"
#include "numpy_companion.hpp"
#include "raw_columns.hpp"
#include "world_data.hpp"

#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>

namespace exhibit {
namespace {

volatile std::uint64_t sink = 0;

std::uint64_t fold_all(std::span<const colsnap::column_ref> columns) {
    std::uint64_t acc = 0;
    for (const auto& c : columns) acc ^= fold(c.bytes);
    return acc;
}

/// One step of a run: does its work, records into the result; run 0 is the warm-up.
using step = std::function<void(int run)>;

} // namespace

exhibit_result run_exhibit(const options& o) {
    namespace fs = std::filesystem;
    fs::create_directories(o.dir);
    const world_columns world = make_world(o.rows, o.seed);
    const std::vector<colsnap::column_ref> refs = world.refs();
    std::vector<std::string> names;
    for (const auto& c : refs) names.push_back(c.name);

    exhibit_result r;
    r.machine = describe_machine();
    r.machine.load_before = load_average();
    r.rows = o.rows;
    r.data_bytes = world.bytes();
    r.largest_column_bytes = world.largest_column_bytes();
    r.runs = o.runs;
    r.aos_runs = o.aos ? o.aos_runs.value_or(o.runs) : 0;
    r.dir = o.dir.string();
    r.fast_level = o.fast_level;
    r.threads = o.threads;

    const auto path = [&](const char* name) { return o.dir / name; };
    const fs::path f_aos = path("aos.json"), f_raw = path("raw_columns.bin"),
                   f_raw_sync = path("raw_columns_fsync.bin"),
                   f_stored = path("colsnap_stored.npz"),
                   f_durable = path("colsnap_stored_durable.npz"),
                   f_fast = path("colsnap_deflate_fast.npz"), f_l6 = path("colsnap_deflate6.npz"),
                   f_pickle = path("np_pickle_columns.pkl"), f_savez = path("np_savez.npz"),
                   f_savezc = path("np_savez_compressed.npz"),
                   f_source = path("source_columns.bin");

    // numpy's side: started once, fed the same bytes through a raw file.
    std::unique_ptr<numpy_companion> numpy;
    if (o.numpy) {
        write_raw_columns(f_source, refs, false);
        nlohmann::json manifest = nlohmann::json::array();
        for (const auto& c : schema())
            manifest.push_back({{"name", c.name}, {"descr", c.descr}, {"count", o.rows}});
        try {
            numpy = std::make_unique<numpy_companion>(o.python, o.script, f_source, manifest);
            r.numpy_info = numpy->hello();
        } catch (const std::exception& e) {
            std::cerr << "colsnap-exhibit: numpy rows skipped: " << e.what() << "\n";
        }
    }

    // The rows, in table order.
    const std::string fast = "L" + std::to_string(o.fast_level);
    const std::string cores =
        o.threads ? std::to_string(o.threads) : std::to_string(r.machine.cores);
    struct row {
        const char* key;
        std::string label;
        const char* peer;
        bool wanted;
    };
    const bool np = numpy != nullptr;
    const std::vector<row> rows = {
        {"aos_json", "AoS vector<creature> -> nlohmann-json objects", "", o.aos},
        {"raw", "raw columns: write() / read() (the floor)", "np_pickle", true},
        {"raw_fsync", "raw columns + fsync (durable floor)", "", true},
        {"colsnap_stored", "colsnap .npz stored (read: every CRC)", "np_savez", true},
        {"colsnap_stored_durable", "colsnap .npz stored, durable (fsync+rename)", "np_savez", true},
        {"colsnap_stored_nocrc", "colsnap .npz stored, read without CRC", "np_savez", true},
        {"colsnap_deflate_fast", "colsnap .npz deflate " + fast + ", " + cores + " threads",
         "np_savez_compressed", true},
        {"colsnap_deflate6", "colsnap .npz deflate L6, " + cores + " threads",
         "np_savez_compressed", true},
        {"colsnap_deflate6_par", "colsnap .npz L6, read: get_all() on " + cores + " threads",
         "np_savez_compressed", true},
        {"mmap_one", "mmap: open stored .npz + view one column", "np_savez", true},
        {"mmap_touch", "mmap: open stored .npz + touch every column", "np_savez", true},
        {"np_pickle", "numpy: pickle of dict-of-columns", "", np},
        {"np_savez", "numpy: np.savez / np.load", "", np},
        {"np_savez_compressed", "numpy: np.savez_compressed / np.load", "", np},
        {"npload_colsnap_stored", "numpy: np.load of colsnap stored .npz", "np_savez", np},
        {"npload_colsnap_deflate6", "numpy: np.load of colsnap L6 .npz", "np_savez_compressed", np},
        {"colsnap_reads_np_savez", "colsnap reads np.savez's file (every CRC)", "np_savez", np},
        {"colsnap_raw_np_savez", "colsnap reads np.savez's file with raw() (no copy)", "np_savez",
         np},
        {"colsnap_reads_np_savez_compressed", "colsnap reads np.savez_compressed's file",
         "np_savez_compressed", np},
    };
    const auto selected = [&](const std::string& key) {
        if (o.only.empty()) return true;
        for (const auto& k : o.only)
            if (key == k) return true;
        return false;
    };
    for (const auto& w : rows)
        if (w.wanted && selected(w.key))
            r.ways.push_back(measured_way{w.key, w.label, w.peer, 0, {}, {}, {}, {}, {}, {}, {}});
    std::map<std::string, measured_way*> way;
    for (auto& w : r.ways) way[w.key] = &w;

    auto record = [](samples& s, int run, double ms) { run == 0 ? s.add_cold(ms) : s.add(ms); };
    auto record_t = [&](samples& wall, samples& cpu, int run, const timing& t) {
        record(wall, run, t.wall_ms);
        record(cpu, run, t.cpu_ms);
    };
    auto check = [&](int run, std::string what, std::string difference) {
        if (run == 0)
            r.checks.push_back({std::move(what), difference.empty(), std::move(difference)});
    };
    auto size_of = [](const fs::path& p) { return static_cast<std::uint64_t>(fs::file_size(p)); };

    // colsnap reading a whole archive: open + every get() timed; checked in run 0; release timed apart.
    // threads: 1 = get() in turn, > 1 = get() spread over threads, 0 = raw() in turn.
    auto load = [](const fs::path& file, bool crc, unsigned threads) {
        return threads > 1    ? load_npz_parallel(file, crc, threads)
               : threads == 1 ? load_npz(file, crc)
                              : load_npz_raw(file, crc);
    };
    auto colsnap_read = [&](measured_way& w, const fs::path& file, bool crc, int run,
                            unsigned threads = 1) {
        loaded_npz loaded;
        record_t(w.read, w.read_cpu, run, measure([&] { loaded = load(file, crc, threads); }));
        check(run, "colsnap " + w.key + " <- " + file.filename().string(), [&]() -> std::string {
            const auto d = first_difference(world, loaded.spans(names));
            return d.empty() ? "" : "column " + d + " differs";
        }());
        record(w.release, run, time_ms([&] { loaded = loaded_npz{}; }));
        record(w.read_again, run, time_ms([&] { loaded = load(file, crc, threads); }));
    };
    auto numpy_write = [&](measured_way& w, const char* kind, const fs::path& file, int run) {
        fresh_file(file);
        const auto a = numpy->call({{"op", "write"}, {"way", kind}, {"path", file.string()}});
        record(w.write, run, a.at("ms").get<double>());
        record(w.write_cpu, run, a.at("cpu_ms").get<double>());
        w.file_bytes = a.at("bytes").get<std::uint64_t>();
    };
    auto numpy_read = [&](measured_way& w, const char* kind, const fs::path& file, int run) {
        const auto a =
            numpy->call({{"op", "read"}, {"kind", kind}, {"path", file.string()}, {"again", true}});
        record(w.read, run, a.at("ms").get<double>());
        record(w.read_cpu, run, a.at("cpu_ms").get<double>());
        record(w.read_again, run, a.at("ms_again").get<double>());
        if (run == 0) {
            const auto c = numpy->call({{"op", "check"}, {"kind", kind}, {"path", file.string()}});
            std::string difference = c.at("detail").get<std::string>();
            if (!c.at("equal").get<bool>() && difference.empty()) difference = "differs";
            check(run, "numpy " + w.key + " <- " + file.filename().string(), difference);
        }
    };
    const colsnap::write_options stored{colsnap::compression::stored, 0, false, o.threads};
    const colsnap::write_options durable{colsnap::compression::stored, 0, true, o.threads};
    const colsnap::write_options deflate_fast{colsnap::compression::deflate, o.fast_level, false,
                                              o.threads};
    const colsnap::write_options deflate6{colsnap::compression::deflate, 6, false, o.threads};

    std::vector<creature> creatures, creatures_back;
    raw_reader raw_in(refs);
    const std::uint64_t source_fold = fold_all(refs);

    // The schedule of one run, in execution order (interleaving ours with numpy's).
    std::vector<step> steps;
    // Adds @p fn as a step when every way it records into is measured.
    const auto add_step = [&](std::initializer_list<const char*> keys, step fn) {
        for (const char* k : keys)
            if (!way.count(k)) return;
        steps.push_back(std::move(fn));
    };
    if (o.aos)
        add_step({"aos_json"}, [&](int run) {
            if (run > r.aos_runs) return;
            auto& w = *way["aos_json"];
            record(r.construction, run, time_ms([&] { build_creatures(world, creatures); }));
            fresh_file(f_aos);
            record_t(w.write, w.write_cpu, run,
                     measure([&] { write_creatures_json(f_aos, creatures); }));
            w.file_bytes = size_of(f_aos);
            record_t(w.read, w.read_cpu, run,
                     measure([&] { read_creatures_json(f_aos, creatures_back); }));
            check(run, "AoS rows <- aos.json",
                  same_rows(world, creatures_back) ? "" : "rows differ");
        });
    add_step({"raw"}, [&](int run) {
        auto& w = *way["raw"];
        fresh_file(f_raw);
        record_t(w.write, w.write_cpu, run,
                 measure([&] { write_raw_columns(f_raw, refs, false); }));
        w.file_bytes = size_of(f_raw);
        record_t(w.read, w.read_cpu, run, measure([&] { raw_in.read(f_raw); }));
        record(w.read_again, run, time_ms([&] { raw_in.read(f_raw); }));
        const auto d = first_difference(world, raw_in.columns());
        check(run, "raw columns <- raw_columns.bin", d.empty() ? "" : "column " + d + " differs");
    });
    add_step({"colsnap_stored"}, [&](int run) {
        auto& w = *way["colsnap_stored"];
        fresh_file(f_stored);
        record_t(w.write, w.write_cpu, run, measure([&] { write_npz(f_stored, refs, stored); }));
        w.file_bytes = size_of(f_stored);
        colsnap_read(w, f_stored, true, run);
    });
    add_step({"mmap_one"}, [&](int run) {
        auto& w = *way["mmap_one"];
        std::uint64_t n = 0;
        record_t(w.read, w.read_cpu, run, measure([&] { n = view_one_column(f_stored, "pos_x"); }));
        record(w.read_again, run, time_ms([&] { n = view_one_column(f_stored, "pos_x"); }));
        w.file_bytes = size_of(f_stored);
        check(run, "mmap view of pos_x: element count", n == o.rows ? "" : "wrong element count");
    });
    add_step({"mmap_touch"}, [&](int run) {
        auto& w = *way["mmap_touch"];
        std::uint64_t f = 0;
        record_t(w.read, w.read_cpu, run, measure([&] { f = touch_all_columns(f_stored); }));
        sink = sink ^ f;
        record(w.read_again, run, time_ms([&] { f = touch_all_columns(f_stored); }));
        sink = sink ^ f;
        w.file_bytes = size_of(f_stored);
        check(run, "mmap touch of every column: XOR fold", f == source_fold ? "" : "fold differs");
    });
    add_step({"colsnap_stored_nocrc"}, [&](int run) {
        auto& w = *way["colsnap_stored_nocrc"];
        w.file_bytes = size_of(f_stored);
        colsnap_read(w, f_stored, false, run);
    });
    if (np) {
        add_step({"np_pickle"}, [&](int run) {
            numpy_write(*way["np_pickle"], "pickle", f_pickle, run);
            numpy_read(*way["np_pickle"], "pickle", f_pickle, run);
        });
        add_step({"np_savez"}, [&](int run) {
            numpy_write(*way["np_savez"], "savez", f_savez, run);
            numpy_read(*way["np_savez"], "npz", f_savez, run);
        });
        add_step({"colsnap_reads_np_savez"}, [&](int run) {
            auto& w = *way["colsnap_reads_np_savez"];
            w.file_bytes = size_of(f_savez);
            colsnap_read(w, f_savez, true, run);
        });
        add_step({"colsnap_raw_np_savez"}, [&](int run) {
            auto& w = *way["colsnap_raw_np_savez"];
            w.file_bytes = size_of(f_savez);
            colsnap_read(w, f_savez, true, run, 0);
        });
        add_step({"npload_colsnap_stored"}, [&](int run) {
            auto& w = *way["npload_colsnap_stored"];
            w.file_bytes = size_of(f_stored);
            numpy_read(w, "npz", f_stored, run);
        });
    }
    add_step({"raw_fsync"}, [&](int run) {
        auto& w = *way["raw_fsync"];
        fresh_file(f_raw_sync);
        double fsync_ms = 0;
        record_t(w.write, w.write_cpu, run,
                 measure([&] { fsync_ms = write_raw_columns(f_raw_sync, refs, true); }));
        record(w.fsync, run, fsync_ms);
        w.file_bytes = size_of(f_raw_sync);
    });
    add_step({"colsnap_stored_durable"}, [&](int run) {
        auto& w = *way["colsnap_stored_durable"];
        fresh_file(f_durable);
        record_t(w.write, w.write_cpu, run, measure([&] { write_npz(f_durable, refs, durable); }));
        w.file_bytes = size_of(f_durable);
    });
    add_step({"colsnap_deflate_fast"}, [&](int run) {
        auto& w = *way["colsnap_deflate_fast"];
        fresh_file(f_fast);
        record_t(w.write, w.write_cpu, run,
                 measure([&] { write_npz(f_fast, refs, deflate_fast); }));
        w.file_bytes = size_of(f_fast);
        colsnap_read(w, f_fast, true, run);
    });
    add_step({"colsnap_deflate6"}, [&](int run) {
        auto& w = *way["colsnap_deflate6"];
        fresh_file(f_l6);
        record_t(w.write, w.write_cpu, run, measure([&] { write_npz(f_l6, refs, deflate6); }));
        w.file_bytes = size_of(f_l6);
        colsnap_read(w, f_l6, true, run);
    });
    add_step({"colsnap_deflate6_par"}, [&](int run) {
        auto& w = *way["colsnap_deflate6_par"];
        w.file_bytes = size_of(f_l6);
        colsnap_read(w, f_l6, true, run, o.threads ? o.threads : r.machine.cores);
    });
    if (np) {
        add_step({"np_savez_compressed"}, [&](int run) {
            numpy_write(*way["np_savez_compressed"], "savez_compressed", f_savezc, run);
            numpy_read(*way["np_savez_compressed"], "npz", f_savezc, run);
        });
        add_step({"colsnap_reads_np_savez_compressed"}, [&](int run) {
            auto& w = *way["colsnap_reads_np_savez_compressed"];
            w.file_bytes = size_of(f_savezc);
            colsnap_read(w, f_savezc, true, run);
        });
        add_step({"npload_colsnap_deflate6"}, [&](int run) {
            auto& w = *way["npload_colsnap_deflate6"];
            w.file_bytes = size_of(f_l6);
            numpy_read(w, "npz", f_l6, run);
        });
    }

    // Every file a read-only row needs exists before the first run (so --only works).
    write_raw_columns(f_raw, refs, false);
    write_npz(f_stored, refs, stored);
    write_npz(f_l6, refs, deflate6);
    if (np) {
        numpy->call({{"op", "write"}, {"way", "savez"}, {"path", f_savez.string()}});
        numpy->call({{"op", "write"}, {"way", "savez_compressed"}, {"path", f_savezc.string()}});
    }

    for (int run = 0; run <= o.runs; ++run) {
        if (!o.json)
            std::cerr << (run == 0 ? "warm-up run" : " run " + std::to_string(run)) << "..."
                      << std::flush;
        for (auto& s : steps) s(run);
    }
    if (!o.json) std::cerr << "\n";
    numpy.reset();
    r.machine.load_after = load_average();
    if (o.memory) {
        if (!o.json) std::cerr << "peak RSS children...\n";
        r.memory = measure_memory(o);
    }
    return r;
}

} // namespace exhibit
