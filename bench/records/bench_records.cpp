// colsnap_bench_records: transposing 1 M records of 8 fields (a record array to 8 columns,
// AoS -> SoA, and back, SoA -> AoS) against a memcpy of the same bytes, interleaved in one
// run, cold and warm. Prints the median and minimum of each, in ms and GB/s of record bytes,
// and each transposition's median over memcpy's.
//
// Cold: every destination page is touched for the first time by the operation (a fresh mmap
// for each allocation, as a first call sees); warm: the destination was touched before (freed
// blocks are kept and handed back for the next allocation of the same size). This program
// replaces the global aligned operator new/delete (which colsnap's arrays use) to choose.
//
//   colsnap_bench_records [--records N] [--repeats R]
#include <colsnap/colsnap.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <numeric>
#include <string>
#include <vector>

#include <sys/mman.h>

namespace {

// ---- allocation: cold (fresh pages) or warm (pages kept and reused) ------------------------
bool warm_pages = false;
std::multimap<std::size_t, void*>& kept() {
    static auto* m = new std::multimap<std::size_t, void*>; // never destroyed: used by delete
    return *m;
}
std::map<void*, std::size_t>& sizes() {
    static auto* m = new std::map<void*, std::size_t>;
    return *m;
}
constexpr std::size_t big = 1 << 16; // blocks this large come from mmap, smaller from malloc

} // namespace

void* operator new(std::size_t n, std::align_val_t a) {
    if (n < big) {
        const auto align = static_cast<std::size_t>(a);
        void* p =
            std::aligned_alloc(align, std::max<std::size_t>(1, (n + align - 1) / align) * align);
        if (!p) throw std::bad_alloc();
        return p;
    }
    if (warm_pages) {
        auto it = kept().find(n);
        if (it != kept().end()) {
            void* p = it->second;
            kept().erase(it);
            sizes()[p] = n;
            return p;
        }
    }
    void* p = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    sizes()[p] = n;
    return p;
}
void operator delete(void* p, std::align_val_t) noexcept {
    if (!p) return;
    auto it = sizes().find(p);
    if (it == sizes().end()) return std::free(p);
    const std::size_t n = it->second;
    sizes().erase(it);
    if (warm_pages) kept().emplace(n, p);
    else munmap(p, n);
}
void operator delete(void* p, std::size_t, std::align_val_t a) noexcept { operator delete(p, a); }

namespace {

void drop_kept() {
    for (auto& [n, p] : kept()) munmap(p, n);
    kept().clear();
}

struct figure {
    double median_ms, min_ms;
};

figure summarize(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.front()};
}

template <typename F> double time_ms(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    std::uint64_t n = 1000000;
    int repeats = 11;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--records") n = std::strtoull(argv[i + 1], nullptr, 10);
        else if (a == "--repeats") repeats = std::atoi(argv[i + 1]);
        else {
            std::fprintf(stderr, "usage: colsnap_bench_records [--records N] [--repeats R]\n");
            return 2;
        }
    }
    // 8 fields, 43-byte records, as a simulation's table might hold them.
    std::vector<double> x(n), mass(n);
    std::vector<float> y(n);
    std::vector<std::int32_t> id(n);
    std::vector<std::int16_t> cell(n);
    std::vector<std::uint8_t> alive(n);
    std::vector<std::chrono::sys_time<std::chrono::nanoseconds>> born(n);
    std::vector<std::uint64_t> key(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        x[i] = 0.5 * static_cast<double>(i);
        mass[i] = 1.0 / static_cast<double>(i + 1);
        y[i] = static_cast<float>(i % 1000);
        id[i] = static_cast<std::int32_t>(i);
        cell[i] = static_cast<std::int16_t>(i % 30000);
        alive[i] = static_cast<std::uint8_t>(i & 1);
        born[i] = std::chrono::sys_time<std::chrono::nanoseconds>(std::chrono::nanoseconds(i));
        key[i] = i * 0x9e3779b97f4a7c15ull;
    }
    const std::vector<colsnap::column_ref> columns{
        colsnap::column("x", x),         colsnap::column("y", y),
        colsnap::column("id", id),       colsnap::column("cell", cell),
        colsnap::column("alive", alive), colsnap::column("born", born),
        colsnap::column("mass", mass),   colsnap::column("key", key)};
    const colsnap::array records = colsnap::transpose(columns);
    const std::uint64_t bytes = records.bytes().size();
    std::printf("%llu records x %zu fields (%s), %u bytes each: %.1f MB\n",
                static_cast<unsigned long long>(n), columns.size(), records.type().descr().c_str(),
                records.type().itemsize, static_cast<double>(bytes) / 1e6);

    const char* names[3] = {"memcpy of the records", "transpose AoS -> SoA",
                            "transpose SoA -> AoS"};
    std::vector<double> ms[2][3];
    std::uint64_t check = 0;
    for (int r = 0; r < repeats; ++r) {
        for (int warm = 0; warm < 2; ++warm) {
            warm_pages = warm != 0;
            if (warm) { // touch one destination of each size once, so that every op below reuses
                void* p = operator new (bytes, std::align_val_t{64});
                std::memset(p, 1, bytes);
                operator delete (p, std::align_val_t{64});
                std::vector<colsnap::named_array> c = colsnap::transpose(records);
                for (auto& col : c) check += col.data.size();
                c.clear();
                (void)colsnap::transpose(columns);
            }
            ms[warm][0].push_back(time_ms([&] {
                void* p = operator new (bytes, std::align_val_t{64});
                std::memcpy(p, records.bytes().data(), bytes);
                check += static_cast<unsigned char*>(p)[bytes / 2];
                operator delete (p, std::align_val_t{64});
            }));
            ms[warm][1].push_back(time_ms([&] {
                const std::vector<colsnap::named_array> c = colsnap::transpose(records);
                check += c.back().data.size();
            }));
            ms[warm][2].push_back(time_ms([&] {
                const colsnap::array a = colsnap::transpose(columns);
                check += static_cast<std::uint64_t>(a.bytes()[bytes / 2]);
            }));
            drop_kept();
        }
    }
    std::printf("%-24s %5s %12s %10s %10s %14s\n", "operation", "pages", "median ms", "min ms",
                "GB/s", "median/memcpy");
    for (int warm = 0; warm < 2; ++warm) {
        const figure base = summarize(ms[warm][0]);
        for (int op = 0; op < 3; ++op) {
            const figure f = summarize(ms[warm][op]);
            std::printf("%-24s %5s %12.2f %10.2f %10.2f %14.2f\n", names[op],
                        warm ? "warm" : "cold", f.median_ms, f.min_ms,
                        static_cast<double>(bytes) / (f.median_ms * 1e6),
                        f.median_ms / base.median_ms);
        }
    }
    std::printf("(%d repeats, interleaved; checksum %llu)\n", repeats,
                static_cast<unsigned long long>(check));
    return 0;
}
