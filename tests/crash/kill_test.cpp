// Kill test: a writer of large snapshots is SIGKILLed at random points of its write, many
// times; after every kill the snapshot path must hold nothing (before the first commit) or a
// complete earlier snapshot that verifies and hashes to exactly what was written, and stray
// temp files must not accumulate (the next writer removes those of dead writers).
#include "snapshot_data.hpp"
#include "subprocess.hpp"
#include "test_settings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <test_files.hpp>

namespace colsnap_crash {
namespace {

// A world of 2M rows: 8 columns, 43 bytes a row, 86 MB a snapshot (1 in 6 deflated).
constexpr std::uint64_t world_rows = 2'000'000;

std::optional<std::int64_t> parse_tagged(const std::string& line, const std::string& tag) {
    if (!line.starts_with(tag + " ")) return std::nullopt;
    return std::stoll(line.substr(tag.size() + 1));
}

class expected_hashes {
public:
    explicit expected_hashes(std::uint64_t rows) : rows_(rows) {}
    const colsnap::digest& of(std::int64_t g) {
        auto it = cache_.find(g);
        if (it == cache_.end()) it = cache_.emplace(g, snapshot_data(g, rows_).hash()).first;
        return it->second;
    }

private:
    std::uint64_t rows_;
    std::map<std::int64_t, colsnap::digest> cache_;
};

TEST(kill_test, sigkill_during_writes_never_tears_the_snapshot) {
    const unsigned kills_wanted = env_count("COLSNAP_CRASH_KILLS", under_asan() ? 100 : 200);
    const std::uint64_t rows = env_count("COLSNAP_CRASH_ROWS", under_asan() ? 500'000 : world_rows);
    test_common::temp_dir dir("kill");
    const std::string name = "world.npz";
    const std::filesystem::path target = dir / name;
    expected_hashes expected(rows);

    // Calibration (not an assertion): how long one write takes here, stored (generation 4)
    // and deflated (generation 5), so that the random kill delays spread over the whole write
    // of either kind. Done on another path.
    double stored_seconds = 0, deflate_seconds = 0;
    {
        child_process c({COLSNAP_CRASH_WRITER, "loop", (dir / "calibrate.npz").string(), "4",
                         std::to_string(rows), "2"});
        for (int g = 4; g <= 5; ++g) {
            ASSERT_EQ(c.read_line(), "ready " + std::to_string(g));
            const auto t0 = std::chrono::steady_clock::now();
            ASSERT_EQ(c.read_line(), "committed " + std::to_string(g));
            (g == 4 ? stored_seconds : deflate_seconds) =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        c.kill(SIGKILL);
        c.wait();
        std::filesystem::remove(dir / "calibrate.npz");
    }
    ASSERT_EQ(options_for(5, 2).method, colsnap::compression::deflate);
    ASSERT_EQ(options_for(4, 2).method, colsnap::compression::stored);
    std::printf("[kill_test] one write of %llu rows takes %.3f s stored, %.3f s deflated here\n",
                static_cast<unsigned long long>(rows), stored_seconds, deflate_seconds);

    std::mt19937_64 rng(20240607);
    // Up to 1.2 writes: most kills land inside the first write (including its fsyncs and
    // rename), some after its commit (inside the next generation's data building or write).
    // The calibration can be taken on a quiet machine and the kills on a busy one (ctest -j):
    // `stretch` grows while kills find nothing committed and shrinks back when they do, so the
    // delays follow how long a write really takes now.
    double stretch = 1.0;
    auto kill_delay = [&](std::int64_t g) {
        const double t = options_for(g, 2).method == colsnap::compression::deflate ? deflate_seconds
                                                                                   : stored_seconds;
        return std::chrono::microseconds(
            std::uniform_int_distribution<long>(0, static_cast<long>(t * stretch * 1.2e6))(rng));
    };

    bool ever_present = false;
    std::int64_t last_seen = 0;
    std::int64_t next_gen = 1;
    unsigned kills = 0, absent = 0, unchanged = 0, advanced = 0, temp_left = 0, deflate_kills = 0;
    std::set<pid_t> killed_pids;
    while (kills < kills_wanted) {
        child_process c({COLSNAP_CRASH_WRITER, "loop", target.string(), std::to_string(next_gen),
                         std::to_string(rows), "2"});
        ASSERT_EQ(c.read_line(), "ready " + std::to_string(next_gen)) << c.wait().describe();
        std::this_thread::sleep_for(kill_delay(next_gen));
        c.kill(SIGKILL);
        const exit_info& end = c.wait();
        ASSERT_FALSE(end.exited) << "the writer ended by itself: " << end.describe();
        ASSERT_EQ(end.signal, SIGKILL);
        ++kills;
        if (options_for(next_gen, 2).method == colsnap::compression::deflate) ++deflate_kills;
        std::optional<std::int64_t> committed;
        for (const std::string& line : c.drain_lines())
            if (auto g = parse_tagged(line, "committed")) committed = *g;
        stretch = committed ? std::max(1.0, stretch * 0.9) : std::min(stretch * 1.3, 50.0);

        SCOPED_TRACE("kill " + std::to_string(kills) + ", writer started at generation " +
                     std::to_string(next_gen));
        if (!std::filesystem::exists(target)) {
            // Only possible while no write was ever committed.
            ASSERT_FALSE(ever_present) << "the snapshot disappeared";
            ASSERT_FALSE(committed) << "generation " << *committed << " was committed but is gone";
            ++absent;
        } else {
            colsnap::digest h;
            std::int64_t g = 0;
            try {
                g = read_generation(target, &h);
            } catch (const colsnap::error& e) {
                FAIL() << "torn snapshot after a kill: " << e.what();
            }
            // Whatever was reported committed is there (or its successor, renamed just before
            // the kill but not yet reported); otherwise the old one or the one being written.
            if (committed) {
                ASSERT_TRUE(g == *committed || g == *committed + 1) << "generation " << g;
            } else {
                ASSERT_TRUE((ever_present && g == last_seen) || g == next_gen)
                    << "generation " << g;
            }
            ASSERT_EQ(h, expected.of(g))
                << "generation " << g << " does not hash to what was written";
            (g == last_seen ? unchanged : advanced) += 1;
            ever_present = true;
            last_seen = g;
        }
        // Stray temps: at most one, left by a killed writer; every earlier one was removed by
        // the next writer that got as far as opening its own temp (a writer killed before that,
        // e.g. while ASan starts up, leaves its predecessor's temp in place). They never change
        // what the reader sees (checked above).
        killed_pids.insert(c.pid());
        const auto temps = temp_files(dir.path(), name);
        ASSERT_LE(temps.size(), 1u) << "temp files accumulate: " << temps.size();
        if (!temps.empty()) {
            ++temp_left;
            const bool from_killed =
                std::any_of(killed_pids.begin(), killed_pids.end(), [&](pid_t pid) {
                    return temps[0].find(".colsnap-tmp." + std::to_string(pid) + ".") !=
                           std::string::npos;
                });
            ASSERT_TRUE(from_killed) << temps[0] << " is not a killed writer's";
        }
        // Every attempt writes a generation never written before (so a retried deflated
        // generation does not dominate the run, and no two attempts write the same bytes).
        next_gen = std::max(next_gen, last_seen) + 1;
    }

    // A writer that runs to completion leaves the new snapshot and no temp at all.
    const exit_info fin = run_program({COLSNAP_CRASH_WRITER, "once", target.string(),
                                       std::to_string(next_gen), std::to_string(rows), "stored"});
    ASSERT_TRUE(fin.exited && fin.code == 0) << fin.describe();
    EXPECT_TRUE(temp_files(dir.path(), name).empty());
    colsnap::digest h;
    EXPECT_EQ(read_generation(target, &h), next_gen);
    EXPECT_EQ(h, expected.of(next_gen));

    std::printf("[kill_test] %u kills: %u before the first commit (no file), %u kept the previous "
                "snapshot, %u found a newer complete one; %u left a temp file (killed mid-write); "
                "%u kills hit a deflated generation\n",
                kills, absent, unchanged, advanced, temp_left, deflate_kills);
    RecordProperty("kills", static_cast<int>(kills));
    RecordProperty("killed_mid_write", static_cast<int>(temp_left));
    EXPECT_GE(kills, kills_wanted);
    // The kills must have hit both inside writes and after commits, else this proves little.
    EXPECT_GT(temp_left, 0u) << "no kill landed inside a write";
    EXPECT_GT(advanced, 0u) << "no write was ever committed between kills";
}

} // namespace
} // namespace colsnap_crash
