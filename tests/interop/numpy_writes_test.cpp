// numpy writes, colsnap reads: every dtype, byte order, memory order, .npy version, 0-d/empty/3-d
// shapes, np.savez / np.savez_compressed / zipfile data descriptors, unicode and 200-character
// names, and an archive of 70,000 members (zip64 end records). Values are compared bit for bit
// against the bytes numpy itself reports (tobytes), NaN payloads and -0.0 included.

#include "support.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

namespace {

using namespace colsnap_test;

const std::string side = COLSNAP_NUMPY_SIDE; // tests/interop/numpy_side.py

void numpy_writes(const std::string& what, const temp_dir& dir, const std::string& arg = "") {
    std::string out;
    int rc = run(std::string(python) + " " + quote(side) + " " + what + " " + quote(dir.path()) +
                     (arg.empty() ? "" : " " + arg),
                 out);
    ASSERT_EQ(rc, 0) << "numpy_side.py " << what << " failed:\n" << out;
}

std::string preamble(const std::vector<std::byte>& file, std::uint64_t n) {
    return std::string(reinterpret_cast<const char*>(file.data()),
                       std::min<std::size_t>(n, file.size()));
}

TEST(NumpyWritesColsnapReads, NpyEveryDtypeByteOrderShapeAndVersion) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    temp_dir dir("interop-npy");
    ASSERT_NO_FATAL_FAILURE(numpy_writes("write-npy", dir));
    std::vector<std::byte> blob;
    auto rows = read_manifest(dir.path(), "manifest.tsv", blob);
    ASSERT_GE(rows.size(), 23u * 7u + 23u * 9u); // 23 dtype variants x (7 shapes + 3 versions x 3)

    std::map<std::string, int> versions;
    for (const auto& row : rows) {
        SCOPED_TRACE(row.file);
        const fs::path path = dir / row.file;
        try {
            colsnap::array a = colsnap::read_npy(path);
            EXPECT_EQ(a.type().descr(), row.descr);
            EXPECT_EQ(a.shape(), row.shape);
            EXPECT_EQ(a.info().fortran_order, row.fortran);
            EXPECT_EQ(a.size(), row.raw.size() / a.type().itemsize);
            EXPECT_EQ(first_diff(a.bytes(), row.raw), -1) << "raw bytes differ from numpy's";

            colsnap::array n = a.to_native_c();
            EXPECT_TRUE(n.type().is_native());
            EXPECT_EQ(n.shape(), row.shape);
            EXPECT_EQ(first_diff(n.bytes(), row.native), -1) << "native C-order bytes differ";
            if (row.descr == "<f8" && !row.fortran) {
                EXPECT_EQ(a.values<double>().size(), a.size());
            }
            if (row.descr == ">i4") {
                EXPECT_THROW((void)a.values<std::int32_t>(), colsnap::error);
            }

            const auto file = read_file(path);
            const colsnap::npy_header h = colsnap::parse_npy_header(file);
            const int want_major = row.extra == "save" ? 1 : row.extra[0] - '0';
            EXPECT_EQ(h.major, want_major);
            EXPECT_EQ(h.minor, 0);
            EXPECT_EQ(h.data_offset % 64, 0u);
            EXPECT_EQ(h.data_offset + row.raw.size(), file.size());
            EXPECT_EQ(h.info, a.info());
            ++versions[row.extra];

            // Our header text is numpy's, byte for byte, for the version numpy chose.
            EXPECT_EQ(colsnap::format_npy_header(a.info(), row.extra == "save" ? 0 : want_major),
                      preamble(file, h.data_offset));
            if (row.extra == "save") {
                // And the whole .npy we write is byte-identical to np.save's.
                const fs::path ours = dir / ("ours_" + row.file);
                colsnap::write_npy(ours, a.info(), a.bytes(), {.durable = false});
                EXPECT_EQ(first_diff(read_file(ours), file), -1) << "write_npy != np.save";
            }
            // The in-memory parser agrees with the file reader.
            auto owner = std::make_shared<std::vector<std::byte>>(file);
            colsnap::array m = colsnap::parse_npy(*owner, owner);
            EXPECT_EQ(m.info(), a.info());
            EXPECT_EQ(first_diff(m.bytes(), row.raw), -1);
        } catch (const colsnap::error& e) {
            ADD_FAILURE() << "colsnap refused a file numpy wrote: " << e.what();
        }
    }
    EXPECT_GT(versions["1.0"], 0);
    EXPECT_GT(versions["2.0"], 0);
    EXPECT_GT(versions["3.0"], 0);
}

TEST(NumpyWritesColsnapReads, NpzSavezCompressedPositionalUnicodeAndDataDescriptors) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    temp_dir dir("interop-npz");
    ASSERT_NO_FATAL_FAILURE(numpy_writes("write-npz", dir));
    std::vector<std::byte> blob;
    auto rows = read_manifest(dir.path(), "manifest.tsv", blob);
    std::map<std::string, std::vector<const manifest_row*>> by_file;
    for (const auto& r : rows) by_file[r.file].push_back(&r);
    ASSERT_EQ(by_file.size(), 5u);

    for (const auto& [file, members] : by_file) {
        SCOPED_TRACE(file);
        try {
            const auto reader = colsnap::npz_reader::open(dir / file);
            EXPECT_EQ(reader.members().size(), members.size());
            reader.verify();
            const auto bytes = std::make_shared<std::vector<std::byte>>(read_file(dir / file));
            const auto mem = colsnap::npz_reader::from_memory(*bytes, bytes, "memory:" + file);
            EXPECT_EQ(mem.members().size(), members.size());
            for (std::size_t i = 0; i < members.size(); ++i) {
                const manifest_row& row = *members[i];
                SCOPED_TRACE(row.key);
                // Archive order is numpy's order.
                EXPECT_EQ(reader.members()[i].name, row.key);
                const colsnap::member_info* m = reader.find(row.key);
                ASSERT_NE(m, nullptr) << "member not found by its numpy key";
                EXPECT_EQ(reader.find(row.key + ".npy"), m) << "not found by zip name";
                EXPECT_EQ(m->name, row.key);
                EXPECT_EQ(m->zip_name, row.key + ".npy");
                EXPECT_EQ(m->method, row.extra == "stored" ? colsnap::compression::stored
                                                           : colsnap::compression::deflate);
                EXPECT_EQ(m->npy.info.type.descr(), row.descr);
                EXPECT_EQ(m->npy.info.shape, row.shape);
                EXPECT_EQ(m->npy.info.fortran_order, row.fortran);
                EXPECT_EQ(m->uncompressed_size, m->npy.data_offset + row.raw.size());
                EXPECT_EQ(first_diff(reader.raw(row.key).bytes(), row.raw), -1) << "raw differs";
                colsnap::array g = reader.get(row.key);
                EXPECT_EQ(first_diff(g.bytes(), row.native), -1) << "get() differs";
                EXPECT_EQ(g.shape(), row.shape);
                EXPECT_TRUE(g.type().is_native());
                EXPECT_EQ(first_diff(mem.get(row.key).bytes(), row.native), -1);
            }
        } catch (const colsnap::error& e) {
            ADD_FAILURE() << "colsnap refused an archive numpy wrote: " << e.what();
        }
    }
}

// member_info::zero_copy() promises "true when get() can return a view into the mapped file
// without a copy": check it against what get() actually does, on numpy's unaligned members.
TEST(NumpyWritesColsnapReads, ZeroCopyPredicateAgreesWithGet) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    temp_dir dir("interop-zc");
    ASSERT_NO_FATAL_FAILURE(numpy_writes("write-npz", dir));
    try {
        const auto reader = colsnap::npz_reader::open(dir / "numpy_stored.npz");
        int borrowed = 0;
        for (const auto& m : reader.members()) {
            const colsnap::array g = reader.get(m.name);
            EXPECT_EQ(g.borrowed(), m.zero_copy())
                << m.name << " (" << m.npy.info.type.descr() << ", " << m.npy.info.shape_string()
                << ", payload at offset " << m.array_offset() << "): get() "
                << (g.borrowed() ? "borrows" : "copies") << " but zero_copy() is " << m.zero_copy();
            borrowed += g.borrowed();
        }
        EXPECT_GT(borrowed, 0);
    } catch (const colsnap::error& e) {
        FAIL() << e.what();
    }
}

TEST(NumpyWritesColsnapReads, SeventyThousandMembersZip64) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    constexpr int n = 70000;
    temp_dir dir("interop-many");
    ASSERT_NO_FATAL_FAILURE(numpy_writes("write-many", dir, std::to_string(n)));
    try {
        const auto reader = colsnap::npz_reader::open(dir / "numpy_many.npz");
        ASSERT_EQ(reader.members().size(), static_cast<std::size_t>(n));
        int bad = 0;
        for (int i = 0; i < n && bad < 10; ++i) {
            char name[16];
            std::snprintf(name, sizeof name, "m%06d", i);
            const auto& m = reader.members()[static_cast<std::size_t>(i)];
            if (m.name != name) {
                ADD_FAILURE() << "member " << i << " is " << m.name << ", want " << name;
                ++bad;
                continue;
            }
            colsnap::array keep;
            auto v = reader.values<std::int64_t>(name, keep);
            if (v.size() != 2 || v[0] != std::int64_t{i} * 7919 || v[1] != -i) {
                ADD_FAILURE() << "member " << name << " has wrong values";
                ++bad;
            }
        }
        reader.verify();
    } catch (const colsnap::error& e) {
        FAIL() << "colsnap refused numpy's 70,000-member archive: " << e.what();
    }
}

} // namespace
