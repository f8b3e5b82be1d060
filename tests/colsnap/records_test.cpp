// transpose(): record arrays to tables of columns and back (records.hpp), by hand and against
// numpy (a['x'] for every field; np.save of the same record array, byte for byte).

#include "test_util.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <bit>
#include <chrono>
#include <cstring>

namespace {

using namespace test_util;
using test_common::first_diff;
namespace fs = std::filesystem;

template <typename T> std::vector<T> as_vector(const colsnap::array& a) {
    const auto v = a.values<T>();
    return {v.begin(), v.end()};
}

std::span<const std::byte> bytes(const colsnap::array& a) { return a.bytes(); }

TEST(Records, ColumnsInterleaveIntoPackedRecordsAndTransposeBack) {
    const std::vector<std::int32_t> id{7, -1, 3};
    const std::vector<double> pos{0.5, 1.5, 2.5, 3.5, 4.5, 5.5}; // (3, 2)
    const std::vector<std::uint8_t> flag{1, 0, 255};
    using sec = std::chrono::sys_time<std::chrono::seconds>;
    const std::vector<sec> t{sec(std::chrono::seconds(0)), sec(std::chrono::seconds(86400)),
                             sec::min()};
    const std::vector<std::string> name_text{"a", "caf\xc3\xa9", ""};
    const colsnap::array names = colsnap::encode_strings(name_text);
    const std::vector<colsnap::column_ref> cols{
        colsnap::column("id", id), colsnap::column("pos", pos, {3, 2}),
        colsnap::column("flag", flag), colsnap::column("t", t), colsnap::column("name", names)};

    const colsnap::array rec = colsnap::transpose(cols);
    EXPECT_EQ(rec.shape(), (std::vector<std::uint64_t>{3}));
    EXPECT_EQ(rec.type().descr(), "[('id', '<i4'), ('pos', '<f8', (2,)), ('flag', '|u1'), "
                                  "('t', '<M8[s]'), ('name', '<U4')]");
    ASSERT_EQ(rec.type().itemsize, 4u + 16u + 1u + 8u + 16u);
    // Record 1, field by field, at its packed offset.
    const std::byte* r1 = rec.bytes().data() + rec.type().itemsize;
    std::int32_t id1 = 0;
    double pos1[2] = {};
    std::int64_t t1 = 0;
    std::memcpy(&id1, r1, 4);
    std::memcpy(pos1, r1 + 4, 16);
    std::memcpy(&t1, r1 + 21, 8);
    EXPECT_EQ(id1, -1);
    EXPECT_EQ(pos1[0], 2.5);
    EXPECT_EQ(pos1[1], 3.5);
    EXPECT_EQ(std::to_integer<int>(r1[20]), 0);
    EXPECT_EQ(t1, 86400);
    EXPECT_EQ(rec.field("flag").values<std::uint8_t>(), flag);

    const std::vector<colsnap::named_array> back = colsnap::transpose(rec);
    ASSERT_EQ(back.size(), 5u);
    EXPECT_EQ(back[0].name, "id");
    EXPECT_EQ(as_vector<std::int32_t>(back[0].data), id);
    EXPECT_EQ(back[1].data.shape(), (std::vector<std::uint64_t>{3, 2}));
    EXPECT_EQ(as_vector<double>(back[1].data), pos);
    EXPECT_EQ(as_vector<std::uint8_t>(back[2].data), flag);
    EXPECT_EQ(as_vector<sec>(back[3].data), t);
    EXPECT_EQ(colsnap::strings(back[4].data), name_text);
}

TEST(Records, NestedRecordsOpenIntoPathsAndForeignOrderComesOutNative) {
    // inner: (p u1, q >i2); outer: (w <f4, pos inner x 2, big >u8).
    const std::vector<std::uint8_t> p{1, 2, 3, 4, 5, 6};
    std::vector<std::uint16_t> q_be{10, 20, 30, 40, 50, 60};
    for (auto& v : q_be) v = static_cast<std::uint16_t>((v >> 8) | (v << 8));
    colsnap::column_ref q = colsnap::column("q", q_be, {3, 2});
    q.info.type = colsnap::dtype::parse(">i2");
    const std::vector<colsnap::column_ref> inner_cols{colsnap::column("p", p, {3, 2}), q};
    const colsnap::array inner = colsnap::transpose(inner_cols, std::vector<std::uint64_t>{3, 2});
    EXPECT_EQ(inner.type().descr(), "[('p', '|u1'), ('q', '>i2')]");

    const std::vector<float> w{0.25f, 0.5f, 0.75f};
    const std::vector<std::uint64_t> big{1, 2, 3};
    const std::vector<colsnap::column_ref> outer_cols{
        colsnap::column("w", w), colsnap::column("pos", inner), colsnap::column("big", big)};
    const colsnap::array outer = colsnap::transpose(outer_cols);
    EXPECT_EQ(outer.type().descr(),
              "[('w', '<f4'), ('pos', [('p', '|u1'), ('q', '>i2')], (2,)), ('big', '<u8')]");

    const auto cols = colsnap::transpose(outer);
    ASSERT_EQ(cols.size(), 4u);
    EXPECT_EQ(cols[1].name, "pos/p");
    EXPECT_EQ(cols[2].name, "pos/q");
    EXPECT_EQ(cols[1].data.shape(), (std::vector<std::uint64_t>{3, 2}));
    EXPECT_EQ(as_vector<std::uint8_t>(cols[1].data), p);
    EXPECT_EQ(as_vector<std::int16_t>(cols[2].data),
              (std::vector<std::int16_t>{10, 20, 30, 40, 50, 60}));
    EXPECT_EQ(as_vector<float>(cols[0].data), w);
    EXPECT_EQ(as_vector<std::uint64_t>(cols[3].data), big);
}

TEST(Records, EmptyAndZeroDimensionalRecords) {
    const std::vector<double> none;
    const std::vector<colsnap::column_ref> cols{colsnap::column("x", none)};
    const colsnap::array rec = colsnap::transpose(cols);
    EXPECT_EQ(rec.size(), 0u);
    const auto back = colsnap::transpose(rec);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].data.size(), 0u);

    const double one = 4.0;
    const std::int16_t two = -3;
    const std::vector<colsnap::column_ref> scalars{colsnap::scalar("a", one),
                                                   colsnap::scalar("b", two)};
    const colsnap::array r0 = colsnap::transpose(scalars);
    EXPECT_TRUE(r0.shape().empty());
    EXPECT_EQ(r0.field("b").get<std::int16_t>(0), -3);
}

TEST(Records, AHugeSubArrayOfRecordsCostsNothingWhenThereAreNoRecords) {
    // A header may declare a billion nested records per record; with no records the columns
    // are empty, and transposing must not walk (or allocate for) the billion.
    colsnap::field a;
    a.name = "a";
    a.type = colsnap::dtype::parse("|u1");
    colsnap::field n;
    n.name = "n";
    n.type = colsnap::dtype::record({a}, 1);
    n.shape = {1000000000};
    const colsnap::array_info info{colsnap::dtype::record({n}, 1000000000), {0}, false};
    const std::string header = colsnap::format_npy_header(info);
    auto file = std::make_shared<std::vector<std::byte>>(bytes_of(header));
    const colsnap::array empty = colsnap::parse_npy(*file, file);
    const auto cols = colsnap::transpose(empty);
    ASSERT_EQ(cols.size(), 1u);
    EXPECT_EQ(cols[0].name, "n/a");
    EXPECT_EQ(cols[0].data.shape(), (std::vector<std::uint64_t>{0, 1000000000}));
    EXPECT_EQ(cols[0].data.bytes().size(), 0u);
}

TEST(Records, RefusesWhatIsNotAClearTable) {
    const std::vector<double> x{1, 2, 3}, y{1, 2};
    const std::vector<double> m{1, 2, 3, 4, 5, 6};
    EXPECT_EQ(code_of([&] { (void)colsnap::transpose(std::span<const colsnap::column_ref>{}); }),
              colsnap::errc::invalid_argument);
    const std::vector<colsnap::column_ref> unequal{colsnap::column("x", x),
                                                   colsnap::column("y", y)};
    const colsnap::error e = error_of([&] { (void)colsnap::transpose(unequal); });
    EXPECT_EQ(e.code(), colsnap::errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("column 'y' has shape (2,)"), std::string::npos)
        << e.what();
    const std::vector<colsnap::column_ref> twice{colsnap::column("x", x), colsnap::column("x", x)};
    EXPECT_EQ(code_of([&] { (void)colsnap::transpose(twice); }), colsnap::errc::invalid_argument);
    const std::vector<colsnap::column_ref> unnamed{colsnap::column("", x)};
    EXPECT_EQ(code_of([&] { (void)colsnap::transpose(unnamed); }), colsnap::errc::invalid_argument);
    colsnap::column_ref fortran = colsnap::column("m", m, {3, 2});
    fortran.info.fortran_order = true;
    const std::vector<colsnap::column_ref> f{fortran};
    EXPECT_EQ(code_of([&] { (void)colsnap::transpose(f); }), colsnap::errc::invalid_argument);
    colsnap::column_ref short_bytes = colsnap::column("x", x);
    short_bytes.bytes = short_bytes.bytes.first(8);
    const std::vector<colsnap::column_ref> s{short_bytes};
    EXPECT_EQ(code_of([&] { (void)colsnap::transpose(s); }), colsnap::errc::invalid_argument);

    const std::vector<colsnap::column_ref> plain{colsnap::column("x", x)};
    const colsnap::array not_records = colsnap::transpose(colsnap::transpose(plain))[0].data;
    EXPECT_EQ(code_of([&] { (void)colsnap::transpose(not_records); }),
              colsnap::errc::type_mismatch);
}

// numpy writes record arrays (nested, sub-arrays, titles, gaps, both byte orders, Fortran
// order) and every field as numpy gives it (np.ascontiguousarray(a[f]) in native order);
// colsnap's columns must be those, and colsnap's records from numpy's columns must be
// np.save's bytes of numpy's own record array.
TEST(Records, TransposeAgreesWithNumpyBothWays) {
    COLSNAP_REQUIRE_NUMPY();
    temp_dir dir;
    const auto py = run_python(R"(
import numpy as np, sys, os
d = sys.argv[1]
inner = np.dtype([('p', '|u1'), ('q', '>i2')])
kinds = {
  'flat': np.dtype([('a', '<i4'), ('b', '<f8'), ('c', '|S3'), ('d', '<U2'), ('t', '<M8[ms]')]),
  'flat_be': np.dtype([('a', '>i4'), ('b', '>f8'), ('c', '|S3'), ('d', '>U2'), ('t', '>M8[ms]')]),
  'nested': np.dtype([('w', '<f4'), ('pos', inner, (2,)), ('m', '<c16', (2, 3)),
                      ('n', [('x', '<u8'), ('y', [('z', '>f2')])])]),
  'gaps': np.dtype({'names': ['a', 'b'], 'formats': ['<i4', '>f8'], 'offsets': [0, 12],
                    'titles': ['Title A', None], 'itemsize': 24}),
}
rng = np.random.default_rng(3)
for name, dt in kinds.items():
    for order in 'CF':
        shape = (4, 3) if order == 'F' else (7,)
        raw = rng.integers(0, 256, int(np.prod(shape)) * dt.itemsize, dtype=np.uint8)
        a = np.frombuffer(raw.tobytes(), dtype=dt).reshape(shape).copy(order=order)
        stem = name + '_' + order
        np.save(d + '/' + stem + '.npy', a)
        cols = {}
        def walk(x, prefix):
            for f in x.dtype.names:
                v = x[f]
                if v.dtype.names is not None:
                    walk(v, prefix + f + '/')
                else:
                    base = v.dtype.base if v.dtype.subdtype else v.dtype
                    cols[prefix + f] = np.ascontiguousarray(v).astype(base.newbyteorder('='))
        walk(a, '')
        np.savez(d + '/' + stem + '_cols.npz', **cols)
        with open(d + '/' + stem + '.names', 'w') as out:
            out.write('\n'.join(cols) + '\n')
        # The reverse: numpy's own packed record array of the (native) columns, 1-d records.
        flat = {k: v.reshape((-1,) + v.shape[a.ndim:]) for k, v in cols.items()}
        rdt = np.dtype([(k, v.dtype, v.shape[1:]) for k, v in flat.items()])
        r = np.empty(flat[next(iter(flat))].shape[0], dtype=rdt)
        for k, v in flat.items():
            r[k] = v
        np.save(d + '/' + stem + '_rec.npy', r)
        with open(d + '/stems', 'a') as out:
            out.write(stem + '\n')
)",
                               {dir.path().string()});
    ASSERT_EQ(py.status, 0) << py.err;
    int checked = 0;
    for (const std::string& stem :
         test_common::split(test_common::read_text(dir / "stems"), '\n')) {
        if (stem.empty()) continue;
        SCOPED_TRACE(stem);
        const colsnap::array a = colsnap::read_npy(dir / (stem + ".npy"));
        const auto cols = colsnap::transpose(a);
        const colsnap::npz_reader numpy_cols =
            colsnap::npz_reader::open(dir / (stem + "_cols.npz"));
        std::vector<std::string> names =
            test_common::split(test_common::read_text(dir / (stem + ".names")), '\n');
        names.pop_back();
        ASSERT_EQ(cols.size(), names.size());
        std::vector<colsnap::array> keep; // the column_refs borrow these
        keep.reserve(cols.size());
        std::vector<colsnap::column_ref> refs;
        for (std::size_t i = 0; i < cols.size(); ++i) {
            SCOPED_TRACE(names[i]);
            EXPECT_EQ(cols[i].name, names[i]);
            const colsnap::array& want = keep.emplace_back(numpy_cols.get(names[i]));
            EXPECT_EQ(cols[i].data.info(), want.info());
            EXPECT_EQ(first_diff(bytes(cols[i].data), bytes(want)), -1);
            // numpy's columns as 1-d tables of records for the reverse direction.
            colsnap::column_ref c = colsnap::column(names[i], want);
            c.info.shape.erase(c.info.shape.begin(),
                               c.info.shape.begin() +
                                   static_cast<std::ptrdiff_t>(a.shape().size()));
            c.info.shape.insert(c.info.shape.begin(), a.size());
            refs.push_back(c);
        }
        const colsnap::array rec = colsnap::transpose(refs);
        const fs::path ours = dir / (stem + "_ours.npy");
        colsnap::write_npy(ours, rec.info(), rec.bytes(), {.durable = false});
        EXPECT_EQ(first_diff(read_file(ours), read_file(dir / (stem + "_rec.npy"))), -1)
            << "colsnap's records differ from np.save's";
        ++checked;
    }
    EXPECT_EQ(checked, 8);
}

} // namespace
