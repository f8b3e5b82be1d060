// colsnap diff: which members differ and where; layout is not a difference.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace cli_test;

namespace {

/// The output line starting with @p prefix, or "".
std::string line_starting(const std::string& out, const std::string& prefix) {
    for (const std::string& l : lines(out))
        if (l.starts_with(prefix)) return l;
    return "";
}

std::size_t count_lines_starting(const std::string& out, const std::string& prefix) {
    const std::vector<std::string> ls = lines(out);
    return static_cast<std::size_t>(std::count_if(
        ls.begin(), ls.end(), [&](const std::string& l) { return l.starts_with(prefix); }));
}

} // namespace

TEST(cli_diff, a_single_changed_element_is_found_at_its_index) {
    temp_dir dir;
    std::vector<double> grid(5 * 7 * 3);
    for (std::size_t i = 0; i < grid.size(); ++i) grid[i] = 0.5 * static_cast<double>(i);
    const std::vector<std::int32_t> ids{1, 2, 3};
    const auto a = dir / "a.npz", b = dir / "b.npz";
    colsnap::save_npz(
        a, std::vector<colsnap::column_ref>{colsnap::column<double>("grid", grid, {5, 7, 3}),
                                            colsnap::column<std::int32_t>("ids", ids)});
    std::vector<double> changed = grid;
    const std::size_t flat = (3 * 7 + 4) * 3 + 1; // index (3, 4, 1)
    changed[flat] = -1.25;
    colsnap::save_npz(
        b, std::vector<colsnap::column_ref>{colsnap::column<double>("grid", changed, {5, 7, 3}),
                                            colsnap::column<std::int32_t>("ids", ids)});

    const run_result r = run_colsnap({"diff", a.string(), b.string()});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(line_starting(r.out, "values differ: grid:"),
              "values differ: grid: 1 of 105 elements; first at index (3, 4, 1): 38.0 vs -1.25")
        << r.out;
    EXPECT_EQ(count_lines_starting(r.out, "values differ"), 1u) << r.out; // ids are equal
    EXPECT_EQ(lines(r.out).back().rfind("different: 1 of 2 common members differs, 0 only in A, "
                                        "0 only in B",
                                        0),
              0u)
        << r.out;
}

TEST(cli_diff, counts_all_differences_and_reports_the_first) {
    temp_dir dir;
    std::vector<std::uint16_t> v(100, 7), w(100, 7);
    w[10] = 8;
    w[20] = 9;
    w[99] = 0;
    const auto a = dir / "a.npz", b = dir / "b.npz";
    colsnap::save_npz(a, std::vector<colsnap::column_ref>{colsnap::column<std::uint16_t>("v", v)});
    colsnap::save_npz(b, std::vector<colsnap::column_ref>{colsnap::column<std::uint16_t>("v", w)});
    const run_result r = run_colsnap({"diff", a.string(), b.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(line_starting(r.out, "values differ: v:"),
              "values differ: v: 3 of 100 elements; first at index (10,): 7 vs 8")
        << r.out;
}

TEST(cli_diff, identical_content_in_different_layouts_is_identical) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
d = sys.argv[1]
a = np.arange(12, dtype='<f4').reshape(3, 4)
np.savez(d + '/a.npz', m=a, k=np.array([1, 2], dtype='<i8'))
np.savez_compressed(d + '/b.npz', k=np.array([1, 2], dtype='>i8'), m=np.asfortranarray(a))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    const run_result r = run_colsnap({"diff", (dir / "a.npz").string(), (dir / "b.npz").string()});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_EQ(count_lines_starting(r.out, "same values: "), 2u) << r.out; // layout notes
    EXPECT_NE(line_starting(r.out, "same values: k").find("byte order <i8 vs >i8"),
              std::string::npos)
        << r.out;
    EXPECT_NE(line_starting(r.out, "same values: m").find("C vs Fortran order"), std::string::npos)
        << r.out;
    EXPECT_NE(line_starting(r.out, "same values: m").find("stored vs deflate"), std::string::npos)
        << r.out;
    EXPECT_EQ(lines(r.out).back().rfind("identical: 2 common members compared", 0), 0u) << r.out;
}

TEST(cli_diff, members_only_on_one_side_and_dtype_or_shape_changes) {
    temp_dir dir;
    const std::vector<std::int32_t> i4{1, 2, 3, 4};
    const std::vector<std::int64_t> i8{1, 2, 3, 4};
    const auto a = dir / "a.npz", b = dir / "b.npz";
    colsnap::save_npz(
        a, std::vector<colsnap::column_ref>{colsnap::column<std::int32_t>("gone", i4),
                                            colsnap::column<std::int32_t>("widened", i4),
                                            colsnap::column<std::int32_t>("reshaped", i4),
                                            colsnap::column<std::int32_t>("same", i4)});
    colsnap::save_npz(
        b, std::vector<colsnap::column_ref>{colsnap::column<std::int32_t>("same", i4),
                                            colsnap::column<std::int64_t>("widened", i8),
                                            colsnap::column<std::int32_t>("reshaped", i4, {2, 2}),
                                            colsnap::column<std::int32_t>("new/one", i4)});
    const run_result r = run_colsnap({"diff", a.string(), b.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(line_starting(r.out, "only in A:"), "only in A: gone") << r.out;
    EXPECT_EQ(line_starting(r.out, "only in B:"), "only in B: new/one") << r.out;
    const std::string i4s = colsnap::dtype_of<std::int32_t>().descr();
    const std::string i8s = colsnap::dtype_of<std::int64_t>().descr();
    EXPECT_EQ(line_starting(r.out, "dtype differs:"),
              "dtype differs: widened: " + i4s + " vs " + i8s)
        << r.out;
    EXPECT_EQ(line_starting(r.out, "shape differs:"), "shape differs: reshaped: (4,) vs (2, 2)")
        << r.out;
    EXPECT_EQ(line_starting(r.out, "values differ"), "") << r.out;
    // The last line counts them: widened and reshaped of 3 common members, one on each side.
    EXPECT_EQ(lines(r.out).back().rfind("different: 2 of 3 common members differ, 1 only in A, "
                                        "1 only in B",
                                        0),
              0u)
        << r.out;
}

TEST(cli_diff, npy_files_compare_as_one_member) {
    temp_dir dir;
    const std::vector<float> x{1.5f, 2.5f}, y{1.5f, 3.0f};
    const auto a = dir / "a.npy", b = dir / "b.npy", c = dir / "c.npy";
    colsnap::write_npy<float>(a, x);
    colsnap::write_npy<float>(b, x);
    colsnap::write_npy<float>(c, y);
    EXPECT_EQ(run_colsnap({"diff", a.string(), b.string()}).code, 0);
    const run_result r = run_colsnap({"diff", a.string(), c.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(line_starting(r.out, "values differ:"),
              "values differ: -: 1 of 2 elements; first at index (1,): 2.5 vs 3.0")
        << r.out;
}

// diff(1)'s convention: 1 means "different", so an error (here junk, and a missing file) is 2.
TEST(cli_diff, an_unreadable_side_is_an_error_not_a_difference_report) {
    temp_dir dir;
    const std::vector<float> x{1.5f};
    const auto a = dir / "a.npz";
    colsnap::save_npz(a, std::vector<colsnap::column_ref>{colsnap::column<float>("x", x)});
    write_text(dir / "junk.npz", "this is not a zip archive at all");
    for (const char* other : {"junk.npz", "missing.npz"}) {
        SCOPED_TRACE(other);
        const run_result r = run_colsnap({"diff", a.string(), (dir / other).string()});
        EXPECT_EQ(r.code, 2);
        EXPECT_EQ(r.out, "");
        EXPECT_TRUE(one_error_line(r.err)) << r.err;
        EXPECT_NE(r.err.find(other), std::string::npos) << r.err;
    }
}
