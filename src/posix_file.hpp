#pragma once
// Internal: the only place colsnap talks to the OS about files (open, mmap, write, fsync,
// rename). Keeping every syscall here makes I/O-error injection and auditing one file's job.

#include <colsnap/error.hpp>
#include <colsnap/file_access.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace colsnap::detail {

/// Throws error(io_error) "@p op: strerror(@p err)" naming @p path (and @p offset, if any): the
/// one shape of an OS failure, for posix_file.cpp and posix_append.cpp.
[[noreturn]] void fail_io(const std::string& op, const std::string& path, int err,
                          std::uint64_t offset = error::no_offset);

/// For writers that create the file another way (MPI-IO): removes the stale temps of dead writers
/// of @p target, then returns a fresh temp path beside it, named as atomic_file names its temps
/// (so either writer's sweep removes the other's). The caller creates it with O_EXCL semantics.
std::filesystem::path sweep_and_name_temp(const std::filesystem::path& target);

/// fsyncs the directory that holds @p file (after a rename into it); throws error(io_error).
void sync_directory_of(const std::filesystem::path& file);

/// A whole file mapped read-only, or (file_access::read) read into memory with pread; an empty
/// file is an empty span. Throws error(io_error) naming the path and the failed operation; in
/// read mode also when the file shrinks or changes (size, mtime, ctime) while it is read.
class mapped_file {
public:
    static std::shared_ptr<const mapped_file> open(const std::filesystem::path& path,
                                                   file_access access = file_access::map);
    ~mapped_file();
    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;
    mapped_file(mapped_file&&) = delete;
    mapped_file& operator=(mapped_file&&) = delete;
    std::span<const std::byte> bytes() const noexcept { return {data_, size_}; }
    const std::string& path() const noexcept { return path_; }

private:
    mapped_file() = default;
    void read_all(int fd, const struct stat& opened);
    std::byte* data_ = nullptr; ///< handed out as const (bytes()); non-const for munmap
    std::size_t size_ = 0;
    bool mapped_ = false; ///< data_ is a mapping (of the file, or of memory it was read into)
    std::string path_;
};

/// A file that appears at its target path only on commit(): data goes to a temp file in the
/// same directory (".NAME.colsnap-tmp.PID.XXXXXX", NAME shortened and hashed when the temp name
/// would pass 255 bytes), then fsync, rename, fsync of the directory. A symlink at the target is
/// followed (its final target is replaced; the link stays); a file being replaced keeps its mode
/// and, where fchown is permitted, its owner and group; its other hard links keep the old bytes
/// (the new file is a new inode). Destruction without commit removes the temp file. Small
/// writes are buffered.
class atomic_file {
public:
    atomic_file(std::filesystem::path target, bool durable);
    ~atomic_file();
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;
    atomic_file(atomic_file&&) = delete;
    atomic_file& operator=(atomic_file&&) = delete;

    void write(std::span<const std::byte> bytes);
    void write(std::string_view text) { write(std::as_bytes(std::span(text.data(), text.size()))); }
    /// Overwrites already-written bytes at @p offset (flushes the buffer first).
    void pwrite(std::span<const std::byte> bytes, std::uint64_t offset);
    std::uint64_t position() const noexcept { return position_; }
    void commit();
    void abort() noexcept;
    const std::filesystem::path& target() const noexcept { return target_; }
    const std::filesystem::path& temp_path() const noexcept { return temp_; }

private:
    void flush();
    void keep_owner_and_mode(unsigned uid, unsigned gid, unsigned mode);
    [[noreturn]] void fail_temp(const char* op, int err, std::uint64_t offset = UINT64_MAX) const;
    void write_all(const std::byte* p, std::size_t n, std::uint64_t at);
    std::filesystem::path target_, dest_, temp_; ///< as given, with symlinks followed, temp
    int fd_ = -1;
    bool durable_;
    std::uint64_t position_ = 0;
    std::vector<std::byte> buffer_;
};

} // namespace colsnap::detail
