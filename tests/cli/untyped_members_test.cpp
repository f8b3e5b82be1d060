// Members colsnap cannot type (a pickled object array, a readme.txt) and members of the new
// kinds (strings) no longer make an archive unreadable: ls lists them, verify checks their CRC
// and counts them, copy keeps them byte for byte (numpy loads the copy equal, the pickle too).

#include "cli_harness.hpp"

#include <gtest/gtest.h>

using namespace cli_test;

namespace {

/// The archive of issue 13: np.savez of floats and strings, then a pickled object array and a
/// readme.txt added with zipfile (stored) and a deflated text file.
void write_archive(const temp_dir& dir) {
    const run_result py = python(R"(
import zipfile
d = sys.argv[1]
np.savez(d + '/issue.npz', x=np.arange(3.), names=np.array(['a', 'bb']))
obj = np.empty(3, dtype=object)
obj[:] = [1, 'a', None]
import io
buf = io.BytesIO()
np.save(buf, obj, allow_pickle=True)
with zipfile.ZipFile(d + '/issue.npz', 'a') as z:
    z.writestr('objs.npy', buf.getvalue())
    z.writestr('readme.txt', b'hello\n')
    z.writestr('notes/long.txt', b'words ' * 1000, compress_type=zipfile.ZIP_DEFLATED)
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
}

/// DIR/changed.npz: DIR/issue.npz with another readme.txt (same members otherwise).
void write_changed_readme(const temp_dir& dir) {
    const run_result py = python(R"(
import zipfile
d = sys.argv[1]
with zipfile.ZipFile(d + '/issue.npz') as a, zipfile.ZipFile(d + '/changed.npz', 'w') as b:
    for n in a.namelist():
        b.writestr(n, b'bye\n' if n == 'readme.txt' else a.read(n))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
}

} // namespace

TEST(cli_untyped, ls_lists_object_arrays_and_other_files_with_their_kind) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    ASSERT_NO_FATAL_FAILURE(write_archive(dir));
    const run_result r = run_colsnap({"ls", (dir / "issue.npz").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<ls_row> rows = parse_ls(r.out);
    ASSERT_EQ(rows.size(), 5u) << r.out;
    EXPECT_EQ(rows[0].name, "x");
    EXPECT_EQ(rows[0].dtype, "<f8");
    EXPECT_EQ(rows[1].name, "names");
    EXPECT_EQ(rows[1].dtype, "<U2");
    EXPECT_EQ(rows[1].shape, "(2,)");
    EXPECT_EQ(rows[2].name, "objs");
    EXPECT_EQ(rows[2].dtype, "object(pickled)");
    EXPECT_EQ(rows[2].shape, "-");
    EXPECT_EQ(rows[3].name, "readme.txt"); // numpy's key for a file that is not .npy
    EXPECT_EQ(rows[3].dtype, "not-npy");
    EXPECT_EQ(rows[3].uncompressed, 6u);
    EXPECT_EQ(rows[4].method, "deflate");
    EXPECT_EQ(rows[4].zero_copy, "no");
}

TEST(cli_untyped, verify_checks_every_crc_and_counts_what_it_could_not_type) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    ASSERT_NO_FATAL_FAILURE(write_archive(dir));
    const run_result r = run_colsnap({"verify", (dir / "issue.npz").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("ok: " + (dir / "issue.npz").string() + ": 5 members"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("3 members colsnap cannot type"), std::string::npos) << r.out;
    // A flipped byte inside the readme is a CRC error, like in any member.
    std::string bytes = read_text(dir / "issue.npz");
    const auto at = bytes.find("hello\n");
    ASSERT_NE(at, std::string::npos);
    bytes[at] = 'j';
    write_text(dir / "bad.npz", bytes);
    const run_result bad = run_colsnap({"verify", (dir / "bad.npz").string()});
    EXPECT_NE(bad.code, 0);
    EXPECT_TRUE(one_error_line(bad.err)) << bad.err;
    EXPECT_NE(bad.err.find("readme.txt"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("crc_mismatch"), std::string::npos) << bad.err;
}

TEST(cli_untyped, copy_keeps_every_member_byte_for_byte_and_numpy_loads_the_copy) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    ASSERT_NO_FATAL_FAILURE(write_archive(dir));
    for (const char* how : {"", "--deflate", "--stored"}) {
        SCOPED_TRACE(how);
        std::vector<std::string> args{"copy", (dir / "issue.npz").string(),
                                      (dir / "copy.npz").string()};
        if (*how) args.emplace_back(how);
        const run_result r = run_colsnap(args);
        ASSERT_EQ(r.code, 0) << r.err;
        const run_result check = python(R"(
import zipfile
a, b, how = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
    assert za.namelist() == zb.namelist(), (za.namelist(), zb.namelist())
    for n in za.namelist():
        assert za.read(n) == zb.read(n), n
        want = {'': za.getinfo(n).compress_type, '--deflate': 8, '--stored': 0}[how]
        assert zb.getinfo(n).compress_type == want, (n, zb.getinfo(n).compress_type)
with np.load(b, allow_pickle=True) as z:
    assert z['x'].tolist() == [0., 1., 2.]
    assert z['names'].tolist() == ['a', 'bb'] and z['names'].dtype.str == '<U2'
    assert z['objs'].tolist() == [1, 'a', None]
    assert z['readme.txt'] == b'hello\n'
print('ok')
)",
                                        std::vector<std::string>{(dir / "issue.npz").string(),
                                                                 (dir / "copy.npz").string(), how});
        EXPECT_EQ(check.code, 0) << check.err << check.out;
    }
}

TEST(cli_untyped, diff_compares_members_it_cannot_type_as_bytes) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    ASSERT_NO_FATAL_FAILURE(write_archive(dir));
    ASSERT_EQ(run_colsnap(
                  {"copy", (dir / "issue.npz").string(), (dir / "same.npz").string(), "--deflate"})
                  .code,
              0);
    const run_result same =
        run_colsnap({"diff", (dir / "issue.npz").string(), (dir / "same.npz").string()});
    EXPECT_EQ(same.code, 0) << same.out << same.err;
    EXPECT_NE(same.out.find("identical: 5 common members"), std::string::npos) << same.out;
    ASSERT_NO_FATAL_FAILURE(write_changed_readme(dir));
    const run_result diff =
        run_colsnap({"diff", (dir / "issue.npz").string(), (dir / "changed.npz").string()});
    EXPECT_NE(diff.code, 0);
    EXPECT_NE(diff.out.find("bytes differ: readme.txt (not .npy, 6 vs 4 bytes)"), std::string::npos)
        << diff.out;
}

TEST(cli_untyped, hash_covers_members_it_cannot_type_and_survives_copy) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    ASSERT_NO_FATAL_FAILURE(write_archive(dir));
    const run_result a = run_colsnap({"hash", (dir / "issue.npz").string()});
    ASSERT_EQ(a.code, 0) << a.err;
    ASSERT_EQ(run_colsnap(
                  {"copy", (dir / "issue.npz").string(), (dir / "copy.npz").string(), "--deflate"})
                  .code,
              0);
    const run_result b = run_colsnap({"hash", (dir / "copy.npz").string()});
    ASSERT_EQ(b.code, 0) << b.err;
    EXPECT_EQ(words(a.out)[0], words(b.out)[0]);
    // The readme's bytes are part of the hash.
    ASSERT_NO_FATAL_FAILURE(write_changed_readme(dir));
    const run_result c = run_colsnap({"hash", (dir / "changed.npz").string()});
    ASSERT_EQ(c.code, 0) << c.err;
    EXPECT_NE(words(a.out)[0], words(c.out)[0]);
}
