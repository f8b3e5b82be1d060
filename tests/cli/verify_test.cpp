// colsnap verify: "ok: FILE: N members, B bytes", or exit 1 naming what is wrong.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

using namespace cli_test;

namespace {

std::filesystem::path write_three(const temp_dir& dir, colsnap::compression method) {
    static const std::vector<std::int64_t> a(500, 42);
    static const std::vector<float> b(300, 0.25f);
    static const std::vector<std::uint16_t> c(200, 9);
    const auto path = dir / (method == colsnap::compression::stored ? "s.npz" : "d.npz");
    colsnap::npz_writer w(path, colsnap::write_options{method});
    w.add(colsnap::column<std::int64_t>("a", a));
    w.add(colsnap::column<float>("b", b));
    w.add(colsnap::column<std::uint16_t>("c", c));
    w.commit();
    return path;
}

/// Runs verify on @p file and expects "ok: FILE: N member(s), B bytes" (the file is named).
void expect_ok_line(const std::filesystem::path& file, std::uint64_t members) {
    const run_result r = run_colsnap({"verify", file.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const std::string noun = members == 1 ? "member" : "members";
    EXPECT_EQ(r.out, "ok: " + file.string() + ": " + std::to_string(members) + " " + noun + ", " +
                         std::to_string(std::filesystem::file_size(file)) + " bytes\n");
}

/// Flips one byte of the file at @p offset.
void flip(const std::filesystem::path& p, std::uint64_t offset) {
    std::string bytes = read_text(p);
    bytes.at(offset) = static_cast<char>(bytes.at(offset) ^ 0x5a);
    write_text(p, bytes);
}

} // namespace

TEST(cli_verify, reports_members_and_bytes_of_good_archives) {
    temp_dir dir;
    for (auto method : {colsnap::compression::stored, colsnap::compression::deflate}) {
        const auto path = write_three(dir, method);
        expect_ok_line(path, 3);
    }
}

TEST(cli_verify, reports_one_member_for_an_npy) {
    temp_dir dir;
    const std::vector<double> v{1, 2, 3};
    const auto path = dir / "v.npy";
    colsnap::write_npy<double>(path, v);
    expect_ok_line(path, 1);
}

TEST(cli_verify, a_flipped_payload_byte_is_a_crc_mismatch_naming_file_and_member) {
    temp_dir dir;
    for (auto method : {colsnap::compression::stored, colsnap::compression::deflate}) {
        const auto path = write_three(dir, method);
        const colsnap::npz_reader reader = colsnap::npz_reader::open(path);
        const colsnap::member_info& b = reader.members()[1];
        // Stored: the last payload byte. Deflate: a byte in the middle of the stream (the last
        // byte may hold only padding bits after the end-of-block code).
        flip(path, method == colsnap::compression::stored ? b.data_offset + b.compressed_size - 1
                                                          : b.data_offset + b.compressed_size / 2);
        const run_result r = run_colsnap({"verify", path.string()});
        EXPECT_EQ(r.code, 1);
        EXPECT_EQ(r.out, "");
        EXPECT_TRUE(one_error_line(r.err)) << r.err;
        EXPECT_NE(r.err.find(path.string()), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("member b"), std::string::npos) << r.err;
        if (method == colsnap::compression::stored) {
            EXPECT_NE(r.err.find("crc_mismatch"), std::string::npos) << r.err;
        }
    }
}

TEST(cli_verify, truncated_files_are_invalid) {
    temp_dir dir;
    const auto npz = write_three(dir, colsnap::compression::stored);
    const std::string bytes = read_text(npz);
    write_text(npz, bytes.substr(0, bytes.size() / 2));
    run_result r = run_colsnap({"verify", npz.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;

    const std::vector<std::int32_t> v(100, 5);
    const auto npy = dir / "t.npy";
    colsnap::write_npy<std::int32_t>(npy, v);
    std::filesystem::resize_file(npy, std::filesystem::file_size(npy) - 4);
    r = run_colsnap({"verify", npy.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
    EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
}

TEST(cli_verify, numpy_archives_verify) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
np.savez(sys.argv[1] + '/a.npz', x=np.arange(10), y=np.ones((3, 3), dtype='>c16'))
np.savez_compressed(sys.argv[1] + '/b.npz', z=np.zeros(1000, dtype=np.float16))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    expect_ok_line(dir / "a.npz", 2);
    expect_ok_line(dir / "b.npz", 1);
}
