// Log segments under SIGKILL (issue 14): `ecosim run` / `ecosim resume` writing a snapshot and
// its segment every 3 ticks is killed at random moments, again and again, each time resumed
// from the latest snapshot into the same directory. After every kill: every snapshot there
// loads (or is refused with an ecosim/colsnap error, never a crash or a half-loaded world), the
// snapshots that loaded before the kill load again with the same hash (nothing written since
// damaged them), and the latest one is the unpaused run's world at its tick, every log row
// included. ECOSIM_SEGMENT_KILLS sets the number of kills (default 25; 10 under ASan).

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

} // namespace

TEST(SegmentKill, EverySurvivorLoadsAndTheLatestIsTheUnpausedWorld) {
    const unsigned kills =
        colsnap_crash::env_count("ECOSIM_SEGMENT_KILLS", colsnap_crash::under_asan() ? 10 : 25);
    test_common::temp_dir dir;
    std::mt19937_64 rng(20261202);
    ecosim::world reference = ecosim::create_world(ecosim::make_config(creatures, seed));
    std::map<fs::path, colsnap::digest> before; // what loaded after the previous kill
    fs::path latest;
    unsigned refused = 0, resumed = 0;
    std::string last_refusal;
    for (unsigned k = 0; k < kills; ++k) {
        std::vector<std::string> argv{ECOSIM_CLI};
        if (latest.empty())
            argv.insert(argv.end(), {"run", "--creatures", std::to_string(creatures), "--seed",
                                     std::to_string(seed)});
        else argv.insert(argv.end(), {"resume", latest.string()});
        argv.insert(argv.end(), {"--ticks", "1000000", "--snapshot-every", "3", "--out",
                                 dir.path().string(), "-q"});
        child_process child(argv);
        // let it write 1 to 3 snapshots, then kill it at a random moment of the next ones
        const int lines = static_cast<int>(rng() % 3) + 1;
        for (int i = 0; i < lines; ++i)
            if (!child.read_line()) break;
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
        child.kill(SIGKILL);
        const auto& ended = child.wait();
        ASSERT_FALSE(ended.exited) << "the writer ended by itself: " << ended.describe();

        const auto now = loadable(dir.path(), refused, last_refusal);
        for (const auto& [path, hash] : before) {
            ASSERT_TRUE(now.count(path)) << path << " loaded before kill " << k << ", not now";
            EXPECT_EQ(now.at(path), hash) << path << " changed with kill " << k;
        }
        ASSERT_FALSE(now.empty());
        const fs::path newest = now.rbegin()->first; // tick_NNNNNN sorts by tick
        const ecosim::world w = ecosim::load(newest);
        ecosim::run_until(reference, w.tick);
        ASSERT_EQ(ecosim::world_hash(w), ecosim::world_hash(reference)) << newest;
        ASSERT_EQ(w.eaten.t, reference.eaten.t) << newest;
        ASSERT_EQ(w.population.food, reference.population.food) << newest;
        if (!latest.empty()) ++resumed;
        latest = newest;
        before = now;
    }
    std::printf("%u kills, %zu snapshots, %u resumes, latest tick %llu, %u refused%s%s\n", kills,
                before.size(), resumed, static_cast<unsigned long long>(reference.tick), refused,
                refused ? ": " : "", last_refusal.c_str());
}
