// Every rank writes its 1000 rows of one column collectively, then reads back the rows of the
// next rank (wrapping), and checks them.
#include <colsnap/mpi.hpp>

#include <cstdio>
#include <numeric>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    MPI_Init(&argc, &argv);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    std::vector<std::int64_t> rows(1000);
    std::iota(rows.begin(), rows.end(), std::int64_t{1000} * rank);
    const colsnap::column_ref col = colsnap::column("x", rows);
    colsnap::mpi::save_npz(MPI_COMM_WORLD, argv[1], std::span(&col, 1));
    const int next = (rank + 1) % size;
    const auto got = colsnap::mpi::load_rows(MPI_COMM_WORLD, argv[1],
                                             colsnap::mpi::row_range{1000u * unsigned(next), 1000});
    const auto v = got.at(0).values.values<std::int64_t>();
    int ok = v.size() == 1000 && v[0] == 1000 * next && v[999] == 1000 * next + 999 ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (rank == 0)
        std::printf("colsnap::mpi consumer on %d ranks: %s\n", size, ok ? "ok" : "WRONG");
    MPI_Finalize();
    return ok ? 0 : 1;
}
