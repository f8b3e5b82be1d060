#pragma once
// Opens any .npy or .npz file as a list of members (colsnap::array_file), so that every
// command treats both the same way. An .npy is one member named "" (as colsnap::hash_file
// names it), shown as "-".
// Unusable paths (missing, unreadable, a directory, empty) are refused by the library with
// colsnap::error(io_error or a format code) naming the path.

#include "../common/escape_text.hpp"

#include <colsnap/colsnap.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace colsnap_cli {

using colsnap::file_kind;

/// One array of a file, as ls shows it.
struct member_entry {
    std::string name;         ///< numpy's key; "" for the array of an .npy
    colsnap::array_info info; ///< dtype, shape and memory order as stored
    colsnap::compression method = colsnap::compression::stored;
    std::uint64_t compressed_size = 0;   ///< bytes in the file (.npy: the whole file)
    std::uint64_t uncompressed_size = 0; ///< bytes of the .npy (header + payload)
    /// Where the member's data start in the file: the array payload for stored members and
    /// .npy files, the start of the deflate stream for deflated members.
    std::uint64_t data_offset = 0;
    bool zero_copy = false; ///< a read can borrow the mapped file (no copy, no conversion)
    /// An array, or a member colsnap cannot type (an object array, a file that is not .npy):
    /// those have no info, and only content() reads them.
    colsnap::member_kind kind = colsnap::member_kind::array;
    const colsnap::member_info* record = nullptr; ///< the file's record of the member
};

/// The name of a member as printed: "-" for the array of an .npy, control characters escaped.
std::string display_name(std::string_view name);

using apps_common::escape_text;
using apps_common::unescape_text;

/// An opened, validated .npy or .npz.
class snapshot_source {
public:
    /// Opens and validates @p path (the whole directory and every .npy header for an .npz;
    /// header and size for an .npy). Throws colsnap::error. With @p opt.check_crc = false, raw()
    /// of a stored member is a view that reads nothing yet (cat --head); verify() still checks.
    /// verify, copy and hash pass opt.access = file_access::read (the file is read into memory):
    /// a file that shrinks under a mapping is a SIGBUS.
    static snapshot_source open(const std::filesystem::path& path,
                                const colsnap::read_options& opt = {});
    // Move-only: members() point into the reader's directory.
    snapshot_source(snapshot_source&&) noexcept = default;
    snapshot_source& operator=(snapshot_source&&) noexcept = default;
    snapshot_source(const snapshot_source&) = delete;
    snapshot_source& operator=(const snapshot_source&) = delete;
    ~snapshot_source() = default;

    file_kind kind() const noexcept { return file_.kind(); }
    const std::filesystem::path& path() const noexcept { return path_; }
    std::uint64_t file_size() const noexcept { return file_.file_size(); }
    /// Members in file order.
    const std::vector<member_entry>& members() const noexcept { return members_; }
    /// The member named @p name (numpy key or zip name; for an .npy also "" and "-").
    const member_entry* find(std::string_view name) const noexcept;

    /// The member exactly as stored (byte order, memory order), CRC checked.
    colsnap::array raw(const member_entry& m) const;
    /// The member in native byte order and C order.
    colsnap::array native(const member_entry& m) const;
    /// The member's whole content (the .npy, or the file), CRC checked: any kind of member.
    colsnap::member_bytes content(const member_entry& m) const;
    /// How many members colsnap cannot type (object arrays, files that are not .npy).
    std::size_t untyped() const noexcept;
    /// Reads every member and checks every CRC (npz); the .npy was fully checked by open().
    void verify() const;

private:
    snapshot_source(std::filesystem::path path, colsnap::array_file file)
        : path_(std::move(path)), file_(std::move(file)) {}
    std::filesystem::path path_;
    colsnap::array_file file_;
    std::vector<member_entry> members_;
};

/// Options that read the whole file into memory instead of mapping it (verify, copy, hash): a
/// file that shrinks while it is read is then an error, not a SIGBUS.
inline colsnap::read_options read_into_memory() {
    colsnap::read_options opt;
    opt.access = colsnap::file_access::read;
    return opt;
}

} // namespace colsnap_cli
