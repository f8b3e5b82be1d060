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
