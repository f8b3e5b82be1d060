#pragma once
/// @file error.hpp
/// @brief The one error type of colsnap: a precise code plus file, member and byte offset.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace colsnap {

/// @brief What went wrong. Every refusal of input maps to exactly one code.
enum class errc : std::uint8_t {
    io_error,  ///< open/read/write/fsync/rename/mmap failed (the OS error is in the message)
    bad_magic, ///< the first 6 bytes are not "\x93NUMPY"
    unsupported_version, ///< .npy version other than 1.0, 2.0, 3.0
    header_too_large,    ///< header length exceeds limits::max_header_len
    header_syntax,       ///< the header dict is not the Python-literal subset numpy writes
    unsupported_dtype,   ///< descr not numeric (object, string, structured, ...), or pickled data
    size_overflow,       ///< shape product times itemsize overflows 64 bits, or a negative dim
    truncated,           ///< fewer bytes than a header or the shape promises
    trailing_bytes,      ///< more payload bytes than the shape says
    not_a_zip,           ///< no end-of-central-directory record
    zip_corrupt,         ///< offsets, sizes or signatures of zip records are inconsistent
    unsupported_zip,  ///< encryption, multi-disk, or a compression method other than stored/deflate
    crc_mismatch,     ///< CRC-32 of a member's data differs from the directory's
    size_mismatch,    ///< a member inflates to more or fewer bytes than declared
    duplicate_member, ///< two members have the same name
    no_such_member,   ///< the requested member does not exist
    type_mismatch,    ///< typed access with a C++ type that does not match the dtype/layout
    limit_exceeded,   ///< a configured limit (members, dims, total size) is exceeded
    invalid_argument, ///< the caller passed something unusable (bad name, bad level, ...)
};

/// @brief Short stable name of a code, e.g. "crc_mismatch".
std::string_view to_string(errc code) noexcept;

/// @brief Thrown by every colsnap function that fails.
///
/// what() reads "FILE: member M: at byte O: DETAIL [code]"; parts that are unknown are left out.
/// It is one line: bytes that would not print as themselves (NUL, newline, malformed UTF-8) are
/// shown as \xNN, and '\' in FILE and M as "\\"; file() and member() give the raw bytes.
class error : public std::runtime_error {
public:
    static constexpr std::uint64_t no_offset = UINT64_MAX;

    error(errc code, std::string detail, std::uint64_t offset = no_offset);
    error(errc code, std::string detail, std::string file, std::string member,
          std::uint64_t offset);

    errc code() const noexcept { return code_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& file() const noexcept { return file_; }
    const std::string& member() const noexcept { return member_; }
    /// @brief Absolute byte offset in the file (or no_offset).
    std::uint64_t offset() const noexcept { return offset_; }
    const char* what() const noexcept override { return message_.c_str(); }

    /// @brief Adds where the error happened, as it propagates outwards: an empty file/member
    /// is filled in, and a relative offset is shifted by @p base.
    void locate(std::string_view file, std::string_view member, std::uint64_t base = 0);

private:
    void format();
    errc code_;
    std::string detail_, file_, member_, message_;
    std::uint64_t offset_;
};

} // namespace colsnap
