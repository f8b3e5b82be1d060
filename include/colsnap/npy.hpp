#pragma once
/// @file npy.hpp
/// @brief The .npy format (versions 1.0, 2.0, 3.0): header parse/format, whole-file read/write.
/// Reference: numpy/lib/format.py (numpy 1.24), "NPY format" NEP 1.

#include <colsnap/array.hpp>
#include <colsnap/file_access.hpp>
#include <colsnap/limits.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace colsnap {

/// @brief A parsed .npy preamble.
struct npy_header {
    array_info info;
    std::uint8_t major = 1, minor = 0;
    std::uint64_t data_offset = 0; ///< bytes from the start of the .npy to the array data
};

/// @brief Parses the preamble at the start of @p bytes (magic, version, length, dict).
/// Strict: a Python-literal dict with exactly 'descr', 'fortran_order', 'shape'; never eval.
/// Error offsets are relative to bytes.data().
npy_header parse_npy_header(std::span<const std::byte> bytes, const limits& lim = {});

/// @brief The preamble np.save would write for @p info, byte for byte (dict text, growth
/// spaces, padding to 64 bytes). @p major = 0 picks the version as numpy does (1.0 unless
/// the header needs more than 65535 bytes).
std::string format_npy_header(const array_info& info, int major = 0);

/// @brief Options for writing a file.
struct file_options {
    /// fsync the file and its directory before and after the rename (crash-safe commit).
    bool durable = true;
};

/// @brief Writes one .npy atomically (temp file + fsync + rename). @p bytes are the array's
/// bytes in info.type's byte order and info's memory order.
void write_npy(const std::filesystem::path& path, const array_info& info,
               std::span<const std::byte> bytes, const file_options& opt = {});

/// @brief Typed convenience: a 1-d (or @p shape-d) C-order array of native T.
template <typename T>
void write_npy(const std::filesystem::path& path, std::span<const T> values,
               std::vector<std::uint64_t> shape = {}, const file_options& opt = {}) {
    if (shape.empty()) shape = {values.size()};
    write_npy(path, array_info{dtype_of<T>(), std::move(shape), false}, std::as_bytes(values), opt);
}

/// @brief Reads an .npy file (memory-mapped, or read into memory with file_access::read; the
/// array borrows the mapping or that memory).
array read_npy(const std::filesystem::path& path, const limits& lim = {},
               file_access access = file_access::map);

/// @brief Parses an .npy held in memory; the array borrows @p bytes (kept alive by @p owner).
array parse_npy(std::span<const std::byte> bytes, std::shared_ptr<const void> owner,
                const limits& lim = {});

} // namespace colsnap
