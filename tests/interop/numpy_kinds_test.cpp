// numpy writes every kind beyond the numbers (S, U, V, datetime64/timedelta64 with every unit,
// f16/c32, records with titles, gaps, nesting and sub-arrays) and test_format.py's own basic and
// record arrays, in both byte orders and both memory orders; colsnap reads each file equal (descr,
// shape, order, raw bytes) and writes it back byte-identical to np.save's .npy.

#include "support.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

namespace {

using namespace colsnap_test;

const std::string side = COLSNAP_NUMPY_SIDE; // tests/interop/numpy_side.py

TEST(NumpyWritesColsnapReads, EveryKindAndTestFormatArraysReadEqualAndWriteIdentical) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    temp_dir dir("interop-kinds");
    std::string out;
    ASSERT_EQ(run(std::string(python) + " " + quote(side) + " write-kinds " + quote(dir.path()), out), 0)
        << out;
    std::vector<std::byte> blob;
    const auto rows = read_manifest(dir.path(), "manifest.tsv", blob);
    ASSERT_GE(rows.size(), 240u);

    std::map<colsnap::dtype_kind, int> kinds;
    std::map<int, int> versions;
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
                EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(v[5]).count(), 25 * 1234567);
            }
            ++kinds[a.type().kind];
            ++versions[h.major];
            fortran += row.fortran;
        } catch (const colsnap::error& e) {
            ADD_FAILURE() << "colsnap refused a file numpy wrote: " << e.what();
        }
    }
    // Every kind was there, records in both header encodings.
    for (auto k : {colsnap::dtype_kind::boolean, colsnap::dtype_kind::signed_int,
                   colsnap::dtype_kind::unsigned_int, colsnap::dtype_kind::floating,
                   colsnap::dtype_kind::complex, colsnap::dtype_kind::bytes,
                   colsnap::dtype_kind::unicode, colsnap::dtype_kind::opaque,
                   colsnap::dtype_kind::datetime, colsnap::dtype_kind::timedelta,
                   colsnap::dtype_kind::structured})
        EXPECT_GT(kinds[k], 0) << static_cast<int>(k);
    EXPECT_GT(versions[1], 0);
    EXPECT_GT(versions[3], 0);
    EXPECT_GT(fortran, 20);
}

} // namespace
