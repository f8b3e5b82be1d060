// The one-process prototype of ecosim on MPI ranks (ecosim/shard/, docs/SHARDING.md): R strip
// shards, stepped by the per-tick protocol, hold the unsharded world at every tick (canonical
// hash), for R = 1..4, with creatures crossing edges and eat claims across them.

#include "shard_edge_world.hpp"
#include "support.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/error.hpp>
#include <ecosim/ids.hpp>
#include <ecosim/shard/shard.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/systems/systems.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

using namespace ecosim;

namespace {

/// A world past its first deaths (tick ~200), so that births reuse freed ids.
const world& grown() {
    static const world w = [] {
        world g = ecosim_test::small_world(10000, 11);
        run_until(g, 260);
        return g;
    }();
    return w;
}

} // namespace

TEST(ShardStrips, HaloIsOneTicksMovePlusTheReach) {
    const config c = grown().cfg;
    const shard::strips s(c, 4);
    EXPECT_DOUBLE_EQ(s.halo(), 6.0 / 30.0 + 1.0 + 800.0 / 65536.0);
    EXPECT_EQ(s.owner(0.0f), 0u);
    EXPECT_EQ(s.owner(c.world_size), 3u);
    EXPECT_EQ(s.lo(1), 6 * 32.0); // 25 block rows of 32 units: 6, 6, 6, 7
    EXPECT_TRUE(s.holds(0, static_cast<float>(s.lo(1) + 1.0)));  // halo of strip 0
    EXPECT_FALSE(s.holds(0, static_cast<float>(s.lo(1) + 2.0))); // past it
}

TEST(ShardStrips, RefusesStripsWithoutABlockRowOrThinnerThanTwoHalos) {
    config c = grown().cfg;
    EXPECT_THROW(shard::strips(c, 26), ecosim::error); // 25 block rows
    EXPECT_NO_THROW(shard::strips(c, 25));
    c.speed_max = 600.0f; // 20 units a tick: a strip of 32 is not > 2 h
    EXPECT_THROW(shard::strips(c, 25), ecosim::error);
}

TEST(ShardPrototype, SplitAndMergeKeepTheWorld) {
    const world& w = grown();
    for (std::uint32_t ranks = 1; ranks <= 4; ++ranks) {
        const shard::strips s(w.cfg, ranks);
        const world m = shard::merge(shard::split(w, s), s);
        EXPECT_NO_THROW(check_invariants(m)) << ranks << " ranks";
        EXPECT_EQ(canonical_hash(m), canonical_hash(w)) << ranks << " ranks";
    }
}

class ShardPrototypeRanks : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(ShardPrototypeRanks, StepsToTheUnshardedWorld) {
    const std::uint32_t ranks = GetParam();
    world w = grown();
    const shard::strips s(w.cfg, ranks);
    std::vector<world> shards = shard::split(w, s);
    shard::edge_traffic sum;
    for (int k = 0; k < 100; ++k) {
        step(w);
        const shard::edge_traffic t = shard::step(shards, s);
        sum.band_claims += t.band_claims;
        sum.lost_to_neighbour += t.lost_to_neighbour;
        sum.migrants += t.migrants;
        ASSERT_EQ(canonical_hash(shard::merge(shards, s)), canonical_hash(w)) << "tick " << w.tick;
    }
    const world m = shard::merge(shards, s);
    EXPECT_NO_THROW(check_invariants(m));
    EXPECT_GT(w.born.size(), grown().born.size());
    EXPECT_GT(w.dead.size(), grown().dead.size());
    if (ranks > 1) { // the edges were crossed
        EXPECT_GT(sum.migrants, 0u);
        EXPECT_GT(sum.band_claims, 0u);
    }
    std::printf("%u ranks, 100 ticks: %zu migrants, %zu band claims sent, %zu claims lost to a "
                "neighbour\n",
                ranks, sum.migrants, sum.band_claims, sum.lost_to_neighbour);
    // and the merged world resumes like the unsharded one
    test_common::temp_dir dir;
    snapshot(m, dir / "m.npz");
    world r = load(dir / "m.npz");
    run_until(r, w.tick + 20);
    run_until(w, w.tick + 20);
    EXPECT_EQ(canonical_hash(r), canonical_hash(w));
}

TEST(ShardPrototype, AFoodOnAnEdgeGoesToTheFirstClaimAcrossIt) {
    // the creature below the edge (0.3 away) eats it, the one above (0.6 away, the food's own
    // strip) loses (shard_edge_world.hpp)
    const shard::strips s(grown().cfg, 2);
    ecosim_test::edge_world e = ecosim_test::with_a_food_on_an_edge(grown(), s);
    world& w = e.w;
    ASSERT_NO_THROW(check_invariants(w));
    ASSERT_EQ(s.owner(w.food.pos_y[w.food_id_to_slot[e.food]]), 1u);
    ASSERT_EQ(s.owner(w.creature.pos_y[w.creature_id_to_slot[e.below]]), 0u);

    std::vector<world> shards = shard::split(w, s);
    step(w);
    const shard::edge_traffic t = shard::step(shards, s);
    EXPECT_GE(t.lost_to_neighbour, 1u);
    EXPECT_TRUE(ecosim_test::ate(w, e.below, e.food)) << "the nearer creature, across the edge";
    EXPECT_EQ(canonical_hash(shard::merge(shards, s)), canonical_hash(w));
    for (int k = 0; k < 20; ++k) {
        step(w);
        shard::step(shards, s);
    }
    EXPECT_EQ(canonical_hash(shard::merge(shards, s)), canonical_hash(w));
}

INSTANTIATE_TEST_SUITE_P(OneToFour, ShardPrototypeRanks, ::testing::Values(1u, 2u, 3u, 4u));
