// Append I/O-error injection: append_writer's one append runs under the fault_shim, and every
// occurrence of pwrite (rows, header) and fdatasync fails in turn. Each failure must be a clear
// one-line error naming the operation, the OS reason and the file (exit 1); numpy must then
// load either the rows before the append or, when only the last fdatasync failed, the rows
// after it; the next appender must reopen (cutting any torn tail) and append correctly. Short
// writes and EINTR must still produce the right file.
#include "append_check.hpp"
#include "append_rows.hpp"
#include "shim_runner.hpp"

#include <colsnap/npy.hpp>

#include <gtest/gtest.h>

#include <cstring>

#include <test_files.hpp>

namespace colsnap_crash {
namespace {

TEST(append_fault_test, every_pwrite_and_fdatasync_failure_leaves_a_loadable_prefix) {
    if (!test_common::have_numpy()) GTEST_SKIP() << test_common::python << " cannot import numpy";
    test_common::temp_dir dir("append-fault");
    const std::filesystem::path report = dir / "shim.txt";
    const std::filesystem::path work = dir / "work";
    std::filesystem::create_directory(work);
    const std::filesystem::path target = work / "log.npy";
    auto once = [&](const std::string& n) {
        return std::vector<std::string>{COLSNAP_APPEND_WRITER, "once", target.string(), n};
    };
    ASSERT_EQ(run_program(once("10")).code, 0);

    shim_report rep;
    exit_info counted = run_with_shim(once("100"), work, {}, report, rep);
    ASSERT_TRUE(counted.exited && counted.code == 0) << counted.describe();
    ASSERT_EQ(rep["pwrite"] + rep["pwrite64"], 2) << "rows, then header";
    ASSERT_EQ(rep["fsync"], 2) << "fdatasync of the rows, then of the header";
    std::uint64_t rows = numpy_rows(target);
    ASSERT_EQ(rows, 110u);

    unsigned faults = 0;
    for (const char* call : {"pwrite", "fsync"}) {
        for (long nth = 1; nth <= 2; ++nth) {
            SCOPED_TRACE(std::string(call) + " #" + std::to_string(nth) + " fails with EIO");
            const exit_info r =
                run_with_shim(once("7"), work, {"fail", call, nth, EIO}, report, rep);
            ASSERT_EQ(rep["injected"], 1) << r.describe();
            ++faults;
            ASSERT_TRUE(r.exited && r.code == 1) << r.describe();
            EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
            const std::string op = std::string(call) == "fsync" ? "fdatasync: " : "pwrite: ";
            EXPECT_NE(r.err.find(target.string() + ": "), std::string::npos) << r.err;
            EXPECT_NE(r.err.find(op + std::strerror(EIO)), std::string::npos) << r.err;
            EXPECT_NE(r.err.find("[io_error]"), std::string::npos) << r.err;
            const std::uint64_t now = numpy_rows(target);
            // Only the last step's failure comes after the header counted the rows.
            const bool header_written = std::string(call) == "fsync" && nth == 2;
            EXPECT_EQ(now, header_written ? rows + 7 : rows);
            // The next appender reopens, cuts what the failed one left, and goes on.
            const exit_info next = run_program(once("3"));
            ASSERT_TRUE(next.exited && next.code == 0) << next.describe();
            rows = now + 3;
            EXPECT_EQ(numpy_rows(target), rows);
        }
    }
    for (const char* mode : {"short", "eintr", "short+eintr"}) {
        SCOPED_TRACE(mode);
        const exit_info r = run_with_shim(once("5000"), work, {mode, "", 0, 0}, report, rep);
        ASSERT_TRUE(r.exited && r.code == 0) << r.describe();
        rows += 5000;
        EXPECT_EQ(numpy_rows(target), rows);
    }
    const auto arr = colsnap::read_npy(target); // no torn tail left: colsnap reads it too
    EXPECT_EQ(arr.info().shape, (std::vector<std::uint64_t>{rows, append_row_width}));
    std::printf("[append_fault_test] %u faults injected (pwrite, fdatasync)\n", faults);
}

} // namespace
} // namespace colsnap_crash
