#include "raw_columns.hpp"

#include "timing.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace exhibit {
namespace {

[[noreturn]] void fail(const char* what, const std::filesystem::path& path) {
    throw std::system_error(errno, std::generic_category(),
                            std::string(what) + " " + path.string());
}

/// Closes a file descriptor on scope exit.
struct fd_guard {
    int fd;
    ~fd_guard() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

void write_all(int fd, std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "write");
        }
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
}

void read_exact(int fd, std::span<std::byte> out) {
    while (!out.empty()) {
        const ssize_t n = ::read(fd, out.data(), out.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "read");
        }
        if (n == 0) throw std::runtime_error("read: unexpected end of file");
        out = out.subspan(static_cast<std::size_t>(n));
    }
}

double write_raw_columns(const std::filesystem::path& path,
                         std::span<const colsnap::column_ref> columns, bool sync) {
    fd_guard f{::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
    if (f.fd < 0) fail("open", path);
    for (const auto& c : columns) write_all(f.fd, c.bytes);
    double fsync_ms = 0;
    if (sync) {
        int rc = 0;
        fsync_ms = time_ms([&] { rc = ::fsync(f.fd); });
        if (rc != 0) fail("fsync", path);
    }
    const int fd = f.fd;
    f.fd = -1;
    if (::close(fd) != 0) fail("close", path);
    return fsync_ms;
}

raw_reader::raw_reader(std::span<const colsnap::column_ref> columns) {
    for (const auto& c : columns) {
        buffers_.emplace_back(c.bytes.size());
        std::memset(buffers_.back().data(), 0xA5, buffers_.back().size()); // first touch, once
    }
}

void raw_reader::read(const std::filesystem::path& path) {
    fd_guard f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0) fail("open", path);
    for (auto& b : buffers_) read_exact(f.fd, b);
}

std::vector<std::span<const std::byte>> raw_reader::columns() const {
    std::vector<std::span<const std::byte>> out;
    for (const auto& b : buffers_) out.emplace_back(b);
    return out;
}

} // namespace exhibit
