// The ecosim tool's command line: --version, numbers that do not parse, the help's pointer to
// the world's rules, a missing command, names with control characters, an --out that cannot
// be created, and `ecosim plot`: one line and exit 1 on every error (the script's own failures
// relayed), the script found beside the binary both in the build tree and installed; the log
// segments: numpy joins them, `ecosim segments` lists them, `ecosim resume` refuses a bad one.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace cli_test;

namespace {

bool have_matplotlib() {
    static const bool yes =
        have_numpy() && python("import matplotlib\n", std::vector<std::string>{}).code == 0;
    return yes;
}

/// A small ecosim snapshot at tick 3.
std::filesystem::path small_snapshot(const temp_dir& dir) {
    const run_result r = run_ecosim(
        {"run", "--creatures", "200", "--ticks", "3", "--out", (dir / "s").string(), "-q"});
    EXPECT_EQ(r.code, 0) << r.err;
    return dir / "s" / "tick_000003.npz";
}

/// An .npz with one member "x": valid, but not an ecosim snapshot.
std::filesystem::path other_npz(const temp_dir& dir) {
    const auto other = dir / "other.npz";
    const std::vector<std::int32_t> x{1, 2, 3};
    colsnap::save_npz(other,
                      std::vector<colsnap::column_ref>{colsnap::column<std::int32_t>("x", x)});
    return other;
}

/// An .npz with every member the plot reads, the population series as given.
std::filesystem::path plot_members(const temp_dir& dir, const std::string& name,
                                   const std::vector<std::uint32_t>& ticks,
                                   const std::vector<std::uint32_t>& creatures) {
    const auto path = dir / name;
    const std::vector<std::uint32_t> one{1};
    colsnap::npz_writer w(path);
    w.add(colsnap::column<std::uint32_t>("population/tick", ticks));
    w.add(colsnap::column<std::uint32_t>("population/t", ticks));
    w.add(colsnap::column<std::uint32_t>("population/creatures", creatures));
    w.add(colsnap::column<std::uint32_t>("population/food", ticks));
    for (const char* m :
         {"config/initial_creatures", "config/seed", "config/world_size", "born/t", "dead/t"})
        w.add(colsnap::column<std::uint32_t>(m, one));
    w.commit();
    return path;
}

} // namespace

TEST(ecosim_cli, version_prints_the_project_version) {
    for (const auto& run : {run_ecosim({"--version"}), run_colsnap({"--version"})}) {
        EXPECT_EQ(run.code, 0) << run.err;
        EXPECT_EQ(lines(run.out).size(), 1u) << run.out;
        EXPECT_TRUE(run.out.ends_with(" " COLSNAP_PROJECT_VERSION "\n")) << run.out;
    }
    EXPECT_TRUE(run_ecosim({"--version"}).out.starts_with("ecosim "));
}

TEST(ecosim_cli, bad_numbers_say_what_was_expected_and_what_was_given) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"run", "--creatures", "abc", "--ticks", "3"},
         "--creatures: expected a whole number, from 1 to 100000000; got 'abc'"},
        {{"run", "--creatures", "-5", "--ticks", "3"}, "got '-5'"},
        {{"run", "--creatures", "0", "--ticks", "3"}, "got '0'"},
        {{"run", "--creatures", "100", "--ticks", "1e3"},
         "--ticks: expected a whole number, 0 or more; got '1e3'"},
        {{"run", "--creatures", "100", "--ticks", "3", "--seed", "x"}, "--seed: expected"},
        {{"run", "--creatures", "100", "--ticks", "3", "--hash-every", "0"},
         "--hash-every: expected a whole number, 1 or more; got '0'"},
    };
    for (const auto& [args, message] : cases) {
        SCOPED_TRACE(message);
        const run_result r = run_ecosim(args);
        EXPECT_EQ(r.code, 2) << r.err;
        EXPECT_TRUE(one_error_line(r.err, "ecosim")) << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
        EXPECT_LT(r.err.size(), 160u) << r.err;
    }
}

TEST(ecosim_cli, help_points_to_the_world_rules_in_the_project) {
    const run_result r = run_ecosim({"--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("docs/WORLD.md"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("../shared"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("SPEC.md"), std::string::npos) << r.out;
}

TEST(ecosim_cli, plot_errors_are_one_line_and_exit_1) {
    temp_dir dir;
    const auto snap = small_snapshot(dir);
    const auto other = other_npz(dir);
    const auto empty = plot_members(dir, "empty.npz", {}, {});
    const auto uneven = plot_members(dir, "uneven.npz", {0, 1, 2}, {5, 6});
    write_text(dir / "junk.npz", "not a zip");
    const std::string png = (dir / "p.png").string();
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"plot", (dir / "missing.npz").string(), "-o", png}, "missing.npz"},
        {{"plot", (dir / "junk.npz").string(), "-o", png}, "junk.npz"},
        {{"plot", other.string(), "-o", png},
         other.string() + ": not an ecosim snapshot (no member population/tick)"},
        {{"plot", empty.string(), "-o", png}, empty.string() + ": member population/tick is empty"},
        {{"plot", uneven.string(), "-o", png},
         uneven.string() + ": member population/creatures has 2 values, population/tick has 3"},
        {{"plot", snap.string(), "-o", (dir / "p.txt").string()}, "ending in .png"},
        {{"plot", snap.string(), "-o", (dir / "no" / "such" / "dir.png").string()},
         "does not exist"},
        {{"plot", snap.string(), "-o", (dir / "s").string() + "/"}, "ending in .png"},
        {{"plot", snap.string(), "-o", (snap / "x.png").string()}, "does not exist"},
    };
    for (const auto& [args, message] : cases) {
        SCOPED_TRACE(args[1] + " -o " + args[3]);
        const run_result r = run_ecosim(args);
        EXPECT_EQ(r.code, 1) << r.err;
        EXPECT_TRUE(one_error_line(r.err, "ecosim")) << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("Traceback"), std::string::npos) << r.err;
    }
    EXPECT_FALSE(std::filesystem::exists(png));
    EXPECT_FALSE(std::filesystem::exists(dir / "p.txt"));
}

// A newline in a file name does not split the error: the name is escaped, in both tools
// (colsnap::error::what() escapes the names it holds as \xNN).
TEST(ecosim_cli, errors_stay_one_line_with_a_newline_in_the_name) {
    temp_dir dir;
    const std::string name = (dir / "x\ny.npz").string();
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"plot", name, "-o", (dir / "p.png").string()},
                                               {"hash", name},
                                               {"resume", name, "--ticks", "5"}}) {
        SCOPED_TRACE(args[0]);
        const run_result r = run_ecosim(args);
        EXPECT_EQ(r.code, 1) << r.err;
        EXPECT_TRUE(one_error_line(r.err, "ecosim")) << r.err;
        EXPECT_NE(r.err.find("x\\x0ay.npz"), std::string::npos) << r.err;
    }
}

// No command, or an unknown one: the same words as colsnap's, with the list of commands.
TEST(ecosim_cli, a_missing_or_unknown_command_is_named_as_colsnap_does) {
    run_result r = run_ecosim({});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err,
              "ecosim: usage: no command given (commands: run, resume, hash, plot, segments) "
              "(see ecosim --help)\n");
    r = run_ecosim({"frob"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err,
              "ecosim: usage: unknown command 'frob' (commands: run, resume, hash, plot, segments) "
              "(see ecosim --help)\n");
    r = run_colsnap({});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "colsnap: usage: no command given (commands: ls, verify, copy, cat, hash, "
                     "diff) (see colsnap --help)\n");
}

// --out that cannot be created: one line naming the option, the directory and the OS reason.
TEST(ecosim_cli, an_out_dir_that_cannot_be_created_is_one_line) {
    temp_dir dir;
    write_text(dir / "file.txt", "x");
    for (const std::string& out :
         {(dir / "file.txt" / "snaps").string(), std::string("/proc/nope")}) {
        SCOPED_TRACE(out);
        const run_result r =
            run_ecosim({"run", "--creatures", "100", "--ticks", "1", "--out", out, "-q"});
        EXPECT_EQ(r.code, 1) << r.err;
        EXPECT_TRUE(one_error_line(r.err, "ecosim")) << r.err;
        EXPECT_TRUE(r.err.starts_with("ecosim: error: --out " + out + ": cannot create: "))
            << r.err;
        EXPECT_EQ(r.err.find("filesystem error"), std::string::npos) << r.err;
    }
}

// A directory that exists but cannot be written: one line and exit 1, whichever side finds it
// (the check before python as a user; the script's write as root, whom /proc/self refuses
// although access() lets root pass).
TEST(ecosim_cli, plot_into_an_unwritable_directory_is_one_line) {
    if (!have_matplotlib()) GTEST_SKIP() << "matplotlib not available";
    temp_dir dir;
    const auto snap = small_snapshot(dir);
    const std::string out = "/proc/self/pop.png";
    const run_result r = run_ecosim({"plot", snap.string(), "-o", out});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_TRUE(one_error_line(r.err, "ecosim")) << r.err;
    EXPECT_NE(r.err.find(out), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("Traceback"), std::string::npos) << r.err;
}

// A failure inside the script reaches the user as its last stderr line, after the snapshot's
// path (here a stand-in script, ECOSIM_PLOT_SCRIPT, that prints a traceback and fails).
TEST(ecosim_cli, plot_relays_the_scripts_last_line_after_the_snapshot) {
    temp_dir dir;
    const auto snap = small_snapshot(dir);
    const auto script = dir / "fails.py";
    write_text(script, "import sys\n"
                       "print('Traceback (most recent call last):', file=sys.stderr)\n"
                       "print('  File \"x\", line 1', file=sys.stderr)\n"
                       "print('fails.py: the last line', file=sys.stderr)\n"
                       "sys.exit(1)\n");
    const run_result r =
        run_program({"/usr/bin/env", "ECOSIM_PLOT_SCRIPT=" + script.string(), ECOSIM_CLI_PATH,
                     "plot", snap.string(), "-o", (dir / "p.png").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(r.err, "ecosim: error: " + snap.string() + ": fails.py: the last line\n");
}

// The script run alone is one line on failure too: its own.
TEST(ecosim_cli, plot_script_failures_are_one_line) {
    if (!have_matplotlib()) GTEST_SKIP() << "matplotlib not available";
    temp_dir dir;
    const auto snap = small_snapshot(dir);
    const auto script = std::filesystem::path(ECOSIM_CLI_PATH).parent_path() / ".." / "share" /
                        "colsnap" / "plot_population.py";
    ASSERT_TRUE(std::filesystem::exists(script)) << "copied beside the build tree's binary";
    const auto other = other_npz(dir);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {other.string(), "-o", (dir / "a.png").string()},
             {(dir / "missing.npz").string()},
             {snap.string(), "-o", (dir / "nodir" / "a.png").string()},
             {snap.string(), "-o", (dir / "a.txt").string()}}) {
        SCOPED_TRACE(args[0]);
        std::vector<std::string> argv{script.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        // the script as its own program: argv[0] is the script, then its arguments
        const run_result r = python("import runpy\nsys.argv = sys.argv[1:]\n"
                                    "runpy.run_path(sys.argv[0], run_name='__main__')\n",
                                    argv);
        EXPECT_EQ(r.code, 1) << r.err;
        EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
        EXPECT_TRUE(r.err.starts_with("plot_population.py: ")) << r.err;
    }
}

TEST(ecosim_cli, plot_writes_the_png_from_the_build_tree) {
    if (!have_matplotlib()) GTEST_SKIP() << "matplotlib not available";
    temp_dir dir;
    const auto snap = small_snapshot(dir);
    const run_result r = run_ecosim({"plot", snap.string(), "-o", (dir / "pop.png").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(read_text(dir / "pop.png").starts_with("\x89PNG")) << r.out << r.err;
}

// `cmake --install` puts the script in share/colsnap/ and the installed binary finds it there,
// relative to itself (no path into the source or build tree is compiled in); WORLD.md, which
// the help names, is installed with it. To tell which script ran, the prefix is then moved and
// its script replaced by a stand-in that fails with its own line: a binary that ran the source
// or build tree's script would plot and exit 0.
TEST(ecosim_cli, the_installed_binary_finds_the_installed_script) {
    if (!have_matplotlib()) GTEST_SKIP() << "matplotlib not available";
    temp_dir dir;
    const auto prefix = dir / "prefix";
    const run_result installed = run_program(
        {COLSNAP_CMAKE_COMMAND, "--install", COLSNAP_BUILD_DIR, "--prefix", prefix.string()});
    ASSERT_EQ(installed.code, 0) << installed.out << installed.err;
    ASSERT_TRUE(std::filesystem::exists(prefix / "share" / "colsnap" / "plot_population.py"));
    EXPECT_TRUE(std::filesystem::exists(prefix / "share" / "doc" / "colsnap" / "WORLD.md"))
        << "ecosim --help points there";
    const auto snap = small_snapshot(dir);
    const run_result r = run_program({(prefix / "bin" / "ecosim").string(), "plot", snap.string(),
                                      "-o", (dir / "pop.png").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(read_text(dir / "pop.png").starts_with("\x89PNG"));

    const auto moved = dir / "moved";
    std::filesystem::rename(prefix, moved);
    write_text(moved / "share" / "colsnap" / "plot_population.py",
               "import sys\nprint('the installed stand-in ran', file=sys.stderr)\nsys.exit(1)\n");
    const run_result stand_in = run_program({"/usr/bin/env", "-u", "ECOSIM_PLOT_SCRIPT",
                                             (moved / "bin" / "ecosim").string(), "plot",
                                             snap.string(), "-o", (dir / "again.png").string()});
    EXPECT_EQ(stand_in.code, 1) << stand_in.err;
    EXPECT_EQ(stand_in.err, "ecosim: error: " + snap.string() + ": the installed stand-in ran\n");
    EXPECT_FALSE(std::filesystem::exists(dir / "again.png"));
}

// A snapshot whose config spawns far more food than is eaten, with spawner rates that agree
// with it, passes every check: such a world may legitimately outgrow the machine. When it does,
// the tool says so in one line (tick, table sizes), not "std::bad_alloc". Under an address-space
// cap; not under ASan, whose shadow memory needs far more address space than the cap.
TEST(ecosim_cli, a_world_that_outgrows_memory_is_one_line_naming_the_tick) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "ASan reserves more address space than the cap allows";
#endif
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    const auto snap = small_snapshot(dir);
    const auto greedy = snap.parent_path() / "greedy.npz"; // beside the log segments
    // the most food per unit^2 a second that check_config allows (2^24 a tick, less 10 %), and
    // the spawner rates make_spawners computes from it (float32, (rate x width) x height)
    const run_result py =
        run_program({test_common::python, "-c",
                     "import sys, numpy as np\n"
                     "z = dict(np.load(sys.argv[1]))\n"
                     "side = np.float32(z['config/world_size']); dt = float(z['config/dt'])\n"
                     "fpa = np.float32(0.9 * 2**24 / (float(side) ** 2 * dt))\n"
                     "z['config/food_per_area_per_second'] = np.array(fpa, dtype=np.float32)\n"
                     "r = z['food_spawner/region']\n"
                     "z['food_spawner/rate'] = (fpa * (r[:, 2] - r[:, 0])) * (r[:, 3] - r[:, 1])\n"
                     "np.savez(sys.argv[2], **z)\n",
                     snap.string(), greedy.string()});
    ASSERT_EQ(py.code, 0) << py.err;
    const run_result r =
        run_program({"/bin/sh", "-c", "ulimit -v 2000000; exec \"$0\" resume \"$1\" --ticks 100 -q",
                     ECOSIM_CLI_PATH, greedy.string()});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_TRUE(one_error_line(r.err, "ecosim")) << r.err;
    EXPECT_NE(r.err.find("out of memory with "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(": tick "), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("bad_alloc"), std::string::npos) << r.err;
}

// docs/FORMAT.md "Logs as segments": numpy reads a run's whole log with the documented line
// (segments in name order), or with the segments `ecosim segments` lists (any directory, rewinds
// included); `ecosim resume` refuses a missing or truncated segment in one line naming it.
namespace {

/// A run of 200 creatures to tick 60 with a snapshot every 20 ticks, in DIR/run.
std::filesystem::path run_with_segments(const temp_dir& dir) {
    const auto out = dir / "run";
    const run_result r = run_ecosim({"run", "--creatures", "300", "--ticks", "60",
                                     "--snapshot-every", "20", "--out", out.string(), "-q"});
    EXPECT_EQ(r.code, 0) << r.err;
    return out;
}

/// Checks, in numpy, that the eaten log of `files` (a whitespace-separated list) is the snapshot's
/// whole log: meta/eaten_rows rows, times not decreasing, population one row per tick.
constexpr const char* check_joined_log = R"(
import glob
snap, files = sys.argv[1], sys.argv[2].split()
eaten_t = np.concatenate([np.load(f)["eaten/t"] for f in files])
ticks = np.concatenate([np.load(f)["population/tick"] for f in files])
z = np.load(snap)
assert len(eaten_t) == int(z["meta/eaten_rows"]) > 0, (len(eaten_t), int(z["meta/eaten_rows"]))
assert (np.diff(eaten_t) >= 0).all(), "eaten/t decreases"
assert (ticks == np.arange(int(z["meta/tick"]) + 1)).all(), ticks
print(len(files), "segments", len(eaten_t), "eaten rows")
)";

} // namespace

TEST(ecosim_cli, numpy_reads_the_whole_log_with_the_documented_line) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const auto out = run_with_segments(dir);
    const auto snap = (out / "tick_000060.npz").string();
    // the one-liner of FORMAT.md, as written there
    const run_result one =
        python("import glob\n"
               "eaten_t = np.concatenate([np.load(f)[\"eaten/t\"] for f in "
               "sorted(glob.glob(sys.argv[1] + \"/log_*.npz\"))])\n"
               "assert len(eaten_t) == int(np.load(sys.argv[2])[\"meta/eaten_rows\"])\n",
               std::vector<std::string>{out.string(), snap});
    EXPECT_EQ(one.code, 0) << one.err;
    // ecosim segments lists the same files, root first
    const run_result seg = run_ecosim({"segments", snap});
    ASSERT_EQ(seg.code, 0) << seg.err;
    EXPECT_EQ(std::count(seg.out.begin(), seg.out.end(), '\n'), 4); // ticks 0, 20, 40, 60
    const run_result r = python(check_joined_log, std::vector<std::string>{snap, seg.out});
    EXPECT_EQ(r.code, 0) << r.err;
}

TEST(ecosim_cli, after_a_rewind_ecosim_segments_still_lists_one_history) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const auto out = run_with_segments(dir);
    // rewind to 20 with another interval: segments of 30 and 45 end where none did
    const run_result rw = run_ecosim({"resume", (out / "tick_000020.npz").string(), "--ticks", "50",
                                      "--snapshot-every", "15", "--out", out.string(), "-q"});
    ASSERT_EQ(rw.code, 0) << rw.err;
    for (const char* t : {"tick_000060.npz", "tick_000050.npz"}) {
        SCOPED_TRACE(t);
        const auto snap = (out / t).string();
        const run_result seg = run_ecosim({"segments", snap});
        ASSERT_EQ(seg.code, 0) << seg.err;
        const run_result r = python(check_joined_log, std::vector<std::string>{snap, seg.out});
        EXPECT_EQ(r.code, 0) << r.err;
    }
}

TEST(ecosim_cli, resume_refuses_a_missing_or_truncated_segment_in_one_line) {
    temp_dir dir;
    const auto out = run_with_segments(dir);
    const run_result seg = run_ecosim({"segments", (out / "tick_000060.npz").string()});
    ASSERT_EQ(seg.code, 0) << seg.err;
    std::vector<std::string> files;
    for (std::size_t a = 0, b; (b = seg.out.find('\n', a)) != std::string::npos; a = b + 1)
        files.push_back(seg.out.substr(a, b - a));
    ASSERT_EQ(files.size(), 4u);
    const std::string second = files[1], bytes = read_text(second);
    for (const bool truncate : {true, false}) {
        SCOPED_TRACE(truncate ? "truncated" : "missing");
        if (truncate) write_text(second, bytes.substr(0, bytes.size() / 2));
        else std::filesystem::remove(second);
        const run_result r = run_ecosim({"resume", (out / "tick_000060.npz").string(), "--ticks",
                                         "80", "--out", (dir / "next").string(), "-q"});
        EXPECT_EQ(r.code, 1) << r.err;
        EXPECT_TRUE(one_error_line(r.err, "ecosim")) << r.err;
        EXPECT_NE(r.err.find(std::filesystem::path(second).filename().string()), std::string::npos)
            << r.err;
        EXPECT_FALSE(std::filesystem::exists(dir / "next" / "tick_000080.npz"));
    }
}
