#pragma once
/// @file array_file.hpp
/// @brief Any .npy or .npz file as a list of members, told apart by their first bytes: the
/// one way hash_file and the colsnap tool open a file whatever its name.

#include <colsnap/array.hpp>
#include <colsnap/npz_reader.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace colsnap {

enum class file_kind : std::uint8_t {
    npy, ///< a single array
    npz, ///< a zip of .npy members
};

/// @brief .npy or .npz from a file's first bytes ("\x93NUMPY" or "PK"); anything else is
/// decided by the extension of @p path (".npy" means npy, anything else npz), so that the
/// reader of that kind explains what is wrong with the file.
file_kind sniff_kind(std::span<const std::byte> head, const std::filesystem::path& path);

/// @brief An opened, validated .npy or .npz (memory-mapped). An .npy is one member named ""
/// with method stored, crc32 0 (it has none), both sizes the file size, and data_offset 0, so
/// member_info::array_offset() and zero_copy() mean the same for both kinds.
class array_file {
public:
    /// @brief Opens and validates @p path (for an .npz: the whole directory and every .npy
    /// header; for an .npy: its header and size). Throws error naming the file.
    static array_file open(const std::filesystem::path& path, const read_options& opt = {});

    file_kind kind() const noexcept { return kind_; }
    const std::string& label() const noexcept { return label_; }
    std::uint64_t file_size() const noexcept { return file_size_; }
    /// @brief Members in file order.
    const std::vector<member_info>& members() const noexcept;
    /// @brief The member named @p name (numpy key or zip name; "" for an .npy), or nullptr.
    const member_info* find(std::string_view name) const noexcept;
    /// @brief The member exactly as stored (npz_reader::raw()); for an .npy, the whole array.
    array raw(const member_info& m) const;
    /// @brief The member's whole content, CRC checked (npz_reader::content()); for an .npy, the
    /// whole file. Works for members colsnap cannot type too.
    member_bytes content(const member_info& m) const;
    /// @brief Reads every member and checks every CRC (an .npy was checked by open()).
    void verify() const;
    /// @brief The archive of an .npz, or nullptr for an .npy.
    const npz_reader* archive() const noexcept { return npz_ ? &*npz_ : nullptr; }

private:
    file_kind kind_ = file_kind::npz;
    std::string label_;
    std::uint64_t file_size_ = 0;
    std::optional<npz_reader> npz_;
    array npy_;
    member_bytes npy_file_;               ///< the whole mapped .npy
    std::vector<member_info> npy_member_; ///< the one member of an .npy
};

} // namespace colsnap
