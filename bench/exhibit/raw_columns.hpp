#pragma once
/// @file raw_columns.hpp
/// @brief The floor: each column's bytes written back to back into one file with write(2), and
/// read back with read(2) into buffers that are allocated (and first-touched) once and reused.
/// No header, no checksum, no portability: what any format has to beat.

#include <colsnap/column.hpp>

#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace exhibit {

/// @brief open(O_CREAT|O_TRUNC) + write() of every column + close(); with @p sync an fsync()
/// before close() (the floor for a durable write). Returns the milliseconds fsync() took
/// (0 without @p sync), so that the cost of durability is reported on its own.
double write_raw_columns(const std::filesystem::path& path,
                         std::span<const colsnap::column_ref> columns, bool sync);

/// @brief Reads raw column files into buffers shaped like the columns it was made for.
class raw_reader {
public:
    /// @brief Allocates one buffer per column and touches every page of it once.
    explicit raw_reader(std::span<const colsnap::column_ref> columns);
    /// @brief open() + read() of every column into the buffers + close().
    void read(const std::filesystem::path& path);
    /// @brief The buffers, as read by the last read().
    std::vector<std::span<const std::byte>> columns() const;

private:
    std::vector<std::vector<std::byte>> buffers_;
};

/// @brief Writes all of @p fd's @p bytes (retrying short writes); throws std::system_error.
void write_all(int fd, std::span<const std::byte> bytes);
/// @brief Reads exactly @p out.size() bytes from @p fd; throws on error or early end of file.
void read_exact(int fd, std::span<std::byte> out);

} // namespace exhibit
