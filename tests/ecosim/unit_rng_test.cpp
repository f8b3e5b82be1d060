// The counter-based generator: pure function of its key, sane distribution.

#include <ecosim/rng.hpp>

#include <gtest/gtest.h>

#include <set>

using namespace ecosim;

TEST(Rng, SplitMix64KnownValues) {
    // SplitMix64 with state 0: first outputs of the reference generator (Vigna's splitmix64.c)
    EXPECT_EQ(rng::mix64(0), 0xE220A8397B1DCDAFULL);
    EXPECT_EQ(rng::mix64(0x9E3779B97F4A7C15ULL), 0x6E789E6AA1B965F4ULL);
}

TEST(Rng, DrawIsPureFunctionOfItsKey) {
    const auto tk = rng::tick_key(rng::world_key(42), 17, rng::stream::wander);
    EXPECT_EQ(rng::bits(tk, 5, 0), rng::bits(tk, 5, 0));
    EXPECT_NE(rng::bits(tk, 5, 0), rng::bits(tk, 5, 1));
    EXPECT_NE(rng::bits(tk, 5, 0), rng::bits(tk, 6, 0));
    EXPECT_NE(tk, rng::tick_key(rng::world_key(42), 18, rng::stream::wander));
    EXPECT_NE(tk, rng::tick_key(rng::world_key(42), 17, rng::stream::birth));
    EXPECT_NE(tk, rng::tick_key(rng::world_key(43), 17, rng::stream::wander));
}

TEST(Rng, UnitFloatsAreInRangeAndRoughlyUniform) {
    const auto tk = rng::tick_key(rng::world_key(1), 0, rng::stream::spawn);
    int bins[10] = {};
    std::set<float> distinct;
    for (std::uint32_t i = 0; i < 100000; ++i) {
        const auto b = rng::bits(tk, i, 0);
        const float u = rng::unit(b), v = rng::unit_low(b);
        ASSERT_GE(u, 0.0f);
        ASSERT_LT(u, 1.0f);
        ASSERT_GE(v, 0.0f);
        ASSERT_LT(v, 1.0f);
        ++bins[static_cast<int>(u * 10.0f)];
        if (i < 1000) distinct.insert(u);
    }
    for (int b : bins) {
        EXPECT_GT(b, 9500);
        EXPECT_LT(b, 10500);
    }
    EXPECT_GT(distinct.size(), 990u);
}
