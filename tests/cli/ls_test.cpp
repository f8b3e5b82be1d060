// colsnap ls: one aligned row per member, checked against the library's own reading.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

#include <numeric>

using namespace cli_test;

namespace {

/// An archive with stored and deflated members of several dtypes and shapes.
std::filesystem::path write_mixed(const temp_dir& dir) {
    static const std::vector<std::int32_t> ints{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    static const std::vector<double> grid{0.5, 1.5, 2.5, 3.5, 4.5, 5.5};
    static const std::vector<std::uint8_t> bytes(1000, 7);
    static const bool flag = true;
    const auto path = dir / "mixed.npz";
    colsnap::npz_writer w(path);
    w.add(colsnap::column<std::int32_t>("a", ints));
    w.add(colsnap::column<double>("grid/xy", grid, {2, 3}));
    w.add(colsnap::scalar("flag", flag));
    w.add(colsnap::column<std::uint8_t>("packed bytes", bytes), colsnap::compression::deflate, 6);
    w.commit();
    return path;
}

} // namespace

TEST(cli_ls, lists_every_member_of_an_npz_with_the_readers_figures) {
    temp_dir dir;
    const auto path = write_mixed(dir);
    const run_result r = run_colsnap({"ls", path.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const std::vector<ls_row> rows = parse_ls(r.out);
    ASSERT_EQ(rows.size(), 4u);

    const colsnap::npz_reader reader = colsnap::npz_reader::open(path);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const colsnap::member_info& m = reader.members()[i];
        SCOPED_TRACE(m.name);
        EXPECT_EQ(rows[i].name, m.name); // archive order, names with spaces intact
        EXPECT_EQ(rows[i].compressed, m.compressed_size);
        EXPECT_EQ(rows[i].uncompressed, m.uncompressed_size);
    }
    EXPECT_EQ(rows[0].dtype, colsnap::dtype_of<std::int32_t>().descr());
    EXPECT_EQ(rows[0].shape, "(10,)");
    EXPECT_EQ(rows[1].dtype, colsnap::dtype_of<double>().descr());
    EXPECT_EQ(rows[1].shape, "(2, 3)");
    EXPECT_EQ(rows[2].dtype, "|b1");
    EXPECT_EQ(rows[2].shape, "()");
    EXPECT_EQ(rows[3].dtype, "|u1");
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(rows[i].order, "C");
        EXPECT_EQ(rows[i].method, "stored");
        EXPECT_EQ(rows[i].compressed, rows[i].uncompressed);
        EXPECT_EQ(rows[i].offset % 64, 0u) << "stored payloads are 64-byte aligned";
        EXPECT_EQ(rows[i].offset, reader.members()[i].array_offset());
        EXPECT_EQ(rows[i].zero_copy, "yes");
    }
    EXPECT_EQ(rows[3].method, "deflate");
    EXPECT_LT(rows[3].compressed, rows[3].uncompressed); // 1000 equal bytes deflate well
    EXPECT_EQ(rows[3].offset, reader.members()[3].data_offset);
    EXPECT_EQ(rows[3].zero_copy, "no");
}

TEST(cli_ls, an_npy_is_one_member_named_dash) {
    temp_dir dir;
    const std::vector<float> v(100, 1.25f);
    const auto path = dir / "one.npy";
    colsnap::write_npy<float>(path, v, {10, 10});
    const run_result r = run_colsnap({"ls", path.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<ls_row> rows = parse_ls(r.out);
    ASSERT_EQ(rows.size(), 1u);
    const auto size = std::filesystem::file_size(path);
    EXPECT_EQ(rows[0].name, "-");
    EXPECT_EQ(rows[0].dtype, colsnap::dtype_of<float>().descr());
    EXPECT_EQ(rows[0].shape, "(10, 10)");
    EXPECT_EQ(rows[0].method, "stored");
    EXPECT_EQ(rows[0].compressed, size);
    EXPECT_EQ(rows[0].uncompressed, size);
    EXPECT_EQ(rows[0].offset + 400, size); // the payload ends the file
    EXPECT_EQ(rows[0].offset % 64, 0u);
    EXPECT_EQ(rows[0].zero_copy, "yes");
}

TEST(cli_ls, shows_numpy_byte_order_fortran_order_and_compression) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
a = np.arange(12, dtype='>f8').reshape(3, 4)
np.savez_compressed(sys.argv[1] + '/np.npz', big=a, fort=np.asfortranarray(np.arange(6, dtype='<i2').reshape(2, 3)))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    const run_result r = run_colsnap({"ls", (dir / "np.npz").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<ls_row> rows = parse_ls(r.out);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].name, "big");
    EXPECT_EQ(rows[0].dtype, ">f8");
    EXPECT_EQ(rows[0].shape, "(3, 4)");
    EXPECT_EQ(rows[0].order, "C");
    EXPECT_EQ(rows[0].method, "deflate");
    EXPECT_EQ(rows[1].name, "fort");
    EXPECT_EQ(rows[1].dtype, "<i2");
    EXPECT_EQ(rows[1].order, "F");
    for (const ls_row& row : rows) EXPECT_EQ(row.zero_copy, "no");
}
