// The OS boundary: every open/mmap/write/fsync/rename of colsnap happens in this file.
#include "posix_file.hpp"

#include <colsnap/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <random>
#include <signal.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace colsnap::detail {
namespace {

[[noreturn]] void fail_io(const std::string& op, const std::string& path, int err,
                          std::uint64_t offset = error::no_offset) {
    throw error(errc::io_error, op + ": " + std::strerror(err), path, "", offset);
}

bool same_time(const timespec& a, const timespec& b) {
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

constexpr std::size_t buffer_capacity = std::size_t{1} << 20;
constexpr std::string_view temp_marker = ".colsnap-tmp.";

// Removes temp files left by writers of the same target that died (their pid is gone), so
// crashed snapshots don't accumulate. Temp names: ".NAME.colsnap-tmp.PID.RANDOM".
void remove_stale_temps(const std::filesystem::path& dir, const std::string& name) noexcept {
    const std::string prefix = "." + name + std::string(temp_marker);
    DIR* d = ::opendir(dir.empty() ? "." : dir.c_str());
    if (d == nullptr) return;
    while (const dirent* e = ::readdir(d)) {
        std::string_view entry = e->d_name;
        if (!entry.starts_with(prefix)) continue;
        std::string_view rest = entry.substr(prefix.size());
        const auto dot = rest.find('.');
        if (dot == std::string_view::npos) continue;
        long pid = 0;
        for (char c : rest.substr(0, dot)) {
            if (c < '0' || c > '9' || pid > 1'000'000'000) { pid = -1; break; }
            pid = pid * 10 + (c - '0');
        }
        if (pid <= 0) continue;
        if (::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH)
            ::unlinkat(::dirfd(d), e->d_name, 0);
    }
    ::closedir(d);
}

} // namespace

std::shared_ptr<const mapped_file> mapped_file::open(const std::filesystem::path& path,
                                                     file_access access) {
    std::shared_ptr<mapped_file> m(new mapped_file());
    m->path_ = path.string();
    // O_NONBLOCK: opening a FIFO must not wait for a writer (fstat then refuses it).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) fail_io("open", m->path_, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        fail_io("fstat", m->path_, err);
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        fail_io("open", m->path_, EISDIR);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw error(errc::io_error, "open: not a regular file", m->path_, "", error::no_offset);
    }
    m->size_ = static_cast<std::size_t>(st.st_size);
    if (m->size_ > 0 && access == file_access::read) {
        try {
            m->read_all(fd, st);
        } catch (...) {
            ::close(fd);
            throw;
        }
    } else if (m->size_ > 0) {
        void* p = ::mmap(nullptr, m->size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            fail_io("mmap", m->path_, err);
        }
        m->data_ = static_cast<const std::byte*>(p);
        m->mapped_ = true;
    }
    ::close(fd);
    return m;
}

// Reads the file in chunks with pread. A file rewritten in place while it is read (cp over it,
// rsync --inplace) either ends early (refused here, where a mapping would raise SIGBUS) or has
// a new size, mtime or ctime when the last chunk is in (refused too). A change within one tick
// of the file system's clock can go unseen by the times; the CRC-32 of each member is then the
// last line of defence, as for a file that was already corrupt.
void mapped_file::read_all(int fd, const struct stat& opened) {
    constexpr std::size_t chunk = std::size_t{4} << 20;
    owned_.reset(new std::byte[size_]); // default-initialised: every byte is read into below
    std::size_t done = 0;
    while (done < size_) {
        const std::size_t n = std::min(chunk, size_ - done);
        const ssize_t r = ::pread(fd, owned_.get() + done, n, static_cast<off_t>(done));
        if (r < 0) {
            if (errno == EINTR) continue;
            fail_io("read", path_, errno, done);
        }
        if (r == 0)
            throw error(errc::io_error,
                        "read: the file shrank while being read (it ends here; it had " +
                            std::to_string(size_) + " bytes when opened)",
                        path_, "", done);
        done += static_cast<std::size_t>(r);
    }
    struct stat now {};
    if (::fstat(fd, &now) != 0) fail_io("fstat", path_, errno);
    if (now.st_size != opened.st_size || !same_time(now.st_mtim, opened.st_mtim) ||
        !same_time(now.st_ctim, opened.st_ctim))
        throw error(errc::io_error,
                    "read: the file changed while being read (" + std::to_string(size_) +
                        " bytes when opened, " + std::to_string(now.st_size) + " now)",
                    path_, "", error::no_offset);
    data_ = owned_.get();
}

mapped_file::~mapped_file() {
    if (mapped_) ::munmap(const_cast<std::byte*>(data_), size_);
}

atomic_file::atomic_file(std::filesystem::path target, bool durable)
    : target_(std::move(target)), durable_(durable) {
    const std::string name = target_.filename().string();
    if (name.empty())
        throw error(errc::invalid_argument, "output path has no file name", target_.string(), "",
                    error::no_offset);
    const std::filesystem::path dir = target_.parent_path();
    remove_stale_temps(dir, name);
    std::random_device rd;
    for (int attempt = 0; attempt < 16; ++attempt) {
        const std::string tmp_name = "." + name + std::string(temp_marker) +
                                     std::to_string(::getpid()) + "." + std::to_string(rd());
        temp_ = dir / tmp_name;
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ >= 0) break;
        if (errno != EEXIST) fail_temp("create temp file", errno);
    }
    if (fd_ < 0) fail_temp("create temp file", EEXIST);
    buffer_.reserve(buffer_capacity);
}

atomic_file::~atomic_file() { abort(); }

void atomic_file::fail_temp(const char* op, int err, std::uint64_t offset) const {
    // Name the file the caller asked for; the temp file is detail.
    fail_io(std::string(op) + " (temp file " + temp_.filename().string() + ")", target_.string(), err, offset);
}

void atomic_file::write_all(const std::byte* p, std::size_t n, std::uint64_t at) {
    while (n > 0) {
        const ssize_t w = ::write(fd_, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            fail_temp("write", errno, at);
        }
        if (w == 0) fail_temp("write", EIO, at);
        p += w;
        n -= static_cast<std::size_t>(w);
        at += static_cast<std::uint64_t>(w);
    }
}

void atomic_file::flush() {
    if (buffer_.empty()) return;
    const std::size_t n = buffer_.size();
    write_all(buffer_.data(), n, position_ - n);
    buffer_.clear();
}

void atomic_file::write(std::span<const std::byte> bytes) {
    if (fd_ < 0) throw error(errc::invalid_argument, "write after commit or abort", target_.string(), "", error::no_offset);
    if (buffer_.size() + bytes.size() <= buffer_capacity) {
        buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
        position_ += bytes.size();
        return;
    }
    flush();
    if (bytes.size() < buffer_capacity / 2) {
        buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
        position_ += bytes.size();
        return;
    }
    // Large data goes straight from the caller's memory to the kernel: no copy here.
    write_all(bytes.data(), bytes.size(), position_);
    position_ += bytes.size();
}

void atomic_file::pwrite(std::span<const std::byte> bytes, std::uint64_t offset) {
    if (offset + bytes.size() > position_)
        throw error(errc::invalid_argument, "pwrite past the written end", temp_.string(), "", offset);
    const std::uint64_t flushed = position_ - buffer_.size();
    std::size_t done = 0;
    // Part inside the unflushed buffer is patched in memory; the rest goes to the file.
    while (done < bytes.size()) {
        const std::uint64_t at = offset + done;
        if (at >= flushed) {
            std::memcpy(buffer_.data() + (at - flushed), bytes.data() + done, bytes.size() - done);
            return;
        }
        const std::size_t n = static_cast<std::size_t>(
            std::min<std::uint64_t>(bytes.size() - done, flushed - at));
        const ssize_t w = ::pwrite(fd_, bytes.data() + done, n, static_cast<off_t>(at));
        if (w < 0) {
            if (errno == EINTR) continue;
            fail_temp("pwrite", errno, at);
        }
        if (w == 0) fail_temp("pwrite", EIO, at);
        done += static_cast<std::size_t>(w);
    }
}

void atomic_file::commit() {
    if (fd_ < 0) throw error(errc::invalid_argument, "commit after commit or abort", target_.string(), "", error::no_offset);
    try {
        flush();
        if (durable_ && ::fsync(fd_) != 0) fail_temp("fsync", errno);
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) fail_temp("close", errno);
        if (::rename(temp_.c_str(), target_.c_str()) != 0)
            fail_temp("rename", errno);
    } catch (...) {
        abort();
        throw;
    }
    temp_.clear();
    if (durable_) {
        // The rename is durable only once the directory entry is on disk.
        const std::filesystem::path dir = target_.parent_path().empty() ? "." : target_.parent_path();
        const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) fail_io("open directory", dir.string(), errno);
        const int rc = ::fsync(dfd);
        const int err = errno;
        ::close(dfd);
        if (rc != 0) fail_io("fsync directory", dir.string(), err);
    }
}

void atomic_file::abort() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (!temp_.empty()) {
        ::unlink(temp_.c_str());
        temp_.clear();
    }
    buffer_.clear();
}

} // namespace colsnap::detail
