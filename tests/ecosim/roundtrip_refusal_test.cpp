// Snapshots that must be refused, with a message naming the problem: newer schema, missing or
// mistyped or misshapen members, unequal column lengths, unexpected members, broken indexes.

#include "support.hpp"

#include <colsnap/error.hpp>
#include <colsnap/npz_writer.hpp>
#include <ecosim/members.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/snapshot_visitors.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <functional>

using namespace ecosim;

namespace {

/// Writes the columns of a small world after @p edit, then expects load() to throw
/// ecosim::error whose message contains every string of @p expected.
/// @p schema: the schema whose members are written (before the edit).
void expect_refused(const std::function<void(std::vector<colsnap::column_ref>&)>& edit,
                    std::initializer_list<std::string> expected,
                    std::uint32_t schema = schema_version) {
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(500);
    run_until(w, 30);
    snapshot_options so;
    so.durable = false;
    snapshot(w, dir / "good.npz", so); // and the log segment that bad.npz refers to
    detail::collector c;
    c.written = schema;
    c.refs = &w.work.logs.chains.refs(w);
    for_each_member(w, c);
    auto cols = std::move(c.out);
    edit(cols);
    colsnap::write_options wo;
    wo.durable = false;
    colsnap::save_npz(dir / "bad.npz", cols, wo);
    try {
        (void)load(dir / "bad.npz");
        ADD_FAILURE() << "load accepted the snapshot";
    } catch (const ecosim::error& e) {
        const std::string msg = e.what();
        for (const auto& s : expected) EXPECT_NE(msg.find(s), std::string::npos) << msg;
        EXPECT_NE(msg.find("bad.npz"), std::string::npos) << msg;
    }
}

colsnap::column_ref& member(std::vector<colsnap::column_ref>& cols, const std::string& name) {
    for (auto& c : cols)
        if (c.name == name) return c;
    throw std::runtime_error("no member " + name);
}

void drop(std::vector<colsnap::column_ref>& cols, const std::string& name) {
    std::erase_if(cols, [&](const colsnap::column_ref& c) { return c.name == name; });
}

const std::uint32_t newer_version = schema_version + 1, version0 = 0;
const std::uint64_t wide_version = 2;

} // namespace

TEST(Refusal, NewerSchemaVersion) {
    expect_refused(
        [](auto& cols) {
            member(cols, "meta/schema_version") =
                colsnap::scalar("meta/schema_version", newer_version);
        },
        {"schema_version " + std::to_string(newer_version), "newer"});
}

TEST(Refusal, SchemaVersionZero) {
    expect_refused(
        [](auto& cols) {
            member(cols, "meta/schema_version") = colsnap::scalar("meta/schema_version", version0);
        },
        {"schema_version 0"});
}

TEST(Refusal, MistypedSchemaVersion) {
    expect_refused(
        [](auto& cols) {
            member(cols, "meta/schema_version") =
                colsnap::scalar("meta/schema_version", wide_version);
        },
        {"meta/schema_version", "<u8"});
}

TEST(Refusal, MissingSchemaVersion) {
    expect_refused([](auto& cols) { drop(cols, "meta/schema_version"); },
                   {"meta/schema_version", "missing"});
}

TEST(Refusal, MissingColumn) {
    expect_refused([](auto& cols) { drop(cols, "creature/energy"); },
                   {"creature/energy", "missing"});
}

TEST(Refusal, MissingConfigValue) {
    expect_refused([](auto& cols) { drop(cols, "config/eat_radius"); },
                   {"config/eat_radius", "missing"});
}

TEST(Refusal, MistypedColumn) {
    expect_refused(
        [](auto& cols) {
            static std::vector<double> doubles;
            auto& c = member(cols, "creature/pos_x");
            doubles.assign(c.info.shape[0], 1.0); // same length, wrong dtype
            c = colsnap::column("creature/pos_x", std::span<const double>(doubles));
        },
        {"creature/pos_x", "dtype <f8, expected <f4"});
}

TEST(Refusal, UnequalColumnLengthsInATable) {
    expect_refused(
        [](auto& cols) {
            auto& c = member(cols, "creature/vel_y");
            c.info.shape[0] -= 1;
            c.bytes = c.bytes.first(c.bytes.size() - 4);
        },
        {"creature/vel_y", "rows", "creature"});
}

TEST(Refusal, ScalarWithAShape) {
    expect_refused(
        [](auto& cols) {
            auto& c = member(cols, "meta/tick");
            c.info.shape = {1};
        },
        {"meta/tick", "0-d"});
}

TEST(Refusal, RegionNotNBy4) {
    expect_refused(
        [](auto& cols) {
            auto& c = member(cols, "food_spawner/region");
            c.info.shape = {c.info.shape[0] * 2, 2};
        },
        {"food_spawner/region", "(n, 4)"});
}

TEST(Refusal, UnexpectedMember) {
    static const std::vector<float> extra(3, 0.0f);
    expect_refused(
        [](auto& cols) {
            cols.push_back(colsnap::column("creature/colour", std::span<const float>(extra)));
        },
        {"creature/colour", "not part of schema " + std::to_string(schema_version)});
}

TEST(Refusal, Schema1WithASchema2Column) {
    static const std::uint32_t one = 1;
    expect_refused(
        [](auto& cols) {
            member(cols, "meta/schema_version") = colsnap::scalar("meta/schema_version", one);
        },
        {"creature/hunger_buildup", "not part of schema 1"}, 2);
}

TEST(Refusal, BrokenIdToSlot) {
    static std::vector<std::uint32_t> slots;
    expect_refused(
        [](auto& cols) {
            auto& c = member(cols, "creature_id_to_slot/slot");
            const auto* p = reinterpret_cast<const std::uint32_t*>(c.bytes.data());
            slots.assign(p, p + c.info.shape[0]);
            std::swap(slots[0], slots[1]);
            c = colsnap::column("creature_id_to_slot/slot", std::span<const std::uint32_t>(slots));
        },
        {"invariant", "creature_id_to_slot"});
}

TEST(Refusal, NotAnEcosimSnapshot) {
    static const std::vector<float> x(4, 1.0f);
    test_common::temp_dir dir;
    const std::vector<colsnap::column_ref> cols{colsnap::column("x", std::span<const float>(x))};
    colsnap::save_npz(dir / "other.npz", cols);
    EXPECT_THROW((void)load(dir / "other.npz"), ecosim::error);
}

TEST(Refusal, DamagedFileIsAColsnapError) {
    test_common::temp_dir dir;
    {
        std::ofstream out(dir / "junk.npz", std::ios::binary);
        out << "this is not a zip archive at all";
    }
    EXPECT_THROW((void)load(dir / "junk.npz"), colsnap::error);
    EXPECT_THROW((void)load(dir / "missing.npz"), colsnap::error);
}
