// Schema 1 (no creature/hunger_buildup) loads with the column zero-filled; schema 2 loads as is.
// tests/data/ecosim/world_v1.npz is a committed schema-1 snapshot (ecosim_make_fixture).

#include "support.hpp"

#include <colsnap/hash.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>
#include <ecosim/error.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/snapshot_visitors.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

using namespace ecosim;

namespace {
const std::filesystem::path fixture = std::filesystem::path(ECOSIM_TEST_DATA_DIR) / "world_v1.npz";
}

TEST(Migration, CommittedSchema1FixtureIsSchema1) {
    const auto rd = colsnap::npz_reader::open(fixture);
    colsnap::array keep;
    EXPECT_EQ(rd.values<std::uint32_t>("meta/schema_version", keep)[0], 1u);
    EXPECT_FALSE(rd.contains("creature/hunger_buildup"));
    EXPECT_FALSE(rd.contains("creature_to_insert/hunger_buildup"));
    EXPECT_TRUE(rd.contains("creature/energy"));
}

TEST(Migration, Schema1LoadsWithHungerBuildupZeroFilled) {
    const world w = load(fixture);
    const auto rd = colsnap::npz_reader::open(fixture);
    colsnap::array keep;
    const auto energy = rd.values<float>("creature/energy", keep);
    ASSERT_GT(w.creature.size(), 0u);
    EXPECT_EQ(w.creature.size(), energy.size());
    EXPECT_TRUE(std::equal(energy.begin(), energy.end(), w.creature.energy.begin()));
    EXPECT_EQ(w.creature.hunger_buildup, ecosim::column<float>(w.creature.size(), 0.0f));
    EXPECT_EQ(w.schema, schema_version);
    EXPECT_EQ(w.tick, 40u);
    // the migrated world is a current-schema world: its hash differs from the v1 file's, and it runs
    EXPECT_NE(world_hash(w), colsnap::hash_file(fixture));
    world r = w;
    run_until(r, 80);
    EXPECT_NO_THROW(check_invariants(r));
    float total = 0;
    for (float h : r.creature.hunger_buildup) total += h;
    EXPECT_GT(total, 0.0f); // hunger time accrues again after the migration
}

TEST(Migration, Schema1RewrittenAsCurrentSchemaKeepsTheMigratedWorld) {
    test_common::temp_dir dir;
    const world w = load(fixture);
    snapshot(w, dir / "v2.npz");
    const auto rd = colsnap::npz_reader::open(dir / "v2.npz");
    colsnap::array keep;
    EXPECT_EQ(rd.values<std::uint32_t>("meta/schema_version", keep)[0], schema_version);
    EXPECT_TRUE(rd.contains("creature/hunger_buildup"));
    EXPECT_EQ(world_hash(load(dir / "v2.npz")), world_hash(w));
}

TEST(Migration, FreshSchema1RoundTripZeroFillsOnly) {
    // the same path on a world made now: write schema 1, load, compare with the original
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(1500);
    run_until(w, 100);
    snapshot_options v1;
    v1.schema = 1;
    snapshot(w, dir / "v1.npz", v1);
    world back = load(dir / "v1.npz");
    EXPECT_EQ(back.creature.energy, w.creature.energy);
    EXPECT_EQ(back.creature.id, w.creature.id);
    back.creature.hunger_buildup = w.creature.hunger_buildup; // the only difference
    EXPECT_EQ(world_hash(back), world_hash(w));
}

namespace {

/// A world whose next schema adds a config field: `added` comes with schema_version + 1.
struct next_world {
    std::uint32_t schema = schema_version;
    float kept = 0.0f, added = 0.0f;
};
template <typename W, typename V> void next_members(W& w, V& v) {
    v.schema_version("meta", "schema_version", w.schema);
    v.config_value(config_field<float>{"kept", 1, 2.0f}, w.kept);
    v.config_value(config_field<float>{"added", schema_version + 1, 7.5f}, w.added);
}

/// Writes @p cols to @p path, then loads a next_world from it as a current-schema file.
next_world write_and_load(const std::filesystem::path& path,
                          const std::vector<colsnap::column_ref>& cols) {
    colsnap::write_options wo;
    wo.durable = false;
    colsnap::save_npz(path, cols, wo);
    const auto rd = colsnap::npz_reader::open(path);
    detail::loader ld{rd, path, schema_version, {}, {}};
    next_world r;
    next_members(r, ld);
    return r;
}

} // namespace

TEST(Migration, ConfigFieldOfANewerSchemaIsLeftOutAndLoadsWithItsDefault) {
    // the collector writing the current schema leaves the newer field out; the loader reading
    // that schema gives it its default instead of refusing "config/added: missing"
    test_common::temp_dir dir;
    next_world w;
    w.kept = 3.25f;
    w.added = 1.0f;
    detail::collector c;
    next_members(w, c);
    ASSERT_EQ(c.out.size(), 2u);
    EXPECT_EQ(c.out[1].name, "config/kept");
    const next_world r = write_and_load(dir / "old.npz", c.out);
    EXPECT_EQ(r.kept, 3.25f);
    EXPECT_EQ(r.added, 7.5f);
}

TEST(Migration, ConfigFieldOfTheFileSchemaIsRequired) {
    // a field the file's schema has is still refused when missing
    test_common::temp_dir dir;
    next_world w;
    detail::collector c;
    next_members(w, c);
    c.out.pop_back(); // drop config/kept
    try {
        (void)write_and_load(dir / "bad.npz", c.out);
        ADD_FAILURE() << "loaded without config/kept";
    } catch (const ecosim::error& e) {
        EXPECT_NE(std::string(e.what()).find("config/kept: missing"), std::string::npos)
            << e.what();
    }
}
