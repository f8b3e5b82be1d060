// ecosim's background snapshots: the same files as --blocking ones (so the same hashes), for
// run and resume; and SIGTERM in a run that snapshots every tick leaves only whole snapshots,
// every one that was announced among them.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <test_process.hpp>

using namespace cli_test;

namespace {

namespace fs = std::filesystem;

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// The snapshots among @p names (the rest are the log segments beside them, log_*.npz).
std::vector<std::string> snapshots_in(const std::vector<std::string>& names) {
    std::vector<std::string> ticks;
    for (const std::string& n : names)
        if (n.rfind("tick_", 0) == 0) ticks.push_back(n);
    return ticks;
}

/// Every file of @p a and @p b, same names, same bytes.
void expect_same_files(const fs::path& a, const fs::path& b) {
    ASSERT_EQ(names_in(a), names_in(b));
    for (const std::string& n : names_in(a))
        EXPECT_EQ(test_common::read_file(a / n), test_common::read_file(b / n)) << n;
}

/// run, then resume from tick 8, in the background and with --blocking, snapshotting every
/// @p every tick with @p extra: every file (snapshots and the log segments they reference, which
/// the background writer writes as one job) is the same, byte for byte.
void expect_background_writes_what_blocking_writes(const std::string& every,
                                                   const std::vector<std::string>& extra) {
    temp_dir dir;
    for (const std::string mode : {"bg", "blocking"}) {
        const auto with_mode = [&](std::vector<std::string> args) {
            if (mode == "blocking") args.push_back("--blocking");
            args.insert(args.end(), extra.begin(), extra.end());
            return args;
        };
        const run_result r =
            run_ecosim(with_mode({"run", "--creatures", "2000", "--ticks", "12", "--snapshot-every",
                                  every, "--out", (dir / mode).string(), "-q"}));
        ASSERT_EQ(r.code, 0) << r.err;
        const run_result rr = run_ecosim(with_mode(
            {"resume", (dir / mode / "tick_000008.npz").string(), "--ticks", "20",
             "--snapshot-every", every, "--out", (dir / (mode + "_resumed")).string(), "-q"}));
        ASSERT_EQ(rr.code, 0) << rr.err;
    }
    expect_same_files(dir / "bg", dir / "blocking");
    expect_same_files(dir / "bg_resumed", dir / "blocking_resumed");
    EXPECT_EQ(snapshots_in(names_in(dir / "bg")).size(), 12 / std::stoul(every) + 1);
    EXPECT_GT(names_in(dir / "bg").size(), snapshots_in(names_in(dir / "bg")).size()); // segments
    const run_result a = run_ecosim({"hash", (dir / "bg" / "tick_000012.npz").string()});
    const run_result b = run_ecosim({"hash", (dir / "blocking" / "tick_000012.npz").string()});
    ASSERT_EQ(a.code, 0) << a.err;
    EXPECT_EQ(words(a.out).at(0), words(b.out).at(0));
}

} // namespace

TEST(ecosim_background, run_and_resume_write_what_blocking_writes) {
    expect_background_writes_what_blocking_writes("4", {});
}

TEST(ecosim_background, a_segment_every_tick_deflated_is_what_blocking_writes) {
    expect_background_writes_what_blocking_writes("1", {"--compress"});
}

#ifdef ECOSIM_CLI_PATH
TEST(ecosim_background, sigterm_finishes_the_snapshot_in_flight) {
    temp_dir dir;
    const fs::path out = dir / "s";
    // A run long enough to be killed in the middle, snapshotting every tick; SIGTERM once its
    // third snapshot is announced (polling the file, no timing).
    const std::string cmd = "cd " + test_common::quote(dir.path()) + " && : >stdout && (" +
                            test_common::quote(std::string(ECOSIM_CLI_PATH)) +
                            " run --creatures 20000 --ticks 1000000 --snapshot-every 1 -q --out " +
                            test_common::quote(out) +
                            " >>stdout 2>stderr & pid=$!; "
                            "until [ $(wc -l <stdout) -ge 3 ]; do "
                            "sleep 0.05; done; kill -TERM $pid; wait $pid; echo $?)";
    const test_common::command_result r = test_common::run_command(cmd);
    ASSERT_EQ(r.out, "143\n"); // 128 + SIGTERM, after the writer's thread has finished
    std::ifstream err(dir / "stderr");
    std::stringstream e;
    e << err.rdbuf();
    EXPECT_TRUE(one_error_line(e.str(), "ecosim")) << e.str();
    EXPECT_NE(e.str().find("SIGTERM"), std::string::npos) << e.str();
    // Every snapshot announced on stdout is on disk; every file there is a whole snapshot (one
    // staged but not yet announced when the signal came is finished too), with its log segments;
    // no temp file is left.
    std::ifstream so(dir / "stdout");
    std::vector<std::string> announced;
    for (std::string line; std::getline(so, line);) {
        ASSERT_EQ(line.rfind("snapshot tick ", 0), 0u) << line;
        announced.push_back(fs::path(line.substr(line.find("-> ") + 3)).filename().string());
    }
    ASSERT_GE(announced.size(), 3u);
    const std::vector<std::string> on_disk = names_in(out);
    for (const std::string& n : announced)
        EXPECT_TRUE(std::binary_search(on_disk.begin(), on_disk.end(), n)) << n;
    for (const std::string& n : on_disk) EXPECT_EQ(n.find("colsnap-tmp"), std::string::npos) << n;
    const std::vector<std::string> snapshots = snapshots_in(on_disk);
    EXPECT_LE(snapshots.size(), announced.size() + 1);
    for (const std::string& n : snapshots) { // loading one checks the segments it references
        const run_result h = run_ecosim({"hash", (out / n).string()});
        EXPECT_EQ(h.code, 0) << n << ": " << h.err;
    }
}
#endif
