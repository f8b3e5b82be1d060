// write_npy / read_npy / parse_npy: round trips, byte-identity with np.save, numpy-written files
// of every dtype, order and version, and refusals of short, long and missing files.

#include "test_util.hpp"

#include <colsnap/npy.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <sstream>

using colsnap::array;
using colsnap::array_info;
using colsnap::dtype;
using colsnap::errc;
using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace fs = std::filesystem;

using test_util::error_of;
using test_util::info;

namespace {

/// Random bytes for @p in (bools get 0/1, as numpy would hold them).
std::vector<std::byte> payload(const array_info& in, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::byte> b(in.nbytes());
    for (auto& x : b)
        x = static_cast<std::byte>(in.type.kind == colsnap::dtype_kind::boolean ? rng() & 1
                                                                                : rng());
    return b;
}

std::vector<std::byte> bytes_of(std::span<const std::byte> s) { return {s.begin(), s.end()}; }

const char* const all_descrs[] = {"|b1", "|i1", "|u1", "<i2", ">i2", "<u2",  ">u2", "<i4", ">i4",
                                  "<u4", ">u4", "<i8", ">i8", "<u8", ">u8",  "<f2", ">f2", "<f4",
                                  ">f4", "<f8", ">f8", "<c8", ">c8", "<c16", ">c16"};

const std::vector<std::vector<std::uint64_t>> shapes = {{},        {0},       {5},    {2, 3},
                                                        {3, 0, 2}, {2, 3, 4}, {1, 7}, {6, 1}};

/// "c12.npy" (built piecewise: GCC 12 warns falsely on "c" + std::to_string(i)).
std::string indexed(const char* prefix, std::size_t i, const char* ext) {
    std::string s = prefix;
    s += std::to_string(i);
    s += ext;
    return s;
}

const colsnap::file_options fast{false}; // no fsync: these tests write hundreds of files

std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

} // namespace

TEST(NpyFile, WriteThenReadEveryDtypeShapeAndOrder) {
    test_util::temp_dir dir;
    unsigned seed = 0;
    for (const char* d : all_descrs)
        for (const auto& s : shapes)
            for (const bool f : {false, true}) {
                const auto in = info(d, s, f);
                SCOPED_TRACE(std::string(d) + " " + in.shape_string() + (f ? " F" : " C"));
                const auto data = payload(in, ++seed);
                const fs::path p = dir / "a.npy";
                colsnap::write_npy(p, in, data, fast);
                const array a = colsnap::read_npy(p);
                EXPECT_EQ(a.type(), in.type);
                EXPECT_EQ(a.shape(), in.shape);
                EXPECT_EQ(a.info().fortran_order, f && !in.is_c_contiguous());
                EXPECT_EQ(bytes_of(a.bytes()), data);
                EXPECT_TRUE(a.borrowed());
                if (!data.empty()) {
                    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.bytes().data()) % 64, 0u);
                }
                EXPECT_EQ(fs::file_size(p), colsnap::format_npy_header(in).size() + data.size());
            }
    EXPECT_EQ(entries(dir.path()), 1u); // no temp files left behind
}

TEST(NpyFile, TypedWriteAndValues) {
    test_util::temp_dir dir;
    const std::vector<double> v{0.5, -1.0, 3.25, 1e300, 7, 8};
    colsnap::write_npy(dir / "v.npy", std::span<const double>(v));
    colsnap::write_npy(dir / "m.npy", std::span<const double>(v), {2, 3});
    const array a = colsnap::read_npy(dir / "v.npy");
    const auto got = a.values<double>();
    EXPECT_EQ(std::vector<double>(got.begin(), got.end()), v);
    EXPECT_EQ(colsnap::read_npy(dir / "m.npy").shape(), (std::vector<std::uint64_t>{2, 3}));
}

TEST(NpyFile, OverwritesAtomically) {
    test_util::temp_dir dir;
    const std::vector<std::int32_t> a{1, 2, 3}, b{4, 5};
    colsnap::write_npy(dir / "x.npy", std::span<const std::int32_t>(a));
    colsnap::write_npy(dir / "x.npy", std::span<const std::int32_t>(b));
    const array r = colsnap::read_npy(dir / "x.npy");
    EXPECT_EQ(r.size(), 2u);
    EXPECT_EQ(r.values<std::int32_t>()[1], 5);
    EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(NpyFile, WriteRefusesWrongByteCountAndLeavesNothing) {
    test_util::temp_dir dir;
    const std::vector<std::byte> data(11);
    const auto e = error_of([&] { colsnap::write_npy(dir / "bad.npy", info("<f4", {3}), data); });
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_THAT(e.what(), StartsWith((dir / "bad.npy").string() + ": "));
    EXPECT_EQ(entries(dir.path()), 0u);
    const auto e2 = error_of(
        [&] { colsnap::write_npy(dir / "no" / "such" / "dir.npy", info("<f4", {0}), {}); });
    EXPECT_EQ(e2.code(), errc::io_error);
}

TEST(NpyFile, ParseNpyFromMemoryBorrows) {
    const auto in = info(">u4", {2, 2}, true);
    const std::string header = colsnap::format_npy_header(in);
    auto buf = std::make_shared<std::vector<std::byte>>(test_util::bytes_of(header));
    const auto data = payload(in, 5);
    buf->insert(buf->end(), data.begin(), data.end());
    const array a = colsnap::parse_npy(*buf, buf);
    EXPECT_EQ(a.bytes().data(), buf->data() + header.size());
    EXPECT_EQ(a.info(), in);
}

TEST(NpyFile, RefusesShortLongEmptyAndMissingFiles) {
    test_util::temp_dir dir;
    const auto in = info("<i8", {4});
    const auto data = payload(in, 3);
    const fs::path p = dir / "a.npy";
    colsnap::write_npy(p, in, data);
    auto whole = test_util::read_file(p);
    ASSERT_EQ(whole.size(), 128u + 32u);

    auto cut = whole;
    cut.pop_back();
    test_util::write_file(dir / "short.npy", cut);
    auto e = error_of([&] { (void)colsnap::read_npy(dir / "short.npy"); });
    EXPECT_EQ(e.code(), errc::truncated);
    EXPECT_EQ(e.offset(), 159u);
    EXPECT_EQ(e.file(), (dir / "short.npy").string());
    EXPECT_THAT(e.what(), StartsWith((dir / "short.npy").string() + ": at byte 159: "));
    EXPECT_THAT(e.detail(), HasSubstr("needs 32 bytes after the header, only 31 follow"));

    auto longer = whole;
    longer.push_back(std::byte{0});
    longer.push_back(std::byte{0});
    test_util::write_file(dir / "long.npy", longer);
    e = error_of([&] { (void)colsnap::read_npy(dir / "long.npy"); });
    EXPECT_EQ(e.code(), errc::trailing_bytes);
    EXPECT_EQ(e.offset(), 160u);
    EXPECT_THAT(e.detail(), HasSubstr("2 bytes follow the 32-byte payload"));

    test_util::write_file(dir / "empty.npy", {});
    e = error_of([&] { (void)colsnap::read_npy(dir / "empty.npy"); });
    EXPECT_EQ(e.code(), errc::truncated);

    auto magic = whole;
    magic[1] = std::byte{'X'};
    test_util::write_file(dir / "magic.npy", magic);
    e = error_of([&] { (void)colsnap::read_npy(dir / "magic.npy"); });
    EXPECT_EQ(e.code(), errc::bad_magic);
    EXPECT_EQ(e.offset(), 1u);
    EXPECT_EQ(e.file(), (dir / "magic.npy").string());

    e = error_of([&] { (void)colsnap::read_npy(dir / "missing.npy"); });
    EXPECT_EQ(e.code(), errc::io_error);
    EXPECT_THAT(e.what(), HasSubstr("missing.npy"));
}

TEST(NpyFile, HugeDeclaredShapeOnATinyFileIsTruncatedNotAllocated) {
    test_util::temp_dir dir;
    std::string h = colsnap::format_npy_header(info("<f8", {std::uint64_t{1} << 40}));
    h += "12345678";
    test_util::write_file(dir / "huge.npy", test_util::bytes_of(h));
    const auto e = error_of([&] { (void)colsnap::read_npy(dir / "huge.npy"); });
    EXPECT_EQ(e.code(), errc::truncated);
    EXPECT_THAT(e.detail(), HasSubstr("needs 8796093022208 bytes"));
}

TEST(NpyFile, LargeArrayIsZeroCopy) {
    test_util::temp_dir dir;
    std::vector<float> v(3'000'000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i) * 0.5f;
    colsnap::write_npy(dir / "big.npy", std::span<const float>(v));
    const array a = colsnap::read_npy(dir / "big.npy");
    EXPECT_TRUE(a.borrowed());
    const auto got = a.values<float>();
    ASSERT_EQ(got.size(), v.size());
    EXPECT_EQ(std::memcmp(got.data(), v.data(), v.size() * sizeof(float)), 0);
}

// Our files, loaded by numpy and saved again with np.save, are byte-identical: same header text,
// same padding, same data bits.
TEST(NpyFile, WrittenFilesAreByteIdenticalToNpSave) {
    COLSNAP_REQUIRE_NUMPY();
    test_util::temp_dir dir;
    std::vector<array_info> cases;
    unsigned seed = 100;
    for (const char* d : all_descrs)
        for (const auto& s : shapes)
            for (const bool f : {false, true}) {
                const auto in = info(d, s, f);
                colsnap::write_npy(dir / indexed("c", cases.size(), ".npy"), in,
                                   payload(in, ++seed), fast);
                cases.push_back(in);
            }
    // A bigger one, with a shape that needs many digits.
    {
        const auto in = info(">f8", {1000, 129}, true);
        colsnap::write_npy(dir / indexed("c", cases.size(), ".npy"), in, payload(in, 7), fast);
        cases.push_back(in);
    }
    const auto r = test_util::run_python(
        "import sys, numpy as np\n"
        "d, n = sys.argv[1], int(sys.argv[2])\n"
        "for i in range(n):\n"
        "    a = np.load(f'{d}/c{i}.npy')\n"
        "    np.save(f'{d}/n{i}.npy', a)\n"
        "    print(a.dtype.str, a.shape, a.flags.f_contiguous and not a.flags.c_contiguous)\n",
        {dir.path().string(), std::to_string(cases.size())});
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& in = cases[i];
        SCOPED_TRACE(in.type.descr() + " " + in.shape_string() + (in.fortran_order ? " F" : " C"));
        ASSERT_TRUE(std::getline(lines, line));
        const bool fortran = in.fortran_order && !in.is_c_contiguous();
        EXPECT_EQ(line,
                  in.type.descr() + " " + in.shape_string() + " " + (fortran ? "True" : "False"));
        const auto ours = test_util::read_file(dir / indexed("c", i, ".npy"));
        const auto theirs = test_util::read_file(dir / indexed("n", i, ".npy"));
        EXPECT_TRUE(ours == theirs);
    }
}

// numpy-written files of every dtype, byte order, memory order, shape and version 1.0/2.0/3.0.
TEST(NpyFile, ReadsNumpyWrittenFiles) {
    COLSNAP_REQUIRE_NUMPY();
    test_util::temp_dir dir;
    std::ostringstream py;
    py << "import sys, numpy as np\n"
          "from numpy.lib import format as fm\n"
          "d = sys.argv[1]\n"
          "rng = np.random.default_rng(42)\n"
          "descrs = [";
    for (const char* x : all_descrs) py << "'" << x << "',";
    py << "]\n"
          "shapes = [(), (0,), (5,), (2, 3), (3, 0, 2), (2, 3, 4), (1, 7), (6, 1), (40, 3, 5)]\n"
          "i = 0\n"
          "for de in descrs:\n"
          "  dt = np.dtype(de)\n"
          "  for s in shapes:\n"
          "    for order in 'CF':\n"
          "      for v in (1, 2, 3):\n"
          "        n = int(np.prod(s, dtype=np.int64))\n"
          "        raw = rng.integers(0, 256, size=n * dt.itemsize, dtype=np.uint8)\n"
          "        if dt.kind == 'b': raw &= 1\n"
          "        a = np.frombuffer(raw.tobytes(), dtype=dt).reshape(s, order=order)\n"
          "        with open(f'{d}/f{i}.npy', 'wb') as f: fm.write_array(f, a, version=(v, 0))\n"
          "        with open(f'{d}/f{i}.bin', 'wb') as f: f.write(a.tobytes(order='A'))\n"
          "        fo = a.flags.f_contiguous and not a.flags.c_contiguous\n"
          "        print(i, dt.str, int(fo), v, ','.join(map(str, s)) or '-')\n"
          "        i += 1\n";
    const auto r = test_util::run_python(py.str(), {dir.path().string()});
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    std::size_t count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        SCOPED_TRACE(line);
        std::istringstream f(line);
        std::string idx, descr, shape;
        int fortran = 0, version = 0;
        f >> idx >> descr >> fortran >> version >> shape;
        std::vector<std::uint64_t> dims;
        if (shape != "-") {
            std::istringstream ss(shape);
            for (std::string x; std::getline(ss, x, ',');) dims.push_back(std::stoull(x));
        }
        const fs::path p = dir / ("f" + idx + ".npy");
        const array a = colsnap::read_npy(p);
        EXPECT_EQ(a.type().descr(), descr);
        EXPECT_EQ(a.shape(), dims);
        EXPECT_EQ(a.info().fortran_order, fortran == 1);
        EXPECT_EQ(bytes_of(a.bytes()), test_util::read_file(dir / ("f" + idx + ".bin")));
        const auto file = test_util::read_file(p);
        const auto h = colsnap::parse_npy_header(file);
        EXPECT_EQ(h.major, version);
        // and our writer agrees with numpy's for the same array and version
        const std::string ours = colsnap::format_npy_header(a.info(), version);
        EXPECT_TRUE(
            std::equal(ours.begin(), ours.end(), reinterpret_cast<const char*>(file.data())));
        EXPECT_EQ(ours.size(), h.data_offset);
    }
    EXPECT_EQ(count, std::size(all_descrs) * 9 * 2 * 3);
}

// A header as Python 2's numpy wrote it ("3L"): numpy reads it, and so do we.
TEST(NpyFile, ReadsPython2LongSuffix) {
    test_util::temp_dir dir;
    std::string dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2L, 3L), }";
    dict.append(64 - (10 + dict.size() + 1) % 64, ' ');
    dict += '\n';
    std::string file = std::string("\x93NUMPY\x01\x00", 8);
    file += static_cast<char>(dict.size() & 0xff);
    file += static_cast<char>(dict.size() >> 8);
    file += dict;
    for (int i = 0; i < 6; ++i) file += std::string{static_cast<char>(i), 0, 0, 0};
    test_util::write_file(dir / "py2.npy", test_util::bytes_of(file));
    const array a = colsnap::read_npy(dir / "py2.npy");
    EXPECT_EQ(a.shape(), (std::vector<std::uint64_t>{2, 3}));
    EXPECT_EQ(a.values<std::int32_t>()[5], 5);
    if (!test_util::have_numpy()) return;
    const auto r =
        test_util::run_python("import sys, numpy as np\nprint(np.load(sys.argv[1]).tolist())\n",
                              {(dir / "py2.npy").string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "[[0, 1, 2], [3, 4, 5]]\n");
}
