// colsnap::mpi under mpirun (-np 1..4): the collective write gives save_npz's bytes and numpy
// loads it; row ranges read back at every rank count, whatever wrote the file; failures on one
// rank are reported on every rank and leave the previous snapshot as it was.
#include "mpi_support.hpp"
#include "world_slices.hpp"

#include <colsnap/mpi.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include <mpi.h>

namespace {

using namespace mpi_test;
namespace fs = std::filesystem;

/// A directory every rank shares, removed at the end of the test.
class MpiTest : public shared_dir_test {
protected:
    MpiTest() : shared_dir_test("colsnap-mpi") {}
};

void save_collectively(MPI_Comm comm, const fs::path& path, std::uint64_t seed) {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    const slice s = slice_of(rank, seed);
    const auto cols = s.columns();
    colsnap::mpi::save_npz(comm, path, cols);
}

/// The single-process archive of the concatenated columns of @p ranks ranks.
void save_whole(const fs::path& path, int ranks, std::uint64_t seed) {
    const slice whole(0, total_rows(ranks, seed), seed);
    const auto cols = whole.columns();
    colsnap::save_npz(path, cols);
}

TEST_F(MpiTest, CollectiveWriteIsByteIdenticalToSaveNpzOfTheConcatenatedColumns) {
    for (std::uint64_t seed : {0, 5}) {
        save_collectively(MPI_COMM_WORLD, dir / "collective.npz", seed);
        bool same = true;
        if (world_rank() == 0) {
            save_whole(dir / "single.npz", world_size(), seed);
            const std::string a = read_file(dir / "collective.npz"),
                              b = read_file(dir / "single.npz");
            EXPECT_EQ(a.size(), b.size());
            same = a == b && !a.empty();
            // No temp file is left beside the archive.
            for (const auto& e : fs::directory_iterator(dir))
                EXPECT_EQ(e.path().filename().string().find("colsnap-tmp"), std::string::npos)
                    << e.path();
        }
        EXPECT_TRUE(all_ranks(same)) << "seed " << seed;
    }
}

TEST_F(MpiTest, NumpyLoadsTheCollectiveArchive) {
    save_collectively(MPI_COMM_WORLD, dir / "w.npz", 3);
    bool ok = true;
    if (world_rank() == 0) {
        const std::string script =
            "import sys, numpy as np\n"
            "z = np.load(sys.argv[1]); n = int(sys.argv[2]); g = np.arange(n)\n"
            "assert sorted(z.files) == sorted(['creature/pos_x', 'creature/id', "
            "'creature/alive', 'pos', '\\u00e9tiquette']), z.files\n"
            "assert (z['creature/pos_x'] == g * 0.5 + 3).all()\n"
            "assert z['creature/id'].dtype == np.uint32 and (z['creature/id'] == g * 3 + 1).all()\n"
            "assert (z['creature/alive'] == (g % 3 == 0)).all()\n"
            "assert z['pos'].shape == (n, 3)\n"
            "assert (z['pos'] == (np.arange(3 * n) * 0.25).astype('f4').reshape(n, 3)).all()\n"
            "assert (z['\\u00e9tiquette'] == g % 1000 - 500).all()\n"
            "print('numpy ok', n)\n";
        std::ofstream(dir / "check.py") << script;
        const std::string cmd = "/usr/bin/python3 " + (dir / "check.py").string() + " " +
                                (dir / "w.npz").string() + " " +
                                std::to_string(total_rows(world_size(), 3));
        ok = std::system(cmd.c_str()) == 0;
    }
    EXPECT_TRUE(all_ranks(ok));
}

/// Checks @p got (this rank's rows @p r of every member) against the world of @p seed.
void expect_rows(const std::vector<colsnap::mpi::member_rows>& got, colsnap::mpi::row_range r,
                 std::uint64_t seed, bool borrowed) {
    const slice want(r.begin, r.count, seed);
    const auto cols = want.columns();
    ASSERT_EQ(got.size(), cols.size());
    for (const auto& m : got) {
        const auto it = std::find_if(cols.begin(), cols.end(), [&](const colsnap::column_ref& c) {
            return c.name == m.name;
        });
        ASSERT_NE(it, cols.end()) << m.name;
        EXPECT_EQ(m.rows.begin, r.begin);
        EXPECT_EQ(m.values.shape()[0], r.count) << m.name;
        EXPECT_EQ(m.values.info(), it->info) << m.name;
        EXPECT_TRUE(std::equal(m.values.bytes().begin(), m.values.bytes().end(), it->bytes.begin(),
                               it->bytes.end()))
            << m.name << " rows " << r.begin << "+" << r.count;
        EXPECT_EQ(m.values.borrowed(), borrowed) << m.name;
    }
}

TEST_F(MpiTest, EveryRankCountReadsItsRowsOfAnArchiveWrittenByAnyRankCount) {
    const int size = world_size();
    for (int writers = 1; writers <= size; ++writers) {
        const fs::path path = dir / ("by" + std::to_string(writers) + ".npz");
        const std::uint64_t seed = static_cast<std::uint64_t>(writers);
        if (MPI_Comm w = first_ranks(writers); w != MPI_COMM_NULL) {
            save_collectively(w, path, seed);
            MPI_Comm_free(&w);
        }
        MPI_Barrier(MPI_COMM_WORLD);
        for (int readers = 1; readers <= size; ++readers) {
            MPI_Comm rc = first_ranks(readers);
            if (rc == MPI_COMM_NULL) continue;
            int rank = 0;
            MPI_Comm_rank(rc, &rank);
            const auto r = colsnap::mpi::even_split(total_rows(writers, seed), rank, readers);
            expect_rows(colsnap::mpi::load_rows(rc, path, r), r, seed, true);
            MPI_Comm_free(&rc);
        }
    }
}

TEST_F(MpiTest, DeflatedAndFortranMembersAreCopiedAndCrcChecked) {
    const fs::path path = dir / "deflated.npz";
    const std::uint64_t n = 3000;
    if (world_rank() == 0) {
        const slice whole(0, n, 7);
        auto cols = whole.columns();
        colsnap::save_npz(path, cols, {.method = colsnap::compression::deflate});
    }
    MPI_Barrier(MPI_COMM_WORLD);
    const auto r = colsnap::mpi::even_split(n, world_rank(), world_size());
    expect_rows(colsnap::mpi::load_rows(MPI_COMM_WORLD, path, r), r, 7, false);

    // A Fortran-order (3, n) array: rows of its first dimension are not contiguous.
    std::vector<std::int32_t> f(3 * n);
    for (std::uint64_t i = 0; i < 3; ++i)
        for (std::uint64_t j = 0; j < n; ++j) f[j * 3 + i] = static_cast<std::int32_t>(i * n + j);
    if (world_rank() == 0) {
        auto c = colsnap::column("f", f, {3, n});
        c.info.fortran_order = true;
        colsnap::save_npz(dir / "fortran.npz", std::span(&c, 1));
    }
    MPI_Barrier(MPI_COMM_WORLD);
    const auto got =
        colsnap::mpi::load_rows(MPI_COMM_WORLD, dir / "fortran.npz", colsnap::mpi::row_range{1, 2});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_FALSE(got[0].values.borrowed());
    const auto v = got[0].values.values<std::int32_t>();
    ASSERT_EQ(v.size(), 2 * n);
    for (std::uint64_t k = 0; k < 2 * n; ++k) ASSERT_EQ(v[k], static_cast<std::int32_t>(n + k));
}

TEST_F(MpiTest, ACorruptStoredMemberIsACrcErrorOnEveryRankWhenTheRangesTileIt) {
    const fs::path path = dir / "corrupt.npz";
    save_collectively(MPI_COMM_WORLD, path, 2);
    const std::uint64_t total = total_rows(world_size(), 2);
    if (world_rank() == 0) {
        const auto m = *colsnap::npz_reader::open(path).find("creature/id");
        std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
        io.seekp(static_cast<std::streamoff>(m.array_offset() + 4 * (total - 1)));
        io.put('\x7f');
    }
    MPI_Barrier(MPI_COMM_WORLD);
    const auto r = colsnap::mpi::even_split(total, world_rank(), world_size());
    bool caught = false;
    try {
        colsnap::mpi::load_rows(MPI_COMM_WORLD, path, r);
    } catch (const colsnap::error& e) {
        caught = e.code() == colsnap::errc::crc_mismatch && e.member() == "creature/id";
        EXPECT_TRUE(caught) << e.what();
    }
    EXPECT_TRUE(all_ranks(caught));
    // Ranges that do not tile the members leave the CRC unchecked: the row is read as it is.
    const auto rows = colsnap::mpi::load_rows(MPI_COMM_WORLD, path, {total - 1, 1});
    for (const auto& m : rows)
        if (m.name == "creature/id") {
            EXPECT_EQ(m.values.values<std::uint32_t>()[0] & 0xFFu, 0x7fu);
        }
}

/// Runs @p f on every rank; true on every rank when every rank threw colsnap::error with @p code
/// and a detail beginning "rank @p culprit: ".
template <typename F> bool every_rank_throws(F&& f, colsnap::errc code, int culprit) {
    bool ok = false;
    try {
        f();
        ADD_FAILURE() << "no error on rank " << world_rank();
    } catch (const colsnap::error& e) {
        ok = e.code() == code && e.detail().starts_with("rank " + std::to_string(culprit) + ": ");
        EXPECT_TRUE(ok) << e.what();
    }
    return all_ranks(ok);
}

TEST_F(MpiTest, AnErrorOnOneRankIsReportedOnEveryRankAndTheSnapshotIsKept) {
    const fs::path path = dir / "snap.npz";
    save_collectively(MPI_COMM_WORLD, path, 1);
    const std::string before = world_rank() == 0 ? read_file(path) : "";
    const int last = world_size() - 1;
    const int cutter = last == 1 ? 0 : last; // rank 1's slice is empty

    // One rank's column has fewer bytes than its shape says.
    EXPECT_TRUE(every_rank_throws(
        [&] {
            const slice s = slice_of(world_rank(), 9);
            auto cols = s.columns();
            if (world_rank() == cutter)
                cols[1].bytes = cols[1].bytes.first(cols[1].bytes.size() / 2);
            colsnap::mpi::save_npz(MPI_COMM_WORLD, path, cols);
        },
        colsnap::errc::invalid_argument, cutter));

    if (world_size() > 1) {
        // The last rank's dtype differs from rank 0's.
        EXPECT_TRUE(every_rank_throws(
            [&] {
                const slice s = slice_of(world_rank(), 9);
                auto cols = s.columns();
                if (world_rank() == last) cols[1].info.type = colsnap::dtype_of<std::int32_t>();
                colsnap::mpi::save_npz(MPI_COMM_WORLD, path, cols);
            },
            colsnap::errc::invalid_argument, last));
    }
    // A directory that does not exist: the open fails on every rank.
    EXPECT_TRUE(
        every_rank_throws([&] { save_collectively(MPI_COMM_WORLD, dir / "no" / "x.npz", 9); },
                          colsnap::errc::io_error, 0));
    // Rows past the end, asked for by the last rank.
    EXPECT_TRUE(every_rank_throws(
        [&] {
            const std::uint64_t begin = world_rank() == last ? 1u << 30 : 0;
            colsnap::mpi::load_rows(MPI_COMM_WORLD, path, colsnap::mpi::row_range{begin, 1});
        },
        colsnap::errc::invalid_argument, last));

    if (world_rank() == 0) {
        EXPECT_EQ(read_file(path), before);
        for (const auto& e : fs::directory_iterator(dir))
            EXPECT_EQ(e.path().filename().string().find("colsnap-tmp"), std::string::npos)
                << e.path();
    }
}

} // namespace

int main(int argc, char** argv) { return mpi_test::run_all_tests(argc, argv); }
