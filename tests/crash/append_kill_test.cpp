// Append kill test (issue 14): an npy_appender appending small batches is SIGKILLed at random
// moments, at least 200 times (100 under ASan), alternating durable and fast appenders. After
// every kill numpy must load the file, its rows must be exactly the first R rows appended
// (rows are a function of their index, append_rows.hpp), R must count every append the writer
// had finished and at most the one in flight; the next appender must reopen at R, cut exactly
// the torn bytes past R, and go on appending from R.
#include "append_check.hpp"
#include "append_rows.hpp"
#include "subprocess.hpp"
#include "test_settings.hpp"

#include <colsnap/npy.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <test_files.hpp>

namespace colsnap_crash {
namespace {

constexpr std::uint64_t row_bytes = append_row_width * 8;
constexpr std::uint64_t max_batch = 16; // append_writer's largest append

/// The last "committed R" the writer wrote to its progress file (nullopt if none).
std::optional<std::uint64_t> last_committed(const std::filesystem::path& progress) {
    std::ifstream in(progress);
    std::string line;
    std::optional<std::uint64_t> last;
    while (std::getline(in, line))
        if (line.starts_with("committed ") && !in.eof()) last = std::stoull(line.substr(10));
    return last;
}

/// Bytes past the rows the header counts.
std::uint64_t torn_bytes(const std::filesystem::path& path, std::uint64_t rows) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> head(4096);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const auto h = colsnap::parse_npy_header(std::as_bytes(std::span(head)));
    return std::filesystem::file_size(path) - (h.data_offset + rows * row_bytes);
}

TEST(append_kill_test, sigkill_during_appends_leaves_a_prefix_that_numpy_loads) {
    if (!test_common::have_numpy()) GTEST_SKIP() << test_common::python << " cannot import numpy";
    const unsigned kills_wanted = env_count("COLSNAP_CRASH_KILLS", under_asan() ? 100 : 200);
    test_common::temp_dir dir("append-kill");
    const std::filesystem::path log = dir / "log.npy", progress = dir / "progress.txt";
    std::mt19937_64 rng(20261202);

    std::uint64_t rows = 0, torn = 0;
    unsigned kills = 0, torn_kills = 0, advanced = 0, in_flight_counted = 0, durable_kills = 0;
    while (kills < kills_wanted) {
        const bool durable = kills % 2 == 1;
        std::filesystem::remove(progress);
        child_process c({COLSNAP_APPEND_WRITER, "loop", log.string(), progress.string(),
                         durable ? "durable" : "fast", std::to_string(kills)});
        const auto opened = c.read_line();
        ASSERT_TRUE(opened) << c.wait().describe();
        SCOPED_TRACE("kill " + std::to_string(kills + 1) + (durable ? " (durable)" : " (fast)"));
        // The reopen finds what numpy saw after the last kill, and cuts exactly its torn tail.
        ASSERT_EQ(*opened, "opened " + std::to_string(rows) + " " + std::to_string(torn));
        std::this_thread::sleep_for(std::chrono::microseconds(
            std::uniform_int_distribution<long>(0, durable ? 20'000 : 2'000)(rng)));
        c.kill(SIGKILL);
        const exit_info& end = c.wait();
        ASSERT_FALSE(end.exited) << "the writer ended by itself: " << end.describe();
        ASSERT_EQ(end.signal, SIGKILL);
        ++kills;
        durable_kills += durable ? 1 : 0;

        const std::uint64_t committed = last_committed(progress).value_or(rows);
        std::uint64_t now = 0;
        ASSERT_NO_THROW(now = numpy_rows(log));
        // Every finished append is counted; at most the one in flight is counted besides.
        ASSERT_GE(now, committed);
        ASSERT_LE(now, committed + max_batch);
        in_flight_counted += now > committed ? 1 : 0;
        torn = torn_bytes(log, now);
        ASSERT_LE(torn, max_batch * row_bytes) << "more than one append's rows past the header";
        torn_kills += torn > 0 ? 1 : 0;
        advanced += now > rows ? 1 : 0;
        rows = now;
    }

    // A writer that runs to completion reopens, cuts, appends, and leaves a file that colsnap
    // reads too (no trailing bytes) holding exactly the rows appended.
    const exit_info fin = run_program({COLSNAP_APPEND_WRITER, "once", log.string(), "1000"});
    ASSERT_TRUE(fin.exited && fin.code == 0) << fin.describe();
    EXPECT_EQ(fin.out, "rows " + std::to_string(rows + 1000) + "\n");
    EXPECT_EQ(numpy_rows(log), rows + 1000);
    const auto arr = colsnap::read_npy(log);
    const auto v = arr.values<std::uint64_t>();
    EXPECT_TRUE(std::equal(v.begin(), v.end(), append_rows(0, rows + 1000).begin()));

    std::printf("[append_kill_test] %u kills (%u durable): %llu rows survived; %u left a torn "
                "tail (cut at reopen), %u found the in-flight append counted, %u advanced\n",
                kills, durable_kills, static_cast<unsigned long long>(rows), torn_kills,
                in_flight_counted, advanced);
    RecordProperty("kills", static_cast<int>(kills));
    RecordProperty("torn_tails", static_cast<int>(torn_kills));
    EXPECT_GE(kills, kills_wanted);
    // Kills must have landed between an append's rows and its header, else this proves little.
    EXPECT_GT(torn_kills, 0u) << "no kill landed inside an append";
    EXPECT_GT(advanced, kills / 2) << "appends rarely got anywhere between kills";
}

} // namespace
} // namespace colsnap_crash
