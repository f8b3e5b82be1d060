// array_file: any .npy or .npz, told apart by its first bytes, seen as members.

#include "test_util.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <utility>
#include <vector>

using colsnap::array_file;
using colsnap::file_kind;

namespace {

TEST(ArrayFile, SniffsTheMagicThenFallsBackToTheExtension) {
    const auto npy = test_util::bytes_of("\x93NUMPY\x01\x00");
    const auto zip = test_util::bytes_of("PK\x03\x04");
    const auto other = test_util::bytes_of("hello");
    EXPECT_EQ(colsnap::sniff_kind(npy, "a.npz"), file_kind::npy);
    EXPECT_EQ(colsnap::sniff_kind(zip, "a.npy"), file_kind::npz);
    EXPECT_EQ(colsnap::sniff_kind(other, "a.npy"), file_kind::npy);
    EXPECT_EQ(colsnap::sniff_kind(other, "a.npz"), file_kind::npz);
    EXPECT_EQ(colsnap::sniff_kind({}, "a"), file_kind::npz);
}

TEST(ArrayFile, AnNpyIsOneStoredMemberNamedEmpty) {
    test_util::temp_dir dir;
    const std::vector<double> v = {1.5, 2.5, 3.5};
    colsnap::write_npy(dir / "a.npy", std::span<const double>(v));
    std::filesystem::rename(dir / "a.npy", dir / "a.bin"); // the name plays no part
    const auto f = array_file::open(dir / "a.bin");
    EXPECT_EQ(f.kind(), file_kind::npy);
    EXPECT_EQ(f.archive(), nullptr);
    EXPECT_EQ(f.label(), (dir / "a.bin").string());
    ASSERT_EQ(f.members().size(), 1u);
    const colsnap::member_info& m = f.members().front();
    EXPECT_EQ(m.name, "");
    EXPECT_EQ(m.method, colsnap::compression::stored);
    EXPECT_EQ(m.compressed_size, f.file_size());
    EXPECT_EQ(m.uncompressed_size, f.file_size());
    EXPECT_EQ(m.array_offset(), f.file_size() - 24); // the payload ends the file
    EXPECT_TRUE(m.zero_copy());
    EXPECT_EQ(f.find(""), &m);
    EXPECT_EQ(f.find("x"), nullptr);
    const auto a = f.raw(m);
    EXPECT_TRUE(a.borrowed());
    ASSERT_EQ(a.values<double>().size(), 3u);
    EXPECT_EQ(a.values<double>()[2], 3.5);
    EXPECT_NO_THROW(f.verify());
}

TEST(ArrayFile, AnNpzIsItsArchivesMembers) {
    test_util::temp_dir dir;
    const std::vector<std::int32_t> v = {1, 2, 3};
    const std::vector<colsnap::column_ref> cols = {colsnap::column("a", v),
                                                   colsnap::column("b/c", v)};
    colsnap::save_npz(dir / "w.npy", cols); // misnamed on purpose
    const auto f = array_file::open(dir / "w.npy");
    EXPECT_EQ(f.kind(), file_kind::npz);
    ASSERT_NE(f.archive(), nullptr);
    EXPECT_EQ(&f.members(), &f.archive()->members());
    ASSERT_EQ(f.members().size(), 2u);
    EXPECT_EQ(f.find("b/c"), &f.members()[1]);
    EXPECT_EQ(f.raw(f.members()[1]).values<std::int32_t>()[1], 2);
    EXPECT_NO_THROW(f.verify());
}

TEST(ArrayFile, ErrorsNameTheFile) {
    test_util::temp_dir dir;
    test_util::write_file(dir / "cut.npy", test_util::bytes_of("\x93NUMPY\x01\x00"));
    for (const auto& [name, code] : {std::pair{"cut.npy", colsnap::errc::truncated},
                                     std::pair{"missing.npz", colsnap::errc::io_error}}) {
        try {
            (void)array_file::open(dir / name);
            ADD_FAILURE() << name << " was opened";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), code) << e.what();
            EXPECT_EQ(e.file(), (dir / name).string());
        }
    }
}

} // namespace

// An error of values<T>() or field() names the file and the member the array was read from,
// like every other error (and a converted copy keeps them).
TEST(ArrayOrigin, ValuesAndFieldErrorsNameTheFileAndTheMember) {
    test_util::temp_dir dir;
    const std::vector<double> x{1.0, 2.0, 3.0};
    const auto npz = dir / "w.npz";
    const std::vector<colsnap::column_ref> cols{colsnap::column("creature/pos_x", x)};
    colsnap::save_npz(npz, cols);
    const auto expect_named = [](const colsnap::array& a, const std::string& file,
                                 const std::string& member) {
        try {
            (void)a.values<std::int32_t>();
            ADD_FAILURE() << "values<int32_t>() of <f8 did not throw";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), colsnap::errc::type_mismatch);
            EXPECT_EQ(e.file(), file);
            EXPECT_EQ(e.member(), member);
            EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
        }
        try {
            (void)a.field("x");
            ADD_FAILURE() << "field() of <f8 did not throw";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.file(), file);
            EXPECT_EQ(e.member(), member);
        }
    };
    const colsnap::npz_reader rd = colsnap::npz_reader::open(npz);
    expect_named(rd.get("creature/pos_x"), npz.string(), "creature/pos_x");
    EXPECT_EQ(rd.get("creature/pos_x").file(), npz.string());

    const auto npy = dir / "x.npy";
    colsnap::write_npy(npy, std::span<const double>(x), {3});
    expect_named(colsnap::read_npy(npy), npy.string(), "");

    // a Fortran-order array: to_native_c() makes a C-order copy, which keeps where it came from
    const auto fortran = dir / "f.npy";
    const std::vector<double> four{1.0, 2.0, 3.0, 4.0};
    colsnap::write_npy(fortran, colsnap::array_info{colsnap::dtype_of<double>(), {2, 2}, true},
                       std::as_bytes(std::span(four)));
    const colsnap::array f = colsnap::read_npy(fortran);
    const colsnap::array c = f.to_native_c();
    ASSERT_NE(c.bytes().data(), f.bytes().data()); // a converted copy, not *this
    expect_named(c, fortran.string(), "");
}
