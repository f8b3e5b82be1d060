// The OS boundary: every open/mmap/write/fsync/rename of colsnap happens in this file.
#include "posix_file.hpp"

#include <colsnap/error.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <string>

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace colsnap::detail {

void fail_io(const std::string& op, const std::string& path, int err, std::uint64_t offset) {
    throw error(errc::io_error, op + ": " + std::strerror(err), path, "", offset);
}

namespace {

bool same_time(const timespec& a, const timespec& b) {
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

constexpr std::size_t buffer_capacity = std::size_t{1} << 20;
constexpr std::string_view temp_marker = ".colsnap-tmp.";

// Temp names are ".STEM.colsnap-tmp.PID.RANDOM". STEM is the target's name, unless that would
// make the temp name longer than NAME_MAX (255 on Linux file systems): then STEM is the name's
// first bytes plus '~' and 16 hex digits of a hash of the whole name, so that a temp name fits
// whenever the target's name does, and the sweep below still finds the temps of one target.
constexpr std::size_t name_max = 255;
constexpr std::size_t temp_overhead =
    1 + temp_marker.size() + 10 + 1 + 10; // '.', marker, pid, '.', random
constexpr std::size_t max_stem = name_max - temp_overhead;

std::string temp_stem(const std::string& name) {
    if (name.size() <= max_stem) return name;
    std::uint64_t h = 14695981039346656037ull; // FNV-1a 64
    for (const char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string stem = name.substr(0, max_stem - 17) + "~";
    for (int shift = 60; shift >= 0; shift -= 4) stem += hex[(h >> shift) & 0xF];
    return stem;
}

// The random part of a temp name: from getrandom(2), or, should that fail, from the clock and a
// counter. O_EXCL makes any value safe; randomness only keeps retries rare.
std::uint32_t temp_suffix() noexcept {
    std::uint32_t v = 0;
    if (::getrandom(&v, sizeof v, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof v)) return v;
    static std::atomic<std::uint32_t> counter{0};
    timespec t{};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<std::uint32_t>(t.tv_nsec) ^ (static_cast<std::uint32_t>(t.tv_sec) << 10) ^
           (counter.fetch_add(1) * 2654435761u);
}

// Removes temp files left by writers of the same target that died (their pid is gone), so
// crashed snapshots don't accumulate.
void remove_stale_temps(const std::filesystem::path& dir, const std::string& stem) noexcept {
    const std::string prefix = "." + stem + std::string(temp_marker);
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
            if (c < '0' || c > '9' || pid > 1'000'000'000) {
                pid = -1;
                break;
            }
            pid = pid * 10 + (c - '0');
        }
        if (pid <= 0) continue;
        if (::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH)
            ::unlinkat(::dirfd(d), e->d_name, 0);
    }
    ::closedir(d);
}

// What st_mode says a non-regular file is, for messages.
const char* file_type_name(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

// The file a write to @p path replaces: symlinks are followed (up to 40, as the kernel does), so
// that a link keeps pointing at the new snapshot, as `sed -i --follow-symlinks` does.
std::filesystem::path follow_symlinks(const std::filesystem::path& path) {
    std::filesystem::path p = path;
    for (int hops = 0;; ++hops) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0) {
            if (errno == ENOENT) return p; // a new file (or a dangling link's target)
            fail_io("lstat", path.string(), errno);
        }
        if (!S_ISLNK(st.st_mode)) return p;
        if (hops == 40) fail_io("follow symlink", path.string(), ELOOP);
        std::string buf(4096, '\0');
        const ssize_t n = ::readlink(p.c_str(), buf.data(), buf.size());
        if (n < 0) fail_io("readlink", path.string(), errno);
        if (static_cast<std::size_t>(n) == buf.size())
            fail_io("readlink", path.string(), ENAMETOOLONG);
        buf.resize(static_cast<std::size_t>(n));
        const std::filesystem::path link(buf);
        p = link.is_absolute() ? link : p.parent_path() / link;
    }
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
        m->data_ = static_cast<std::byte*>(p);
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
    // Anonymous memory, released by the destructor's munmap like a mapping; huge pages (where
    // the kernel offers them on request) take 512 times fewer page faults to fill.
    void* mem = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) fail_io("mmap (memory to read the file into)", path_, errno);
    data_ = static_cast<std::byte*>(mem);
    mapped_ = true;
    ::madvise(mem, size_, MADV_HUGEPAGE); // advice only: failure changes nothing
    auto* const buf = static_cast<std::byte*>(mem);
    std::size_t done = 0;
    while (done < size_) {
        const std::size_t n = std::min(chunk, size_ - done);
        const ssize_t r = ::pread(fd, buf + done, n, static_cast<off_t>(done));
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
}

mapped_file::~mapped_file() {
    if (mapped_) ::munmap(data_, size_);
}

void sync_directory_of(const std::filesystem::path& file) {
    const std::filesystem::path dir = file.parent_path().empty() ? "." : file.parent_path();
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) fail_io("open directory", dir.string(), errno);
    const int rc = ::fsync(dfd);
    const int err = errno;
    ::close(dfd);
    if (rc != 0) fail_io("fsync directory", dir.string(), err);
}

std::filesystem::path sweep_and_name_temp(const std::filesystem::path& target) {
    const std::string stem = temp_stem(target.filename().string());
    remove_stale_temps(target.parent_path(), stem);
    return target.parent_path() /
           ("." + stem + std::string(temp_marker) + std::to_string(::getpid()) + "." +
            std::to_string(temp_suffix()));
}

atomic_file::atomic_file(std::filesystem::path target, bool durable)
    : target_(std::move(target)), durable_(durable) {
    if (target_.filename().empty())
        throw error(errc::invalid_argument, "output path has no file name", target_.string(), "",
                    error::no_offset);
    dest_ = follow_symlinks(target_);
    const std::string name = dest_.filename().string();
    if (name.empty() || name == "." || name == "..")
        throw error(errc::invalid_argument, "output path (through its symlinks) has no file name",
                    target_.string(), "", error::no_offset);
    // A file being replaced keeps its mode and, where permitted, its owner: the temp file is
    // created 0600 (nobody else can open it meanwhile), then given both before any data.
    struct stat old {};
    bool replacing = false;
    if (::stat(dest_.c_str(), &old) == 0) {
        // Only a regular file is replaced: renaming over a device, a FIFO or a socket would turn
        // it into a snapshot (as root, /dev/null), and over a directory fails only at the end.
        if (!S_ISREG(old.st_mode))
            throw error(errc::invalid_argument,
                        std::string("output exists and is not a regular file (") +
                            file_type_name(old.st_mode) + "); nothing written",
                        target_.string(), "", error::no_offset);
        replacing = true;
    } else if (errno != ENOENT) {
        fail_io("stat", target_.string(), errno);
    }
    const std::filesystem::path dir = dest_.parent_path();
    const std::string stem = temp_stem(name);
    remove_stale_temps(dir, stem);
    for (int attempt = 0; attempt < 16; ++attempt) {
        const std::string tmp_name = "." + stem + std::string(temp_marker) +
                                     std::to_string(::getpid()) + "." +
                                     std::to_string(temp_suffix());
        temp_ = dir / tmp_name;
        fd_ =
            ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, replacing ? 0600 : 0666);
        if (fd_ >= 0) break;
        if (errno != EEXIST) fail_temp("create temp file", errno);
    }
    if (fd_ < 0) fail_temp("create temp file", EEXIST);
    if (replacing) {
        try {
            keep_owner_and_mode(old.st_uid, old.st_gid, old.st_mode);
        } catch (...) {
            abort();
            throw;
        }
    }
    buffer_.reserve(buffer_capacity);
}

// fchown first: it may clear set-user-ID bits, which fchmod then restores. EPERM (not root, or
// not a member of the group) is not an error: the new file then belongs to the writer, as any
// file it creates.
void atomic_file::keep_owner_and_mode(unsigned uid, unsigned gid, unsigned mode) {
    struct stat mine {};
    if (::fstat(fd_, &mine) != 0) fail_temp("fstat", errno);
    if ((mine.st_uid != uid || mine.st_gid != gid) && ::fchown(fd_, uid, gid) != 0) {
        if (errno != EPERM) fail_temp("fchown", errno);
        if (mine.st_gid != gid && ::fchown(fd_, static_cast<uid_t>(-1), gid) != 0 && errno != EPERM)
            fail_temp("fchown", errno);
    }
    if (::fchmod(fd_, static_cast<mode_t>(mode & 07777)) != 0) fail_temp("fchmod", errno);
}

atomic_file::~atomic_file() { abort(); }

void atomic_file::fail_temp(const char* op, int err, std::uint64_t offset) const {
    // Name the file the caller asked for; the temp file is detail.
    fail_io(std::string(op) + " (temp file " + temp_.filename().string() + ")", target_.string(),
            err, offset);
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
    if (fd_ < 0)
        throw error(errc::invalid_argument, "write after commit or abort", target_.string(), "",
                    error::no_offset);
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
        throw error(errc::invalid_argument, "pwrite past the written end", temp_.string(), "",
                    offset);
    const std::uint64_t flushed = position_ - buffer_.size();
    std::size_t done = 0;
    // Part inside the unflushed buffer is patched in memory; the rest goes to the file.
    while (done < bytes.size()) {
        const std::uint64_t at = offset + done;
        if (at >= flushed) {
            std::memcpy(buffer_.data() + (at - flushed), bytes.data() + done, bytes.size() - done);
            return;
        }
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size() - done, flushed - at));
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
    if (fd_ < 0)
        throw error(errc::invalid_argument, "commit after commit or abort", target_.string(), "",
                    error::no_offset);
    try {
        flush();
        if (durable_ && ::fsync(fd_) != 0) fail_temp("fsync", errno);
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) fail_temp("close", errno);
        if (::rename(temp_.c_str(), dest_.c_str()) != 0) fail_temp("rename", errno);
    } catch (...) {
        abort();
        throw;
    }
    temp_.clear();
    // The rename is durable only once the directory entry is on disk.
    if (durable_) sync_directory_of(dest_);
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
