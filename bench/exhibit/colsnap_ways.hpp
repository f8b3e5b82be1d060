#pragma once
/// @file colsnap_ways.hpp
/// @brief The colsnap ways: .npz written stored or deflated, read in full with every CRC,
/// mapped with one column viewed, mapped with every column touched.

#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace exhibit {

/// @brief save_npz of @p columns with @p opt (stored or deflate; durable or not; threads).
void write_npz(const std::filesystem::path& path, std::span<const colsnap::column_ref> columns,
               const colsnap::write_options& opt);

/// @brief An archive read in full: the reader (holding the map) and every member as an array.
struct loaded_npz {
    std::optional<colsnap::npz_reader> reader;
    std::vector<std::string> names;
    std::vector<colsnap::array> columns;
    /// @brief The columns' bytes, in the order of @p wanted names (empty span when missing).
    std::vector<std::span<const std::byte>> spans(const std::vector<std::string>& wanted) const;
};

/// @brief npz_reader::open + get() of every member (native, C order): stored members are views
/// into the map, deflated ones are inflated; with @p check_crc every member's CRC-32 is checked.
loaded_npz load_npz(const std::filesystem::path& path, bool check_crc);

/// @brief Like load_npz with raw() instead of get(): members exactly as stored, zero-copy for
/// every stored member even when its payload is not aligned for typed access.
loaded_npz load_npz_raw(const std::filesystem::path& path, bool check_crc);

/// @brief load_npz through npz_reader::get_all(@p threads): members decoded (inflated) on
/// @p threads cores by the library.
loaded_npz load_npz_parallel(const std::filesystem::path& path, bool check_crc, unsigned threads);

/// @brief Opens the archive without checking CRCs and takes a zero-copy view of one member
/// (no byte of its payload is touched). Returns the member's element count.
std::uint64_t view_one_column(const std::filesystem::path& path, const std::string& name);

/// @brief Opens the archive without checking CRCs, views every member and reads every byte
/// of every payload (an XOR fold, so that every page is faulted in and every line loaded).
std::uint64_t touch_all_columns(const std::filesystem::path& path);

/// @brief XOR fold of @p bytes as 64-bit words (plus the tail): reads every byte.
std::uint64_t fold(std::span<const std::byte> bytes) noexcept;

} // namespace exhibit
