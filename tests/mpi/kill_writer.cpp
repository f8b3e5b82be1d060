// The kill test's program. Under mpirun: `write DIR PHASE VICTIM` saves the world of seed 1 at
// DIR/snap.npz, then starts saving seed 2 and has rank VICTIM SIGKILL itself at PHASE
// ("planned": before any byte is written; "written": every rank has written, before the commit);
// `again DIR` saves seed 2 whole. Alone (no MPI): `check DIR SEED RANKS [temps-ok]` exits 0 when
// DIR/snap.npz is byte for byte the archive of seed SEED at RANKS ranks and nothing else is beside
// it (with temps-ok: nothing but temp files of a dead writer).
#include "world_slices.hpp"

#include <colsnap/mpi.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>
#include <src/mpi/save_hook.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <mpi.h>

namespace {

namespace fs = std::filesystem;
using namespace mpi_test;

std::string phase_arg;
int victim = -1;

void kill_at(std::string_view phase, int rank) {
    if (phase == phase_arg && rank == victim) std::raise(SIGKILL);
}

void save(const fs::path& path, std::uint64_t seed) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    const slice s = slice_of(rank, seed);
    const auto cols = s.columns();
    colsnap::mpi::save_npz(MPI_COMM_WORLD, path, cols);
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

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    const std::string mode = argv[1];
    const fs::path dir = argv[2];
    try {
        if (mode == "check" && argc >= 5)
            return check(dir, std::stoull(argv[3]), std::stoi(argv[4]), argc == 6);
        MPI_Init(&argc, &argv);
        if (mode == "write" && argc == 5) {
            save(dir / "snap.npz", 1);
            phase_arg = argv[3];
            victim = std::stoi(argv[4]);
            colsnap::detail::mpi::set_phase_hook(kill_at);
            save(dir / "snap.npz", 2);
            std::puts("the victim was not killed");
            MPI_Finalize();
            return 3;
        }
        if (mode == "again") {
            save(dir / "snap.npz", 2);
            MPI_Finalize();
            return 0;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 2;
}
