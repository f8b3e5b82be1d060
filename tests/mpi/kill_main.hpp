#pragma once
// main() of the kill test programs (kill_test.sh drives them). Under mpirun: `write DIR PHASE
// VICTIM` saves seed 1 at DIR/snap.npz, then starts saving seed 2 and has rank VICTIM SIGKILL
// itself at PHASE of colsnap::mpi::save_npz ("planned": before any byte is written; "written":
// every rank has written, before the commit); `again DIR` saves seed 2 whole. Alone (no MPI):
// `check DIR SEED RANKS [temps-ok]` runs the program's check.

#include <src/mpi/save_hook.hpp>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>

#include <mpi.h>

namespace mpi_test {

namespace kill_detail {
inline std::string phase;
inline int victim = -1;
inline void kill_at(std::string_view p, int rank) {
    if (p == phase && rank == victim) std::raise(SIGKILL);
}
} // namespace kill_detail

/// @p save(dir, seed): the collective save of seed's snapshot at dir/snap.npz; @p check(dir,
/// seed, ranks, temps_ok): 0 when dir/snap.npz is seed's and nothing else (but temps, with
/// temps_ok) is beside it.
template <typename Save, typename Check>
int kill_main(int argc, char** argv, Save save, Check check) {
    if (argc < 3) return 2;
    const std::string mode = argv[1];
    const std::filesystem::path dir = argv[2];
    try {
        if (mode == "check" && argc >= 5)
            return check(dir, std::stoull(argv[3]), std::stoi(argv[4]), argc == 6);
        MPI_Init(&argc, &argv);
        if (mode == "write" && argc == 5) {
            save(dir, 1);
            kill_detail::phase = argv[3];
            kill_detail::victim = std::stoi(argv[4]);
            colsnap::detail::mpi::set_phase_hook(kill_detail::kill_at);
            save(dir, 2);
            std::puts("the victim was not killed");
            MPI_Finalize();
            return 3;
        }
        if (mode == "again") {
            save(dir, 2);
            MPI_Finalize();
            return 0;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 2;
}

} // namespace mpi_test
