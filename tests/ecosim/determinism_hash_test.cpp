// Same seed and configuration -> the same world hash at every tick and byte-identical snapshots.

#include "support.hpp"

#include <colsnap/hash.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

using namespace ecosim;
using ecosim_test::small_world;

TEST(Determinism, SameSeedSameHashEveryTick) {
    world a = small_world(4000, 11);
    world b = small_world(4000, 11);
    ASSERT_EQ(world_hash(a), world_hash(b));
    for (int t = 0; t < 200; ++t) {
        step(a);
        step(b);
        ASSERT_EQ(world_hash(a), world_hash(b)) << "tick " << a.tick;
    }
    EXPECT_GT(a.born.t.size(), 0u);
    EXPECT_GT(a.dead.t.size(), 0u);
}

TEST(Determinism, EveryIsaLevelComputesTheSameWorld) {
    // the hot loops are compiled for several instruction-set levels (isa.hpp); whichever runs,
    // the world must be the same bits. Levels above what this CPU has cannot run here.
    world base = small_world(20000, 5);
    base.work.isa_level = isa::baseline;
    std::vector<world> others;
    for (const isa level : {isa::v3, isa::v4})
        if (level <= best_isa()) {
            others.push_back(small_world(20000, 5));
            others.back().work.isa_level = level;
        }
    if (others.empty()) GTEST_SKIP() << "this CPU runs only the baseline level";
    for (int t = 0; t < 150; ++t) {
        step(base);
        for (auto& w : others) step(w);
        if (t % 10 != 9) continue;
        const auto h = world_hash(base);
        for (const auto& w : others)
            ASSERT_EQ(world_hash(w), h) << to_string(w.work.isa_level) << ", tick " << w.tick;
    }
    EXPECT_GT(base.eaten.t.size(), 100u);
}

TEST(Determinism, SameSeedByteIdenticalSnapshotFiles) {
    test_common::temp_dir dir;
    for (int run = 0; run < 2; ++run) {
        world w = small_world(4000, 11);
        run_until(w, 150);
        snapshot(w, dir / ("run" + std::to_string(run) + ".npz"));
        snapshot_options deflated;
        deflated.compress = true;
        snapshot(w, dir / ("run" + std::to_string(run) + "_deflate.npz"), deflated);
    }
    const std::string a = test_common::read_text(dir / "run0.npz");
    ASSERT_GT(a.size(), 100000u);
    EXPECT_TRUE(a == test_common::read_text(dir / "run1.npz")) << "stored snapshots differ";
    EXPECT_TRUE(test_common::read_text(dir / "run0_deflate.npz") ==
                test_common::read_text(dir / "run1_deflate.npz"))
        << "deflated snapshots differ";
    // stored and deflated hold the same content
    EXPECT_EQ(colsnap::hash_file(dir / "run0.npz"), colsnap::hash_file(dir / "run0_deflate.npz"));
}

TEST(Determinism, DifferentSeedDifferentWorld) {
    world a = small_world(2000, 1), b = small_world(2000, 2);
    run_until(a, 10);
    run_until(b, 10);
    EXPECT_NE(world_hash(a), world_hash(b));
}

TEST(Determinism, HashCoversEveryColumn) {
    world a = small_world(1000);
    run_until(a, 20);
    const auto h = world_hash(a);
    world b = a;
    b.creature.energy[7] = std::nextafter(b.creature.energy[7], 1e9f);
    EXPECT_NE(world_hash(b), h);
    world c = a;
    c.rng_key ^= 1;
    EXPECT_NE(world_hash(c), h);
    world d = a;
    d.cfg.burn_idle = 1.5f;
    EXPECT_NE(world_hash(d), h);
    world e = a;
    e.population.food.back() += 1;
    EXPECT_NE(world_hash(e), h);
}
