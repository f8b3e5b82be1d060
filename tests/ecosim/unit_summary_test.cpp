// Pass 1 of the eat query on its own (eat_query/summary.hpp): for food placed at random around a
// creature, the box test and the disk refinement keep every food that the exact query (pass 2:
// float dx*dx + dy*dy <= r*r) would find, and the refinement throws out food of the box's
// corners that lies well beyond reach.

#include <ecosim/config.hpp>
#include <ecosim/eat_query/summary.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

using namespace ecosim;

namespace {

struct verdict {
    bool in_window; ///< the food is summarised in the window the creature reads
    bool box;       ///< holds(): the food is inside the creature's reach box
    bool disk;      ///< near_disk()
};

/// The summary of a window that holds one food at (fx, fy) in slot j (the other slots empty),
/// tested as a creature at (x, y) tests it.
verdict test_one(const summary::geometry& g, float x, float y, float fx, float fy, int j) {
    summary::boxes b{};
    config cfg;
    cfg.reproduce_energy = 100.0f;
    box_of(g, event_rules(cfg), x, y, 50.0f, 0, b);
    const std::int32_t qx = g.quantum(fx), qy = g.quantum(fy);
    const std::uint32_t wx = b.at[0] % g.stride, wy = b.at[0] / g.stride;
    verdict v{};
    v.in_window = g.first_window(qx) <= wx && wx <= summary::geometry::last_window(qx) &&
                  g.first_window(qy) <= wy && wy <= summary::geometry::last_window(qy);
    const std::uint64_t slot = summary::geometry::slot(qx, qy);
    const std::uint64_t word =
        (summary::empty & ~(std::uint64_t{0xFFFF} << (16 * j))) | (slot << (16 * j));
    v.box = summary::holds(word, std::uint64_t{b.lo[0]} * summary::lanes,
                           std::uint64_t{b.room[0]} * summary::lanes) != 0;
    v.disk = summary::near_disk(g, word, x, y);
    return v;
}

} // namespace

TEST(Summaries, EveryFoodWithinReachPassesBothTests) {
    for (const std::uint32_t creatures : {10000u, 1000000u}) {
        const config cfg = make_config(creatures);
        const summary::geometry g(cfg);
        ASSERT_TRUE(g.usable);
        const float r = cfg.eat_radius, r2 = r * r;
        std::mt19937 gen(7);
        std::uniform_real_distribution<float> pos(0.0f, cfg.world_size), off(-r, r);
        int within = 0;
        for (int n = 0; n < 200000; ++n) {
            const float x = pos(gen), y = pos(gen);
            const float fx = x + off(gen), fy = y + off(gen);
            const float dx = fx - x, dy = fy - y;
            if (!(dx * dx + dy * dy <= r2)) continue; // pass 2 would not find it
            ++within;
            const verdict v = test_one(g, x, y, fx, fy, n % 4);
            ASSERT_TRUE(v.in_window && v.box && v.disk)
                << "creature (" << x << ", " << y << "), food (" << fx << ", " << fy << ")";
        }
        EXPECT_GT(within, 150000);
    }
}

TEST(Summaries, DiskTestDropsFoodWellBeyondReach) {
    const config cfg = make_config(1000000);
    const summary::geometry g(cfg);
    // a food's quantum square is sqrt(2) quanta across: beyond reach plus that (and some
    // rounding) the disk test must say no, though the box may say yes
    const float beyond = g.reach + 1.5f / g.scale;
    std::mt19937 gen(11);
    std::uniform_real_distribution<float> pos(0.0f, cfg.world_size), off(-g.reach, g.reach);
    int corners = 0, dropped = 0;
    for (int n = 0; n < 200000; ++n) {
        const float x = pos(gen), y = pos(gen);
        const float fx = x + off(gen), fy = y + off(gen);
        const verdict v = test_one(g, x, y, fx, fy, n % 4);
        if (!v.in_window || !v.box) continue;
        if (std::hypot(fx - x, fy - y) > beyond) {
            ++corners;
            EXPECT_FALSE(v.disk) << "creature (" << x << ", " << y << "), food (" << fx << ", "
                                 << fy << ")";
        }
        dropped += !v.disk;
    }
    EXPECT_GT(corners, 10000); // 8 % of the box lies that far out at the defaults
    EXPECT_GT(dropped, corners);
}

TEST(Summaries, EmptyFullAndListWindows) {
    const config cfg = make_config(10000);
    const summary::geometry g(cfg);
    const float x = 100.0f, y = 100.0f;
    EXPECT_FALSE(summary::near_disk(g, summary::empty, x, y));
    EXPECT_TRUE(summary::near_disk(g, summary::full, x, y));
    // a list: the box test and near_disk let it through; near_list reads its slots
    const std::uint64_t word = summary::list_tag | 7;
    EXPECT_TRUE(summary::is_list(word));
    EXPECT_NE(summary::holds(word, 0, 0), 0u);
    EXPECT_TRUE(summary::near_disk(g, word, x, y));
    summary::food_list l{};
    const float c = 0.95f * g.reach; // the box's corners: 1.34 reaches away
    for (const float dx : {-c, c})
        for (const float dy : {-c, c})
            l.slot[l.count++] = summary::geometry::slot(g.quantum(x + dx), g.quantum(y + dy));
    while (l.count < summary::list_size - 1) // and food outside the box
        l.slot[l.count++] = summary::geometry::slot(g.quantum(x + 3.0f * g.reach), g.quantum(y));
    EXPECT_FALSE(summary::near_list(g, l, x, y));
    l.slot[l.count++] = summary::geometry::slot(g.quantum(x + 0.5f), g.quantum(y - 0.5f));
    EXPECT_TRUE(summary::near_list(g, l, x, y));
}
