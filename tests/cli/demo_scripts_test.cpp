// The demo's scripts: demo-exhibit removes only the scratch directory it made (also when the
// exhibit fails), and demo-world reports the checks it ran with the ticks it used, so that
// scripts/demo's summary says what actually ran. Both run on small stand-ins, not the 1 M-row
// demo.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace cli_test;

namespace {

const std::filesystem::path scripts = std::filesystem::path(COLSNAP_SOURCE_DIR) / "scripts";

} // namespace

// A stand-in exhibit writes into its --dir and fails: the scratch directory it was given is a
// new one under COLSNAP_EXHIBIT_DIR, removed on the way out; what was there before stays.
TEST(demo_scripts, demo_exhibit_removes_only_its_own_scratch_dir_even_on_failure) {
    temp_dir dir;
    const auto base = dir / "base";
    std::filesystem::create_directories(base);
    write_text(base / "precious", "not the exhibit's");
    const auto bin = dir / "bin";
    std::filesystem::create_directories(bin);
    write_text(bin / "colsnap-exhibit",
               "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = --dir ] && d=$2; shift; done\n"
               "echo x > \"$d/way.npz\"; echo \"$d\" > \"$(dirname \"$0\")/used\"; exit 3\n");
    std::filesystem::permissions(bin / "colsnap-exhibit", std::filesystem::perms::owner_all);
    const run_result r = run_program(
        {"/usr/bin/env", "COLSNAP_EXHIBIT_DIR=" + base.string(), "COLSNAP_EXHIBIT_KEEP=0", "bash",
         (scripts / "demo-exhibit").string(), bin.string(), (dir / "out").string()});
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    const std::string used = lines(read_text(bin / "used")).at(0);
    EXPECT_EQ(std::filesystem::path(used).parent_path(), base) << used;
    EXPECT_NE(used, base.string());
    EXPECT_FALSE(std::filesystem::exists(used)) << used;
    EXPECT_EQ(read_text(base / "precious"), "not the exhibit's");
    EXPECT_NE(r.out.find("removed the exhibit's scratch files"), std::string::npos) << r.out;
}

// demo-world at ECOSIM_DEMO_TICKS=6, ECOSIM_DEMO_RESUME_AT=3 reports those ticks and the
// snapshot sizes; without a colsnap binary beside ecosim it does not claim the colsnap-hash check.
TEST(demo_scripts, demo_world_reports_the_checks_it_ran) {
    if (!have_numpy() || python("import matplotlib\n", std::vector<std::string>{}).code != 0)
        GTEST_SKIP() << "matplotlib not available";
    temp_dir dir;
    for (const bool with_colsnap : {false, true}) {
        SCOPED_TRACE(with_colsnap ? "with colsnap" : "without colsnap");
        const auto bin = dir / (with_colsnap ? "bin2" : "bin1");
        std::filesystem::create_directories(bin);
        std::filesystem::create_symlink(ECOSIM_CLI_PATH, bin / "ecosim");
        if (with_colsnap) std::filesystem::create_symlink(COLSNAP_CLI_PATH, bin / "colsnap");
        const auto checks = dir / (with_colsnap ? "checks2" : "checks1");
        const run_result r =
            run_program({"/usr/bin/env", "ECOSIM_DEMO_CREATURES=200", "ECOSIM_DEMO_TICKS=6",
                         "ECOSIM_DEMO_RESUME_AT=3", "DEMO_WORLD_CHECKS=" + checks.string(), "bash",
                         (scripts / "demo-world").string(), bin.string(), (dir / "out").string()});
        ASSERT_EQ(r.code, 0) << r.out << r.err;
        const std::vector<std::string> got = lines(read_text(checks));
        ASSERT_EQ(got.size(), with_colsnap ? 4u : 3u) << read_text(checks);
        EXPECT_NE(got[0].find("200 creatures: snapshot at tick 3 "), std::string::npos) << got[0];
        EXPECT_NE(got[0].find("run at tick 6 "), std::string::npos) << got[0];
        EXPECT_EQ(got[0].find("300"), std::string::npos) << got[0];
        EXPECT_NE(got[1].find("snapshot sizes flat: tick 0 "), std::string::npos) << got[1];
        EXPECT_NE(got[1].find(", tick 6 "), std::string::npos) << got[1];
        if (with_colsnap) {
            EXPECT_NE(got[2].find("colsnap hash"), std::string::npos) << got[2];
        }
        EXPECT_NE(got.back().find("tick-6 snapshot"), std::string::npos) << got.back();
    }
}
