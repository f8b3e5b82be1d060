// The OS calls of npy_appender: open + flock, pread, pwrite, ftruncate, fdatasync. With
// posix_file.cpp, the only files of colsnap that talk to the OS.
#include "posix_append.hpp"

#include "posix_file.hpp"

#include <colsnap/error.hpp>

#include <cerrno>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace colsnap::detail {

std::unique_ptr<append_file> append_file::open(const std::filesystem::path& path, bool missing_ok) {
    const std::string name = path.string();
    // O_NONBLOCK: opening a FIFO must not wait for a writer (fstat then refuses it).
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT && missing_ok) return nullptr;
        fail_io("open for append", name, errno);
    }
    std::unique_ptr<append_file> f(new append_file(fd, name));
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail_io("fstat", name, errno);
    if (!S_ISREG(st.st_mode))
        throw error(errc::io_error, "open for append: not a regular file", name, "",
                    error::no_offset);
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) fail_io("fcntl", name, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            throw error(errc::io_error, "open for append: another appender has the file open", name,
                        "", error::no_offset);
        fail_io("flock", name, errno);
    }
    return f;
}

append_file::~append_file() { ::close(fd_); }

std::uint64_t append_file::size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail_io("fstat", path_, errno);
    return static_cast<std::uint64_t>(st.st_size);
}

std::size_t append_file::read_at(std::span<std::byte> bytes, std::uint64_t offset) const {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t r = ::pread(fd_, bytes.data() + done, bytes.size() - done,
                                  static_cast<off_t>(offset + done));
        if (r < 0) {
            if (errno == EINTR) continue;
            fail_io("pread", path_, errno, offset + done);
        }
        if (r == 0) break;
        done += static_cast<std::size_t>(r);
    }
    return done;
}

void append_file::write_at(std::span<const std::byte> bytes, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t w = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                                   static_cast<off_t>(offset + done));
        if (w < 0) {
            if (errno == EINTR) continue;
            fail_io("pwrite", path_, errno, offset + done);
        }
        if (w == 0) fail_io("pwrite", path_, EIO, offset + done);
        done += static_cast<std::size_t>(w);
    }
}

void append_file::truncate(std::uint64_t size) {
    while (::ftruncate(fd_, static_cast<off_t>(size)) != 0)
        if (errno != EINTR) fail_io("ftruncate", path_, errno, size);
}

void append_file::sync_data() {
    if (::fdatasync(fd_) != 0) fail_io("fdatasync", path_, errno);
}

} // namespace colsnap::detail
