// background_writer: same bytes as save_npz, capture at submit(), errors reported once and
// never lost, backpressure (wait / skip) made deterministic by holding the worker (the engine,
// detail::background_queue, which background_writer wraps), jobs of several files, reserve().
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
using colsnap::file_columns;
using colsnap::submit_status;
using queue = colsnap::detail::background_queue;

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

submit_status submit(queue& q, const fs::path& p, const std::vector<colsnap::column_ref>& refs) {
    const file_columns f{p, refs};
    return q.submit({&f, 1});
}

/// @p file holds what save_npz writes for @p refs (written beside it, as ref_NAME).
void expect_saved_as(const fs::path& file, const std::vector<colsnap::column_ref>& refs) {
    const fs::path ref = file.parent_path() / ("ref_" + file.filename().string());
    colsnap::save_npz(ref, refs);
    EXPECT_EQ(bytes(file), bytes(ref)) << file;
}

std::size_t nbytes(const std::vector<colsnap::column_ref>& refs) {
    std::size_t n = 0;
    for (const auto& r : refs) n += r.bytes.size();
    return n;
}

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
    queue bw({});
    columns c(100);
    bw.hold();
    EXPECT_EQ(submit(bw, dir / "sub" / "a.npz", c.refs()), submit_status::queued);
    fs::remove(dir / "sub");
    bw.release();
    while (bw.in_flight() != 0) std::this_thread::yield();
    EXPECT_EQ(test_util::code_of([&] { submit(bw, dir / "b.npz", c.refs()); }),
              colsnap::errc::io_error);
    bw.wait(); // the submit that reported the error staged nothing
    EXPECT_TRUE(dir.list().empty());
    EXPECT_EQ(submit(bw, dir / "b.npz", c.refs()), submit_status::queued);
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
    queue bw(opt);
    columns c(1000);
    bw.hold();
    EXPECT_EQ(submit(bw, dir / "a.npz", c.refs()), submit_status::queued);
    EXPECT_EQ(submit(bw, dir / "b.npz", c.refs()), submit_status::queued);
    EXPECT_EQ(submit(bw, dir / "c.npz", c.refs()), submit_status::skipped);
    EXPECT_EQ(bw.in_flight(), 2u);
    EXPECT_FALSE(bw.poll());
    bw.release();
    bw.wait();
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"a.npz", "b.npz"}));
    EXPECT_EQ(bw.completed(), 2u);
}

TEST(BackgroundWriter, WaitsWhenFullAndSaysSo) {
    test_util::temp_dir dir;
    queue bw({}); // max_in_flight 1, backpressure::wait
    columns c(1000);
    bw.hold();
    EXPECT_EQ(submit(bw, dir / "a.npz", c.refs()), submit_status::queued);
    std::thread releaser([&] {
        bw.wait_for_blocked_submit();
        bw.release();
    });
    c.scribble();
    EXPECT_EQ(submit(bw, dir / "b.npz", c.refs()), submit_status::queued_waited);
    releaser.join();
    bw.wait();
    EXPECT_EQ(bw.completed(), 2u);
    // Each file holds the columns as they were at its own submit().
    expect_saved_as(dir / "a.npz", columns(1000).refs());
    expect_saved_as(dir / "b.npz", c.refs());
}

TEST(BackgroundWriter, DestructorFinishesWritesInFlight) {
    test_util::temp_dir dir;
    const columns c(5000);
    {
        queue bw({});
        bw.hold();
        submit(bw, dir / "a.npz", c.refs());
    }
    colsnap::save_npz(dir / "ref.npz", c.refs());
    EXPECT_EQ(bytes(dir / "a.npz"), bytes(dir / "ref.npz"));
}

TEST(BackgroundWriter, AReservedWriterCapturesWithoutGrowingItsStaging) {
    test_util::temp_dir dir;
    const columns c(20000);
    const auto refs = c.refs();
    background_options opt;
    opt.reserve = nbytes(refs);
    background_writer reserved(opt);
    const std::size_t at_start = reserved.staging_capacity();
    EXPECT_GE(at_start, nbytes(refs));
    EXPECT_EQ(reserved.submit(dir / "a.npz", refs), submit_status::queued);
    reserved.wait();
    EXPECT_EQ(reserved.staging_capacity(), at_start);

    background_writer later; // reserve() after construction, as a program that knows its size
    EXPECT_EQ(later.staging_capacity(), 0u);
    later.reserve(nbytes(refs));
    const std::size_t reserved_later = later.staging_capacity();
    EXPECT_GE(reserved_later, nbytes(refs));
    later.submit(dir / "b.npz", refs);
    later.wait();
    EXPECT_EQ(later.staging_capacity(), reserved_later);
    later.reserve(1); // never shrinks
    EXPECT_EQ(later.staging_capacity(), reserved_later);

    background_writer unreserved; // the first capture grows it: what reserving avoids
    unreserved.submit(dir / "c.npz", refs);
    unreserved.wait();
    EXPECT_GE(unreserved.staging_capacity(), nbytes(refs));
    colsnap::save_npz(dir / "ref.npz", refs);
    for (const char* f : {"a.npz", "b.npz", "c.npz"})
        EXPECT_EQ(bytes(dir / f), bytes(dir / "ref.npz"));
}

TEST(BackgroundWriter, AJobOfSeveralFilesWritesEachAsSaveNpz) {
    test_util::temp_dir dir;
    columns small(10), big(3000);
    const auto s = small.refs(), b = big.refs();
    background_writer bw;
    const std::vector<file_columns> job{{dir / "first.npz", s}, {dir / "second.npz", b}};
    EXPECT_EQ(bw.submit(job), submit_status::queued);
    small.scribble();
    big.scribble();
    bw.wait();
    EXPECT_EQ(bw.completed(), 1u); // one job
    expect_saved_as(dir / "first.npz", columns(10).refs());
    expect_saved_as(dir / "second.npz", columns(3000).refs());
}

TEST(BackgroundWriter, AFileThatFailsEndsItsJob) {
    test_util::temp_dir dir;
    const columns c(100);
    const auto refs = c.refs();
    background_writer bw;
    // The first file cannot be written: the second (which would refer to it) is not either.
    const std::vector<file_columns> job{{dir / "missing" / "segment.npz", refs},
                                        {dir / "snapshot.npz", refs}};
    bw.submit(job);
    EXPECT_EQ(test_util::code_of([&] { bw.wait(); }), colsnap::errc::io_error);
    EXPECT_TRUE(dir.list().empty());
    // The second fails: the first stays, written whole.
    const std::vector<file_columns> job2{{dir / "segment.npz", refs},
                                         {dir / "missing" / "snapshot.npz", refs}};
    bw.submit(job2);
    EXPECT_EQ(test_util::code_of([&] { bw.wait(); }), colsnap::errc::io_error);
    EXPECT_EQ(dir.list(), std::vector<std::string>{"segment.npz"});
    EXPECT_EQ(bw.completed(), 0u);
}

TEST(BackgroundWriter, SkipsAJobAsAWhole) {
    test_util::temp_dir dir;
    background_options opt;
    opt.when_full = backpressure::skip;
    queue bw(opt);
    const columns c(100);
    const auto refs = c.refs();
    bw.hold();
    EXPECT_EQ(submit(bw, dir / "a.npz", refs), submit_status::queued);
    const std::vector<file_columns> job{{dir / "seg.npz", refs}, {dir / "snap.npz", refs}};
    EXPECT_EQ(bw.submit(job), submit_status::skipped);
    bw.release();
    bw.wait();
    EXPECT_EQ(dir.list(), std::vector<std::string>{"a.npz"}); // neither file of the job
    EXPECT_EQ(bw.submit(job), submit_status::queued);
    bw.wait();
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"a.npz", "seg.npz", "snap.npz"}));
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
