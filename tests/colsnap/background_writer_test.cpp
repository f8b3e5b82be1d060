// background_writer: same bytes as save_npz, capture at submit(), errors reported once and
// never lost, backpressure (wait / skip) made deterministic by holding the worker.
#include "test_util.hpp"

#include <colsnap/colsnap.hpp>
#include <src/background_writer_internal.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using colsnap::background_options;
using colsnap::background_writer;
using colsnap::backpressure;
using colsnap::submit_status;
using access = colsnap::detail::background_writer_access;

struct columns {
    std::vector<float> x;
    std::vector<std::uint64_t> id;
    std::vector<std::int16_t> grid; // 2-d
    std::vector<double> none;       // empty
    std::uint32_t tick = 7;
    explicit columns(std::size_t n) : x(n), id(n), grid(3 * 5) {
        for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(i) * 0.5f - 3.0f;
        std::iota(id.begin(), id.end(), std::uint64_t{1000});
        std::iota(grid.begin(), grid.end(), std::int16_t{-4});
    }
    std::vector<colsnap::column_ref> refs() const {
        return {colsnap::column("t/x", x), colsnap::column("t/id", id),
                colsnap::column("grid", grid, {3, 5}), colsnap::column("t/none", none),
                colsnap::scalar("meta/tick", tick)};
    }
    void scribble() {
        for (float& v : x) v = -1.0f;
        id.assign(id.size(), 0);
        tick = 99;
    }
};

std::vector<std::byte> bytes(const fs::path& p) { return test_util::read_file(p); }

TEST(BackgroundWriter, WritesTheBytesSaveNpzWrites) {
    test_util::temp_dir dir;
    for (const auto method : {colsnap::compression::stored, colsnap::compression::deflate}) {
        background_options opt;
        opt.write.method = method;
        background_writer bw(opt);
        // Three sizes through the same slot: smaller than the first, then larger (regrown).
        for (const std::size_t n : {std::size_t{10000}, std::size_t{3}, std::size_t{50000}}) {
            columns c(n);
            const auto refs = c.refs();
            colsnap::save_npz(dir / "blocking.npz", refs, opt.write);
            EXPECT_EQ(bw.submit(dir / "background.npz", refs), submit_status::queued);
            c.scribble(); // captured at submit(): later changes are not in the file
            bw.wait();
            EXPECT_EQ(bytes(dir / "background.npz"), bytes(dir / "blocking.npz"))
                << "n=" << n << " method " << static_cast<int>(method);
        }
        EXPECT_EQ(bw.completed(), 3u);
        EXPECT_TRUE(bw.poll());
        EXPECT_EQ(bw.in_flight(), 0u);
    }
}

TEST(BackgroundWriter, ErrorReachesWaitOnce) {
    test_util::temp_dir dir;
    background_writer bw;
    columns c(100);
    EXPECT_EQ(bw.submit(dir / "no_such_dir" / "a.npz", c.refs()), submit_status::queued);
    const colsnap::error e = test_util::error_of([&] { bw.wait(); });
    EXPECT_EQ(e.code(), colsnap::errc::io_error);
    EXPECT_NE(std::string(e.what()).find("no_such_dir"), std::string::npos) << e.what();
    bw.wait(); // reported once, then gone
    EXPECT_EQ(bw.completed(), 0u);
}

TEST(BackgroundWriter, ErrorOfADirectoryRemovedAfterSubmitReachesTheNextSubmit) {
    test_util::temp_dir dir;
    fs::create_directory(dir / "sub");
    background_writer bw;
    columns c(100);
    access::hold(bw);
    EXPECT_EQ(bw.submit(dir / "sub" / "a.npz", c.refs()), submit_status::queued);
    fs::remove(dir / "sub");
    access::release(bw);
    while (bw.in_flight() != 0) std::this_thread::yield();
    EXPECT_EQ(test_util::code_of([&] { bw.submit(dir / "b.npz", c.refs()); }),
              colsnap::errc::io_error);
    bw.wait(); // the submit that reported the error staged nothing
    EXPECT_TRUE(dir.list().empty());
    EXPECT_EQ(bw.submit(dir / "b.npz", c.refs()), submit_status::queued);
    bw.wait();
    EXPECT_EQ(dir.list(), std::vector<std::string>{"b.npz"}); // and no temp file left behind
}

TEST(BackgroundWriter, ErrorReachesPoll) {
    test_util::temp_dir dir;
    background_writer bw;
    columns c(10);
    bw.submit(dir / "missing" / "a.npz", c.refs());
    while (bw.in_flight() != 0) std::this_thread::yield();
    EXPECT_EQ(test_util::code_of([&] { bw.poll(); }), colsnap::errc::io_error);
    EXPECT_TRUE(bw.poll());
}

TEST(BackgroundWriter, SkipsWhenFullAndSaysSo) {
    test_util::temp_dir dir;
    background_options opt;
    opt.max_in_flight = 2;
    opt.when_full = backpressure::skip;
    background_writer bw(opt);
    columns c(1000);
    access::hold(bw);
    EXPECT_EQ(bw.submit(dir / "a.npz", c.refs()), submit_status::queued);
    EXPECT_EQ(bw.submit(dir / "b.npz", c.refs()), submit_status::queued);
    EXPECT_EQ(bw.submit(dir / "c.npz", c.refs()), submit_status::skipped);
    EXPECT_EQ(bw.in_flight(), 2u);
    EXPECT_FALSE(bw.poll());
    access::release(bw);
    bw.wait();
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"a.npz", "b.npz"}));
    EXPECT_EQ(bw.completed(), 2u);
}

TEST(BackgroundWriter, WaitsWhenFullAndSaysSo) {
    test_util::temp_dir dir;
    background_writer bw; // max_in_flight 1, backpressure::wait
    columns c(1000);
    access::hold(bw);
    EXPECT_EQ(bw.submit(dir / "a.npz", c.refs()), submit_status::queued);
    std::thread releaser([&] {
        access::wait_for_blocked_submit(bw);
        access::release(bw);
    });
    c.scribble();
    EXPECT_EQ(bw.submit(dir / "b.npz", c.refs()), submit_status::queued_waited);
    releaser.join();
    bw.wait();
    EXPECT_EQ(bw.completed(), 2u);
    // Each file holds the columns as they were at its own submit().
    const columns original(1000);
    colsnap::save_npz(dir / "a_ref.npz", original.refs());
    colsnap::save_npz(dir / "b_ref.npz", c.refs());
    EXPECT_EQ(bytes(dir / "a.npz"), bytes(dir / "a_ref.npz"));
    EXPECT_EQ(bytes(dir / "b.npz"), bytes(dir / "b_ref.npz"));
}

TEST(BackgroundWriter, DestructorFinishesWritesInFlight) {
    test_util::temp_dir dir;
    const columns c(5000);
    {
        background_writer bw;
        access::hold(bw);
        bw.submit(dir / "a.npz", c.refs());
    }
    colsnap::save_npz(dir / "ref.npz", c.refs());
    EXPECT_EQ(bytes(dir / "a.npz"), bytes(dir / "ref.npz"));
}

TEST(BackgroundWriter, RefusesBadArguments) {
    test_util::temp_dir dir;
    background_options opt;
    opt.max_in_flight = 0;
    EXPECT_EQ(test_util::code_of([&] { background_writer bw(opt); }),
              colsnap::errc::invalid_argument);
    background_writer bw;
    std::vector<float> v(4);
    colsnap::column_ref bad = colsnap::column("v", v);
    bad.bytes = bad.bytes.first(3);
    const colsnap::error e = test_util::error_of([&] { bw.submit(dir / "a.npz", {&bad, 1}); });
    EXPECT_EQ(e.code(), colsnap::errc::invalid_argument);
    EXPECT_EQ(e.member(), "v");
    EXPECT_EQ(bw.in_flight(), 0u);
    bw.wait();
    EXPECT_TRUE(dir.list().empty());
}

} // namespace
