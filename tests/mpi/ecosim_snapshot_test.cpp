// ecosim's collective snapshot (ecosim/mpi/snapshot.hpp) under mpirun (-np 1..4): a world stepped
// sharded (with creatures crossing strip edges), each rank saving its shard, gives the bytes of
// ecosim::snapshot() of the merged world and the same log segments, twice in a row; the file
// loads at every rank count as split() of the loaded world; the single-process world resumed
// from it reaches the unpaused run's canonical hash; failures are every rank's, the previous
// snapshot kept. Also colsnap::mpi's 0-d columns (the snapshot's scalars).

#include "mpi_support.hpp"

#include <colsnap/mpi.hpp>
#include <colsnap/npz_writer.hpp>
#include <ecosim/canonical_hash.hpp>
#include <ecosim/error.hpp>
#include <ecosim/mpi/snapshot.hpp>
#include <ecosim/shard/shard.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>

#include <mpi.h>

namespace {

namespace fs = std::filesystem;
using namespace ecosim;
using namespace mpi_test;

/// Every file of @p dir (no temp files expected) by name, with its bytes.
std::map<std::string, std::string> files_of(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out[e.path().filename().string()] = read_file(e.path());
    return out;
}

/// Whether @p f throws on every rank, each time with @p code and a detail naming rank @p first.
template <typename E, typename F>
bool every_rank_throws(F&& f, decltype(std::declval<const E&>().code()) code, int first) {
    bool ok = false;
    try {
        f();
    } catch (const E& e) {
        ok = e.code() == code && e.detail().rfind("rank " + std::to_string(first) + ": ", 0) == 0;
        if (!ok) ADD_FAILURE() << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "other exception: " << e.what();
    }
    return all_ranks(ok);
}

/// The world every rank builds the same: past its first deaths (births reuse freed ids).
constexpr std::uint32_t creatures = 3000;
constexpr std::uint64_t start_tick = 260, sharded_ticks = 30, end_tick = 340;

const world& grown() {
    static const world w = [] {
        world g = create_world(make_config(creatures, 7));
        run_until(g, start_tick);
        return g;
    }();
    return w;
}

/// The unpaused single-process run's canonical hash at @p tick.
colsnap::digest unpaused_hash(std::uint64_t tick) {
    world w = create_world(make_config(creatures, 7));
    run_until(w, tick);
    return canonical_hash(w);
}

/// A directory every rank shares, with the subdirectories sharded/ and single/.
class EcosimSnapshotTest : public shared_dir_test {
protected:
    EcosimSnapshotTest() : shared_dir_test("ecosim-mpi-snap") {}
    void SetUp() override {
        shared_dir_test::SetUp();
        if (world_rank() == 0) {
            fs::create_directories(dir / "sharded");
            fs::create_directories(dir / "single");
        }
        MPI_Barrier(MPI_COMM_WORLD);
    }
};

TEST(MpiScalars, AZeroDColumnIsRankZerosValue) {
    const std::uint64_t tick = 7 + static_cast<std::uint64_t>(world_rank()); // differs per rank
    const std::vector<float> rows(static_cast<std::size_t>(world_rank()) + 1, 2.5f);
    const std::vector<colsnap::column_ref> cols{colsnap::scalar("meta/tick", tick),
                                                colsnap::column("rows", rows)};
    const fs::path d = shared_temp_dir("ecosim-mpi-0d");
    colsnap::mpi::save_npz(MPI_COMM_WORLD, d / "c.npz", cols);
    if (world_rank() == 0) {
        std::vector<float> all;
        for (int r = 0; r < world_size(); ++r) all.resize(all.size() + std::size_t(r) + 1, 2.5f);
        const std::uint64_t zero = 7;
        const std::vector<colsnap::column_ref> whole{colsnap::scalar("meta/tick", zero),
                                                     colsnap::column("rows", all)};
        colsnap::save_npz(d / "s.npz", whole);
        EXPECT_EQ(read_file(d / "c.npz"), read_file(d / "s.npz"));
        fs::remove_all(d);
    }
}

TEST_F(EcosimSnapshotTest, ShardsSaveTheBytesOfTheMergedWorldsSnapshotAndItsSegments) {
    const auto R = static_cast<std::uint32_t>(world_size());
    const shard::strips s(grown().cfg, R);
    std::vector<world> shards = shard::split(grown(), s);
    std::size_t migrants = 0;
    for (std::uint64_t t = 0; t < sharded_ticks; ++t) migrants += shard::step(shards, s).migrants;
    if (R > 1) { // rows crossed edges: each shard's rows are not split()'s
        EXPECT_GT(migrants, 0u);
    }
    const auto me = static_cast<std::size_t>(world_rank());

    world reference; // rank 0: the merged world, snapshotted single-process
    for (int round = 0; round < 2; ++round) { // the second snapshot's segment extends the first's
        const std::string name = "tick_" + std::to_string(shards[me].tick) + ".npz";
        mpi::save_snapshot(MPI_COMM_WORLD, shards[me], s, dir / "sharded" / name);
        if (world_rank() == 0) {
            world m = shard::merge(shards, s);
            m.work.logs.head = reference.work.logs.head; // where the previous segment ended
            snapshot(m, dir / "single" / name);
            EXPECT_EQ(canonical_hash(m), unpaused_hash(m.tick));
            reference = std::move(m);
            const auto sharded = files_of(dir / "sharded"), single = files_of(dir / "single");
            EXPECT_EQ(sharded.size(), 2u * (static_cast<std::size_t>(round) + 1)); // + segment
            EXPECT_TRUE(sharded == single) << "round " << round;
        }
        for (int t = 0; t < 5; ++t) shard::step(shards, s);
    }
    // ecosim_snapshot_cli.sh takes the files to the ecosim tool
    if (const char* keep = std::getenv("ECOSIM_SNAPSHOT_KEEP"); keep && world_rank() == 0)
        fs::copy(dir / "sharded", keep, fs::copy_options::recursive);
}

TEST_F(EcosimSnapshotTest, LoadsAtEveryRankCountAsSplitOfTheLoadedWorld) {
    // one file from this rank count's shards, one from the single-process world
    const auto R = static_cast<std::uint32_t>(world_size());
    const shard::strips s(grown().cfg, R);
    std::vector<world> shards = shard::split(grown(), s);
    for (std::uint64_t t = 0; t < sharded_ticks; ++t) shard::step(shards, s);
    const fs::path from_shards = dir / "sharded" / "snap.npz", single = dir / "single" / "snap.npz";
    mpi::save_snapshot(MPI_COMM_WORLD, shards[static_cast<std::size_t>(world_rank())], s,
                       from_shards);
    if (world_rank() == 0) snapshot(grown(), single);
    MPI_Barrier(MPI_COMM_WORLD);

    for (const fs::path& file : {from_shards, single}) {
        const world loaded = load(file);
        for (int k = 1; k <= world_size(); ++k) {
            MPI_Comm comm = first_ranks(k);
            if (comm == MPI_COMM_NULL) continue;
            const shard::strips sk(loaded.cfg, static_cast<std::uint32_t>(k));
            world mine = mpi::load_shard(comm, file, sk);
            const world want = shard::split(loaded, sk)[static_cast<std::size_t>(world_rank())];
            EXPECT_EQ(world_hash(mine), world_hash(want)) << file << " at " << k << " ranks";
            const mpi::loaded_shard derived = mpi::load_shard(comm, file); // strips of the file
            EXPECT_EQ(world_hash(derived.shard), world_hash(want));
            EXPECT_EQ(derived.strips.ranks(), static_cast<std::uint32_t>(k));
            EXPECT_EQ(derived.strips.lo(derived.strips.ranks() - 1), sk.lo(sk.ranks() - 1));
            // and the k shards save the world they were loaded from (in their row order)
            const fs::path again = dir / ("again_" + std::to_string(k) + ".npz");
            mpi::save_snapshot(comm, mine, sk, again);
            if (world_rank() == 0) {
                EXPECT_EQ(canonical_hash(load(again)), canonical_hash(loaded));
            }
            MPI_Comm_free(&comm);
        }
    }
}

TEST_F(EcosimSnapshotTest, TheSingleProcessResumeOfAShardedSnapshotReachesTheUnpausedHash) {
    const auto R = static_cast<std::uint32_t>(world_size());
    const shard::strips s(grown().cfg, R);
    std::vector<world> shards = shard::split(grown(), s);
    for (std::uint64_t t = 0; t < sharded_ticks; ++t) shard::step(shards, s);
    const fs::path file = dir / "sharded" / "snap.npz";
    mpi::save_snapshot(MPI_COMM_WORLD, shards[static_cast<std::size_t>(world_rank())], s, file);
    if (world_rank() == 0) {
        world w = load(file); // what `ecosim resume` does, then its ticks
        run_until(w, end_tick);
        EXPECT_EQ(canonical_hash(w), unpaused_hash(end_tick));
    }
}

TEST_F(EcosimSnapshotTest, AFailureOnOneRankIsEveryRanksAndKeepsThePreviousSnapshot) {
    const auto R = static_cast<std::uint32_t>(world_size());
    const shard::strips s(grown().cfg, R);
    const std::vector<world> shards = shard::split(grown(), s);
    const auto me = static_cast<std::size_t>(world_rank());
    const fs::path file = dir / "sharded" / "snap.npz";
    mpi::save_snapshot(MPI_COMM_WORLD, shards[me], s, file);
    const std::string before = world_rank() == 0 ? read_file(file) : "";

    // the last rank passes its neighbour's shard: creatures outside its strip
    if (R > 1) {
        EXPECT_TRUE(every_rank_throws<ecosim::error>(
            [&] { mpi::save_snapshot(MPI_COMM_WORLD, shards[me == R - 1 ? 0 : me], s, file); },
            errc::invalid_argument, static_cast<int>(R) - 1));
    }
    // strips for another rank count
    EXPECT_TRUE(every_rank_throws<ecosim::error>(
        [&] {
            mpi::save_snapshot(MPI_COMM_WORLD, shards[me], shard::strips(grown().cfg, R + 1), file);
        },
        errc::invalid_argument, 0));
    // a directory that does not exist: rank 0's log segment cannot be written
    EXPECT_TRUE(every_rank_throws<colsnap::error>(
        [&] { mpi::save_snapshot(MPI_COMM_WORLD, shards[me], s, dir / "no" / "snap.npz"); },
        colsnap::errc::io_error, 0));
    // strips of another world, and a rank count the world has no strips for
    EXPECT_TRUE(every_rank_throws<ecosim::error>(
        [&] {
            mpi::load_shard(MPI_COMM_WORLD, file, shard::strips(make_config(creatures * 4, 7), R));
        },
        errc::invalid_argument, 0));
    if (world_rank() == 0) snapshot(create_world(make_config(10, 1)), dir / "tiny.npz");
    MPI_Barrier(MPI_COMM_WORLD);
    if (R > 1) { // one block row: no strip for rank 1
        EXPECT_TRUE(every_rank_throws<ecosim::error>(
            [&] { mpi::load_shard(MPI_COMM_WORLD, dir / "tiny.npz"); }, errc::invalid_argument, 0));
    }
    // a snapshot that is not there
    EXPECT_TRUE(every_rank_throws<colsnap::error>(
        [&] { mpi::load_shard(MPI_COMM_WORLD, dir / "none.npz", s); }, colsnap::errc::io_error, 0));
    if (world_rank() == 0) {
        EXPECT_EQ(read_file(file), before);
        EXPECT_FALSE(fs::exists(dir / "no"));
    }
}

} // namespace

int main(int argc, char** argv) { return mpi_test::run_all_tests(argc, argv); }
