// What an atomic replace keeps of the file it replaces (issue 12, points 2 and 4): its mode,
// its owner (when the writer may chown), a symlink at the path (followed: its target gets the
// new bytes, the link stays), and names up to 255 bytes. Hard links cannot be kept: the new
// file is a new inode, so the other names keep the old bytes (shown here, documented in
// docs/RELIABILITY.md).
#include "snapshot_data.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <vector>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <test_files.hpp>
#include <unistd.h>

namespace colsnap_crash {
namespace {

void write_gen(const std::filesystem::path& path, std::int64_t g) {
    const snapshot_data d(g, 1000);
    const auto cols = d.columns();
    colsnap::save_npz(path, cols);
}

struct stat stat_of(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st;
}

TEST(atomic_replace, keeps_the_mode_of_the_file_it_replaces) {
    test_common::temp_dir dir("mode");
    const auto path = dir / "priv.npz";
    write_gen(path, 1);
    for (const mode_t mode : {0600u, 0640u, 0444u, 0755u}) {
        SCOPED_TRACE(mode);
        ASSERT_EQ(::chmod(path.c_str(), mode), 0);
        write_gen(path, 2);
        EXPECT_EQ(stat_of(path).st_mode & 07777, mode);
        EXPECT_EQ(read_generation(path), 2);
    }
    // A new file still gets 0666 & ~umask, as any file a program creates.
    const mode_t old_mask = ::umask(022);
    write_gen(dir / "new.npz", 1);
    ::umask(old_mask);
    EXPECT_EQ(stat_of(dir / "new.npz").st_mode & 07777, 0644u);
}

// Only a regular file is replaced: a FIFO, a device node (as root, `colsnap copy x.npz /dev/null`
// would have turned /dev/null into a snapshot) or a directory at the output path is refused
// before anything is written, and stays what it was; a symlink to one is refused too.
TEST(atomic_replace, refuses_an_output_that_is_not_a_regular_file) {
    test_common::temp_dir dir("special");
    const auto fifo = dir / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const auto subdir = dir / "subdir";
    std::filesystem::create_directory(subdir);
    std::vector<std::filesystem::path> outputs = {fifo, subdir};
    const auto node = dir / "null";
    if (::mknod(node.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) == 0)
        outputs.push_back(node); // root only
    const auto link = dir / "link";
    std::filesystem::create_symlink(fifo, link);
    outputs.push_back(link);
    for (const auto& out : outputs) {
        SCOPED_TRACE(out.string());
        const mode_t before = stat_of(std::filesystem::canonical(out)).st_mode;
        try {
            write_gen(out, 1);
            ADD_FAILURE() << "written over a non-regular file";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), colsnap::errc::invalid_argument) << e.what();
            EXPECT_NE(std::string(e.what()).find("is not a regular file"), std::string::npos)
                << e.what();
        }
        EXPECT_EQ(stat_of(std::filesystem::canonical(out)).st_mode, before);
        EXPECT_TRUE(temp_files(dir.path(), out.filename().string()).empty());
    }
}

TEST(atomic_replace, keeps_the_owner_where_permitted) {
    if (::geteuid() != 0) GTEST_SKIP() << "only root may give a file to another user";
    test_common::temp_dir dir("owner");
    const auto path = dir / "theirs.npz";
    write_gen(path, 1);
    ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
    write_gen(path, 2); // root rewrites nobody's file
    const struct stat st = stat_of(path);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_gid, 65534u);
    EXPECT_EQ(read_generation(path), 2);
}

TEST(atomic_replace, follows_a_symlink_and_replaces_its_target) {
    test_common::temp_dir dir("symlink");
    std::filesystem::create_directory(dir / "real");
    const auto target = dir / "real" / "snap.npz";
    const auto link = dir / "link.npz";
    const auto link2 = dir / "link2.npz";
    write_gen(target, 1);
    ASSERT_EQ(::chmod(target.c_str(), 0600), 0);
    std::filesystem::create_symlink("real/snap.npz",
                                    link);        // relative: resolved from the link's dir
    std::filesystem::create_symlink(link, link2); // a chain of two
    write_gen(link2, 2);
    EXPECT_TRUE(S_ISLNK(stat_of(link).st_mode));
    EXPECT_TRUE(S_ISLNK(stat_of(link2).st_mode));
    EXPECT_EQ(std::filesystem::read_symlink(link), "real/snap.npz");
    EXPECT_EQ(read_generation(target), 2);
    EXPECT_EQ(stat_of(target).st_mode & 07777, 0600u);
    EXPECT_TRUE(temp_files(dir.path(), "link2.npz").empty());
    EXPECT_TRUE(temp_files(dir / "real", "snap.npz").empty());
    // A dangling link is written through, creating its target.
    const auto dangling = dir / "dangling.npz";
    std::filesystem::create_symlink("real/later.npz", dangling);
    write_gen(dangling, 3);
    EXPECT_TRUE(S_ISLNK(stat_of(dangling).st_mode));
    EXPECT_EQ(read_generation(dir / "real" / "later.npz"), 3);
    // A loop is an error naming the path, and nothing is written.
    const auto loop = dir / "loop.npz";
    std::filesystem::create_symlink("loop.npz", loop);
    try {
        write_gen(loop, 4);
        ADD_FAILURE() << "wrote through a symlink loop";
    } catch (const colsnap::error& e) {
        EXPECT_NE(std::string(e.what()).find(loop.string() + ": follow symlink: "),
                  std::string::npos)
            << e.what();
    }
}

TEST(atomic_replace, a_hard_link_keeps_the_old_bytes) {
    // The documented limit of an atomic replace: the path gets a new inode.
    test_common::temp_dir dir("hardlink");
    const auto path = dir / "snap.npz";
    const auto other = dir / "other.npz";
    write_gen(path, 1);
    std::filesystem::create_hard_link(path, other);
    write_gen(path, 2);
    EXPECT_EQ(read_generation(path), 2);
    EXPECT_EQ(read_generation(other), 1);
    EXPECT_NE(stat_of(path).st_ino, stat_of(other).st_ino);
}

TEST(atomic_replace, names_of_255_bytes_are_written_and_their_stale_temps_swept) {
    test_common::temp_dir dir("longname");
    for (const std::size_t len : {219u, 220u, 221u, 234u, 255u}) {
        SCOPED_TRACE(len);
        const std::string name = std::string(len - 4, 'n') + ".npz";
        const auto path = dir / name;
        write_gen(path, 1);
        EXPECT_EQ(read_generation(path), 1);
        // A writer that dies before commit leaves its temp; the next writer removes it.
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            const snapshot_data d(2, 1000);
            colsnap::npz_writer w(path);
            w.add(d.columns().front());
            ::_exit(0); // no commit, no destructor
        }
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        std::vector<std::string> temps;
        for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
            const std::string n = e.path().filename().string();
            if (n.find(".colsnap-tmp.") != std::string::npos) temps.push_back(n);
        }
        ASSERT_EQ(temps.size(), 1u);
        EXPECT_LE(temps.front().size(), 255u);
        write_gen(path, 3);
        EXPECT_EQ(read_generation(path), 3);
        EXPECT_FALSE(std::filesystem::exists(dir / temps.front()))
            << "stale temp kept: " << temps.front();
        std::filesystem::remove(path);
    }
}

} // namespace
} // namespace colsnap_crash
