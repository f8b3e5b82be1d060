// numpy writes every kind beyond the numbers (S, U, V, datetime64/timedelta64 with every unit,
// f16/c32, records with titles, gaps, nesting and sub-arrays) and test_format.py's own basic and
// record arrays, in both byte orders and both memory orders; colsnap reads each file equal (descr,
// shape, order, raw bytes) and writes it back byte-identical to np.save's .npy.

#include "support.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <string>

namespace {

using namespace colsnap_test;

const std::string side = COLSNAP_NUMPY_SIDE; // tests/interop/numpy_side.py

/// Marks the bytes of @p t's fields (recursively) in @p used, from @p at.
void mark_fields(const colsnap::dtype& t, std::size_t at, std::vector<bool>& used) {
    if (t.kind != colsnap::dtype_kind::structured) {
        std::fill(used.begin() + static_cast<std::ptrdiff_t>(at),
                  used.begin() + static_cast<std::ptrdiff_t>(at + t.itemsize), true);
        return;
    }
    for (const colsnap::field& f : *t.fields) {
        const std::uint64_t n = f.size() / f.type.itemsize;
        for (std::uint64_t k = 0; k < n; ++k)
            mark_fields(f.type, at + f.offset + k * f.type.itemsize, used);
    }
}

/// The array's bytes with every record's padding zeroed (numpy's copies leave padding as
/// whatever memory held; colsnap keeps the file's bytes).
std::vector<std::byte> without_padding(const colsnap::array& a) {
    std::vector<std::byte> out(a.bytes().begin(), a.bytes().end());
    if (a.type().kind != colsnap::dtype_kind::structured) return out;
    std::vector<bool> used(a.type().itemsize, false);
    mark_fields(a.type(), 0, used);
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!used[i % used.size()]) out[i] = std::byte{0};
    return out;
}

TEST(NumpyWritesColsnapReads, EveryKindAndTestFormatArraysReadEqualAndWriteIdentical) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    temp_dir dir("interop-kinds");
    std::string out;
    ASSERT_EQ(
        run(std::string(python) + " " + quote(side) + " write-kinds " + quote(dir.path()), out), 0)
        << out;
    std::vector<std::byte> blob;
    const auto rows = read_manifest(dir.path(), "manifest.tsv", blob);
    ASSERT_GE(rows.size(), 240u);

    std::map<colsnap::dtype_kind, int> kinds;
    std::map<int, int> versions;
    std::map<std::string, colsnap::digest> hashes;
    int fortran = 0;
    for (const auto& row : rows) {
        SCOPED_TRACE(row.file + " " + row.descr);
        try {
            const colsnap::array a = colsnap::read_npy(dir / row.file);
            EXPECT_EQ(a.type().descr(), row.descr);
            EXPECT_EQ(a.shape(), row.shape);
            EXPECT_EQ(a.info().fortran_order, row.fortran);
            EXPECT_EQ(first_diff(a.bytes(), row.raw), -1) << "raw bytes differ from numpy's";
            const auto file = read_file(dir / row.file);
            const colsnap::npy_header h = colsnap::parse_npy_header(file);
            EXPECT_EQ(colsnap::format_npy_header(a.info()),
                      std::string(reinterpret_cast<const char*>(file.data()), h.data_offset))
                << "header differs from np.save's";
            const fs::path ours = dir / ("ours_" + row.file);
            colsnap::write_npy(ours, a.info(), a.bytes(), {.durable = false});
            EXPECT_EQ(first_diff(read_file(ours), file), -1) << "write_npy != np.save";
            // Typed access as std::chrono, in the member's unit (zero-copy, native order).
            if (row.file == "M8nsle.npy") {
                using tp = std::chrono::sys_time<std::chrono::nanoseconds>;
                const auto v = a.values<tp>();
                ASSERT_EQ(v.size(), 6u);
                EXPECT_EQ(v[1].time_since_epoch().count(), 1);
                EXPECT_EQ(v[3], tp::min()); // NaT
                EXPECT_EQ(v[5] - v[0], std::chrono::nanoseconds(1234567));
                EXPECT_THROW((void)a.values<std::chrono::sys_time<std::chrono::microseconds>>(),
                             colsnap::error);
            }
            if (row.file == "m825sle.npy") {
                const auto v = a.values<std::chrono::duration<std::int64_t, std::ratio<25>>>();
                EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(v[5]).count(),
                          25 * 1234567);
            }
            // Native byte order (every field's) and C order, as numpy converts them.
            const colsnap::array n = a.to_native_c();
            EXPECT_TRUE(n.type().is_native());
            EXPECT_EQ(n.type(), a.type().as_native());
            EXPECT_FALSE(n.info().fortran_order && !n.info().is_c_contiguous());
            EXPECT_EQ(first_diff(without_padding(n), row.native), -1)
                << "native C-order bytes differ";
            // The content hash is of the canonical form: the same for the array as stored and
            // converted (little-endian C order per field), and for a big-endian twin.
            const colsnap::column_ref as_read{"m", a.info(), a.bytes()},
                converted{"m", n.info(), n.bytes()};
            const colsnap::digest d = colsnap::content_hash(std::span(&as_read, 1));
            EXPECT_EQ(d, colsnap::content_hash(std::span(&converted, 1)));
            hashes[row.file] = d;
            // One field of a record array, zero-copy and strided (test_format.py's Pdescr).
            if (row.file == "record0.npy" || row.file == "record2.npy") {
                const colsnap::array c = a.to_native_c();
                EXPECT_EQ(c.field("z").values<std::uint8_t>(), (std::vector<std::uint8_t>{8, 9}));
                const colsnap::field_view x = c.field("x");
                EXPECT_EQ(x.stride(), 41u); // 2 x i4 + 2 x 2 x f8 + u1
                EXPECT_EQ(x.info().shape, (std::vector<std::uint64_t>{2}));
                std::int32_t second[2];
                std::memcpy(second, x.data(1), sizeof second);
                EXPECT_EQ(second[0], 4);
                EXPECT_EQ(second[1], 3);
                EXPECT_THROW((void)c.field("y").get<double>(0), colsnap::error); // a sub-array
                EXPECT_THROW((void)c.field("nope"), colsnap::error);
            }
            if (row.file == "rec_gapsle.npy" || row.file == "rec_gapsbe.npy") {
                const std::vector<std::int32_t> want{0, 1, 2, 3, 4, 5};
                if (row.file == "rec_gapsbe.npy") {
                    EXPECT_THROW((void)a.field("a").values<std::int32_t>(), colsnap::error);
                }
                const colsnap::array c = a.to_native_c();
                EXPECT_EQ(c.field("Title A").values<std::int32_t>(), want); // by title
                EXPECT_EQ(c.field("b").get<double>(5), 1.0);
                EXPECT_EQ(c.field("b").data(0), c.bytes().data() + 12); // a view, not a copy
            }
            if (row.file == "rec_gapsle_F.npy") {
                EXPECT_THROW((void)a.field("a"), colsnap::error);
            }
            ++kinds[a.type().kind];
            ++versions[h.major];
            fortran += row.fortran;
        } catch (const colsnap::error& e) {
            ADD_FAILURE() << "colsnap refused a file numpy wrote: " << e.what();
        }
    }
    for (const char* twin :
         {"U3", "U2%s_F", "M8ns", "m825s", "M8generic", "rec_gaps", "rec_gaps%s_F", "rec_mixed"}) {
        std::string le = twin, be = twin;
        if (le.find("%s") == std::string::npos) le += "%s", be += "%s";
        le.replace(le.find("%s"), 2, "le");
        be.replace(be.find("%s"), 2, "be");
        SCOPED_TRACE(le);
        ASSERT_TRUE(hashes.count(le + ".npy") && hashes.count(be + ".npy"));
        EXPECT_EQ(hashes[le + ".npy"], hashes[be + ".npy"]);
    }
    // Every kind was there, records in both header encodings.
    for (auto k :
         {colsnap::dtype_kind::boolean, colsnap::dtype_kind::signed_int,
          colsnap::dtype_kind::unsigned_int, colsnap::dtype_kind::floating,
          colsnap::dtype_kind::complex, colsnap::dtype_kind::bytes, colsnap::dtype_kind::unicode,
          colsnap::dtype_kind::opaque, colsnap::dtype_kind::datetime,
          colsnap::dtype_kind::timedelta, colsnap::dtype_kind::structured})
        EXPECT_GT(kinds[k], 0) << static_cast<int>(k);
    EXPECT_GT(versions[1], 0);
    EXPECT_GT(versions[3], 0);
    EXPECT_GT(fortran, 20);
}

} // namespace
