#pragma once
/// @file hash.hpp
/// @brief Content hash of a set of named arrays: XXH3-128 over members in name order, each as
/// (name, little-endian descr, shape, little-endian C-order bytes). Independent of stored vs
/// deflate, byte order and Fortran order; equal for a live world and its snapshot file.

#include <colsnap/column.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace colsnap {

class array_file;
class npz_reader;

struct digest {
    std::uint64_t high = 0, low = 0;
    /// @brief 32 lower-case hex digits, high word first.
    std::string hex() const;
    friend bool operator==(const digest&, const digest&) = default;
};

/// @brief Hash of @p columns (sorted by name internally; duplicate names are an error).
digest content_hash(std::span<const column_ref> columns);
/// @brief Hash of every member of an archive (CRC-checked as it is read).
digest content_hash(const npz_reader& archive);
/// @brief Hash of every member of an .npy (one member named "") or an .npz.
digest content_hash(const array_file& file);
/// @brief Hash of an .npz, or of an .npy (one member named ""), told apart by the file's first
/// bytes (array_file::open()), not by its name.
digest hash_file(const std::filesystem::path& path);

} // namespace colsnap
