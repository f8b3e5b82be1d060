// I/O-error injection: the writer (and the reader, for open/fstat/mmap/pread) runs under the
// fault_shim LD_PRELOAD library. A counting run finds how often each call site is reached; then every
// occurrence of every call is failed in turn. Each failure must give a clear one-line error
// naming the operation, the OS reason and the path, exit 1 (not a crash; in the ASan build
// LeakSanitizer would turn a leak into another exit), leave no temp file, and leave the
// snapshot path holding a complete snapshot: the previous one, or the new one only when the
// failure came after the rename (directory open/fsync). Failures of the stale-temp sweep
// (opendir/readdir/unlinkat) and of getrandom must not fail the write; a failed unlink in
// abort() leaves the temp for the next writer. Short writes and EINTR must still produce a
// correct file.
#include "shim_runner.hpp"
#include "snapshot_data.hpp"
#include "test_settings.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

#include <sys/wait.h>
#include <test_files.hpp>
#include <unistd.h>

namespace colsnap_crash {
namespace {

// 120k rows: 5.2 MB a snapshot; columns of 0.1-1 MB, so both the 1 MiB write buffer and
// the direct (unbuffered) write path are used.
constexpr std::uint64_t rows = 120'000;

struct call_case {
    const char* call;
    int err;
    std::vector<std::string> ops; ///< the operations the library may name for this call
    bool ignored = false;      ///< the write must succeed anyway (the stale-temp sweep, getrandom)
    bool maybe_unused = false; ///< not reached by this test's writes (readlink: no symlink;
                               ///< fchown: the writer already owns the file)
};

// Every call the writer makes on the snapshot's directory. unlinkat (sweep) and unlink (abort)
// are reached only with a stale temp or an abort: see the two tests further down.
const std::vector<call_case> writer_calls = {
    {"lstat", EIO, {"lstat"}},
    {"readlink", EIO, {"readlink"}, false, true},
    {"stat", EIO, {"stat"}},
    {"opendir", EMFILE, {}, true},
    {"readdir", EIO, {}, true},
    {"getrandom", ENOSYS, {}, true},
    {"open", EACCES, {"create temp file", "open directory"}},
    {"fstat", EIO, {"fstat"}},
    {"fchown", EIO, {"fchown"}, false, true},
    {"fchmod", EIO, {"fchmod"}},
    {"write", ENOSPC, {"write"}},
    {"pwrite", EIO, {"pwrite"}},
    {"fsync", EIO, {"fsync", "fsync directory"}},
    {"close", EIO, {"close"}},
    {"rename", EXDEV, {"rename"}},
};

bool one_line(const std::string& s) { return !s.empty() && s.find('\n') == s.size() - 1; }

// The message names the operation as "OP: REASON" or "OP (temp file NAME): REASON".
bool names_operation(const std::string& s, const std::vector<std::string>& ops,
                     const std::string& reason) {
    for (const auto& op : ops) {
        if (s.find(": " + op + ": " + reason) != std::string::npos) return true;
        const auto at = s.find(": " + op + " (temp file ");
        if (at != std::string::npos && s.find("): " + reason, at) != std::string::npos) return true;
    }
    return false;
}

class fault_injection : public ::testing::Test {
protected:
    fault_injection()
        : dir_("faults"), work_(dir_ / "w"), target_(work_ / "snap.npz"),
          report_(dir_ / "report.txt") {
        std::filesystem::create_directory(work_);
    }

    const colsnap::digest& expected(std::int64_t g) {
        auto it = hashes_.find(g);
        if (it == hashes_.end()) it = hashes_.emplace(g, snapshot_data(g, rows).hash()).first;
        return it->second;
    }

    exit_info write_gen(std::int64_t g, const std::string& method, const fault_plan& plan,
                        shim_report& rep) {
        return run_with_shim({COLSNAP_CRASH_WRITER, "once", target_.string(), std::to_string(g),
                              std::to_string(rows), method},
                             work_, plan, report_, rep);
    }

    std::int64_t current_generation() {
        colsnap::digest h;
        const std::int64_t g = read_generation(target_, &h);
        EXPECT_EQ(h, expected(g)) << "snapshot content is not generation " << g;
        return g;
    }

    test_common::temp_dir dir_;
    std::filesystem::path work_, target_, report_;
    std::map<std::int64_t, colsnap::digest> hashes_;
};

TEST_F(fault_injection, shim_sees_the_calls_and_sanitizer_catches_leaks) {
    shim_report rep;
    const exit_info r = write_gen(1, "stored", {}, rep);
    ASSERT_TRUE(r.exited && r.code == 0) << r.describe();
    // The shim is live: it saw the temp file and directory opens, the writes, the CRC patches,
    // both fsyncs and the rename.
    EXPECT_EQ(rep["open"], 2);
    EXPECT_GE(rep["write"], 3);
    EXPECT_GE(rep["pwrite"], 1); // CRC patches of stored members already flushed to the file
    EXPECT_EQ(rep["fsync"], 2);
    EXPECT_EQ(rep["rename"], 1);
    EXPECT_EQ(rep["injected"], 0);
    EXPECT_EQ(current_generation(), 1);
    if (under_asan()) {
        // The "no leak" checks below mean something only if LeakSanitizer runs in the children.
        const exit_info leak =
            run_with_shim({COLSNAP_CRASH_WRITER, "leak"}, work_, {}, report_, rep);
        EXPECT_FALSE(leak.exited && leak.code == 0) << leak.describe();
        EXPECT_NE(leak.err.find("LeakSanitizer"), std::string::npos) << leak.describe();
    }
}

class writer_faults : public fault_injection, public ::testing::WithParamInterface<std::string> {
public:
    void run() {
        const std::string method = GetParam();
        shim_report rep;
        // Generation 1 is the snapshot already there; count the calls of writing generation 2.
        ASSERT_TRUE(write_gen(1, method, {}, rep).exited);
        ASSERT_EQ(current_generation(), 1);
        std::int64_t prev = 1, next = 2;
        const exit_info counted = write_gen(next, method, {}, rep);
        ASSERT_TRUE(counted.exited && counted.code == 0) << counted.describe();
        const shim_report counts = rep;
        prev = next++;
        ASSERT_EQ(current_generation(), prev);

        std::map<std::string, int> injected, tolerated;
        for (const call_case& cc : writer_calls) {
            const long n_calls = counts.at(cc.call);
            if (!cc.maybe_unused && (method == "stored" || std::string(cc.call) != "pwrite")) {
                EXPECT_GT(n_calls, 0) << cc.call << " never called";
            }
            for (long nth = 1; nth <= n_calls; ++nth) {
                SCOPED_TRACE(method + ": " + cc.call + " #" + std::to_string(nth) + " fails with " +
                             std::strerror(cc.err));
                const exit_info r = write_gen(next, method, {"fail", cc.call, nth, cc.err}, rep);
                ASSERT_EQ(rep["injected"], 1) << "the fault was not made: " << r.describe();
                ++injected[cc.call];
                ASSERT_TRUE(r.exited) << "crashed: " << r.describe();
                EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << r.err;
                EXPECT_TRUE(temp_files(work_, "snap.npz").empty()) << "temp file left behind";
                const std::int64_t now = current_generation();
                if (cc.ignored) {
                    EXPECT_EQ(r.code, 0) << r.describe();
                }
                if (r.code == 0) {
                    // Only a close whose result cannot matter any more (the directory's, after
                    // its fsync succeeded) may be ignored, and the calls whose failure only
                    // costs a sweep or randomness; the new snapshot is then complete.
                    EXPECT_TRUE(cc.ignored || std::string(cc.call) == "close")
                        << "a failed " << cc.call << " went unnoticed";
                    EXPECT_EQ(now, next);
                    ++tolerated[cc.call];
                } else {
                    ASSERT_EQ(r.code, 1) << r.describe();
                    EXPECT_TRUE(one_line(r.err)) << r.err;
                    EXPECT_TRUE(r.err.starts_with("crash_writer: ")) << r.err;
                    EXPECT_TRUE(names_operation(r.err, cc.ops, std::strerror(cc.err))) << r.err;
                    EXPECT_NE(r.err.find("[io_error]"), std::string::npos) << r.err;
                    const bool after_rename = r.err.find(" directory: ") != std::string::npos;
                    // The snapshot's path (or, for the directory steps, its directory's).
                    EXPECT_NE(
                        r.err.find(after_rename ? work_.string() + ": " : target_.string() + ": "),
                        std::string::npos)
                        << "no path in: " << r.err;
                    // Before the rename the old snapshot stays; after it, the new one is complete.
                    EXPECT_EQ(now, after_rename ? next : prev) << r.err;
                }
                if (now == next) prev = next++;
            }
        }
        std::string line;
        for (const auto& [call, n] : injected) {
            line += " " + call + "=" + std::to_string(n);
            if (tolerated.count(call) != 0)
                line += " (" + std::to_string(tolerated[call]) + " harmless)";
            RecordProperty("faults_" + method + "_" + call, n);
        }
        std::printf("[fault_injection] %s writer, faults injected per call site:%s\n",
                    method.c_str(), line.c_str());
    }
};

TEST_P(writer_faults, every_call_site_fails_cleanly) { run(); }

INSTANTIATE_TEST_SUITE_P(method, writer_faults, ::testing::Values("stored", "deflate"));

TEST_F(fault_injection, reader_open_and_mmap_failures_are_clear_errors) {
    shim_report rep;
    ASSERT_TRUE(write_gen(1, "stored", {}, rep).exited);
    ASSERT_EQ(current_generation(), 1);
    const std::vector<std::string> reader = {COLSNAP_CRASH_WRITER, "read", target_.string()};
    const exit_info counted = run_with_shim(reader, work_, {}, report_, rep);
    ASSERT_TRUE(counted.exited && counted.code == 0) << counted.describe();
    EXPECT_EQ(counted.out, "1 " + expected(1).hex() + "\n");
    ASSERT_EQ(rep["open"], 1);
    ASSERT_EQ(rep["mmap"], 1);
    struct reader_case {
        const char* call;
        int err;
        const char* op;
    };
    for (const reader_case& rc :
         {reader_case{"open", EMFILE, "open: "}, reader_case{"fstat", EIO, "fstat: "},
          reader_case{"mmap", ENOMEM, "mmap: "}}) {
        SCOPED_TRACE(std::string(rc.call) + " fails");
        const exit_info r =
            run_with_shim(reader, work_, {"fail", rc.call, 1, rc.err}, report_, rep);
        ASSERT_EQ(rep["injected"], 1);
        ASSERT_TRUE(r.exited && r.code == 1) << r.describe();
        EXPECT_TRUE(one_line(r.err)) << r.err;
        EXPECT_NE(r.err.find(target_.string() + ": "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(std::string(rc.op) + std::strerror(rc.err)), std::string::npos)
            << r.err;
        EXPECT_NE(r.err.find("[io_error]"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << r.err;
        RecordProperty(std::string("faults_reader_") + rc.call, 1);
    }
    EXPECT_EQ(current_generation(), 1); // reading never changes the file
#ifdef COLSNAP_CLI
    // The CLI's verify reads with pread (file_access::read): each of its calls fails cleanly.
    const std::vector<std::string> verify = {COLSNAP_CLI, "verify", target_.string()};
    ASSERT_TRUE(run_with_shim(verify, work_, {}, report_, rep).code == 0);
    const shim_report counts = rep;
    ASSERT_GE(counts.at("pread"), 2); // 5.2 MB in 4 MiB chunks
    ASSERT_EQ(counts.at("fstat"), 2); // at open, and after the last chunk
    for (const reader_case& rc :
         {reader_case{"open", EMFILE, "open: "}, reader_case{"fstat", EIO, "fstat: "},
          reader_case{"pread", EIO, "read: "}}) {
        for (long nth = 1; nth <= counts.at(rc.call); ++nth) {
            SCOPED_TRACE("colsnap verify: " + std::string(rc.call) + " #" + std::to_string(nth) +
                         " fails");
            const exit_info r =
                run_with_shim(verify, work_, {"fail", rc.call, nth, rc.err}, report_, rep);
            ASSERT_EQ(rep["injected"], 1);
            ASSERT_TRUE(r.exited && r.code == 1) << r.describe();
            EXPECT_TRUE(one_line(r.err)) << r.err;
            EXPECT_TRUE(r.err.starts_with("colsnap: " + target_.string() + ": ")) << r.err;
            EXPECT_NE(r.err.find(std::string(rc.op) + std::strerror(rc.err)), std::string::npos)
                << r.err;
        }
    }
#endif
}

// A dead writer's temp, for the sweep to find: named with the pid of a child already reaped.
std::filesystem::path plant_stale_temp(const std::filesystem::path& dir, const std::string& name) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const auto p = dir / ("." + name + ".colsnap-tmp." + std::to_string(pid) + ".1");
    std::ofstream(p) << "partial";
    return p;
}

// The sweep is best effort: when it fails, the write goes on and the stale temp waits for the
// next writer.
TEST_F(fault_injection, a_failing_stale_temp_sweep_keeps_the_temp_not_the_write) {
    shim_report rep;
    ASSERT_TRUE(write_gen(1, "stored", {}, rep).exited);
    const auto stale = plant_stale_temp(work_, "snap.npz");
    ASSERT_EQ(write_gen(2, "stored", {}, rep).code, 0);
    EXPECT_EQ(rep["unlinkat"], 1);
    EXPECT_FALSE(std::filesystem::exists(stale));
    std::int64_t g = 3;
    for (const call_case& cc : {call_case{"opendir", EMFILE, {}}, call_case{"readdir", EIO, {}},
                                call_case{"unlinkat", EBUSY, {}}}) {
        SCOPED_TRACE(cc.call);
        const auto again = plant_stale_temp(work_, "snap.npz");
        const exit_info r = write_gen(g, "stored", {"fail", cc.call, 1, cc.err}, rep);
        ASSERT_EQ(rep["injected"], 1);
        ASSERT_TRUE(r.exited && r.code == 0) << r.describe();
        EXPECT_EQ(current_generation(), g++);
        EXPECT_TRUE(std::filesystem::exists(again)) << "removed although the sweep failed";
        ASSERT_EQ(write_gen(g, "stored", {}, rep).code, 0);
        EXPECT_EQ(current_generation(), g++);
        EXPECT_FALSE(std::filesystem::exists(again)) << "the next writer did not remove it";
    }
}

// abort() cannot report: when its unlink fails, the temp stays, named with this (soon dead)
// process's pid, and the next writer of the same target removes it. The snapshot is untouched.
TEST_F(fault_injection, a_failed_unlink_in_abort_leaves_the_temp_for_the_next_writer) {
    shim_report rep;
    ASSERT_TRUE(write_gen(1, "stored", {}, rep).exited);
    const std::vector<std::string> aborter = {COLSNAP_CRASH_WRITER, "abort", target_.string(), "2",
                                              std::to_string(rows)};
    ASSERT_EQ(run_with_shim(aborter, work_, {}, report_, rep).code, 0);
    EXPECT_EQ(rep["unlink"], 1);
    EXPECT_TRUE(temp_files(work_, "snap.npz").empty());
    const exit_info r = run_with_shim(aborter, work_, {"fail", "unlink", 1, EIO}, report_, rep);
    ASSERT_EQ(rep["injected"], 1);
    ASSERT_TRUE(r.exited && r.code == 0) << r.describe();
    EXPECT_EQ(temp_files(work_, "snap.npz").size(), 1u);
    EXPECT_EQ(current_generation(), 1);
    ASSERT_EQ(write_gen(3, "stored", {}, rep).code, 0);
    EXPECT_TRUE(temp_files(work_, "snap.npz").empty());
    EXPECT_EQ(current_generation(), 3);
}

class short_writes : public fault_injection,
                     public ::testing::WithParamInterface<std::tuple<std::string, std::string>> {};

TEST_P(short_writes, still_produce_a_correct_file) {
    const auto& [mode, method] = GetParam();
    shim_report rep;
    ASSERT_TRUE(write_gen(1, method, {}, rep).exited);
    const exit_info r = write_gen(2, method, {mode, "", 0, 0}, rep);
    ASSERT_TRUE(r.exited && r.code == 0) << r.describe();
    if (mode.find("short") != std::string::npos) {
        EXPECT_GT(rep["short"], 0);
    }
    if (mode.find("eintr") != std::string::npos) {
        EXPECT_GT(rep["eintr"], 0);
    }
    EXPECT_EQ(current_generation(), 2);
    EXPECT_TRUE(temp_files(work_, "snap.npz").empty());
    std::printf(
        "[fault_injection] %s, %s: %ld writes, %ld pwrites, %ld short, %ld EINTR -> correct file\n",
        mode.c_str(), method.c_str(), rep["write"], rep["pwrite"], rep["short"], rep["eintr"]);
}

INSTANTIATE_TEST_SUITE_P(modes, short_writes,
                         ::testing::Combine(::testing::Values("short", "eintr", "short+eintr"),
                                            ::testing::Values("stored", "deflate")));

} // namespace
} // namespace colsnap_crash
