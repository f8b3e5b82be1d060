// A file rewritten in place while it is read (`cp` over it, `rsync --inplace`, `np.savez` to
// the same path). Through a mapping, touching a page past the new end is a SIGBUS; the CLI's
// verify, copy and hash read with pread (colsnap::file_access::read) and must instead answer
// one line and exit 1. The shim's "shrink" mode truncates the file right after the first mmap
// or pread of it, so the race is made deterministic.
#include "shim_runner.hpp"
#include "snapshot_data.hpp"
#include "test_settings.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

#include <sys/wait.h>
#include <test_files.hpp>
#include <unistd.h>

#ifdef COLSNAP_CLI
#define COLSNAP_CLI_OR_EMPTY COLSNAP_CLI
#else
#define COLSNAP_CLI_OR_EMPTY ""
#endif

namespace colsnap_crash {
namespace {

// 120k rows: 5.2 MB, more than one 4 MiB pread chunk, so the truncation lands between reads.
constexpr std::uint64_t rows = 120'000;

// A scratch directory whose files the shim watches, and colsnap run on them under its shrink mode.
class changing_file_cli : public ::testing::Test {
protected:
    changing_file_cli() : dir_("changing"), work_(dir_ / "w") {
        std::filesystem::create_directory(work_);
    }
    void SetUp() override {
#ifndef COLSNAP_CLI
        GTEST_SKIP() << "the colsnap CLI is not built";
#endif
    }
    /// Runs colsnap @p args; the file it reads becomes @p size bytes after its first mmap/pread.
    exit_info run_resizing(const std::vector<std::string>& args, long size, shim_report& rep) {
        std::vector<std::string> argv = {COLSNAP_CLI_OR_EMPTY};
        argv.insert(argv.end(), args.begin(), args.end());
        fault_plan plan;
        plan.mode = "shrink";
        plan.shrink_to = size;
        return run_with_shim(argv, work_, plan, dir_ / "report.txt", rep);
    }
    test_common::temp_dir dir_;
    std::filesystem::path work_;
};

TEST_F(changing_file_cli, a_file_that_shrinks_while_read_gives_one_line_and_exit_1) {
    const auto work = work_;
    const auto npz = work / "snap.npz";
    const auto npy = work / "col.npy";
    const auto out = work / "out.npz";
    const snapshot_data data(1, rows);
    const auto cols = data.columns();
    struct cli_case {
        std::vector<std::string> args;
        std::filesystem::path file;
    };
    const std::vector<cli_case> cases = {
        {{"verify", npz.string()}, npz},
        {{"hash", npz.string()}, npz},
        {{"copy", npz.string(), out.string()}, npz},
        {{"verify", npy.string()}, npy},
        {{"hash", npy.string()}, npy},
    };
    for (const cli_case& c : cases) {
        SCOPED_TRACE("colsnap " + c.args.front() + " " + c.file.filename().string());
        colsnap::save_npz(npz, cols);
        const std::vector<double> values(rows * 6, 0.5); // 5.8 MB
        colsnap::write_npy(npy, std::span<const double>(values));
        shim_report rep;
        const exit_info r = run_resizing(c.args, 1 << 20, rep);
        ASSERT_TRUE(r.exited) << "killed: " << r.describe(); // SIGBUS before file_access::read
        ASSERT_EQ(rep["injected"], 1) << "the file was not truncated: " << r.describe();
        EXPECT_EQ(r.code, 1) << r.describe();
        EXPECT_EQ(r.out, "");
        EXPECT_TRUE(r.err.starts_with("colsnap: " + c.file.string() + ": ")) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find("shrank while being read"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("[io_error]"), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(out));
        EXPECT_TRUE(temp_files(work, "out.npz").empty());
        std::printf("[changing_file] colsnap %s: exit %d: %s", c.args.front().c_str(), r.code,
                    r.err.c_str());
    }
}

// ls, cat and diff map their input (cat --head reads only what it prints): a truncation under
// the mapping is a SIGBUS, which the CLI's guard turns into one line and exit 1 (diff: 2).
TEST_F(changing_file_cli, a_mapped_file_that_shrinks_gives_one_line_not_a_bus_error) {
    if (under_asan()) GTEST_SKIP() << "AddressSanitizer handles SIGBUS itself";
    const auto npz = work_ / "snap.npz";
    const snapshot_data data(1, rows);
    const auto cols = data.columns();
    const std::string last = cols.back().name;
    const std::vector<std::vector<std::string>> cases = {
        {"ls", npz.string()},
        {"cat", npz.string(), last},
        {"diff", npz.string(), npz.string()},
    };
    for (const auto& args : cases) {
        SCOPED_TRACE("colsnap " + args.front());
        colsnap::save_npz(npz, cols);
        shim_report rep;
        const exit_info r = run_resizing(args, 1 << 20, rep);
        // Without the guard the process dies of SIGBUS. The shim's report is not written: the
        // handler leaves with _exit(), so the truncation shows only in the message.
        ASSERT_TRUE(r.exited) << "killed: " << r.describe();
        EXPECT_EQ(r.code, args.front() == "diff" ? 2 : 1) << r.describe();
        EXPECT_TRUE(r.err.ends_with(
            "the file shrank while being read (SIGBUS on its mapping) [io_error]\n"))
            << r.err;
        EXPECT_NE(r.err.find(npz.string()), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

// A file that changes without ending early (here: it grows, as an appending writer would make
// it) is caught by its size, mtime and ctime after the last chunk.
TEST_F(changing_file_cli, a_file_that_changes_while_read_gives_one_line_and_exit_1) {
    const auto npz = work_ / "snap.npz";
    const snapshot_data data(1, rows);
    const auto cols = data.columns();
    colsnap::save_npz(npz, cols);
    shim_report rep;
    // To a larger size: truncate(2) extends the file.
    const exit_info r =
        run_resizing({"verify", npz.string()},
                     static_cast<long>(std::filesystem::file_size(npz)) + (1 << 20), rep);
    ASSERT_TRUE(r.exited) << "killed: " << r.describe();
    ASSERT_EQ(rep["injected"], 1) << r.describe();
    EXPECT_EQ(r.code, 1) << r.describe();
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(r.err.starts_with("colsnap: " + npz.string() +
                                  ": read: the file changed while being read ("))
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// file_access::read holds the bytes: a file truncated after open() is still read in full and
// hashes to what was written; a mapped reader of the same file would take a SIGBUS.
TEST(changing_file, a_read_reader_is_immune_to_truncation_after_open) {
    test_common::temp_dir dir("truncated");
    const auto path = dir / "snap.npz";
    const snapshot_data data(1, 2000);
    const auto cols = data.columns();
    colsnap::save_npz(path, cols);
    colsnap::read_options opt;
    opt.access = colsnap::file_access::read;
    const colsnap::npz_reader r = colsnap::npz_reader::open(path, opt);
    std::filesystem::resize_file(path, 0);
    EXPECT_NO_THROW(r.verify());
    EXPECT_EQ(colsnap::content_hash(r), data.hash());
}

TEST(changing_file, a_mapped_reader_of_a_truncated_file_takes_sigbus) {
    // The documented risk of file_access::map, shown (ASan turns the signal into its report).
    if (under_asan()) GTEST_SKIP() << "AddressSanitizer handles SIGBUS itself";
    test_common::temp_dir dir("mapped");
    const auto path = dir / "snap.npz";
    const snapshot_data data(1, 2000);
    const auto cols = data.columns();
    colsnap::save_npz(path, cols);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const colsnap::npz_reader r = colsnap::npz_reader::open(path);
        ::truncate(path.c_str(), 0);
        r.verify();
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
    EXPECT_EQ(WTERMSIG(status), SIGBUS);
}

} // namespace
} // namespace colsnap_crash
