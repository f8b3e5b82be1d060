// The kill test's program (kill_main.hpp: write, again, check) for colsnap::mpi::save_npz of the
// columns of world_slices.hpp. `check DIR SEED RANKS [temps-ok]` exits 0 when DIR/snap.npz is
// byte for byte the archive of seed SEED at RANKS ranks and nothing else is beside it (with
// temps-ok: nothing but temp files of a dead writer).
#include "kill_main.hpp"
#include "world_slices.hpp"

#include <colsnap/mpi.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <mpi.h>

namespace {

namespace fs = std::filesystem;
using namespace mpi_test;

void save(const fs::path& dir, std::uint64_t seed) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    const slice s = slice_of(rank, seed);
    const auto cols = s.columns();
    colsnap::mpi::save_npz(MPI_COMM_WORLD, dir / "snap.npz", cols);
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

int check(const fs::path& dir, std::uint64_t seed, int ranks, bool allow_temps) {
    const fs::path expected = dir / "expected.npz";
    const slice whole(0, total_rows(ranks, seed), seed);
    const auto cols = whole.columns();
    colsnap::save_npz(expected, cols);
    colsnap::npz_reader::open(dir / "snap.npz").verify();
    const bool same = read_file(dir / "snap.npz") == read_file(expected);
    fs::remove(expected);
    int temps = 0;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename() != "snap.npz") {
            if (allow_temps &&
                e.path().filename().string().find(".colsnap-tmp.") == std::string::npos)
                ++temps; // anything but a temp file is never allowed

            std::printf("left beside the snapshot: %s\n", e.path().filename().c_str());
            if (!allow_temps) ++temps;
        }
    std::printf("snap.npz %s the archive of seed %llu; %d other files\n", same ? "is" : "is NOT",
                static_cast<unsigned long long>(seed), temps);
    return same && temps == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) { return mpi_test::kill_main(argc, argv, save, check); }
