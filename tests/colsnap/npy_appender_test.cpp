// npy_appender: create, append, reopen; the bytes equal np.save's of the whole array; a torn
// tail is cut at reopen; refusals (dtype/row shape mismatch, Fortran, 0-d, no header room,
// rows missing, partial rows, a second appender); a numpy-written file reopened and appended.
#include "test_util.hpp"

#include <colsnap/npy.hpp>
#include <colsnap/npy_appender.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace {

using colsnap::errc;
using colsnap::npy_appender;
using test_util::error_of;

std::vector<std::int64_t> iota_rows(std::int64_t first, std::size_t n) {
    std::vector<std::int64_t> v(n);
    std::iota(v.begin(), v.end(), first);
    return v;
}

colsnap::append_options fast() { return {.durable = false}; }

TEST(NpyAppender, CreateAppendReopenGivesTheBytesNpSaveWouldWrite) {
    test_util::temp_dir dir;
    const auto path = dir / "log.npy";
    const auto i8 = colsnap::dtype_of<std::int64_t>();
    {
        auto a = npy_appender::create(path, i8, {3}, fast());
        EXPECT_EQ(a.rows(), 0u);
        EXPECT_EQ(a.row_bytes(), 24u);
        EXPECT_EQ(colsnap::read_npy(path).info().shape, (std::vector<std::uint64_t>{0, 3}));
        const auto v = iota_rows(0, 6);
        a.append(std::span<const std::int64_t>(v));
        EXPECT_EQ(a.rows(), 2u);
        EXPECT_EQ(colsnap::read_npy(path).info().shape, (std::vector<std::uint64_t>{2, 3}));
    }
    auto a = npy_appender::open(path, fast());
    EXPECT_EQ(a.rows(), 2u);
    EXPECT_EQ(a.cut_at_open(), 0u);
    EXPECT_EQ(a.data_offset(), 128u);
    const auto w = iota_rows(6, 9);
    a.append(std::span<const std::int64_t>(w));
    EXPECT_EQ(a.rows(), 5u);

    const auto all = iota_rows(0, 15);
    const auto whole = dir / "whole.npy";
    colsnap::write_npy(whole, std::span<const std::int64_t>(all), {5, 3});
    EXPECT_EQ(test_util::read_file(path), test_util::read_file(whole));
}

TEST(NpyAppender, EveryDtypeAndByteOrderMatchesWriteNpy) {
    test_util::temp_dir dir;
    for (const char* descr :
         {"|b1", "|i1", "|u1", "<i2", ">i4", "<u4", ">u8", "<f2", ">f4", "<f8", "<c8", ">c16"}) {
        SCOPED_TRACE(descr);
        const auto type = colsnap::dtype::parse(descr);
        const auto path = dir / "a.npy";
        const std::size_t n1 = 7, n2 = 1000;
        auto bytes = test_util::random_bytes((n1 + n2) * 2 * type.itemsize, 3);
        if (type.kind == colsnap::dtype_kind::boolean)
            for (auto& b : bytes) b = static_cast<std::byte>(static_cast<unsigned>(b) & 1u);
        {
            auto a = npy_appender::create(path, type, {2}, fast());
            a.append(std::span(bytes).first(n1 * 2 * type.itemsize));
        }
        auto a = npy_appender::open_or_create(path, type, {2}, fast());
        a.append(std::span(bytes).subspan(n1 * 2 * type.itemsize));
        const auto whole = dir / "whole.npy";
        colsnap::write_npy(whole, colsnap::array_info{type, {n1 + n2, 2}, false}, bytes);
        EXPECT_EQ(test_util::read_file(path), test_util::read_file(whole));
    }
}

TEST(NpyAppender, ReopenCutsATornTail) {
    test_util::temp_dir dir;
    const auto path = dir / "log.npy";
    {
        auto a = npy_appender::create(path, colsnap::dtype_of<std::int64_t>(), {}, fast());
        const auto v = iota_rows(0, 4);
        a.append(std::span<const std::int64_t>(v));
    }
    // An append killed after its rows' pwrite, before the header's: 2.5 rows past the 4 counted.
    auto bytes = test_util::read_file(path);
    const auto committed = bytes.size();
    const auto torn = test_util::random_bytes(20);
    bytes.insert(bytes.end(), torn.begin(), torn.end());
    test_util::write_file(path, bytes);
    EXPECT_EQ(error_of([&] { (void)colsnap::read_npy(path); }).code(), errc::trailing_bytes);

    auto a = npy_appender::open(path, fast());
    EXPECT_EQ(a.cut_at_open(), 20u);
    EXPECT_EQ(a.rows(), 4u);
    EXPECT_EQ(std::filesystem::file_size(path), committed);
    const auto w = iota_rows(4, 2);
    a.append(std::span<const std::int64_t>(w));
    const auto arr = colsnap::read_npy(path);
    ASSERT_EQ(arr.info().shape, std::vector<std::uint64_t>{6});
    const auto got = arr.values<std::int64_t>();
    EXPECT_EQ(std::vector<std::int64_t>(got.begin(), got.end()), iota_rows(0, 6));
}

TEST(NpyAppender, RefusesAFileMissingCommittedRows) {
    test_util::temp_dir dir;
    const auto path = dir / "log.npy";
    {
        auto a = npy_appender::create(path, colsnap::dtype_of<double>(), {}, fast());
        const std::vector<double> v{1, 2, 3};
        a.append(std::span<const double>(v));
    }
    const auto whole = test_util::read_file(path);
    ASSERT_EQ(whole.size(), 128u + 24u);
    // The last row loses 3 bytes (built by copy: GCC 12 warns falsely on resize(size() - 3)).
    const std::vector<std::byte> bytes(whole.begin(), whole.end() - 3);
    test_util::write_file(path, bytes);
    const auto e = error_of([&] { (void)npy_appender::open(path, fast()); });
    EXPECT_EQ(e.code(), errc::truncated);
    EXPECT_EQ(e.file(), path.string());
    EXPECT_EQ(test_util::read_file(path), bytes) << "a refused file must not be changed";
}

TEST(NpyAppender, RefusesADtypeOrRowShapeMismatchOnReopen) {
    test_util::temp_dir dir;
    const auto path = dir / "log.npy";
    (void)npy_appender::create(path, colsnap::dtype_of<std::int32_t>(), {2}, fast());
    const auto before = test_util::read_file(path);
    auto e = error_of(
        [&] { (void)npy_appender::open_or_create(path, colsnap::dtype_of<float>(), {2}, fast()); });
    EXPECT_EQ(e.code(), errc::type_mismatch);
    EXPECT_NE(e.detail().find("<i4"), std::string::npos) << e.what();
    EXPECT_NE(e.detail().find("<f4"), std::string::npos) << e.what();
    e = error_of([&] {
        (void)npy_appender::open_or_create(path, colsnap::dtype_of<std::int32_t>(), {3}, fast());
    });
    EXPECT_EQ(e.code(), errc::type_mismatch);
    auto a = npy_appender::open_or_create(path, colsnap::dtype_of<std::int32_t>(), {2}, fast());
    const std::vector<float> f{1, 2};
    EXPECT_EQ(error_of([&] { a.append(std::span<const float>(f)); }).code(), errc::type_mismatch);
    EXPECT_EQ(test_util::read_file(path), before);
}

TEST(NpyAppender, RefusesPartialRowsAndZeroByteRows) {
    test_util::temp_dir dir;
    const auto path = dir / "log.npy";
    auto a = npy_appender::create(path, colsnap::dtype_of<std::int16_t>(), {3}, fast());
    const auto before = test_util::read_file(path);
    const auto five = test_util::random_bytes(5);
    EXPECT_EQ(error_of([&] { a.append(five); }).code(), errc::invalid_argument);
    EXPECT_EQ(test_util::read_file(path), before);
    EXPECT_EQ(error_of([&] {
                  (void)npy_appender::create(dir / "z.npy", colsnap::dtype_of<float>(), {4, 0});
              }).code(),
              errc::invalid_argument);
}

TEST(NpyAppender, RefusesFortranOrderAndZeroDimensionalFiles) {
    test_util::temp_dir dir;
    const auto data = test_util::random_bytes(6 * 8);
    colsnap::write_npy(dir / "f.npy", test_util::info("<f8", {2, 3}, true), data);
    auto e = error_of([&] { (void)npy_appender::open(dir / "f.npy"); });
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_NE(e.detail().find("Fortran"), std::string::npos) << e.what();
    colsnap::write_npy(dir / "s.npy", test_util::info("<f8", {}), std::span(data).first(8));
    e = error_of([&] { (void)npy_appender::open(dir / "s.npy"); });
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_NE(e.detail().find("0-d"), std::string::npos) << e.what();
}

TEST(NpyAppender, RefusesAHeaderWithoutRoomToGrow) {
    // Older numpy wrote no growth spaces and aligned the data to 16 bytes: an 80-byte header.
    test_util::temp_dir dir;
    std::string dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
    dict.append(80 - 10 - dict.size() - 1, ' ');
    dict += '\n';
    std::string file = std::string("\x93NUMPY\x01\x00", 8);
    file += static_cast<char>(dict.size());
    file += '\0';
    file += dict;
    file.append(24, '\0');
    const auto path = dir / "old.npy";
    test_util::write_file(path, test_util::bytes_of(file));
    ASSERT_EQ(colsnap::read_npy(path).info().shape, std::vector<std::uint64_t>{3});
    const auto e = error_of([&] { (void)npy_appender::open(path); });
    EXPECT_EQ(e.code(), errc::limit_exceeded);
    EXPECT_NE(e.detail().find("no room"), std::string::npos) << e.what();
    EXPECT_EQ(test_util::read_file(path), test_util::bytes_of(file));
}

TEST(NpyAppender, RefusesASecondAppenderOfTheSameFile) {
    test_util::temp_dir dir;
    const auto path = dir / "log.npy";
    auto a = npy_appender::create(path, colsnap::dtype_of<std::uint8_t>(), {}, fast());
    const auto e = error_of([&] { (void)npy_appender::open(path); });
    EXPECT_EQ(e.code(), errc::io_error);
    EXPECT_NE(e.detail().find("another appender"), std::string::npos) << e.what();
}

TEST(NpyAppender, NumpyWrittenFileIsReopenedAndAppended) {
    COLSNAP_REQUIRE_NUMPY();
    test_util::temp_dir dir;
    const auto path = dir / "np.npy";
    auto r =
        test_util::run_python("import sys, numpy as np\n"
                              "np.save(sys.argv[1], np.arange(10, dtype='>f8').reshape(5, 2))\n",
                              {path.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    {
        auto a = npy_appender::open_or_create(path, colsnap::dtype::parse(">f8"), {2});
        EXPECT_EQ(a.rows(), 5u);
        // Three rows of big-endian 10.0 .. 15.0, written as the file's bytes.
        std::vector<std::byte> rows;
        for (int i = 10; i < 16; ++i) {
            const auto bits = std::bit_cast<std::uint64_t>(static_cast<double>(i));
            for (int b = 7; b >= 0; --b) rows.push_back(static_cast<std::byte>(bits >> (8 * b)));
        }
        a.append(rows);
        EXPECT_EQ(a.rows(), 8u);
    }
    r = test_util::run_python("import sys, numpy as np\n"
                              "a = np.load(sys.argv[1])\n"
                              "print(a.dtype.str, a.shape, a.ravel().tolist())\n",
                              {path.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, ">f8 (8, 2) [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, "
                     "12.0, 13.0, 14.0, 15.0]\n");
}

TEST(NpyAppender, NumpyVersion2And3FilesKeepTheirVersion) {
    COLSNAP_REQUIRE_NUMPY();
    test_util::temp_dir dir;
    for (const char* version : {"2", "3"}) {
        SCOPED_TRACE(std::string("version ") + version);
        const auto path = dir / "v.npy";
        auto r = test_util::run_python(
            "import sys, numpy as np\n"
            "with open(sys.argv[1], 'wb') as f:\n"
            "    np.lib.format.write_array(f, np.full((3, 2), 7, dtype='<u2'),"
            " version=(int(sys.argv[2]), 0))\n",
            {path.string(), version});
        ASSERT_EQ(r.status, 0) << r.err;
        const auto before = test_util::read_file(path);
        {
            auto a = npy_appender::open(path);
            const std::vector<std::uint16_t> v{8, 9};
            a.append(std::span<const std::uint16_t>(v));
        }
        const auto after = test_util::read_file(path);
        EXPECT_EQ(static_cast<char>(after[6]), version[0] - '0');
        EXPECT_EQ(after.size(), before.size() + 4);
        r = test_util::run_python("import sys, numpy as np\n"
                                  "a = np.load(sys.argv[1])\n"
                                  "print(np.lib.format.read_magic(open(sys.argv[1], 'rb')),"
                                  " a.shape, a.ravel().tolist())\n",
                                  {path.string()});
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.out, std::string("(") + version + ", 0) (4, 2) [7, 7, 7, 7, 7, 7, 8, 9]\n");
    }
}

} // namespace
