// Collective write bandwidth, one run: colsnap::mpi::save_npz against parallel HDF5 (mpio driver,
// collective transfers) writing the same columns to one file, and against raw MPI-IO of the same
// bytes (one MPI_File_write_all per rank through a file view: the floor). ROWS rows x 8 float64
// columns, split evenly over the ranks. The three are interleaved in every round; each writes a
// fresh file (the previous one is removed outside the timing). Round 0 is reported apart (cold:
// the first creation of each file and the first pass through the MPI-IO and HDF5 code); the
// median of the other rounds is the warm figure. No fsync in any of the three by default (the
// page cache's bandwidth, where every pass over the bytes shows); with "sync" each makes its file
// durable, as a checkpoint must be: raw MPI_File_sync, HDF5 H5Fflush (MPI_File_sync in its mpio
// driver), colsnap::mpi durable = true (MPI_File_sync, the rename, an fsync of the directory).
//   mpirun -np R colsnap_bench_mpi DIR [ROWS] [ROUNDS] [sync]
#include <colsnap/mpi.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <hdf5.h>

namespace {

namespace fs = std::filesystem;
constexpr int columns = 8;

struct world {
    int rank = 0, ranks = 1;
    std::uint64_t total = 0;
    bool durable = false; ///< each method syncs its file before it is timed as done
    colsnap::mpi::row_range mine;
    std::vector<std::vector<double>> data; // this rank's rows of every column
};

void raw_mpiio(const world& w, const fs::path& path) {
    MPI_File fh;
    MPI_File_open(MPI_COMM_WORLD, path.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL,
                  &fh);
    std::vector<int> len(columns, static_cast<int>(w.mine.count * sizeof(double)));
    std::vector<MPI_Aint> file_at(columns), mem_at(columns);
    for (int c = 0; c < columns; ++c) {
        file_at[static_cast<std::size_t>(c)] = static_cast<MPI_Aint>(
            (static_cast<std::uint64_t>(c) * w.total + w.mine.begin) * sizeof(double));
        MPI_Get_address(w.data[static_cast<std::size_t>(c)].data(),
                        &mem_at[static_cast<std::size_t>(c)]);
    }
    MPI_Datatype ft, mt;
    MPI_Type_create_hindexed(columns, len.data(), file_at.data(), MPI_BYTE, &ft);
    MPI_Type_create_hindexed(columns, len.data(), mem_at.data(), MPI_BYTE, &mt);
    MPI_Type_commit(&ft);
    MPI_Type_commit(&mt);
    MPI_File_set_view(fh, 0, MPI_BYTE, ft, "native", MPI_INFO_NULL);
    MPI_File_write_all(fh, MPI_BOTTOM, 1, mt, MPI_STATUS_IGNORE);
    if (w.durable) MPI_File_sync(fh);
    MPI_File_close(&fh);
    MPI_Type_free(&ft);
    MPI_Type_free(&mt);
}

void hdf5(const world& w, const fs::path& path) {
    const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_mpio(fapl, MPI_COMM_WORLD, MPI_INFO_NULL);
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    const hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
    H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE);
    const hsize_t total = w.total, start = w.mine.begin, count = w.mine.count;
    for (int c = 0; c < columns; ++c) {
        const hid_t space = H5Screate_simple(1, &total, nullptr);
        const std::string name = "col" + std::to_string(c);
        const hid_t ds = H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT,
                                    H5P_DEFAULT, H5P_DEFAULT);
        H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nullptr, &count, nullptr);
        const hid_t mem = H5Screate_simple(1, &count, nullptr);
        H5Dwrite(ds, H5T_NATIVE_DOUBLE, mem, space, dxpl,
                 w.data[static_cast<std::size_t>(c)].data());
        H5Sclose(mem);
        H5Dclose(ds);
        H5Sclose(space);
    }
    H5Pclose(dxpl);
    if (w.durable) H5Fflush(file, H5F_SCOPE_GLOBAL);
    H5Fclose(file);
    H5Pclose(fapl);
}

void colsnap_mpi(const world& w, const fs::path& path) {
    std::vector<colsnap::column_ref> cols;
    for (int c = 0; c < columns; ++c)
        cols.push_back(
            colsnap::column("col" + std::to_string(c), w.data[static_cast<std::size_t>(c)]));
    colsnap::mpi::save_npz(MPI_COMM_WORLD, path, cols, {.durable = w.durable});
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    // FUNNELED: colsnap::mpi hashes the slices on a helper thread (no MPI calls) meanwhile.
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    if (argc < 2) {
        std::fprintf(stderr, "usage: colsnap_bench_mpi DIR [ROWS] [ROUNDS] [sync]\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    world w;
    MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &w.ranks);
    const fs::path dir = argv[1];
    w.total = argc > 2 ? std::stoull(argv[2]) : 1'000'000;
    const int rounds = argc > 3 ? std::stoi(argv[3]) : 9;
    if (argc > 4 && std::string(argv[4]) != "sync") {
        std::fprintf(stderr,
                     "colsnap_bench_mpi: unknown mode '%s' (the 4th argument is "
                     "'sync' or nothing)\n",
                     argv[4]);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    w.durable = argc > 4;
    w.mine = colsnap::mpi::even_split(w.total, w.rank, w.ranks);
    w.data.assign(columns, std::vector<double>(w.mine.count));
    for (int c = 0; c < columns; ++c)
        for (std::uint64_t i = 0; i < w.mine.count; ++i)
            w.data[static_cast<std::size_t>(c)][i] =
                static_cast<double>((w.mine.begin + i) * 8 + static_cast<std::uint64_t>(c));

    struct method {
        const char* name;
        void (*run)(const world&, const fs::path&);
        std::vector<double> seconds;
    };
    std::vector<method> methods = {{"raw MPI-IO", raw_mpiio, {}},
                                   {"colsnap::mpi", colsnap_mpi, {}},
                                   {"parallel HDF5", hdf5, {}}};
    for (int r = 0; r < rounds; ++r)
        for (std::size_t m = 0; m < methods.size(); ++m) {
            const fs::path path = dir / ("bench_mpi_" + std::to_string(m) + ".out");
            if (w.rank == 0) fs::remove(path);
            MPI_Barrier(MPI_COMM_WORLD);
            const double t0 = MPI_Wtime();
            methods[m].run(w, path);
            MPI_Barrier(MPI_COMM_WORLD);
            methods[m].seconds.push_back(MPI_Wtime() - t0);
        }
    if (w.rank == 0) {
        const double mib = static_cast<double>(w.total * columns * sizeof(double)) / (1 << 20);
        const double floor = median({methods[0].seconds.begin() + 1, methods[0].seconds.end()});
        std::printf(
            "MPI thread level %d; ranks %d, %llu rows x %d float64 columns (%.0f MiB), %d rounds, "
            "%s\n",
            provided, w.ranks, static_cast<unsigned long long>(w.total), columns, mib, rounds,
            w.durable ? "each file synced" : "no fsync");
        std::printf("%-14s %12s %12s %12s\n", "method", "cold MiB/s", "warm MiB/s", "vs raw");
        for (auto& m : methods) {
            const double warm = median({m.seconds.begin() + 1, m.seconds.end()});
            std::printf("%-14s %12.0f %12.0f %12.2f\n", m.name, mib / m.seconds[0], mib / warm,
                        floor / warm);
        }
        for (std::size_t m = 0; m < methods.size(); ++m)
            fs::remove(dir / ("bench_mpi_" + std::to_string(m) + ".out"));
    }
    MPI_Finalize();
    return 0;
}
