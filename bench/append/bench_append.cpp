// colsnap_bench_append: the cost of appending K rows to an .npy of N rows, for N = 1e5, 1e6,
// 1e7 '<f8' rows: colsnap's npy_appender (fast, and durable: two fdatasyncs an append) against
// numpy's ways of growing a file (numpy_append.py: rewrite with np.save, or open_memmap + copy).
// Each file starts at N rows (written by write_npy / np.save) and is grown REPEATS times by K
// rows; the median and minimum wall time of one append are printed, then the ratio of each
// method's median at 1e7 rows to its median at 1e5 (O(K): about 1; O(file): about 100).
//
//   colsnap_bench_append [--dir DIR] [--rows-per-append K] [--repeats R] [--no-numpy]
#include <colsnap/npy.hpp>
#include <colsnap/npy_appender.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace {

struct figure {
    double median_ms, min_ms;
};

figure summarize(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.front()};
}

figure time_colsnap(const std::filesystem::path& path, std::uint64_t n, std::uint64_t k,
                    int repeats, bool durable) {
    std::vector<double> base(n);
    std::iota(base.begin(), base.end(), 0.0);
    colsnap::write_npy(path, std::span<const double>(base));
    const std::vector<double> rows(k, 1.5);
    auto log = colsnap::npy_appender::open(path, colsnap::append_options{.durable = durable});
    std::vector<double> ms;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        log.append(std::span<const double>(rows));
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    if (log.rows() != n + k * static_cast<std::uint64_t>(repeats)) std::abort();
    std::filesystem::remove(path);
    return summarize(std::move(ms));
}

} // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = std::filesystem::temp_directory_path();
    std::uint64_t k = 1000;
    int repeats = 31;
    bool numpy = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else if (a == "--rows-per-append" && i + 1 < argc)
            k = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--repeats" && i + 1 < argc) repeats = std::atoi(argv[++i]);
        else if (a == "--no-numpy") numpy = false;
        else {
            std::fprintf(stderr, "usage: colsnap_bench_append [--dir DIR] [--rows-per-append K] "
                                 "[--repeats R] [--no-numpy]\n");
            return 2;
        }
    }
    if (repeats < 1 || k == 0) return 2;
    const std::vector<std::uint64_t> sizes{100'000, 1'000'000, 10'000'000};
    std::printf("append %llu rows of <f8 to a file of N rows; %d appends per (method, N); "
                "wall ms per append\n",
                static_cast<unsigned long long>(k), repeats);
    std::printf("%-22s %12s %12s %12s\n", "method", "N", "median ms", "min ms");
    std::map<std::string, std::map<std::uint64_t, double>> medians;
    auto show = [&](const std::string& method, std::uint64_t n, figure f) {
        std::printf("%-22s %12llu %12.4f %12.4f\n", method.c_str(),
                    static_cast<unsigned long long>(n), f.median_ms, f.min_ms);
        std::fflush(stdout);
        medians[method][n] = f.median_ms;
    };
    for (const std::uint64_t n : sizes) {
        show("colsnap append", n,
             time_colsnap(dir / "colsnap_bench_append.npy", n, k, repeats, false));
        show("colsnap append durable", n,
             time_colsnap(dir / "colsnap_bench_append.npy", n, k, repeats, true));
    }
    if (numpy) {
        const int np_repeats = std::max(3, repeats / 4);
        // Built with += only: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
        std::string cmd = "/usr/bin/python3 ";
        cmd += COLSNAP_BENCH_NUMPY_SCRIPT;
        cmd += " '";
        cmd += dir.string();
        cmd += "' ";
        cmd += std::to_string(k);
        cmd += ' ';
        cmd += std::to_string(np_repeats);
        for (const auto n : sizes) {
            cmd += ' ';
            cmd += std::to_string(n);
        }
        FILE* p = ::popen(cmd.c_str(), "r");
        char method[64];
        unsigned long long n = 0;
        double med = 0, mn = 0;
        while (p != nullptr &&
               std::fscanf(p, "numpy %63s %llu %lf %lf\n", method, &n, &med, &mn) == 4)
            show(std::string("numpy ").append(method), n, {med, mn});
        if (p == nullptr || ::pclose(p) != 0)
            std::fprintf(stderr, "numpy figures missing (is python3-numpy installed?)\n");
    }
    std::printf("\nmedian at N=1e7 / median at N=1e5 (O(K): ~1, O(file): ~100)\n");
    for (const auto& [method, by_n] : medians)
        if (by_n.count(sizes.front()) != 0 && by_n.count(sizes.back()) != 0)
            std::printf("%-22s %10.1fx\n", method.c_str(),
                        by_n.at(sizes.back()) / by_n.at(sizes.front()));
    return 0;
}
