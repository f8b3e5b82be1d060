// A real full disk: the test mounts an 8 MiB tmpfs and writes ever larger snapshots to one
// path until the file system runs out of space in the middle of one. The failure must be a
// clear error (write: No space left on device, naming the file and the byte offset), the
// previous snapshot must still be there, complete, and no temp file may be left (the space
// it used is given back).
#include "snapshot_data.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/mount.h>
#include <sys/statvfs.h>
#include <test_files.hpp>

namespace colsnap_crash {
namespace {

class mounted_tmpfs {
public:
    mounted_tmpfs(const std::filesystem::path& at, const std::string& size) : at_(at) {
        std::filesystem::create_directories(at_);
        const std::string opts = "size=" + size + ",mode=0755";
        if (::mount("tmpfs", at_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) == 0)
            mounted_ = true;
        else error_ = std::strerror(errno);
    }
    ~mounted_tmpfs() {
        if (mounted_ && ::umount2(at_.c_str(), 0) != 0) ::umount2(at_.c_str(), MNT_DETACH);
    }
    mounted_tmpfs(const mounted_tmpfs&) = delete;
    mounted_tmpfs& operator=(const mounted_tmpfs&) = delete;
    bool mounted() const noexcept { return mounted_; }
    const std::string& error() const noexcept { return error_; }

private:
    std::filesystem::path at_;
    bool mounted_ = false;
    std::string error_;
};

std::uint64_t free_bytes(const std::filesystem::path& p) {
    struct statvfs s {};
    if (::statvfs(p.c_str(), &s) != 0) return 0;
    return static_cast<std::uint64_t>(s.f_bfree) * s.f_frsize;
}

class full_disk : public ::testing::TestWithParam<colsnap::compression> {};

TEST_P(full_disk, enospc_mid_snapshot_keeps_the_previous_one) {
    const colsnap::compression method = GetParam();
    test_common::temp_dir dir("fulldisk");
    const std::filesystem::path mnt = dir / "mnt";
    mounted_tmpfs fs(mnt, "8m");
    if (!fs.mounted())
        GTEST_SKIP() << "mounting a tmpfs was refused (" << fs.error()
                     << "): needs root / CAP_SYS_ADMIN";

    const std::filesystem::path target = mnt / "world.npz";
    colsnap::write_options opt = options_for(0, 2);
    opt.method = method;
    constexpr std::uint64_t rows_per_step = 25'000; // ~1 MiB a step
    std::int64_t last_ok = 0;
    bool failed = false;
    for (std::int64_t k = 1; k <= 40 && !failed; ++k) {
        const snapshot_data data(k, static_cast<std::uint64_t>(k) * rows_per_step);
        const auto cols = data.columns();
        const std::uint64_t free_before = free_bytes(mnt);
        try {
            colsnap::save_npz(target, cols, opt);
            last_ok = k;
        } catch (const colsnap::error& e) {
            failed = true;
            SCOPED_TRACE(e.what());
            std::printf("[full_disk] %s: snapshot %lld (%.1f MB) failed on a full disk: %s\n",
                        method == colsnap::compression::stored ? "stored" : "deflate",
                        static_cast<long long>(k), static_cast<double>(data.payload_bytes()) / 1e6,
                        e.what());
            EXPECT_EQ(e.code(), colsnap::errc::io_error);
            // "write (temp file .world.npz.colsnap-tmp.PID.N): No space left on device", on the
            // snapshot's path.
            const std::string what = e.what();
            EXPECT_NE(what.find("write"), std::string::npos);
            EXPECT_NE(what.find("No space left on device"), std::string::npos);
            EXPECT_EQ(e.file(), target.string());
            // Mid-snapshot: some bytes were written before the disk filled.
            ASSERT_NE(e.offset(), colsnap::error::no_offset);
            EXPECT_GT(e.offset(), 0u);
            EXPECT_LT(e.offset(), data.payload_bytes());
            // The temp file is gone and so is the space it took.
            EXPECT_TRUE(temp_files(mnt, "world.npz").empty());
            EXPECT_EQ(free_bytes(mnt), free_before);
        }
    }
    ASSERT_TRUE(failed) << "the disk never filled";
    ASSERT_GE(last_ok, 1) << "not even the first snapshot fitted";
    colsnap::digest h;
    ASSERT_EQ(read_generation(target, &h), last_ok);
    const snapshot_data previous(last_ok, static_cast<std::uint64_t>(last_ok) * rows_per_step);
    EXPECT_EQ(h, previous.hash());
    // After the error the directory holds exactly the previous snapshot.
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(mnt))
        names.push_back(e.path().filename().string());
    EXPECT_EQ(names, std::vector<std::string>{"world.npz"});
}

INSTANTIATE_TEST_SUITE_P(method, full_disk,
                         ::testing::Values(colsnap::compression::stored,
                                           colsnap::compression::deflate),
                         [](const ::testing::TestParamInfo<colsnap::compression>& p) {
                             return std::string(
                                 p.param == colsnap::compression::stored ? "stored" : "deflate");
                         });

} // namespace
} // namespace colsnap_crash
