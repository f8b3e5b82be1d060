// Log segments under SIGKILL (issue 14): `ecosim run` / `ecosim resume` writing a snapshot and
// its segment every 3 ticks is killed at random moments, again and again, each time resumed
// from the latest snapshot into the same directory. After every kill: every snapshot there
// loads (or is refused with an ecosim/colsnap error, never a crash or a half-loaded world), the
// snapshots that loaded before the kill load again with the same hash (nothing written since
// damaged them), and the latest one is the unpaused run's world at its tick, every log row
// included. ECOSIM_SEGMENT_KILLS sets the number of kills (default 25; 10 under ASan). A second
// test kills it while a background snapshot is in flight (ECOSIM_BACKGROUND_KILLS, 6; 3 ASan).

#include "subprocess.hpp"
#include "test_settings.hpp"

#include <colsnap/error.hpp>
#include <ecosim/error.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <test_files.hpp>

namespace fs = std::filesystem;
using colsnap_crash::child_process;

namespace {

constexpr std::uint32_t creatures = 400;
constexpr std::uint64_t seed = 3;

/// Every tick_*.npz of @p dir that loads, with its world hash; refusals counted.
std::map<fs::path, colsnap::digest> loadable(const fs::path& dir, unsigned& refused,
                                             std::string& last_refusal) {
    std::map<fs::path, colsnap::digest> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (!name.starts_with("tick_") || !name.ends_with(".npz")) continue;
        try {
            out[e.path()] = ecosim::world_hash(ecosim::load(e.path()));
        } catch (const ecosim::error& err) {
            ++refused;
            last_refusal = err.what();
        } catch (const colsnap::error& err) {
            ++refused;
            last_refusal = err.what();
        }
    }
    return out;
}

/// How a kill loop runs ecosim and when it kills it.
struct kill_plan {
    std::uint32_t creatures;
    std::string every;                   ///< --snapshot-every
    int min_lines, max_lines;            ///< snapshots announced before the kill (uniform)
    unsigned max_sleep_us;               ///< then a random pause below this (0: kill at once)
    std::vector<std::string> extra = {}; ///< more options of run and resume
};

struct kill_stats {
    unsigned refused = 0, resumed = 0, in_flight = 0; ///< in_flight: kills that left a temp file
    std::size_t snapshots = 0;
    std::uint64_t tick = 0;
    std::string last_refusal;
};

/// @p kills times: runs (then resumes from the latest snapshot into the same directory) and
/// SIGKILLs ecosim as @p plan says; after each kill, checks the survivors as the file comment says.
kill_stats kill_loop(unsigned kills, const kill_plan& plan, std::uint64_t rng_seed) {
    kill_stats st;
    test_common::temp_dir dir;
    std::mt19937_64 rng(rng_seed);
    ecosim::world reference = ecosim::create_world(ecosim::make_config(plan.creatures, seed));
    std::map<fs::path, colsnap::digest> before; // what loaded after the previous kill
    fs::path latest;
    std::set<std::string> temps;
    for (unsigned k = 0; k < kills; ++k) {
        std::vector<std::string> argv{ECOSIM_CLI};
        if (latest.empty())
            argv.insert(argv.end(), {"run", "--creatures", std::to_string(plan.creatures), "--seed",
                                     std::to_string(seed)});
        else argv.insert(argv.end(), {"resume", latest.string()});
        argv.insert(argv.end(), {"--ticks", "1000000", "--snapshot-every", plan.every, "--out",
                                 dir.path().string(), "-q"});
        argv.insert(argv.end(), plan.extra.begin(), plan.extra.end());
        child_process child(argv);
        const auto span = static_cast<unsigned>(plan.max_lines - plan.min_lines + 1);
        const int lines = plan.min_lines + static_cast<int>(rng() % span);
        for (int i = 0; i < lines; ++i)
            if (!child.read_line()) break;
        if (plan.max_sleep_us != 0)
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % plan.max_sleep_us));
        child.kill(SIGKILL);
        const auto& ended = child.wait();
        EXPECT_FALSE(ended.exited) << "the writer ended by itself: " << ended.describe();
        if (ended.exited) return st;

        bool temp_left = false; // by this kill: earlier kills' temp files stay there
        for (const auto& e : fs::directory_iterator(dir.path()))
            if (e.path().filename().string().find(".colsnap-tmp.") != std::string::npos)
                temp_left |= temps.insert(e.path().filename().string()).second;
        st.in_flight += temp_left;
        const auto now = loadable(dir.path(), st.refused, st.last_refusal);
        for (const auto& [path, hash] : before) {
            EXPECT_TRUE(now.count(path)) << path << " loaded before kill " << k << ", not now";
            if (now.count(path)) {
                EXPECT_EQ(now.at(path), hash) << path << " changed with kill " << k;
            }
        }
        EXPECT_FALSE(now.empty());
        if (now.empty()) return st;
        const fs::path newest = now.rbegin()->first; // tick_NNNNNN sorts by tick
        const ecosim::world w = ecosim::load(newest);
        ecosim::run_until(reference, w.tick);
        EXPECT_EQ(ecosim::world_hash(w), ecosim::world_hash(reference)) << newest;
        EXPECT_EQ(w.eaten.t, reference.eaten.t) << newest;
        EXPECT_EQ(w.population.food, reference.population.food) << newest;
        if (::testing::Test::HasFailure()) return st;
        if (!latest.empty()) ++st.resumed;
        latest = newest;
        before = now;
    }
    st.snapshots = before.size();
    st.tick = reference.tick;
    return st;
}

void print(const char* what, unsigned kills, const kill_stats& st) {
    std::printf("%s: %u kills (%u with a write in flight: a temp file left), %zu snapshots, %u "
                "resumes, latest tick %llu, %u refused%s%s\n",
                what, kills, st.in_flight, st.snapshots, st.resumed,
                static_cast<unsigned long long>(st.tick), st.refused, st.refused ? ": " : "",
                st.last_refusal.c_str());
}

} // namespace

TEST(SegmentKill, EverySurvivorLoadsAndTheLatestIsTheUnpausedWorld) {
    const unsigned kills =
        colsnap_crash::env_count("ECOSIM_SEGMENT_KILLS", colsnap_crash::under_asan() ? 10 : 25);
    // 1 to 3 snapshots, then a kill at a random moment of the next ones
    const kill_stats st = kill_loop(kills, {creatures, "3", 1, 3, 20000}, 20261202);
    print("random moments", kills, st);
}

// Issue 15: kills that land while a background snapshot (its segment, then the snapshot, one
// job of the writer) is being written. A world big enough, and deflated (--compress), so that
// writing a snapshot takes far longer than a tick (also under ASan), a snapshot every tick: the tick thread waits for the writer at each
// submit, so a write is nearly always in flight, and the kill comes 0-20 ms after a snapshot is
// announced (submitted, not yet written: killed at once, the writer had often not yet opened its
// temp file, and a fresh-clone release run saw 0 of 6 kills mid-write; with the delay 5-6 of 6). The previous snapshot must stay intact and the
// newest that loads must be the unpaused world; at least one kill must have caught a write
// mid-way (a temp file left behind), or this test did not test what it says.
TEST(SegmentKill, AKillDuringABackgroundSnapshotLeavesThePreviousIntact) {
    const unsigned kills = colsnap_crash::env_count("ECOSIM_BACKGROUND_KILLS", 6);
    const kill_stats st = kill_loop(kills, {100000, "1", 2, 3, 20000, {"--compress"}}, 15);
    print("during background writes", kills, st);
    // Under ASan the timing shifts (a fresh-clone run saw 0 of 3 kills mid-write): there the
    // survivors are checked all the same, but catching a write mid-way is asserted in release.
    if (!colsnap_crash::under_asan()) {
        EXPECT_GE(st.in_flight, 1u) << "no kill landed while a snapshot was being written";
    }
}
