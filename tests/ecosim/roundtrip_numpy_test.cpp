// numpy (/usr/bin/python3) opens a snapshot and its log segments and finds every member of
// docs/FORMAT.md with the documented dtype and shape, and nothing else; it joins the logs from
// the segments and recomputes the counts from them. Skipped when numpy is missing.

#include "support.hpp"

#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

using namespace ecosim;

TEST(Numpy, ReadsEveryDocumentedMemberWithItsDtype) {
    if (!test_common::have_numpy())
        GTEST_SKIP() << "numpy not available to " << test_common::python;
    test_common::temp_dir dir;
    world w = ecosim_test::small_world(1000);
    run_until(w, 50);
    for (bool compress : {false, true}) {
        if (compress) run_until(w, 80); // a second segment, deflated, after the stored root
        snapshot_options opt;
        opt.compress = compress;
        const auto path = dir / (compress ? "d.npz" : "s.npz");
        snapshot(w, path, opt);
        std::vector<std::filesystem::path> segments;
        (void)load(path, &segments);
        std::string cmd = std::string(test_common::python) +
                          " " ECOSIM_CHECK_MEMBERS_PY " " ECOSIM_FORMAT_MD " " + path.string();
        for (const auto& s : segments) cmd.append(" ").append(s.string());
        EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
}
