// Snapshot at S, load, run to T: the same hash as the run that never paused, for S = 0, a
// middle tick, and a tick whose pending events include fission.

#include "support.hpp"

#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <algorithm>

using namespace ecosim;

namespace {
constexpr std::uint64_t target = 240;

bool pending_fission(const world& w) {
    return std::count(w.pending_event.kind.begin(), w.pending_event.kind.end(),
                      static_cast<std::uint8_t>(event_kind::reproduce)) > 0;
}
} // namespace

class Resume : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        world w = ecosim_test::small_world(6000, 5);
        run_until(w, target);
        unpaused_ = world_hash(w).hex();
    }
    static std::string unpaused_;
};
std::string Resume::unpaused_;

TEST_F(Resume, FromTickZero) {
    test_common::temp_dir dir;
    const world w = ecosim_test::small_world(6000, 5);
    snapshot(w, dir / "s.npz");
    world r = load(dir / "s.npz");
    run_until(r, target);
    EXPECT_EQ(world_hash(r).hex(), unpaused_);
}

TEST_F(Resume, FromAMiddleTick) {
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(6000, 5);
    run_until(w, target / 2);
    snapshot(w, dir / "s.npz");
    world r = load(dir / "s.npz");
    EXPECT_EQ(world_hash(r), world_hash(w));
    run_until(r, target);
    EXPECT_EQ(world_hash(r).hex(), unpaused_);
}

TEST_F(Resume, FromATickWithPendingFission) {
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(6000, 5);
    // the first tick after 150 whose pending events (the ones just applied) include fission,
    // so the snapshot holds freshly issued and recycled ids
    run_until(w, 150);
    while (!pending_fission(w) && w.tick < target) step(w);
    ASSERT_TRUE(pending_fission(w)) << "no fission before tick " << target;
    ASSERT_GT(w.creature_free.size(), 0u);
    const std::uint64_t s = w.tick;
    snapshot(w, dir / "s.npz");
    world r = load(dir / "s.npz");
    EXPECT_EQ(r.tick, s);
    EXPECT_TRUE(pending_fission(r));
    run_until(r, target);
    EXPECT_EQ(world_hash(r).hex(), unpaused_) << "resumed from tick " << s;
}

TEST_F(Resume, EveryTwentyTicksInOneChain) {
    // snapshot + load at every 20th tick along the way: still the unpaused hash
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(6000, 5);
    while (w.tick < target) {
        run_until(w, std::min<std::uint64_t>(w.tick + 20, target));
        snapshot(w, dir / "chain.npz");
        w = load(dir / "chain.npz");
    }
    EXPECT_EQ(world_hash(w).hex(), unpaused_);
}
