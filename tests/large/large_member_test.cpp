// A member larger than 4 GiB, and a member whose local header lies past 4 GiB: both need zip64
// (APPNOTE 4.5.3). The big column is an untouched anonymous mapping, so it costs no memory:
// its pages all read as the kernel's zero page.
#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <sys/statvfs.h>
#include <test_files.hpp>
#include <test_process.hpp>

namespace {

constexpr std::uint64_t big_bytes = (std::uint64_t{1} << 32) + 4096;

struct zero_mapping {
    void* p;
    explicit zero_mapping(std::size_t n)
        : p(::mmap(nullptr, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)) {}
    ~zero_mapping() {
        if (p != MAP_FAILED) ::munmap(p, big_bytes);
    }
};

TEST(LargeMember, Over4GiBUsesZip64AndReadsBackInColsnapAndNumpy) {
    test_common::temp_dir dir;
    struct statvfs fs {};
    ASSERT_EQ(::statvfs(dir.path().c_str(), &fs), 0);
    const std::uint64_t free_bytes = std::uint64_t{fs.f_bavail} * fs.f_frsize;
    if (free_bytes < 3 * big_bytes)
        GTEST_SKIP() << "needs ~13 GB free in " << dir.path() << ", has " << free_bytes;

    zero_mapping zeros(big_bytes);
    ASSERT_NE(zeros.p, MAP_FAILED);
    const std::uint32_t after[3] = {1, 2, 3};
    const std::vector<colsnap::column_ref> cols = {
        {"big",
         {colsnap::dtype_of<std::uint8_t>(), {big_bytes}, false},
         {static_cast<const std::byte*>(zeros.p), big_bytes}},
        colsnap::column("after", std::span<const std::uint32_t>(after))};
    const auto path = dir.path() / "large.npz";
    colsnap::save_npz(path, cols, {.durable = false});

    const auto r = colsnap::npz_reader::open(path);
    const auto* big = r.find("big");
    const auto* tail = r.find("after");
    ASSERT_NE(big, nullptr);
    ASSERT_NE(tail, nullptr);
    EXPECT_GT(big->uncompressed_size, 0xFFFFFFFFull);
    EXPECT_GT(tail->header_offset, 0xFFFFFFFFull);
    EXPECT_EQ(big->npy.info.shape, (std::vector<std::uint64_t>{big_bytes}));
    colsnap::array keep;
    const auto v = r.values<std::uint32_t>("after", keep);
    EXPECT_EQ(std::vector<std::uint32_t>(v.begin(), v.end()),
              (std::vector<std::uint32_t>{1, 2, 3}));
    EXPECT_NO_THROW(r.verify()); // CRC over all 4 GiB
    EXPECT_EQ(colsnap::hash_file(path), colsnap::content_hash(cols));

    if (!test_common::have_numpy()) GTEST_SKIP() << test_common::python << " cannot import numpy";
    const auto py = test_common::run_python(R"(
import sys, zipfile, numpy as np
path, n = sys.argv[1], int(sys.argv[2])
zf = zipfile.ZipFile(path)
info = {i.filename: i for i in zf.infolist()}
assert info["big.npy"].file_size > 2**32, info["big.npy"].file_size
assert info["after.npy"].header_offset > 2**32, info["after.npy"].header_offset
with zf.open("big.npy") as f:          # numpy's own reader on the member's stream
    version = np.lib.format.read_magic(f)
    shape, fortran, dtype = np.lib.format._read_array_header(f, version)
    assert shape == (n,) and dtype == np.uint8 and not fortran, (shape, dtype)
    assert f.read(1 << 20) == bytes(1 << 20)
assert np.load(path)["after"].tolist() == [1, 2, 3]
print("ok")
)",
                                            {path.string(), std::to_string(big_bytes)});
    EXPECT_EQ(py.status, 0) << py.err;
    EXPECT_EQ(py.out, "ok\n");
}

} // namespace
