// numpy (/usr/bin/python3) opens a snapshot and finds every member of docs/FORMAT.md with the
// documented dtype and shape, and nothing else; it recomputes the population counts from the
// tables it reads. Skipped when numpy is missing.

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
        snapshot_options opt;
        opt.compress = compress;
        const auto path = dir / (compress ? "d.npz" : "s.npz");
        snapshot(w, path, opt);
        const std::string cmd = std::string(test_common::python) +
                                " " ECOSIM_CHECK_MEMBERS_PY " " ECOSIM_FORMAT_MD " " +
                                path.string();
        EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
}
