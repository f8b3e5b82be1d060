// What a background snapshot costs the thread that takes it, for ~70 MB of columns:
//   - memcpy into a warm buffer (the floor: one copy of the state);
//   - memcpy into a fresh buffer (every page faulted on first touch);
//   - background_writer::submit, first call (its staging is cold) and later calls (warm);
//   - fork(): the fork itself, then the parent dirtying every page once while the child lives
//     (each write a copy-on-write fault), against the same writes with no child;
//   - save_npz, durable (what a blocking snapshot costs today).
// Methods interleaved in each round; medians (and min) over the rounds. Own harness: one
// figure is one call, not a loop that the cache could make faster.
#include <colsnap/colsnap.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

struct figures {
    std::map<std::string, std::vector<double>> ms;
    std::vector<std::string> order;
    void add(const std::string& name, double v) {
        if (!ms.count(name)) order.push_back(name);
        ms[name].push_back(v);
    }
    void print() {
        std::printf("%-44s %10s %10s %6s\n", "method", "median ms", "min ms", "n");
        for (const std::string& name : order) {
            std::vector<double>& v = ms[name];
            std::sort(v.begin(), v.end());
            std::printf("%-44s %10.2f %10.2f %6zu\n", name.c_str(), v[v.size() / 2], v.front(),
                        v.size());
        }
    }
};

/// Fresh anonymous pages: no page is present until written.
struct fresh_pages {
    void* p;
    std::size_t n;
    explicit fresh_pages(std::size_t bytes) : n(bytes) {
        p = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) std::abort();
    }
    ~fresh_pages() { ::munmap(p, n); }
    fresh_pages(const fresh_pages&) = delete;
    fresh_pages& operator=(const fresh_pages&) = delete;
};

/// One write in every page of every column: a tick that changes the whole state.
void dirty_every_page(std::vector<std::vector<float>>& cols, std::size_t page) {
    for (auto& c : cols) {
        auto* b = reinterpret_cast<std::byte*>(c.data());
        for (std::size_t i = 0; i < c.size() * sizeof(float); i += page) b[i] ^= std::byte{1};
    }
}

} // namespace

int main(int argc, char** argv) {
    std::size_t mb = 70, rounds = 7;
    fs::path dir = fs::temp_directory_path();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--mb") mb = std::strtoull(argv[i + 1], nullptr, 10);
        else if (a == "--rounds") rounds = std::strtoull(argv[i + 1], nullptr, 10);
        else if (a == "--dir") dir = argv[i + 1];
        else {
            std::fprintf(stderr,
                         "usage: colsnap_bench_background [--mb 70] [--rounds 7] [--dir D]\n");
            return 2;
        }
    }
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    // 14 columns of equal size, like a table of 14 numeric columns.
    constexpr std::size_t ncols = 14;
    const std::size_t per_col = mb * 1000 * 1000 / ncols / sizeof(float);
    std::vector<std::vector<float>> cols(ncols, std::vector<float>(per_col));
    for (std::size_t c = 0; c < ncols; ++c)
        for (std::size_t i = 0; i < per_col; ++i) cols[c][i] = static_cast<float>(i * (c + 1));
    std::vector<colsnap::column_ref> refs;
    std::size_t total = 0;
    for (std::size_t c = 0; c < ncols; ++c) {
        refs.push_back(colsnap::column("t/c" + std::to_string(c), cols[c]));
        total += refs.back().bytes.size();
    }
    std::printf("columns: %zu x %zu floats = %.1f MB; page %zu bytes; %zu rounds; dir %s\n", ncols,
                per_col, static_cast<double>(total) / 1e6, page, rounds, dir.c_str());

    auto copy_all = [&](std::byte* to) {
        std::size_t at = 0;
        for (const auto& r : refs) {
            std::memcpy(to + at, r.bytes.data(), r.bytes.size());
            at += r.bytes.size();
        }
    };
    std::vector<std::byte> warm(total);
    copy_all(warm.data());
    const fs::path target = dir / "colsnap_bench_background.npz";

    figures f;
    colsnap::background_options bo;
    colsnap::background_writer bw(bo);
    {
        const auto t0 = clock_type::now();
        bw.submit(target, refs);
        f.add("background_writer submit, first (cold staging)", ms_since(t0));
        bw.wait();
    }
    for (std::size_t r = 0; r < rounds; ++r) {
        {
            const auto t0 = clock_type::now();
            copy_all(warm.data());
            f.add("memcpy into a warm buffer", ms_since(t0));
        }
        {
            fresh_pages fresh(total);
            const auto t0 = clock_type::now();
            copy_all(static_cast<std::byte*>(fresh.p));
            f.add("memcpy into fresh pages (first touch)", ms_since(t0));
        }
        {
            const auto t0 = clock_type::now();
            bw.submit(target, refs);
            f.add("background_writer submit (warm staging)", ms_since(t0));
            const auto t1 = clock_type::now();
            bw.wait();
            f.add("  its background write + fsync + rename", ms_since(t1));
        }
        {
            const auto t0 = clock_type::now();
            dirty_every_page(cols, page);
            f.add("dirty every page, no child", ms_since(t0));
        }
        {
            int go[2];
            if (::pipe(go) != 0) return 1;
            const auto t0 = clock_type::now();
            const pid_t pid = ::fork();
            if (pid == 0) { // the child would write the snapshot; here it only holds the pages
                char c;
                ::close(go[1]);
                (void)!::read(go[0], &c, 1);
                ::_exit(0);
            }
            const double fork_ms = ms_since(t0);
            f.add("fork()", fork_ms);
            const auto t1 = clock_type::now();
            dirty_every_page(cols, page);
            const double cow_ms = ms_since(t1);
            f.add("  then dirty every page (CoW faults)", cow_ms);
            f.add("fork() + CoW faults", fork_ms + cow_ms);
            ::close(go[0]);
            ::close(go[1]);
            ::waitpid(pid, nullptr, 0);
        }
        {
            const auto t0 = clock_type::now();
            colsnap::save_npz(target, refs);
            f.add("save_npz durable (blocking snapshot)", ms_since(t0));
        }
    }
    // Per-round ratios (same round, so the same load on the shared machine), then their median.
    auto ratio = [&](const std::string& a, const std::string& b) {
        std::vector<double> q;
        for (std::size_t r = 0; r < rounds; ++r) q.push_back(f.ms[a][r] / f.ms[b][r]);
        std::sort(q.begin(), q.end());
        return q[q.size() / 2];
    };
    const double r_submit =
        ratio("background_writer submit (warm staging)", "memcpy into a warm buffer");
    const double r_cold =
        ratio("memcpy into fresh pages (first touch)", "memcpy into a warm buffer");
    const double r_save =
        ratio("save_npz durable (blocking snapshot)", "memcpy into a warm buffer");
    const double r_fork = ratio("fork() + CoW faults", "memcpy into a warm buffer");
    f.print();
    std::printf("median of per-round ratios to the warm memcpy: submit %.2f, fresh pages %.2f, "
                "fork + CoW %.2f, blocking save_npz %.2f\n",
                r_submit, r_cold, r_fork, r_save);
    std::printf("dirty rows: one write in each of the columns' %zu pages, with and without a\n"
                "forked child holding them (then each write is a copy-on-write fault).\n",
                total / page);
    fs::remove(target);
    return 0;
}
