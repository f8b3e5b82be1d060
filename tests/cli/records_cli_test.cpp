// colsnap ls of record dtypes (compact, and in full with --full), and issue 13's archive of
// every kind at once: strings, datetimes, records, a pickled object array and a readme.txt
// list, verify, copy losslessly (numpy loads the copy equal, the pickle too) and hash.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

using namespace cli_test;

namespace {

/// DIR/all.npz: issue 13's archive (np.savez, then the pickle and the readme added with
/// zipfile); DIR/changed.npz: the same with one datetime one second later.
void write_archive(const temp_dir& dir) {
    const run_result py = python(R"(
import io, zipfile
d = sys.argv[1]
inner = np.dtype([('p', '|u1'), ('q', '>i2')])
rec = np.zeros(4, dtype=[('x', '<f8'), ('pos', inner, (2,)), ('name', '<U3'), ('t', '<M8[s]')])
rec['x'] = [0.5, -1, 2, 3]; rec['pos']['q'] = [[1, 2], [3, 4], [5, 6], [7, 8]]
rec['name'] = ['a', 'b\xe9', '', 'ddd']; rec['t'] = ['2024-02-29T12:00:00', 'NaT', '1970-01-01', '1900-01-01']
arrays = dict(
    u=np.array(['caf\xe9', '\u751f', '']), s=np.array([b'ab', b'\x00c']),
    when=np.array(['2024-02-29T12:34:56.789', 'NaT'], dtype='<M8[ms]'),
    span=np.array([1, -2, 3], dtype='>m8[25s]'), rec=rec,
    rec_be=rec.astype(rec.dtype.newbyteorder('>')))
def save(path, arrays):
    np.savez(path, **arrays)
    obj = np.empty(2, dtype=object); obj[:] = [{'k': 1}, 'two']
    buf = io.BytesIO(); np.save(buf, obj, allow_pickle=True)
    with zipfile.ZipFile(path, 'a') as z:
        z.writestr('objs.npy', buf.getvalue())
        z.writestr('readme.txt', b'every kind\n')
save(d + '/all.npz', arrays)
arrays['when'] = arrays['when'] + np.timedelta64(1, 's')
save(d + '/changed.npz', arrays)
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
}

} // namespace

TEST(cli_records, ls_shows_a_record_dtype_compactly_and_in_full_on_request) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    const run_result py = python(R"(
d = sys.argv[1]
np.savez(d + '/r.npz',
         many=np.zeros(2, dtype=[('f%d' % i, '<f8') for i in range(12)]),
         gaps=np.zeros(2, dtype={'names': ['a', 'b'], 'formats': ['<i4', '>f8'],
                                 'offsets': [0, 12], 'titles': ['Title A', None], 'itemsize': 24}),
         sub=np.zeros(3, dtype=[('m', '<c16', (2, 3)), ('n', [('z', '>f2')])]))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    const std::string file = (dir / "r.npz").string();
    const run_result r = run_colsnap({"ls", file});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<ls_row> rows = parse_ls(r.out);
    ASSERT_EQ(rows.size(), 3u) << r.out;
    EXPECT_EQ(rows[0].dtype, "{f0:<f8,f1:<f8,f2:<f8,f3:<f8,f4:<f8,f5:<f8,+6}");
    EXPECT_LE(rows[0].dtype.size(), 48u);
    EXPECT_EQ(rows[1].dtype, "{a:<i4,b:>f8}");
    EXPECT_EQ(rows[2].dtype, "{m:<c16[2,3],n:{z:>f2}}");

    const run_result f = run_colsnap({"ls", "--full", file});
    ASSERT_EQ(f.code, 0) << f.err;
    const std::vector<std::string> out = lines(f.out);
    ASSERT_EQ(out.size(), 7u) << f.out;
    std::string many = "  dtype: [";
    for (int i = 0; i < 12; ++i) many += (i ? ", ('f" : "('f") + std::to_string(i) + "', '<f8')";
    EXPECT_EQ(out[2], many + "]");
    EXPECT_EQ(out[4],
              "  dtype: [(('Title A', 'a'), '<i4'), ('', '|V8'), ('b', '>f8'), ('', '|V4')]");
    EXPECT_EQ(out[6], "  dtype: [('m', '<c16', (2, 3)), ('n', [('z', '>f2')])]");
}

TEST(cli_records, every_kind_at_once_lists_verifies_copies_losslessly_and_hashes) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    ASSERT_NO_FATAL_FAILURE(write_archive(dir));
    const std::string all = (dir / "all.npz").string();

    const run_result ls = run_colsnap({"ls", all});
    ASSERT_EQ(ls.code, 0) << ls.err;
    const std::vector<ls_row> rows = parse_ls(ls.out);
    ASSERT_EQ(rows.size(), 8u) << ls.out;
    const std::vector<std::pair<std::string, std::string>> want{
        {"u", "<U4"},
        {"s", "|S2"},
        {"when", "<M8[ms]"},
        {"span", ">m8[25s]"},
        {"rec", "{x:<f8,pos:{p:|u1,q:>i2}[2],name:<U3,t:<M8[s]}"},
        {"rec_be", "{x:>f8,pos:{p:|u1,q:>i2}[2],name:>U3,t:>M8[s]}"},
        {"objs", "object(pickled)"},
        {"readme.txt", "not-npy"}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(rows[i].name, want[i].first);
        EXPECT_EQ(rows[i].dtype, want[i].second) << rows[i].name;
    }

    const run_result verify = run_colsnap({"verify", all});
    ASSERT_EQ(verify.code, 0) << verify.err;
    EXPECT_NE(verify.out.find(": 8 members"), std::string::npos) << verify.out;
    EXPECT_NE(verify.out.find("2 members colsnap cannot type"), std::string::npos) << verify.out;

    const run_result cat = run_colsnap({"cat", all, "rec_be"});
    ASSERT_EQ(cat.code, 0) << cat.err;
    EXPECT_NE(cat.out.find("(0.5, [(0, 1), (0, 2)], 'a', '2024-02-29T12:00:00')"),
              std::string::npos)
        << cat.out;
    // numpy quotes a NaT inside a record: (-1., [(0, 3), (0, 4)], 'bé', 'NaT').
    EXPECT_NE(cat.out.find("(-1., [(0, 3), (0, 4)], 'b\xc3\xa9', 'NaT')"), std::string::npos)
        << cat.out;

    const run_result hash = run_colsnap({"hash", all});
    ASSERT_EQ(hash.code, 0) << hash.err;
    for (const char* how : {"", "--deflate", "--stored"}) {
        SCOPED_TRACE(how);
        const std::string copy = (dir / "copy.npz").string();
        std::vector<std::string> args{"copy", all, copy};
        if (*how) args.emplace_back(how);
        const run_result r = run_colsnap(args);
        ASSERT_EQ(r.code, 0) << r.err;
        const run_result check = python(R"(
import zipfile
a, b = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
    assert za.namelist() == zb.namelist(), (za.namelist(), zb.namelist())
    for n in za.namelist():
        assert za.read(n) == zb.read(n), n
with np.load(a, allow_pickle=True) as x, np.load(b, allow_pickle=True) as y:
    assert x.files == y.files
    for k in x.files:
        if k == 'objs':
            assert y[k].tolist() == [{'k': 1}, 'two'], y[k]
        elif k == 'readme.txt':
            assert y[k] == b'every kind\n'
        else:
            assert x[k].dtype == y[k].dtype and x[k].shape == y[k].shape, k
            assert x[k].tobytes() == y[k].tobytes(), k
            assert np.array_equal(x[k], y[k], equal_nan=False) or x[k].dtype.names or \
                np.isnat(x[k]).any(), k
print('ok')
)",
                                        std::vector<std::string>{all, copy});
        EXPECT_EQ(check.code, 0) << check.err << check.out;
        const run_result h = run_colsnap({"hash", copy});
        ASSERT_EQ(h.code, 0) << h.err;
        EXPECT_EQ(words(h.out)[0], words(hash.out)[0]);
    }
    const run_result changed = run_colsnap({"hash", (dir / "changed.npz").string()});
    ASSERT_EQ(changed.code, 0) << changed.err;
    EXPECT_NE(words(changed.out)[0], words(hash.out)[0]);
}

TEST(cli_records, diff_compares_records_strings_and_datetimes_by_value_in_any_byte_order) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    const run_result py = python(R"(
d = sys.argv[1]
inner = np.dtype([('p', '|u1'), ('q', '>i2')])
rec = np.zeros(4, dtype=[('x', '<f8'), ('pos', inner, (2,)), ('name', '<U3'), ('t', '<M8[s]')])
rec2 = rec.copy(); rec2['pos']['q'][2, 1] = 9
np.savez(d + '/a.npz', r=rec, rb=rec.astype(rec.dtype.newbyteorder('>')), u=np.array(['a', 'b']),
         t=np.array([1, 2], dtype='<M8[D]'))
np.savez(d + '/b.npz', r=rec2, rb=rec, u=np.array(['a', 'c']), t=np.array([1, 3], dtype='>M8[D]'))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    const run_result r = run_colsnap({"diff", (dir / "a.npz").string(), (dir / "b.npz").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    const std::vector<std::string> out = lines(r.out);
    ASSERT_EQ(out.size(), 4u) << r.out;
    EXPECT_EQ(out[0], "values differ: r: 1 of 4 elements; first at index (2,): (0., [(0, 0), (0, "
                      "0)], '', '1970-01-01T00:00:00') vs (0., [(0, 0), (0, 9)], '', "
                      "'1970-01-01T00:00:00')");
    EXPECT_EQ(out[1], "values differ: t: 1 of 2 elements; first at index (1,): 1970-01-03 vs "
                      "1970-01-04 (also byte order <M8[D] vs >M8[D]; not a difference)");
    EXPECT_EQ(out[2], "values differ: u: 1 of 2 elements; first at index (1,): 'b' vs 'c'");
    EXPECT_EQ(out[3].rfind("different: 3 of 4 common members differ", 0), 0u) << out[3]; // rb same
}

// A record's padding is not content: numpy leaves it as whatever memory held, content_hash
// zeroes it, and diff ignores it too. Only a field's bytes make a difference.
TEST(cli_records, diff_and_hash_ignore_the_padding_of_records) {
    if (!have_numpy()) GTEST_SKIP() << "needs numpy";
    temp_dir dir;
    const run_result py = python(R"(
d = sys.argv[1]
dt = np.dtype({'names': ['x', 'y'], 'formats': ['<f8', '<i4'], 'offsets': [0, 12], 'itemsize': 20})
p = np.zeros(3, dtype=dt)
q = p.copy(); q.view('u1').reshape(3, 20)[:, 8:12] = 0xAB; q.view('u1').reshape(3, 20)[:, 16:] = 7
r = q.copy(); r['y'][1] = 5
for name, a in [('p', p), ('q', q), ('r', r)]:
    np.savez(d + '/' + name + '.npz', rec=a)
assert bytes(np.load(d + '/q.npz')['rec'].data) != bytes(p.data)  # the gaps differ on disk
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    const auto file = [&](const char* n) { return (dir / (std::string(n) + ".npz")).string(); };
    const run_result same = run_colsnap({"diff", file("p"), file("q")});
    EXPECT_EQ(same.code, 0) << same.out << same.err;
    const run_result hp = run_colsnap({"hash", file("p")});
    const run_result hq = run_colsnap({"hash", file("q")});
    ASSERT_EQ(hp.code, 0) << hp.err;
    EXPECT_EQ(words(hp.out).at(0), words(hq.out).at(0));
    const run_result differ = run_colsnap({"diff", file("p"), file("r")});
    EXPECT_EQ(differ.code, 1) << differ.err;
    EXPECT_EQ(lines(differ.out)
                  .at(0)
                  .rfind("values differ: rec: 1 of 3 elements; first at index (1,)", 0),
              0u)
        << differ.out;
}
