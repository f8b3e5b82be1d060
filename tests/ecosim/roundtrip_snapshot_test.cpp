// snapshot -> load gives back the same world; the file's colsnap hash is the live world's hash.

#include "support.hpp"

#include <colsnap/hash.hpp>
#include <colsnap/npz_reader.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

using namespace ecosim;

TEST(Snapshot, LoadGivesBackTheSameWorld) {
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(3000);
    run_until(w, 120);
    snapshot(w, dir / "w.npz");
    const world back = load(dir / "w.npz");
    EXPECT_EQ(world_hash(back), world_hash(w));
    EXPECT_EQ(back.cfg, w.cfg);
    EXPECT_EQ(back.tick, 120u);
    EXPECT_EQ(back.creature.pos_x, w.creature.pos_x);
    EXPECT_EQ(back.creature.hunger_buildup, w.creature.hunger_buildup);
    EXPECT_EQ(back.food_spawner.region, w.food_spawner.region);
    EXPECT_EQ(back.creature_free.gen, w.creature_free.gen);
    EXPECT_EQ(back.population.creatures, w.population.creatures);
}

TEST(Snapshot, FileHashEqualsLiveWorldHash) {
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(2000);
    run_until(w, 60);
    snapshot(w, dir / "w.npz");
    EXPECT_EQ(colsnap::hash_file(dir / "w.npz"), world_hash(w));
    snapshot_options deflated;
    deflated.compress = true;
    snapshot(w, dir / "d.npz", deflated);
    EXPECT_EQ(colsnap::hash_file(dir / "d.npz"), world_hash(w));
}

TEST(Snapshot, MembersAreNamedTableSlashColumnInOrder) {
    test_common::temp_dir dir;
    const world w = ecosim_test::small_world(200);
    snapshot(w, dir / "w.npz");
    const auto rd = colsnap::npz_reader::open(dir / "w.npz");
    const auto cols = world_columns(w);
    ASSERT_EQ(rd.members().size(), cols.size());
    for (std::size_t i = 0; i < cols.size(); ++i) EXPECT_EQ(rd.members()[i].name, cols[i].name);
    EXPECT_TRUE(rd.contains("creature/pos_x"));
    EXPECT_TRUE(rd.contains("meta/schema_version"));
    EXPECT_TRUE(rd.contains("config/seed"));
    colsnap::array keep;
    EXPECT_EQ(rd.values<std::uint32_t>("meta/schema_version", keep)[0], ecosim::schema_version);
}

TEST(Snapshot, TickZeroRoundTrips) {
    test_common::temp_dir dir;
    const world w = ecosim_test::small_world(1000);
    snapshot(w, dir / "w.npz");
    EXPECT_EQ(world_hash(load(dir / "w.npz")), world_hash(w));
}
