// Logs as segments (schema 3, docs/FORMAT.md "Logs as segments"): every log row is written once;
// a resumed run extends the same history; the world hash does not depend on where segments were
// cut; a rewind leaves later snapshots loadable; a missing, truncated, reordered or altered
// segment is refused naming it; schema-2 snapshots load and become the first segment.

#include "support.hpp"

#include <colsnap/hash.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>
#include <ecosim/error.hpp>
#include <ecosim/log_segments.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace ecosim;
namespace fs = std::filesystem;

namespace {

snapshot_options fast() {
    snapshot_options so;
    so.durable = false;
    return so;
}

fs::path tick_path(const fs::path& dir, std::uint64_t t) {
    char b[32];
    std::snprintf(b, sizeof b, "tick_%06llu.npz", static_cast<unsigned long long>(t));
    return dir / b;
}

/// Runs @p w to @p to, snapshotting into @p dir every @p every ticks and at @p to.
void run_with_snapshots(world& w, const fs::path& dir, std::uint64_t to, std::uint64_t every) {
    while (w.tick < to) {
        run_until(w, std::min(to, w.tick + every));
        snapshot(w, tick_path(dir, w.tick), fast());
    }
}

std::vector<fs::path> segment_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().starts_with("log_")) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::uint64_t> first_rows(const fs::path& seg) {
    const auto rd = colsnap::npz_reader::open(seg);
    colsnap::array keep;
    const auto v = rd.values<std::uint64_t>("segment/first_rows", keep);
    return {v.begin(), v.end()};
}

void expect_logs_equal(const world& a, const world& b) {
    EXPECT_EQ(a.eaten.t, b.eaten.t);
    EXPECT_EQ(a.eaten.creature_id, b.eaten.creature_id);
    EXPECT_EQ(a.eaten.food_id, b.eaten.food_id);
    EXPECT_EQ(a.eaten.energy, b.eaten.energy);
    EXPECT_EQ(a.born.t, b.born.t);
    EXPECT_EQ(a.born.parent_id, b.born.parent_id);
    EXPECT_EQ(a.born.child_a, b.born.child_a);
    EXPECT_EQ(a.born.child_b, b.born.child_b);
    EXPECT_EQ(a.born.energy, b.born.energy);
    EXPECT_EQ(a.dead.t, b.dead.t);
    EXPECT_EQ(a.dead.creature_id, b.dead.creature_id);
    EXPECT_EQ(a.dead.energy, b.dead.energy);
    EXPECT_EQ(a.population.tick, b.population.tick);
    EXPECT_EQ(a.population.t, b.population.t);
    EXPECT_EQ(a.population.creatures, b.population.creatures);
    EXPECT_EQ(a.population.food, b.population.food);
}

constexpr std::uint32_t creatures = 3000;
constexpr std::uint64_t seed = 8;

const world& unpaused_at(std::uint64_t t) {
    static std::map<std::uint64_t, world> cache;
    auto it = cache.find(t);
    if (it == cache.end()) {
        world w = ecosim_test::small_world(creatures, seed);
        run_until(w, t);
        it = cache.emplace(t, std::move(w)).first;
    }
    return it->second;
}

/// The message of the ecosim::error that load(@p snap) throws ("" if it loads).
std::string refusal(const fs::path& snap) {
    try {
        (void)load(snap);
    } catch (const ecosim::error& e) {
        return e.what();
    }
    return "";
}

/// A directory with snapshots at 0, 50, 100, 150 and its four segments.
struct four_segments {
    test_common::temp_dir dir;
    std::vector<fs::path> segs;
    four_segments() {
        world w = ecosim_test::small_world(creatures, seed);
        snapshot(w, tick_path(dir.path(), 0), fast());
        run_with_snapshots(w, dir.path(), 150, 50);
        segs = segment_files(dir.path());
    }
};

} // namespace

TEST(Segments, EveryLogRowIsWrittenOnceAndSnapshotsHoldNone) {
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(creatures, seed);
    run_with_snapshots(w, dir.path(), 200, 20);
    const auto segs = segment_files(dir.path());
    ASSERT_EQ(segs.size(), 10u);
    std::uint64_t rows = 0;
    for (const auto& s : segs) {
        const auto rd = colsnap::npz_reader::open(s);
        for (const char* m : {"eaten/t", "born/t", "dead/t", "population/t"})
            rows += rd.get(m).shape()[0];
    }
    EXPECT_EQ(rows, w.eaten.size() + w.born.size() + w.dead.size() + w.population.size());
    const auto rd = colsnap::npz_reader::open(tick_path(dir.path(), 200));
    EXPECT_FALSE(rd.contains("eaten/t"));
    EXPECT_FALSE(rd.contains("population/tick"));
    EXPECT_TRUE(rd.contains("meta/eaten_chain"));
    // the snapshot's bytes do not grow with history: the one at 200 holds the tables only
    EXPECT_LT(fs::file_size(tick_path(dir.path(), 200)),
              fs::file_size(tick_path(dir.path(), 20)) + 64 * (w.creature.size() + w.food.size()));
    EXPECT_EQ(colsnap::hash_file(tick_path(dir.path(), 200)), world_hash(w)); // live hash == file's
    expect_logs_equal(load(tick_path(dir.path(), 200)), unpaused_at(200));
}

TEST(Segments, TheWorldHashDoesNotDependOnWhereSegmentsWereCut) {
    const auto unpaused = world_hash(unpaused_at(150));
    for (const std::uint64_t every : {7u, 50u, 150u}) {
        test_common::temp_dir dir;
        world w = ecosim_test::small_world(creatures, seed);
        run_with_snapshots(w, dir.path(), 150, every);
        EXPECT_EQ(world_hash(w), unpaused) << "every " << every;
        EXPECT_EQ(world_hash(load(tick_path(dir.path(), 150))), unpaused) << "every " << every;
    }
}

TEST(Segments, AResumedRunExtendsTheSameHistory) {
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(creatures, seed);
    run_with_snapshots(w, dir.path(), 100, 50);
    ASSERT_EQ(segment_files(dir.path()).size(), 2u);
    world r = load(tick_path(dir.path(), 100)); // resume from S = 100 in the same directory
    run_with_snapshots(r, dir.path(), 250, 50);
    EXPECT_EQ(world_hash(r), world_hash(unpaused_at(250)));
    expect_logs_equal(r, unpaused_at(250));
    // three new segments, each holding only the rows since the one before
    std::vector<fs::path> used;
    const world back = load(tick_path(dir.path(), 250), &used);
    ASSERT_EQ(used.size(), 5u);
    EXPECT_EQ(segment_files(dir.path()).size(), 5u);
    const auto at100 = first_rows(used[2]);
    EXPECT_EQ(at100[0], unpaused_at(100).eaten.size());
    EXPECT_EQ(at100[3], unpaused_at(100).population.size());
    expect_logs_equal(back, unpaused_at(250));
}

TEST(Segments, ARewindLeavesTheLaterSnapshotsLoadable) {
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(creatures, seed);
    run_with_snapshots(w, dir.path(), 300, 100);
    const auto h300 = colsnap::hash_file(tick_path(dir.path(), 300));
    std::map<fs::path, std::string> before;
    for (const auto& s : segment_files(dir.path())) before[s] = test_common::read_text(s);
    // rewind to 100 with another interval, up to 200: segments (100, 150], (150, 200]; the
    // second ends where the old (100, 200] ends, under the same name
    world r = load(tick_path(dir.path(), 100));
    run_with_snapshots(r, dir.path(), 200, 50);
    EXPECT_EQ(world_hash(load(tick_path(dir.path(), 300))), h300);
    EXPECT_EQ(world_hash(load(tick_path(dir.path(), 200))), world_hash(unpaused_at(200)));
    for (const auto& [path, bytes] : before) {
        EXPECT_TRUE(fs::exists(path)) << path;
        if (path.filename().string().starts_with("log_000200")) continue; // replaced: same history
        EXPECT_TRUE(test_common::read_text(path) == bytes) << path << " changed";
    }
    // a rewind with the same interval writes the same bytes
    world s = load(tick_path(dir.path(), 100));
    run_with_snapshots(s, dir.path(), 300, 100);
    EXPECT_EQ(colsnap::hash_file(tick_path(dir.path(), 300)), h300);
    for (const auto& [path, bytes] : before)
        EXPECT_TRUE(test_common::read_text(path) == bytes) << path << " changed";
}

TEST(Segments, AMissingSegmentIsRefusedNamingIt) {
    four_segments d;
    ASSERT_EQ(d.segs.size(), 4u);
    fs::remove(d.segs[1]);
    const std::string why = refusal(tick_path(d.dir.path(), 150));
    EXPECT_NE(why.find(d.segs[1].filename().string()), std::string::npos) << why;
    EXPECT_NE(why.find("missing"), std::string::npos) << why;
    EXPECT_NE(why.find(d.segs[2].filename().string()), std::string::npos) << why; // who needs it
    EXPECT_EQ(refusal(tick_path(d.dir.path(), 0)), ""); // the snapshots before it still load
}

TEST(Segments, ATruncatedSegmentIsRefusedNamingIt) {
    four_segments d;
    const auto bytes = test_common::read_text(d.segs[2]);
    for (const std::size_t keep : {bytes.size() - 1, bytes.size() / 2, std::size_t{10}}) {
        test_common::write_text(d.segs[2], bytes.substr(0, keep));
        const std::string why = refusal(tick_path(d.dir.path(), 150));
        EXPECT_NE(why.find(d.segs[2].filename().string()), std::string::npos)
            << keep << ": " << why;
    }
}

TEST(Segments, ReorderedSegmentsAreRefusedNamingThem) {
    four_segments d;
    // two segments' contents swapped under each other's names
    const auto a = test_common::read_text(d.segs[1]), b = test_common::read_text(d.segs[2]);
    test_common::write_text(d.segs[1], b);
    test_common::write_text(d.segs[2], a);
    std::string why = refusal(tick_path(d.dir.path(), 150));
    EXPECT_NE(why.find(d.segs[2].filename().string()), std::string::npos) << why;
    EXPECT_NE(why.find("does not match its name"), std::string::npos) << why;
    // rows reordered inside one segment, its meta left as it was
    test_common::write_text(d.segs[1], a);
    test_common::write_text(d.segs[2], b);
    const auto rd = colsnap::npz_reader::open(d.segs[2]);
    std::vector<colsnap::array> keep = rd.get_all(1);
    std::vector<colsnap::column_ref> cols;
    for (std::size_t i = 0; i < keep.size(); ++i)
        cols.push_back(colsnap::column(rd.members()[i].name, keep[i]));
    colsnap::array t = rd.get("eaten/t");
    std::vector<double> swapped(t.values<double>().begin(), t.values<double>().end());
    ASSERT_GT(swapped.size(), 2u);
    std::swap(swapped[0], swapped[1]);
    for (auto& c : cols)
        if (c.name == "eaten/t") c = colsnap::column("eaten/t", std::span<const double>(swapped));
    colsnap::save_npz(d.segs[2], cols);
    why = refusal(tick_path(d.dir.path(), 150));
    EXPECT_NE(why.find(d.segs[2].filename().string()), std::string::npos) << why;
    EXPECT_NE(why.find("chain"), std::string::npos) << why;
}

TEST(Segments, AnAlteredSegmentIsRefusedNamingIt) {
    four_segments d;
    const auto rd = colsnap::npz_reader::open(d.segs[1]);
    std::vector<colsnap::array> keep = rd.get_all(1);
    for (const char* member : {"population/food", "eaten/energy", "meta/eaten_rows", "extra"}) {
        SCOPED_TRACE(member);
        std::vector<colsnap::column_ref> cols;
        for (std::size_t i = 0; i < keep.size(); ++i)
            cols.push_back(colsnap::column(rd.members()[i].name, keep[i]));
        std::vector<std::byte> changed;
        if (std::string(member) == "extra") {
            static const std::uint32_t one = 1;
            cols.push_back(colsnap::scalar("meta/extra", one));
        } else {
            for (auto& c : cols)
                if (c.name == member) {
                    changed.assign(c.bytes.begin(), c.bytes.end());
                    ASSERT_FALSE(changed.empty());
                    changed[0] ^= std::byte{1};
                    c.bytes = changed;
                }
        }
        colsnap::save_npz(d.segs[1], cols);
        const std::string why = refusal(tick_path(d.dir.path(), 150));
        EXPECT_NE(why.find(d.segs[1].filename().string()), std::string::npos) << why;
    }
}

TEST(Segments, ASchema2SnapshotsLogsBecomeTheFirstSegment) {
    test_common::temp_dir dir;
    const world& w = unpaused_at(100);
    snapshot_options v2 = fast();
    v2.schema = 2;
    snapshot(w, dir / "v2.npz", v2);
    EXPECT_TRUE(segment_files(dir.path()).empty()); // schema 2 holds its logs
    world r = load(dir / "v2.npz");
    expect_logs_equal(r, w);
    EXPECT_EQ(world_hash(r), world_hash(w));
    fs::create_directories(dir / "run");
    run_with_snapshots(r, dir / "run", 150, 50);
    std::vector<fs::path> used;
    const world back = load(tick_path(dir / "run", 150), &used);
    ASSERT_EQ(used.size(), 1u);
    EXPECT_EQ(first_rows(used[0]), std::vector<std::uint64_t>(4, 0)); // a root
    EXPECT_EQ(world_hash(back), world_hash(unpaused_at(150)));
}

TEST(Segments, TheCommittedSchema2FixtureLoadsAndResumes) {
    const fs::path fixture = fs::path(ECOSIM_TEST_DATA_DIR) / "world_v2.npz";
    const auto rd = colsnap::npz_reader::open(fixture);
    colsnap::array keep;
    EXPECT_EQ(rd.values<std::uint32_t>("meta/schema_version", keep)[0], 2u);
    EXPECT_TRUE(rd.contains("eaten/t"));
    const world w = load(fixture);
    EXPECT_EQ(w.eaten.size(), rd.get("eaten/t").shape()[0]);
    EXPECT_EQ(w.population.size(), w.tick + 1);
    test_common::temp_dir dir;
    world r = w;
    run_with_snapshots(r, dir.path(), w.tick + 20, 10);
    world back = load(tick_path(dir.path(), w.tick + 20));
    EXPECT_EQ(world_hash(back), world_hash(r));
    EXPECT_TRUE(std::equal(w.eaten.t.begin(), w.eaten.t.end(), back.eaten.t.begin()));
}
