#pragma once
// What the MPI test programs share: this rank and the rank count of MPI_COMM_WORLD, agreement of
// every rank on a result, the communicator of the first k ranks, a directory every rank shares,
// and a gtest main in which every rank runs every (collective) test and rank 0 reports.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <mpi.h>

namespace mpi_test {

inline int world_rank() {
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}
inline int world_size() {
    int n = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// True on every rank when @p ok is true on every rank.
inline bool all_ranks(bool ok, MPI_Comm comm = MPI_COMM_WORLD) {
    int mine = ok ? 1 : 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, comm);
    return all == 1;
}

/// The communicator of world ranks [0, k) (MPI_COMM_NULL on the others).
inline MPI_Comm first_ranks(int k) {
    MPI_Comm c = MPI_COMM_NULL;
    MPI_Comm_split(MPI_COMM_WORLD, world_rank() < k ? 0 : MPI_UNDEFINED, world_rank(), &c);
    return c;
}

/// A new temp directory named after @p stem, made by rank 0, its path on every rank.
inline std::filesystem::path shared_temp_dir(const std::string& stem) {
    std::string d;
    if (world_rank() == 0) {
        std::string tmpl = (std::filesystem::temp_directory_path() / (stem + "-XXXXXX")).string();
        d = ::mkdtemp(tmpl.data());
    }
    int n = static_cast<int>(d.size());
    MPI_Bcast(&n, 1, MPI_INT, 0, MPI_COMM_WORLD);
    d.resize(static_cast<std::size_t>(n));
    MPI_Bcast(d.data(), n, MPI_CHAR, 0, MPI_COMM_WORLD);
    return d;
}

/// A test with a directory every rank shares (shared_temp_dir), removed by rank 0 at its end.
class shared_dir_test : public ::testing::Test {
protected:
    explicit shared_dir_test(std::string stem) : stem_(std::move(stem)) {}
    void SetUp() override { dir = shared_temp_dir(stem_); }
    void TearDown() override {
        MPI_Barrier(MPI_COMM_WORLD);
        if (world_rank() == 0) std::filesystem::remove_all(dir);
    }
    std::filesystem::path dir;

private:
    std::string stem_;
};

/// main() of a gtest program under mpirun: every rank runs every test (they are collective),
/// only rank 0 prints gtest's report; the exit status is the worst rank's. FUNNELED: save_npz
/// hashes the slices on a helper thread (a plain MPI_Init covers the single-threaded path).
inline int run_all_tests(int argc, char** argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    ::testing::InitGoogleTest(&argc, argv);
    if (world_rank() != 0) {
        auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
        delete listeners.Release(listeners.default_result_printer());
    }
    int rc = RUN_ALL_TESTS();
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return rc;
}

} // namespace mpi_test
