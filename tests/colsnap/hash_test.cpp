// content_hash / hash_file: the canonical stream (checked against XXH3-128 computed here),
// independence from byte order, Fortran order and storage, sensitivity to every part.

#include "test_util.hpp"

#include <colsnap/colsnap.hpp>
#include <colsnap/hash.hpp>
#include <colsnap/npy.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <numeric>
#include <random>

using colsnap::array_info;
using colsnap::column_ref;
using colsnap::content_hash;
using colsnap::digest;
using colsnap::dtype;
using colsnap::errc;
using ::testing::HasSubstr;

using test_util::code_of;
using test_util::info;
using test_util::random_bytes;

namespace {

/// The same logical array in another byte order and/or memory order: @p in describes
/// @p src; returns the bytes for @p out (same dtype kind/size and shape).
std::vector<std::byte> relayout(const array_info& in, std::span<const std::byte> src,
                                const array_info& out) {
    const std::size_t size = in.type.itemsize, n = in.count(), nd = in.shape.size();
    const std::size_t w = in.type.kind == colsnap::dtype_kind::complex ? size / 2 : size;
    const bool swap = size > 1 && in.type.order != out.type.order;
    std::vector<std::byte> dst(src.size());
    std::vector<std::uint64_t> idx(nd);
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t rem = c;
        for (std::size_t a = nd; a-- > 0;) {
            idx[a] = rem % in.shape[a];
            rem /= in.shape[a];
        }
        auto linear = [&](bool fortran) {
            std::size_t s = 0;
            if (fortran)
                for (std::size_t a = nd; a-- > 0;) s = s * in.shape[a] + idx[a];
            else
                for (std::size_t a = 0; a < nd; ++a) s = s * in.shape[a] + idx[a];
            return s;
        };
        std::byte* d = dst.data() + linear(out.fortran_order) * size;
        std::memcpy(d, src.data() + linear(in.fortran_order) * size, size);
        if (swap)
            for (std::size_t h = 0; h < size; h += w) std::reverse(d + h, d + h + w);
    }
    return dst;
}

/// The canonical stream, spelled out independently of the library.
struct stream {
    std::vector<unsigned char> bytes;
    void u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<unsigned char>(v >> (8 * i)));
    }
    void raw(const void* p, std::size_t n) {
        const auto* c = static_cast<const unsigned char*>(p);
        bytes.insert(bytes.end(), c, c + n);
    }
    void member(std::string_view name, std::string_view descr, std::vector<std::uint64_t> shape,
                std::span<const std::byte> le_c_data) {
        u64(name.size());
        raw(name.data(), name.size());
        u64(descr.size());
        raw(descr.data(), descr.size());
        u64(shape.size());
        for (auto d : shape) u64(d);
        u64(le_c_data.size());
        raw(le_c_data.data(), le_c_data.size());
    }
    digest hash() const {
        const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
        return digest{h.high64, h.low64};
    }
};

digest hash_one(std::string name, const array_info& in, std::span<const std::byte> b) {
    const column_ref c{std::move(name), in, b};
    return content_hash(std::span<const column_ref>(&c, 1));
}

const char* const multi_byte[] = {"<i2", ">i2", "<u4", ">u4", "<i8", ">i8", "<f2",  ">f2",
                                  "<f4", ">f4", "<f8", ">f8", "<c8", ">c8", "<c16", ">c16"};

} // namespace

TEST(Hash, DigestHex) {
    EXPECT_EQ((digest{0x0123456789abcdefull, 0xfedcba9876543210ull}.hex()),
              "0123456789abcdeffedcba9876543210");
    EXPECT_EQ(digest{}.hex(), std::string(32, '0'));
}

TEST(Hash, StreamLayoutIsAsSpecified) {
    const std::vector<std::byte> x =
        test_util::bytes_of(std::string("\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00", 12));
    const std::vector<std::byte> y =
        test_util::bytes_of(std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8));
    const std::vector<std::byte> y_be =
        test_util::bytes_of(std::string("\x3f\xf0\x00\x00\x00\x00\x00\x00", 8));
    stream s;
    s.member("a/x", "<i4", {3}, x);
    s.member("b", "<f8", {}, y);
    const std::vector<column_ref> cols = {{"b", info(">f8", {}), y_be},
                                          {"a/x", info("<i4", {3}), x}};
    EXPECT_EQ(content_hash(cols), s.hash());

    stream empty;
    EXPECT_EQ(content_hash(std::span<const column_ref>()), empty.hash());
}

TEST(Hash, NamesSortByteWise) {
    // "B" (0x42) < "a" (0x61) < "z" < "\xc3\xa9" (é; a signed char compare would put it first)
    const std::vector<std::byte> d = random_bytes(4, 1);
    std::vector<std::string> names = {"z", "\xc3\xa9", "a", "B", "a/b", "a.b", ""};
    std::vector<std::string> sorted = {"", "B", "a", "a.b", "a/b", "z", "\xc3\xa9"};
    stream s;
    for (const auto& n : sorted) s.member(n, "|u1", {4}, d);
    for (int perm = 0; perm < 5; ++perm) {
        std::shuffle(names.begin(), names.end(), std::mt19937(perm));
        std::vector<column_ref> cols;
        for (const auto& n : names) cols.push_back({n, info("|u1", {4}), d});
        EXPECT_EQ(content_hash(cols), s.hash());
    }
}

TEST(Hash, IndependentOfByteOrderAndFortranOrder) {
    const std::vector<std::vector<std::uint64_t>> shapes = {
        {}, {0}, {7}, {2, 3}, {3, 1, 4}, {4, 5, 6}, {1, 9}, {2, 3, 2, 3}};
    for (const char* d : multi_byte)
        for (const auto& s : shapes) {
            const auto le_c = info(d, s);
            array_info canon = le_c;
            canon.type = canon.type.as_little();
            const auto data = random_bytes(canon.nbytes(), 7);
            const digest want = hash_one("m", canon, data);
            for (const char order : {'<', '>'})
                for (const bool f : {false, true}) {
                    array_info other = canon;
                    other.type.order =
                        order == '<' ? colsnap::byte_order::little : colsnap::byte_order::big;
                    other.fortran_order = f;
                    SCOPED_TRACE(other.type.descr() + " " + other.shape_string() +
                                 (f ? " F" : " C"));
                    const auto bytes = relayout(canon, data, other);
                    EXPECT_EQ(hash_one("m", other, bytes), want);
                }
        }
}

TEST(Hash, LargeArraysAreConvertedInChunks) {
    // Past the 1 MiB chunk: byte-swapped, Fortran, and Fortran with rows wider than a chunk.
    struct case_t {
        const char* descr;
        std::vector<std::uint64_t> shape;
    };
    const case_t cases[] = {{">f8", {300000}},    {"<f8", {700, 501}},     {">c16", {333, 2, 257}},
                            {"|u1", {3, 700001}}, {">f4", {2, 1, 300001}}, {"<i2", {1025, 1023}}};
    for (const auto& c : cases) {
        array_info canon = info(c.descr, c.shape);
        canon.type = canon.type.as_little();
        const auto data = random_bytes(canon.nbytes(), 11);
        const digest want = hash_one("big", canon, data);
        for (const bool f : {false, true}) {
            array_info other = info(c.descr, c.shape, f);
            SCOPED_TRACE(other.type.descr() + " " + other.shape_string() + (f ? " F" : " C"));
            EXPECT_EQ(hash_one("big", other, relayout(canon, data, other)), want);
        }
    }
}

TEST(Hash, FortranRowsWiderThanTheBufferAreStreamedInPieces) {
    // Rows of 16.8 MB (> the 16 MiB conversion budget): converted piece by piece, across the
    // middle axis, without buffering a whole row.
    array_info canon = info("|u1", {2, 3, 5600000});
    std::vector<std::byte> data(canon.nbytes());
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<std::byte>((i * 2654435761u) >> 13);
    const digest want = hash_one("wide", canon, data);
    const array_info fortran = info("|u1", {2, 3, 5600000}, true);
    EXPECT_EQ(hash_one("wide", fortran, relayout(canon, data, fortran)), want);
}

TEST(Hash, SensitiveToNameDtypeShapeAndData) {
    const auto data = random_bytes(24, 3);
    const digest base = hash_one("x", info("<i4", {6}), data);
    EXPECT_NE(hash_one("y", info("<i4", {6}), data), base);
    EXPECT_NE(hash_one("", info("<i4", {6}), data), base);
    EXPECT_NE(hash_one("x", info("<u4", {6}), data), base);
    EXPECT_NE(hash_one("x", info("<f4", {6}), data), base);
    EXPECT_NE(hash_one("x", info("<i2", {12}), data), base);
    EXPECT_NE(hash_one("x", info("|u1", {24}), data), base);
    EXPECT_NE(hash_one("x", info("<i4", {2, 3}), data), base);
    EXPECT_NE(hash_one("x", info("<i4", {3, 2}), data), base);
    EXPECT_NE(hash_one("x", info("<i4", {6, 1}), data), base);
    EXPECT_NE(hash_one("x", info("<i4", {2, 3}), data), hash_one("x", info("<i4", {3, 2}), data));
    for (const std::size_t at : {std::size_t{0}, std::size_t{11}, std::size_t{23}}) {
        auto flipped = data;
        flipped[at] ^= std::byte{1};
        EXPECT_NE(hash_one("x", info("<i4", {6}), flipped), base) << at;
    }
    // Moving bytes from one member to the next changes the hash (lengths are in the stream).
    const std::vector<column_ref> split1 = {{"a", info("|u1", {2}), std::span(data).first(2)},
                                            {"b", info("|u1", {1}), std::span(data).subspan(2, 1)}};
    const std::vector<column_ref> split2 = {{"a", info("|u1", {1}), std::span(data).first(1)},
                                            {"b", info("|u1", {2}), std::span(data).subspan(1, 2)}};
    EXPECT_NE(content_hash(split1), content_hash(split2));
    // An extra empty member counts.
    std::vector<column_ref> more = split1;
    more.push_back({"c", info("<f8", {0}), {}});
    EXPECT_NE(content_hash(more), content_hash(split1));
    // Fortran-ness alone is not content: a C array and a Fortran one of other values differ.
    EXPECT_NE(hash_one("x", info("<i4", {2, 3}, true), data),
              hash_one("x", info("<i4", {2, 3}), data));
}

TEST(Hash, RefusesDuplicateNamesAndWrongSizes) {
    const auto data = random_bytes(8, 1);
    const std::vector<column_ref> dup = {{"a", info("<f8", {1}), data},
                                         {"b", info("|u1", {8}), data},
                                         {"a", info("<i8", {1}), data}};
    try {
        (void)content_hash(dup);
        FAIL();
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), errc::duplicate_member);
        EXPECT_EQ(e.member(), "a");
    }
    const std::vector<column_ref> wrong = {{"a", info("<f8", {2}), data}};
    EXPECT_EQ(code_of([&] { (void)content_hash(wrong); }), errc::invalid_argument);
}

TEST(Hash, HashFileOfNpyIsOneMemberNamedEmpty) {
    test_util::temp_dir dir;
    array_info canon = info("<f8", {20, 30});
    const auto data = random_bytes(canon.nbytes(), 5);
    const digest want = hash_one("", canon, data);
    const auto other = info(">f8", {20, 30}, true);
    colsnap::write_npy(dir / "a.npy", other, relayout(canon, data, other),
                       colsnap::file_options{false});
    EXPECT_EQ(colsnap::hash_file(dir / "a.npy"), want);
    EXPECT_NE(colsnap::hash_file(dir / "a.npy"), hash_one("a", canon, data));
}

TEST(Hash, HashFileSniffsTheMagicBytesNotTheName) {
    // An .npy named .npz, and an .npz named .npy, hash as what they are (as the CLI reads them).
    test_util::temp_dir dir;
    const std::vector<std::int32_t> v = {1, -2, 3};
    colsnap::write_npy(dir / "a.npy", std::span<const std::int32_t>(v));
    const std::vector<column_ref> cols = {colsnap::column("v", std::span<const std::int32_t>(v))};
    colsnap::save_npz(dir / "b.npz", cols);
    std::filesystem::copy_file(dir / "a.npy", dir / "a_really.npz");
    std::filesystem::copy_file(dir / "b.npz", dir / "b_really.npy");
    EXPECT_EQ(colsnap::hash_file(dir / "a_really.npz"), colsnap::hash_file(dir / "a.npy"));
    EXPECT_EQ(colsnap::hash_file(dir / "b_really.npy"), content_hash(cols));
    // Neither magic: the extension picks the reader that explains what is wrong.
    test_util::write_file(dir / "junk.npy", test_util::bytes_of("hello"));
    test_util::write_file(dir / "junk.npz", test_util::bytes_of("hello"));
    for (const auto& [name, code] :
         {std::pair{"junk.npy", errc::bad_magic}, std::pair{"junk.npz", errc::not_a_zip}}) {
        try {
            colsnap::hash_file(dir / name);
            ADD_FAILURE() << name << " was hashed";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), code) << e.what();
            EXPECT_EQ(e.file(), (dir / name).string());
        }
    }
}

TEST(Hash, NpzFileHashEqualsTheLiveColumns) {
    test_util::temp_dir dir;
    const std::vector<float> pos{1.5f, 2.5f, -3.0f};
    const std::vector<std::int16_t> grid{1, 2, 3, 4, 5, 6};
    const std::uint64_t tick = 42;
    const std::vector<column_ref> cols = {
        colsnap::column("creature/pos_x", std::span<const float>(pos)),
        colsnap::column("grid", std::span<const std::int16_t>(grid), {2, 3}),
        colsnap::scalar("meta/tick", tick)};
    const digest want = content_hash(cols);
    for (const auto method : {colsnap::compression::stored, colsnap::compression::deflate}) {
        colsnap::write_options opt;
        opt.method = method;
        opt.durable = false;
        colsnap::save_npz(dir / "w.npz", cols, opt);
        EXPECT_EQ(colsnap::hash_file(dir / "w.npz"), want);
        EXPECT_EQ(content_hash(colsnap::npz_reader::open(dir / "w.npz")), want);
    }
}

TEST(Hash, NumpyWrittenNpzWithForeignLayoutsHashesLikeNativeColumns) {
    COLSNAP_REQUIRE_NUMPY();
    test_util::temp_dir dir;
    const auto r = test_util::run_python(
        "import sys, numpy as np\n"
        "g = np.arange(12, dtype='>i4').reshape(3, 4, order='F')\n"
        "z = (np.arange(6) + 1j * np.arange(6)).astype('>c16').reshape(2, 3)\n"
        "np.savez(sys.argv[1], grid=g, z=np.asfortranarray(z), t=np.float64(2.5))\n"
        "np.savez_compressed(sys.argv[2], grid=g, z=np.asfortranarray(z), t=np.float64(2.5))\n",
        {(dir / "n.npz").string(), (dir / "c.npz").string()});
    ASSERT_EQ(r.status, 0) << r.err;
    // The same values, native and C order: grid[i][j] = i + 3 j (arange in Fortran order).
    std::vector<std::int32_t> g(12);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j) g[static_cast<std::size_t>(i * 4 + j)] = i + 3 * j;
    std::vector<std::complex<double>> z(6);
    for (int k = 0; k < 6; ++k) z[static_cast<std::size_t>(k)] = {double(k), double(k)};
    const double t = 2.5;
    const std::vector<column_ref> cols = {
        colsnap::column("grid", std::span<const std::int32_t>(g), {3, 4}),
        colsnap::column("z", std::span<const std::complex<double>>(z), {2, 3}),
        colsnap::scalar("t", t)};
    const digest want = content_hash(cols);
    EXPECT_EQ(colsnap::hash_file(dir / "n.npz"), want);
    EXPECT_EQ(colsnap::hash_file(dir / "c.npz"), want);
}
