// colsnap hash: "HEX  FILE" lines; the hash follows content, not layout.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

using namespace cli_test;

namespace {

std::string hash_of(const std::filesystem::path& p) {
    const run_result r = run_colsnap({"hash", p.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    // "HEX  FILE\n": 32 lower-case hex digits, two spaces, the path as given.
    const std::string hex = r.out.substr(0, 32);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << r.out;
    EXPECT_EQ(r.out, hex + "  " + p.string() + "\n");
    return hex.size() == 32 ? hex : "";
}

} // namespace

TEST(cli_hash, prints_the_librarys_content_hash_sha256sum_style) {
    temp_dir dir;
    const std::vector<double> x{1, 2, 3};
    const std::vector<std::int32_t> y{4, 5};
    const auto path = dir / "h.npz";
    colsnap::save_npz(path,
                      std::vector<colsnap::column_ref>{colsnap::column<double>("x", x),
                                                       colsnap::column<std::int32_t>("y", y)});
    EXPECT_EQ(hash_of(path), colsnap::hash_file(path).hex());
}

TEST(cli_hash, several_files_one_line_each_and_a_bad_one_fails_alone) {
    temp_dir dir;
    const std::vector<double> x{1, 2, 3}, z{1, 2, 4};
    const auto a = dir / "a.npz", b = dir / "b.npz";
    colsnap::save_npz(a, std::vector<colsnap::column_ref>{colsnap::column<double>("x", x)});
    colsnap::save_npz(b, std::vector<colsnap::column_ref>{colsnap::column<double>("x", z)});
    const auto missing = dir / "missing.npz";
    const run_result r = run_colsnap({"hash", a.string(), missing.string(), b.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
    EXPECT_NE(r.err.find(missing.string()), std::string::npos) << r.err;
    const std::vector<std::string> out = lines(r.out);
    ASSERT_EQ(out.size(), 2u) << r.out;
    EXPECT_EQ(out[0], hash_of(a) + "  " + a.string());
    EXPECT_EQ(out[1], hash_of(b) + "  " + b.string());
    EXPECT_NE(hash_of(a), hash_of(b)); // one element differs
}

TEST(cli_hash, same_values_in_any_layout_hash_the_same) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
d = sys.argv[1]
a = np.arange(12, dtype='<f8').reshape(3, 4)
n = np.arange(5, dtype='<i2')
np.savez(d + '/plain.npz', a=a, n=n)
np.savez(d + '/reordered.npz', n=n, a=a)
np.savez_compressed(d + '/compressed.npz', a=a, n=n)
np.savez(d + '/swapped.npz', a=a.astype('>f8'), n=n.astype('>i2'))
np.savez(d + '/fortran.npz', a=np.asfortranarray(a), n=n)
np.savez(d + '/changed.npz', a=a, n=n + np.array([0, 0, 0, 0, 1], dtype='<i2'))
np.savez(d + '/renamed.npz', a=a, m=n)
np.savez(d + '/widened.npz', a=a, n=n.astype('<i4'))
np.save(d + '/x.npy', a)
np.save(d + '/x_fortran.npy', np.asfortranarray(a).astype('>f8'))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    const std::string plain = hash_of(dir / "plain.npz");
    for (const char* same : {"reordered.npz", "compressed.npz", "swapped.npz", "fortran.npz"})
        EXPECT_EQ(hash_of(dir / same), plain) << same;
    for (const char* other : {"changed.npz", "renamed.npz", "widened.npz"})
        EXPECT_NE(hash_of(dir / other), plain) << other;
    EXPECT_EQ(hash_of(dir / "x.npy"), hash_of(dir / "x_fortran.npy"));
    EXPECT_NE(hash_of(dir / "x.npy"), plain);
}

// --check reads the lines `hash` prints and re-hashes every listed file, as sha256sum -c.
TEST(cli_hash, check_reports_ok_and_failed_and_exits_1_on_any_failure) {
    temp_dir dir;
    const std::vector<double> x{1, 2, 3}, y{1, 2, 4};
    const auto a = dir / "a.npz", b = dir / "b.npy";
    colsnap::save_npz(a, std::vector<colsnap::column_ref>{colsnap::column<double>("x", x)});
    colsnap::write_npy<double>(b, x);
    const run_result listed = run_colsnap({"hash", a.string(), b.string()});
    ASSERT_EQ(listed.code, 0) << listed.err;
    const auto sums = dir / "SUMS";
    write_text(sums, listed.out);

    run_result r = run_colsnap({"hash", "--check", sums.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, a.string() + ": OK\n" + b.string() + ": OK\n");
    EXPECT_EQ(r.err, "");

    // Content changed (b), a file gone (a), a malformed line: each is a failure, all reported.
    colsnap::write_npy<double>(b, y);
    std::filesystem::remove(a);
    write_text(sums, listed.out + "not a hash line\n");
    r = run_colsnap({"hash", "-c", sums.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.out, a.string() + ": FAILED open or read\n" + b.string() + ": FAILED\n");
    EXPECT_NE(r.err.find(sums.string() + ": line 3:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 computed hash did NOT match"), std::string::npos) << r.err;
    for (const std::string& line : lines(r.err)) EXPECT_TRUE(line.starts_with("colsnap: ")) << line;
}

// The list itself: missing, a directory, empty, or nothing but malformed lines fails on one line
// each, as sha256sum -c does (the OS reason; "no properly formatted checksum lines found").
TEST(cli_hash, check_refuses_a_missing_or_empty_list_as_sha256sum_does) {
    temp_dir dir;
    const auto empty = dir / "EMPTY", junk = dir / "JUNK";
    write_text(empty, "");
    write_text(junk, "not a hash line\n");
    const std::vector<std::pair<std::string, std::string>> cases{
        {(dir / "missing").string(), ": No such file or directory"},
        {dir.path().string(), ": Is a directory"},
        {empty.string(), ": no properly formatted checksum lines found"},
        {junk.string(), ": no properly formatted checksum lines found"},
    };
    for (const auto& [list, reason] : cases) {
        SCOPED_TRACE(list);
        const run_result r = run_colsnap({"hash", "--check", list});
        EXPECT_EQ(r.code, 1) << r.err;
        EXPECT_EQ(r.out, "");
        if (list == junk.string()) { // the line's own complaint first, as sha256sum -w would
            ASSERT_EQ(lines(r.err).size(), 2u) << r.err;
            EXPECT_EQ(lines(r.err)[1], "colsnap: " + list + reason) << r.err;
        } else {
            EXPECT_EQ(r.err, "colsnap: " + list + reason + "\n");
        }
    }
}

// A list written on Windows (CRLF) checks like the same list with LF.
TEST(cli_hash, check_reads_crlf_lists) {
    temp_dir dir;
    const std::vector<double> x{1, 2, 3};
    const auto a = dir / "a.npz";
    colsnap::save_npz(a, std::vector<colsnap::column_ref>{colsnap::column<double>("x", x)});
    const run_result listed = run_colsnap({"hash", a.string()});
    ASSERT_EQ(listed.code, 0) << listed.err;
    ASSERT_TRUE(listed.out.ends_with('\n'));
    const std::string crlf = listed.out.substr(0, listed.out.size() - 1) + "\r\n";
    write_text(dir / "SUMS", crlf);
    const run_result r = run_colsnap({"hash", "--check", (dir / "SUMS").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, a.string() + ": OK\n");
    EXPECT_EQ(r.err, "");
}

TEST(cli_hash, help_tells_of_check) {
    const run_result r = run_colsnap({"hash", "--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("--check"), std::string::npos) << r.out;
}
