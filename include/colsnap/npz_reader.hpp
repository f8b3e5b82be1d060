#pragma once
/// @file npz_reader.hpp
/// @brief Reads .npz archives (zip of .npy members, as np.savez / np.savez_compressed write
/// them) through a memory map, validating every record before trusting it.
/// Reference: PKWARE APPNOTE.TXT 6.3.x (4.3.7 local header, 4.3.12 central directory,
/// 4.3.14-16 zip64 end records, 4.5.3 zip64 extra field).

#include <colsnap/array.hpp>
#include <colsnap/compression.hpp>
#include <colsnap/file_access.hpp>
#include <colsnap/limits.hpp>
#include <colsnap/npy.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace colsnap {

/// @brief What a member holds, as far as colsnap can type it.
enum class member_kind : std::uint8_t {
    array,     ///< an .npy colsnap reads (raw(), get())
    objects,   ///< an .npy of an object dtype: numpy pickled its items, colsnap never unpickles
    other,     ///< not an .npy: its content does not start with "\x93NUMPY" (a readme.txt)
    directory, ///< a directory entry ("sub/" from zip -r, "META-INF/" from jar): no content
};

/// @brief How `colsnap ls` names a kind of member: "array", "object (pickled)", "not .npy",
/// "directory".
std::string_view to_string(member_kind k) noexcept;

/// @brief The whole content of a member (the .npy, or the file), inflated, CRC checked.
struct member_bytes {
    std::span<const std::byte> bytes;
    std::shared_ptr<const void> keep_alive; ///< owns the memory bytes point into
};

/// @brief One member of an archive, as its directory and .npy header describe it.
struct member_info {
    std::string name; ///< numpy's key: the zip name without ".npy" (other names: the zip name)
    /// The name in the zip directory as CPython's zipfile decodes it, in UTF-8: UTF-8 when the
    /// entry's UTF-8 flag is set, else code page 437.
    std::string zip_name;
    member_kind kind = member_kind::array;
    compression method = compression::stored;
    std::uint32_t crc32 = 0;
    std::uint64_t compressed_size = 0;   ///< bytes in the file
    std::uint64_t uncompressed_size = 0; ///< bytes of the .npy (header + payload)
    std::uint64_t header_offset = 0;     ///< local file header offset in the archive
    std::uint64_t data_offset = 0;       ///< offset of the member's (possibly deflated) data
    npy_header npy;                      ///< parsed .npy header (member_kind::array only)
    /// @brief Offset of the array payload in the archive (stored members only; else 0).
    std::uint64_t array_offset() const noexcept {
        return method == compression::stored ? data_offset + npy.data_offset : 0;
    }
    /// @brief True for member_kind::array: raw() and get() can read it.
    bool typed() const noexcept { return kind == member_kind::array; }
    /// @brief True when get() can return a view into the mapped file without a copy (a stored
    /// array whose payload passes array_info::zero_copy_at()).
    bool zero_copy() const noexcept {
        return typed() && method == compression::stored && npy.info.zero_copy_at(array_offset());
    }
};

struct read_options {
    /// Compare each member's CRC-32 with the directory's when it is read (raw(), get(),
    /// get_all(), content_hash()), stored and deflated alike. false skips only that compare:
    /// deflated members are still inflated to exactly their declared size, and verify() always
    /// checks every CRC.
    bool check_crc = true;
    file_access access = file_access::map; ///< open(): map the file, or read it (see file_access)
    limits lim;
};

/// @brief Reads an .npz archive through a read-only memory map (or read into memory, see
/// read_options::access). Opening validates the whole directory (EOCD, zip64 records, central
/// directory, every local header, every .npy header, overlap and bounds of every member);
/// reading a member checks its CRC (read_options::check_crc).
/// An archive is read as numpy (CPython's zipfile) reads it, or refused: the same end record,
/// the same members under the same names and keys (docs/RELIABILITY.md).
/// Members colsnap cannot type (object arrays, files that are not .npy, directory entries) are
/// listed, verified and readable as bytes (content()); raw() and get() refuse them.
class npz_reader {
public:
    /// @brief Opens and validates @p path; throws error naming the file, member and offset.
    static npz_reader open(const std::filesystem::path& path, const read_options& opt = {});
    /// @brief The same over bytes in memory (kept alive by @p owner); @p label names it in errors.
    static npz_reader from_memory(std::span<const std::byte> bytes,
                                  std::shared_ptr<const void> owner, std::string label,
                                  const read_options& opt = {});

    const std::string& label() const noexcept { return label_; }
    /// @brief Members in archive order.
    const std::vector<member_info>& members() const noexcept { return members_; }
    /// @brief The member numpy's `z[name]` reads, or nullptr: the member whose zip name is @p name,
    /// else the one whose key is. (Opening refuses archives where the two would differ.)
    const member_info* find(std::string_view name) const noexcept;
    bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }

    /// @brief The member's whole content (the .npy with its header, or the file), inflated if
    /// deflated, CRC checked (unless read_options::check_crc is false); zero-copy for stored
    /// members. Works for every kind of member.
    member_bytes content(const member_info& m) const;
    /// @brief The member exactly as stored: its dtype byte order and memory order, inflated if
    /// deflated, CRC checked (unless read_options::check_crc is false). Zero-copy for stored
    /// members. Throws error(unsupported_dtype) for a member that is not typed().
    array raw(std::string_view name) const;
    array raw(const member_info& m) const;
    /// @brief The member in native byte order and C order: zero-copy for stored, aligned,
    /// native, C-order members; decoded into an owned buffer otherwise.
    array get(std::string_view name) const;
    /// @brief Typed access: get(name).values<T>(), with the array kept alive by @p out.
    template <typename T> std::span<const T> values(std::string_view name, array& out) const {
        out = get(name);
        return out.values<T>();
    }
    /// @brief Every member as get() gives it, in members() order, decoded on @p threads cores
    /// (0 = all): deflate members are inflated in parallel. On failure, throws the error of
    /// the first failing member in archive order (a member that is not typed() fails).
    std::vector<array> get_all(unsigned threads = 0) const;
    /// @brief Reads every member (typed or not) and checks every CRC; throws the first error.
    void verify() const;
    /// @brief Total size of the archive in bytes.
    std::uint64_t file_size() const noexcept { return bytes_.size(); }

private:
    member_bytes read(const member_info& m, bool check_crc) const;
    const member_info* by_key(std::string_view key) const noexcept;
    std::string label_;
    std::span<const std::byte> bytes_;
    std::shared_ptr<const void> owner_;
    std::vector<member_info> members_;
    std::vector<std::uint32_t> by_name_; ///< indices of members_ sorted by name
    read_options opt_;
};

} // namespace colsnap
