// npz_writer / npz_reader round trips through the public API: layout, alignment, zip64,
// reproducibility and the atomic commit.
#include "test_util.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <numeric>
#include <random>

namespace {

namespace fs = std::filesystem;

// The project's temp dir, with the member spelling these tests use.
struct temp_dir {
    test_util::temp_dir dir;
    const fs::path& path = dir.path();
};

std::vector<std::byte> slurp(const fs::path& p) { return test_util::read_file(p); }

struct world {
    std::vector<float> pos_x;
    std::vector<double> birth_t;
    std::vector<std::uint32_t> id;
    std::vector<std::int16_t> grid; // 2-d
    std::uint64_t tick = 42;
    explicit world(std::size_t n) : pos_x(n), birth_t(n), id(n), grid(6 * 7) {
        std::mt19937 rng(7);
        for (std::size_t i = 0; i < n; ++i) {
            pos_x[i] = static_cast<float>(rng()) / 1e6f;
            birth_t[i] = static_cast<double>(rng()) * 1e-3;
            id[i] = static_cast<std::uint32_t>(i);
        }
        std::iota(grid.begin(), grid.end(), std::int16_t{-20});
    }
    std::vector<colsnap::column_ref> columns() const {
        return {colsnap::column("creature/pos_x", std::span<const float>(pos_x)),
                colsnap::column("creature/birth_t", std::span<const double>(birth_t)),
                colsnap::column("creature/id", std::span<const std::uint32_t>(id)),
                colsnap::column("grid", std::span<const std::int16_t>(grid), {6, 7}),
                colsnap::scalar("meta/tick", tick)};
    }
};

template <typename T>
void expect_equal(const colsnap::npz_reader& r, const char* name, const std::vector<T>& want) {
    colsnap::array keep;
    const auto got = r.values<T>(name, keep);
    ASSERT_EQ(got.size(), want.size()) << name;
    EXPECT_EQ(std::memcmp(got.data(), want.data(), want.size() * sizeof(T)), 0) << name;
}

class NpzWriter : public ::testing::TestWithParam<colsnap::compression> {};

TEST_P(NpzWriter, RoundTripsEveryColumn) {
    temp_dir dir;
    const world w(10'000);
    colsnap::write_options opt;
    opt.method = GetParam();
    opt.durable = false;
    colsnap::save_npz(dir.path / "w.npz", w.columns(), opt);
    const auto r = colsnap::npz_reader::open(dir.path / "w.npz");
    ASSERT_EQ(r.members().size(), 5u);
    EXPECT_EQ(r.members()[0].name, "creature/pos_x"); // caller's order is kept
    EXPECT_EQ(r.members()[4].name, "meta/tick");
    expect_equal(r, "creature/pos_x", w.pos_x);
    expect_equal(r, "creature/birth_t", w.birth_t);
    expect_equal(r, "creature/id", w.id);
    expect_equal(r, "grid", w.grid);
    const auto grid = r.get("grid");
    EXPECT_EQ(grid.shape(), (std::vector<std::uint64_t>{6, 7}));
    const auto tick = r.get("meta/tick");
    EXPECT_TRUE(tick.shape().empty());
    EXPECT_EQ(tick.values<std::uint64_t>()[0], 42u);
    EXPECT_NO_THROW(r.verify());
    EXPECT_NE(r.find("creature/id.npy"), nullptr); // zip name works too
    EXPECT_EQ(r.find("creature/nope"), nullptr);
    EXPECT_THROW((void)r.get("creature/nope"), colsnap::error);
}

TEST_P(NpzWriter, SameArraysGiveSameBytes) {
    temp_dir dir;
    const world w(3'000);
    colsnap::write_options opt;
    opt.method = GetParam();
    opt.durable = false;
    colsnap::save_npz(dir.path / "a.npz", w.columns(), opt);
    opt.threads = 1; // parallel and sequential deflate must agree too
    colsnap::save_npz(dir.path / "b.npz", w.columns(), opt);
    EXPECT_EQ(slurp(dir.path / "a.npz"), slurp(dir.path / "b.npz"));
}

INSTANTIATE_TEST_SUITE_P(Methods, NpzWriter,
                         ::testing::Values(colsnap::compression::stored,
                                           colsnap::compression::deflate),
                         [](const auto& param_info) {
                             return param_info.param == colsnap::compression::stored ? "stored"
                                                                                     : "deflate";
                         });

TEST(NpzWriter, StoredMembersAreAlignedAndZeroCopy) {
    temp_dir dir;
    const world w(1'001);
    colsnap::write_options opt;
    opt.durable = false;
    colsnap::save_npz(dir.path / "w.npz", w.columns(), opt);
    const auto r = colsnap::npz_reader::open(dir.path / "w.npz");
    for (const auto& m : r.members()) {
        EXPECT_EQ(m.data_offset % 64, 0u) << m.name;
        EXPECT_EQ(m.array_offset() % 64, 0u) << m.name;
        EXPECT_TRUE(m.zero_copy()) << m.name;
        EXPECT_TRUE(r.get(m.name).borrowed()) << m.name;
    }
}

TEST(NpzWriter, DeflatedMembersAreDecodedIntoOwnedBuffers) {
    temp_dir dir;
    const world w(5'000);
    colsnap::write_options opt;
    opt.method = colsnap::compression::deflate;
    opt.level = 1;
    opt.durable = false;
    colsnap::save_npz(dir.path / "w.npz", w.columns(), opt);
    const auto r = colsnap::npz_reader::open(dir.path / "w.npz");
    const auto& m = *r.find("creature/id");
    EXPECT_EQ(m.method, colsnap::compression::deflate);
    EXPECT_LT(m.compressed_size, m.uncompressed_size); // sequential ids compress
    EXPECT_FALSE(r.get("creature/id").borrowed());
}

TEST(NpzWriter, MoreThan65535MembersUseZip64EndRecords) {
    temp_dir dir;
    const std::size_t n = 70'000;
    std::vector<std::uint16_t> values(n);
    std::iota(values.begin(), values.end(), std::uint16_t{0});
    {
        colsnap::npz_writer wr(dir.path / "many.npz", {.durable = false});
        for (std::size_t i = 0; i < n; ++i)
            wr.add(colsnap::column(std::string("m").append(std::to_string(i)),
                                   std::span<const std::uint16_t>(&values[i], 1)));
        wr.commit();
    }
    const auto r = colsnap::npz_reader::open(dir.path / "many.npz");
    ASSERT_EQ(r.members().size(), n);
    colsnap::array keep;
    EXPECT_EQ(r.values<std::uint16_t>("m69999", keep)[0], static_cast<std::uint16_t>(69999));
    EXPECT_EQ(r.values<std::uint16_t>("m0", keep)[0], 0);
}

TEST(NpzWriter, UncommittedWriterLeavesNothingBehind) {
    temp_dir dir;
    const world w(100);
    {
        colsnap::npz_writer wr(dir.path / "w.npz");
        wr.add(w.columns()[0]);
    }
    EXPECT_TRUE(fs::is_empty(dir.path)) << "temp file left behind or target created";
}

TEST(NpzWriter, FailedWriteKeepsThePreviousFile) {
    temp_dir dir;
    const world w(100);
    colsnap::save_npz(dir.path / "w.npz", w.columns());
    const auto before = slurp(dir.path / "w.npz");
    auto cols = w.columns();
    cols.push_back(cols[0]); // duplicate name: refused mid-write
    try {
        colsnap::save_npz(dir.path / "w.npz", cols);
        FAIL() << "duplicate member accepted";
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), colsnap::errc::duplicate_member);
        EXPECT_EQ(e.member(), "creature/pos_x");
    }
    EXPECT_EQ(slurp(dir.path / "w.npz"), before);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}), 1);
}

TEST(NpzWriter, RejectsColumnWhoseBytesDisagreeWithShape) {
    // One check and one message, naming the file and the member, on every path: add(), and
    // save_npz stored, deflated serially and deflated on worker threads.
    temp_dir dir;
    std::vector<float> v(10), ok(3);
    const std::vector<colsnap::column_ref> cols = {
        colsnap::column("ok", std::span<const float>(ok)),
        colsnap::column("x", std::span<const float>(v), {11})};
    const fs::path path = dir.path / "x.npz";
    auto expect_refused = [&](auto&& write) {
        try {
            write();
            FAIL() << "a column of 40 bytes with shape (11,) was accepted";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), colsnap::errc::invalid_argument);
            EXPECT_EQ(e.file(), path.string());
            EXPECT_EQ(e.member(), "x");
            EXPECT_EQ(e.detail(), "column: shape (11,) of <f4 needs 44 bytes, got 40");
        }
        EXPECT_FALSE(fs::exists(path));
    };
    expect_refused([&] {
        colsnap::npz_writer wr(path);
        wr.add(cols[1]);
    });
    expect_refused([&] { colsnap::save_npz(path, cols); });
    for (const unsigned threads : {1u, 2u})
        expect_refused([&] {
            colsnap::save_npz(path, cols,
                              {.method = colsnap::compression::deflate, .threads = threads});
        });
}

// Names a message would have to escape, or that would leave the directory when unzipped, are
// refused before anything is written; the same names are fine one byte away.
TEST(NpzWriter, RefusesUnsafeMemberNames) {
    using namespace std::string_literals;
    temp_dir dir;
    std::vector<float> v(4);
    const struct {
        std::string name, why;
    } bad[] = {
        {"", "must be 1..65531 bytes"},
        {std::string(65532, 'n'), "must be 1..65531 bytes"},
        {"a\0b"s, "has control character \\x00 at byte 1"},
        {"line\nbreak", "has control character \\x0a at byte 4"},
        {"del\x7f", "has control character \\x7f at byte 3"},
        {"bad\xff utf8", "is not UTF-8 (byte 3)"},
        {"over\xc0\xaflong", "is not UTF-8 (byte 4)"},
        {"cut\xe2\x82", "is not UTF-8 (byte 3)"},
        {"win\\path", "has a backslash at byte 3"},
        {"../evil", "has a '..' component"},
        {"a/../../evil", "has a '..' component"},
        {"a/..", "has a '..' component"},
        {"..", "has a '..' component"},
        {"/etc/passwd", "is an absolute path"},
        {"C:evil", "starts with a drive letter"},
    };
    for (const auto& b : bad) {
        SCOPED_TRACE(b.name.substr(0, 40));
        colsnap::npz_writer wr(dir.path / "n.npz");
        try {
            wr.add(colsnap::column(b.name, std::span<const float>(v)));
            ADD_FAILURE() << "accepted";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), colsnap::errc::invalid_argument);
            EXPECT_EQ(e.member(), b.name);
            const std::string what = e.what();
            EXPECT_NE(what.find("member name " + b.why), std::string::npos) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
            EXPECT_EQ(what.size(), std::strlen(e.what())) << "a NUL in what()";
        }
        EXPECT_FALSE(fs::exists(dir.path / "n.npz"));
    }
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}), 0);
    // Neighbours of those names are fine, and read back as written.
    const std::vector<std::string> good = {"a..b",
                                           "..a",
                                           "a/..b/c",
                                           "./a",
                                           "a/./b",
                                           "xy:z",
                                           "1:x",
                                           "caf\xc3\xa9",
                                           "\xf0\x9f\x90\x9f",
                                           "a b",
                                           "a//b",
                                           "a/",
                                           std::string(65531, 'n')};
    std::vector<colsnap::column_ref> cols;
    for (const std::string& n : good) cols.push_back(colsnap::column(n, std::span<const float>(v)));
    colsnap::save_npz(dir.path / "good.npz", cols);
    const auto r = colsnap::npz_reader::open(dir.path / "good.npz");
    ASSERT_EQ(r.members().size(), good.size());
    for (std::size_t i = 0; i < good.size(); ++i) EXPECT_EQ(r.members()[i].name, good[i]);
}

TEST(NpzWriter, RejectsBadDeflateLevel) {
    temp_dir dir;
    EXPECT_THROW(colsnap::npz_writer(dir.path / "x.npz",
                                     {.method = colsnap::compression::deflate, .level = 13}),
                 colsnap::error);
}

TEST(NpzReader, CrcMismatchInStoredMemberIsReported) {
    temp_dir dir;
    const world w(1'000);
    colsnap::save_npz(dir.path / "w.npz", w.columns(), {.durable = false});
    std::uint64_t at = 0;
    {
        const auto r = colsnap::npz_reader::open(dir.path / "w.npz");
        at = r.find("creature/id")->array_offset() + 17;
    }
    {
        std::fstream f(dir.path / "w.npz", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(at));
        f.put('\x5a');
    }
    const auto r = colsnap::npz_reader::open(dir.path / "w.npz"); // directory is intact
    try {
        (void)r.get("creature/id");
        FAIL() << "corrupted payload accepted";
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), colsnap::errc::crc_mismatch);
        EXPECT_EQ(e.member(), "creature/id");
        EXPECT_NE(std::string(e.what()).find("w.npz"), std::string::npos);
    }
    EXPECT_THROW(r.verify(), colsnap::error);
    EXPECT_NO_THROW((void)r.get("creature/pos_x"));
}

TEST_P(NpzWriter, CheckCrcFalseSkipsTheCompareForEveryMember) {
    // A wrong CRC in the directory (the data are intact): check_crc = true refuses the member
    // whether stored or deflated; false reads it (still inflated and size-checked), and
    // verify() checks it anyway.
    temp_dir dir;
    const world w(1'000);
    const fs::path path = dir.path / "w.npz";
    colsnap::save_npz(path, w.columns(), {.method = GetParam(), .durable = false});
    auto bytes = slurp(path);
    auto u16 = [&](std::size_t at) {
        return std::to_integer<std::size_t>(bytes[at]) | std::to_integer<std::size_t>(bytes[at + 1])
                                                             << 8;
    };
    auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
    // APPNOTE 4.3.12: walk the central directory (offset in the EOCD) to creature/id's record.
    std::size_t cd = u32(bytes.size() - 22 + 16);
    while (std::string(reinterpret_cast<const char*>(&bytes[cd + 46]), u16(cd + 28)) !=
           "creature/id.npy")
        cd += 46 + u16(cd + 28) + u16(cd + 30) + u16(cd + 32);
    bytes[cd + 16] ^= std::byte{0x01};
    test_util::write_file(path, bytes);

    const auto checked = colsnap::npz_reader::open(path);
    try {
        (void)checked.get("creature/id");
        FAIL() << "wrong CRC accepted with check_crc = true";
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), colsnap::errc::crc_mismatch);
        EXPECT_EQ(e.member(), "creature/id");
    }
    colsnap::read_options unchecked_opt;
    unchecked_opt.check_crc = false;
    const auto unchecked = colsnap::npz_reader::open(path, unchecked_opt);
    expect_equal(unchecked, "creature/id", w.id);
    EXPECT_THROW(unchecked.verify(), colsnap::error);
}

TEST(NpzReader, RefusesNonZipAndEmptyFiles) {
    temp_dir dir;
    { std::ofstream(dir.path / "empty.npz"); }
    { std::ofstream(dir.path / "text.npz") << std::string(500, 'x'); }
    for (const char* f : {"empty.npz", "text.npz"}) {
        try {
            (void)colsnap::npz_reader::open(dir.path / f);
            FAIL() << f;
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), colsnap::errc::not_a_zip) << e.what();
            EXPECT_EQ(e.file(), (dir.path / f).string());
        }
    }
    try {
        (void)colsnap::npz_reader::open(dir.path / "missing.npz");
        FAIL();
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), colsnap::errc::io_error);
    }
}

TEST(NpzWriter, ForeignByteOrderAndFortranOrderSurviveRawAndConvertInGet) {
    temp_dir dir;
    // A 2x3 big-endian int32 array in Fortran order: memory holds columns first.
    const std::int32_t logical[2][3] = {{1, 2, 3}, {4, 5, 6}};
    std::vector<std::int32_t> fortran;
    for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 2; ++i)
            fortran.push_back(static_cast<std::int32_t>(
                __builtin_bswap32(static_cast<std::uint32_t>(logical[i][j]))));
    colsnap::column_ref c{
        "f", {colsnap::dtype::parse(">i4"), {2, 3}, true}, std::as_bytes(std::span(fortran))};
    colsnap::save_npz(dir.path / "f.npz", std::span(&c, 1), {.durable = false});
    const auto r = colsnap::npz_reader::open(dir.path / "f.npz");
    const auto raw = r.raw("f");
    EXPECT_EQ(raw.type().descr(), ">i4");
    EXPECT_TRUE(raw.info().fortran_order);
    EXPECT_EQ(std::memcmp(raw.bytes().data(), fortran.data(), 24), 0);
    const auto native = r.get("f");
    const auto v = native.values<std::int32_t>();
    EXPECT_EQ(std::vector<std::int32_t>(v.begin(), v.end()),
              (std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}));
}

} // namespace

namespace {

TEST(NpzReader, GetAllDecodesEveryMemberInParallelLikeGet) {
    temp_dir dir;
    const world w(20'000);
    colsnap::save_npz(dir.path / "w.npz", w.columns(),
                      {.method = colsnap::compression::deflate, .level = 1, .durable = false});
    const auto r = colsnap::npz_reader::open(dir.path / "w.npz");
    for (unsigned threads : {1u, 2u, 8u}) {
        const auto all = r.get_all(threads);
        ASSERT_EQ(all.size(), r.members().size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto one = r.get(r.members()[i].name);
            EXPECT_EQ(all[i].info(), one.info()) << r.members()[i].name;
            ASSERT_EQ(all[i].bytes().size(), one.bytes().size());
            EXPECT_EQ(std::memcmp(all[i].bytes().data(), one.bytes().data(), one.bytes().size()), 0)
                << r.members()[i].name << " with " << threads << " threads";
        }
    }
}

TEST(NpzReader, GetAllReportsTheFirstDamagedMemberInArchiveOrder) {
    temp_dir dir;
    const world w(2'000);
    colsnap::save_npz(dir.path / "w.npz", w.columns(), {.durable = false});
    std::vector<std::uint64_t> at;
    {
        const auto r = colsnap::npz_reader::open(dir.path / "w.npz");
        at = {r.find("creature/birth_t")->array_offset() + 3, r.find("grid")->array_offset() + 5};
    }
    {
        std::fstream f(dir.path / "w.npz", std::ios::in | std::ios::out | std::ios::binary);
        for (auto pos : at) {
            f.seekp(static_cast<std::streamoff>(pos));
            f.put('\x7f');
        }
    }
    const auto r = colsnap::npz_reader::open(dir.path / "w.npz");
    try {
        (void)r.get_all(4);
        FAIL() << "damaged members accepted";
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), colsnap::errc::crc_mismatch);
        EXPECT_EQ(e.member(), "creature/birth_t");
    }
}

} // namespace

namespace {

TEST(NpzWriter, AFailedAddClosesTheWriterAndLeavesNoFile) {
    temp_dir dir;
    const world w(10);
    colsnap::npz_writer wr(dir.path / "w.npz", {.durable = false});
    wr.add(w.columns()[0]);
    EXPECT_THROW(wr.add(w.columns()[0]), colsnap::error); // duplicate: the archive is dropped
    try {
        wr.add(w.columns()[1]);
        FAIL() << "a dropped writer accepted a member";
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), colsnap::errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("writer is closed"), std::string::npos) << e.what();
    }
    EXPECT_THROW(wr.commit(), colsnap::error);
    EXPECT_TRUE(fs::is_empty(dir.path));
}

} // namespace

// Members colsnap cannot type: written with add_file, listed with their kind, read as bytes.
TEST(NpzReader, MembersItCannotTypeAreListedAndReadAsBytes) {
    test_util::temp_dir dir;
    const fs::path path = dir / "mixed.npz";
    const std::string readme = "hello\n";
    // An object array's .npy as numpy writes it (the pickle itself is opaque to colsnap).
    std::string objs =
        colsnap::format_npy_header(colsnap::array_info{colsnap::dtype::parse("<f8"), {1}, false});
    objs.replace(objs.find("'<f8'"), 5, "'|O' ");
    objs += "\x80\x04pickle";
    const std::vector<double> x{1, 2};
    {
        colsnap::npz_writer w(path);
        w.add(colsnap::column<double>("x", x));
        w.add_file("readme.txt", std::as_bytes(std::span(readme)), colsnap::compression::deflate,
                   6);
        w.add_file("objs.npy", std::as_bytes(std::span(objs)), colsnap::compression::stored, 0);
        w.commit();
    }
    {
        colsnap::npz_writer w(dir / "dup.npz");
        w.add(colsnap::column<double>("x", x));
        EXPECT_THROW(
            w.add_file("x.npy", std::as_bytes(std::span(readme)), colsnap::compression::stored, 0),
            colsnap::error); // numpy's key "x" is taken
    }
    const auto r = colsnap::npz_reader::open(path);
    ASSERT_EQ(r.members().size(), 3u);
    EXPECT_EQ(r.members()[0].kind, colsnap::member_kind::array);
    EXPECT_EQ(r.members()[1].kind, colsnap::member_kind::other);
    EXPECT_EQ(r.members()[1].name, "readme.txt");
    EXPECT_EQ(r.members()[2].kind, colsnap::member_kind::objects);
    EXPECT_EQ(r.members()[2].name, "objs");
    EXPECT_EQ(colsnap::to_string(r.members()[2].kind), "object (pickled)");
    r.verify();
    const auto text = r.content(r.members()[1]);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(text.bytes.data()), text.bytes.size()),
              readme);
    const auto pickled = r.content(r.members()[2]);
    EXPECT_EQ(
        std::string(reinterpret_cast<const char*>(pickled.bytes.data()), pickled.bytes.size()),
        objs);
    for (const char* name : {"objs", "readme.txt"}) {
        SCOPED_TRACE(name);
        try {
            (void)r.get(name);
            ADD_FAILURE() << "get() read a member colsnap cannot type";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), colsnap::errc::unsupported_dtype);
            EXPECT_EQ(e.member(), name);
        }
    }
    EXPECT_EQ(r.get("x").values<double>()[1], 2.0);
}
