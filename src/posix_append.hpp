#pragma once
// Internal: the OS calls of an in-place appender (the second half of colsnap's OS boundary,
// beside posix_file.hpp; every syscall of the appender is in posix_append.cpp).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

namespace colsnap::detail {

/// A regular file opened read-write to grow in place: positional reads and writes, fdatasync,
/// ftruncate. An exclusive flock is held while it is open, so that two appenders never write
/// one file (the kernel drops the lock when the process dies, SIGKILL included). Every failure
/// throws error(io_error) naming the path, the operation and, for I/O, the byte offset.
class append_file {
public:
    /// Opens @p path; nullptr when it does not exist and @p missing_ok.
    static std::unique_ptr<append_file> open(const std::filesystem::path& path, bool missing_ok);
    ~append_file();
    append_file(const append_file&) = delete;
    append_file& operator=(const append_file&) = delete;
    append_file(append_file&&) = delete;
    append_file& operator=(append_file&&) = delete;

    /// The file's current size (fstat).
    std::uint64_t size() const;
    /// Reads up to bytes.size() bytes at @p offset; returns how many (fewer only at the end).
    std::size_t read_at(std::span<std::byte> bytes, std::uint64_t offset) const;
    /// Writes all of @p bytes at @p offset (retrying short writes and EINTR).
    void write_at(std::span<const std::byte> bytes, std::uint64_t offset);
    /// Cuts (or extends) the file to @p size bytes.
    void truncate(std::uint64_t size);
    /// fdatasync: the data and the size are on disk when it returns.
    void sync_data();
    const std::string& path() const noexcept { return path_; }

private:
    append_file(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    int fd_;
    std::string path_;
};

} // namespace colsnap::detail
