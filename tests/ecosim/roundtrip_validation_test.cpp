// Every value of a snapshot is validated on load (issue 12.3): a config value or a table value
// out of its range, NaN or infinite, an id that was never issued, inconsistent scalars. Each is
// refused with ecosim::error naming the member, before any tick runs: a negative or NaN
// food_spawner/rate or carry never reaches food_spawn's float -> integer conversion.

#include "support.hpp"

#include <colsnap/npz_writer.hpp>
#include <ecosim/error.hpp>
#include <ecosim/members.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/snapshot_visitors.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <string>
#include <vector>

using namespace ecosim;

namespace {

constexpr double nan_d = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_d = std::numeric_limits<double>::infinity();

/// One member, one element of it, and the value it is set to (converted to the member's dtype).
struct bad_value {
    const char* member;
    std::size_t index;
    double value;
};

/// A world of a few ticks with rows in every table, written as columns.
const world& sample_world() {
    static const world w = [] {
        world x = ecosim_test::small_world(3000);
        run_until(x, 300); // the first creatures starve after about 200 ticks
        return x;
    }();
    return w;
}

template <typename T>
void overwrite(colsnap::column_ref& c, std::size_t index, double value,
               std::deque<std::vector<std::byte>>& keep) {
    const T v = static_cast<T>(value);
    std::vector<std::byte>& bytes = keep.emplace_back(c.bytes.begin(), c.bytes.end());
    ASSERT_LT((index + 1) * sizeof(T), bytes.size() + 1) << c.name << " is too short";
    std::memcpy(bytes.data() + index * sizeof(T), &v, sizeof(T));
    c.bytes = std::span<const std::byte>(bytes);
}

class SnapshotValue : public ::testing::TestWithParam<bad_value> {};

TEST_P(SnapshotValue, IsRefusedNamingTheMember) {
    const bad_value& p = GetParam();
    test_common::temp_dir dir;
    snapshot_options so;
    so.durable = false;
    snapshot(sample_world(), dir / "good.npz", so); // and the log segment that bad.npz refers to
    auto cols = world_columns(sample_world());
    // a log's rows are members of a schema-2 snapshot (from schema 3 on they are in segments,
    // whose rows the chain hash guards: roundtrip_segments_test)
    if (std::none_of(cols.begin(), cols.end(), [&](const auto& c) { return c.name == p.member; })) {
        detail::collector v2;
        v2.written = 2;
        for_each_member(sample_world(), v2);
        cols = std::move(v2.out);
    }
    std::deque<std::vector<std::byte>> keep;
    bool found = false;
    for (auto& c : cols) {
        if (c.name != p.member) continue;
        found = true;
        const char kind = c.info.type.descr()[1];
        const std::size_t size = c.info.type.itemsize;
        if (kind == 'f' && size == 4) overwrite<float>(c, p.index, p.value, keep);
        else if (kind == 'f' && size == 8) overwrite<double>(c, p.index, p.value, keep);
        else if (kind == 'u' && size == 1) overwrite<std::uint8_t>(c, p.index, p.value, keep);
        else if (kind == 'u' && size == 4) overwrite<std::uint32_t>(c, p.index, p.value, keep);
        else if (kind == 'u' && size == 8) overwrite<std::uint64_t>(c, p.index, p.value, keep);
        else FAIL() << "dtype of " << c.name;
    }
    ASSERT_TRUE(found) << p.member;
    colsnap::write_options wo;
    wo.durable = false;
    colsnap::save_npz(dir / "bad.npz", cols, wo);
    try {
        (void)load(dir / "bad.npz");
        ADD_FAILURE() << "load accepted " << p.member << " = " << p.value;
    } catch (const ecosim::error& e) {
        // the member itself, or the one it contradicts with the member named in the message
        const std::string what = e.what();
        EXPECT_TRUE(e.where() == p.member || what.find(p.member) != std::string::npos) << what;
        EXPECT_NE(std::string(e.what()).find("bad.npz"), std::string::npos) << e.what();
    }
}

const bad_value bad_values[] = {
    // issue 12.3: these reached static_cast<std::uint32_t>(whole) in food_spawn
    {"food_spawner/rate", 3, -5.0},
    {"food_spawner/rate", 0, nan_d},
    {"food_spawner/rate", 1, inf_d},
    {"food_spawner/carry", 2, -0.5},
    {"food_spawner/carry", 2, nan_d},
    {"food_spawner/carry", 0, 1.0},
    {"food_spawner/region", 5, nan_d},
    // in range but not what the config makes: 64 x 3e7 food a second ran out of memory, 2e5 for
    // minutes; a region 1e6 wide spawned food outside the world
    {"food_spawner/rate", 4, 3e7},
    {"food_spawner/rate", 5, 2e5},
    {"food_spawner/region", 6, 1e6},
    {"food_spawner/id", 1, 7.0},
    {"creature/pos_x", 7, nan_d},
    {"creature/pos_y", 0, inf_d},
    {"creature/vel_x", 1, nan_d},
    {"creature/vel_y", 2, -inf_d},
    {"creature/energy", 3, nan_d},
    {"creature/birth_t", 4, -1.0},
    {"creature/hunger_buildup", 5, -1.0},
    {"creature/hunger_buildup", 6, nan_d},
    {"food/pos_x", 0, nan_d},
    {"food/pos_y", 1, -inf_d},
    {"food/value", 2, nan_d},
    {"pending_event/t", 0, nan_d},
    {"pending_event/kind", 0, last_event_kind + 1.0}, // the first value past the last kind
    {"pending_event/creature_id", 0, 4294967294.0},
    {"pending_event/target_id", 0, 4294967294.0},
    {"eaten/t", 0, -1.0},
    {"eaten/creature_id", 0, 4294967294.0},
    {"eaten/food_id", 0, 4294967294.0},
    {"eaten/energy", 0, nan_d},
    {"born/t", 0, nan_d},
    {"born/parent_id", 0, 4294967294.0},
    {"born/child_a", 0, 4294967294.0},
    {"born/child_b", 0, 4294967294.0},
    {"born/energy", 0, inf_d},
    {"dead/t", 0, -inf_d},
    {"dead/creature_id", 0, 4294967294.0},
    {"dead/energy", 0, nan_d},
    {"population/t", 0, nan_d},
    {"creature_id_to_slot/slot", 0, 4294967294.0},
    {"food_id_to_slot/slot", 0, 4294967294.0},
    {"hungry/id", 0, 4294967294.0},
    {"meta/clock_us", 0, 12345.0},
    {"meta/rng_key", 0, 1.0},
    {"meta/creature_next_id", 0, 4000000000.0},
    {"meta/food_next_id", 0, 3.0},
    {"config/world_size", 0, nan_d},
    {"config/dt", 0, -1.0},
    {"config/food_per_area_per_second", 0, nan_d},
    {"config/eat_radius", 0, 5.0},
    {"config/spawners_per_side", 0, 40.0},
};

INSTANTIATE_TEST_SUITE_P(EveryTable, SnapshotValue, ::testing::ValuesIn(bad_values),
                         [](const auto& p) {
                             std::string n =
                                 std::string(p.param.member) + "_" + std::to_string(p.index);
                             for (char& ch : n)
                                 if (ch == '/') ch = '_';
                             return n;
                         });

} // namespace

TEST(Validation, ResumeFromANegativeSpawnRateIsRefusedBeforeAnyTick) {
    // the snapshot of issue 12.3: every spawner owes -5 food per second
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(500);
    run_until(w, 5);
    for (float& r : w.food_spawner.rate) r = -5.0f;
    snapshot_options so;
    so.durable = false;
    EXPECT_THROW(check_invariants(w), ecosim::error);
    snapshot(w, dir / "hostile.npz", so);
    try {
        (void)load(dir / "hostile.npz");
        ADD_FAILURE() << "accepted";
    } catch (const ecosim::error& e) {
        EXPECT_EQ(e.where(), "food_spawner/rate");
        EXPECT_NE(std::string(e.what()).find("-5"), std::string::npos) << e.what();
    }
}

TEST(Validation, AConfigThatSpawnsMoreThan2To24FoodATickIsRefused) {
    // 1e6 food per unit^2 a second is in range of a float, but one tick of it in this world
    // would allocate gigabytes of food rows
    config c = ecosim_test::small_world(500).cfg;
    EXPECT_NO_THROW(check_config(c));
    for (const float rate : {1e6f, 1e9f}) {
        c.food_per_area_per_second = rate;
        try {
            check_config(c);
            ADD_FAILURE() << "accepted " << rate;
        } catch (const ecosim::error& e) {
            EXPECT_EQ(e.where(), "config/food_per_area_per_second") << e.what();
            EXPECT_NE(std::string(e.what()).find("2^24"), std::string::npos) << e.what();
        }
    }
}
