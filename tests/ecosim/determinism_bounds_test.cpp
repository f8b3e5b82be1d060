// With the default configuration, 10,000 creatures neither explode nor die out over 3,000
// ticks. Stated bounds (checked at every tick of the population log):
//   creatures in [8,000, 12,000]   (start 10,000: within 20 %)
//   food      in [6,000, 24,000]   (start 12,000)
// Seeds 42 and 7 are run. Release only by default (ECOSIM_LONG_TESTS is OFF under
// COLSNAP_SANITIZE; set it ON to run it there too).

#include "support.hpp"

#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <algorithm>

using namespace ecosim;

#ifdef ECOSIM_LONG_TESTS
namespace {
void check_bounds(std::uint64_t seed) {
    world w = ecosim_test::small_world(10000, seed);
    run_until(w, 3000);
    const auto& p = w.population;
    ASSERT_EQ(p.tick.size(), 3001u);
    const auto [cmin, cmax] = std::minmax_element(p.creatures.begin(), p.creatures.end());
    const auto [fmin, fmax] = std::minmax_element(p.food.begin(), p.food.end());
    std::printf("seed %llu: creatures %u..%u, food %u..%u over 3,000 ticks\n",
                static_cast<unsigned long long>(seed), *cmin, *cmax, *fmin, *fmax);
    EXPECT_GE(*cmin, 8000u);
    EXPECT_LE(*cmax, 12000u);
    EXPECT_GE(*fmin, 6000u);
    EXPECT_LE(*fmax, 24000u);
    // it is a living world, not a frozen one
    EXPECT_GT(w.born.t.size(), 5000u);
    EXPECT_GT(w.dead.t.size(), 5000u);
}
} // namespace
#endif

TEST(Bounds, TenThousandCreaturesFor3000Ticks) {
#ifndef ECOSIM_LONG_TESTS
    GTEST_SKIP() << "ECOSIM_LONG_TESTS is off (sanitizer build)";
#else
    check_bounds(42);
    check_bounds(7);
#endif
}
