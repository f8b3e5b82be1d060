#pragma once
/// @file npy_appender.hpp
/// @brief npy_appender: grows a C-order .npy along axis 0, in place and crash-safe.
///
/// The file is a valid .npy that numpy loads at every moment. numpy's own writer leaves room
/// in the header for the first dimension to reach 21 digits (format.py, GROWTH_AXIS_MAX_DIGITS),
/// so the header keeps one length whatever the row count: an append never moves the data.
///
/// One append(), in this order:
///  1. the rows are written after the last committed row (pwrite);
///  2. durable: fdatasync, so the rows are on disk before anything counts them;
///  3. the header, with the new row count in its shape, is rewritten in place by one pwrite of
///     its fixed length (well under a page, within the file's first sector for small shapes);
///  4. durable: fdatasync again, so the count is on disk when append() returns.
///
/// After a crash at any point the header counts only rows that were completely written: numpy
/// loads every committed row and nothing torn. Bytes written past the counted rows (a torn
/// tail; numpy ignores them, colsnap::read_npy refuses them as trailing_bytes) are cut by the
/// next open(). Without durable, a killed process loses nothing either (the page cache holds
/// the writes), but after a power cut the disk may hold a header that counts rows whose bytes
/// never reached it (they read back as zeros): use durable for logs that must survive one.
///
/// Example:
/// @code
///   auto log = colsnap::npy_appender::open_or_create("eaten.npy",
///                                                    colsnap::dtype_of<std::int64_t>(), {3});
///   std::array<std::int64_t, 6> two_rows{1, 2, 3, 4, 5, 6};
///   log.append(std::span<const std::int64_t>(two_rows)); // np.load("eaten.npy").shape == (2, 3)
/// @endcode
/// Readers need no lock and may load the file between appends. A read that races the header's
/// own pwrite is not covered: Linux does not promise that a concurrent read sees a write whole.
///
/// Limits: C order only (Fortran-order and 0-d files are refused, as are rows of zero bytes);
/// one appender per file at a time (an exclusive flock; a second open is refused); a header
/// without numpy's spare room (numpy < 1.17 or another writer) is refused, not rewritten.
/// More in docs/APPEND.md.

#include <colsnap/array.hpp>
#include <colsnap/limits.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace colsnap {

namespace detail {
class append_file;
}

/// @brief Options of an appender.
struct append_options {
    /// fdatasync the rows before the header counts them, and the header before append()
    /// returns (and, on create, fsync the new file and its directory).
    bool durable = true;
    /// Caps applied to the header of a file that is reopened.
    limits lim = {};
};

/// @brief Appends rows along axis 0 of a C-order .npy, in place (see the file comment).
class npy_appender {
public:
    /// @brief Creates @p path (replacing any file there, atomically) as an empty array of
    /// shape (0, *row_shape) and opens it for appending. @p row_shape: the shape of one row
    /// ({} for a 1-d array of scalars). Throws invalid_argument for rows of zero bytes.
    static npy_appender create(const std::filesystem::path& path, const dtype& type,
                               std::vector<std::uint64_t> row_shape = {},
                               const append_options& opt = {});

    /// @brief Reopens an existing .npy for appending. A torn tail (bytes past the rows the
    /// header counts) is cut (ftruncate; fdatasync when durable): the header is the truth, so
    /// trailing bytes that another program left there are cut too. Refuses, with the file and
    /// what is wrong: Fortran order and 0-d arrays (invalid_argument), a file shorter than
    /// its header says (truncated), a header with no room for the shape to grow
    /// (limit_exceeded), and whatever read_npy refuses in a header.
    static npy_appender open(const std::filesystem::path& path, const append_options& opt = {});

    /// @brief open() when @p path exists, create() otherwise. An existing file must hold
    /// rows of exactly @p type and @p row_shape, else error(type_mismatch).
    static npy_appender open_or_create(const std::filesystem::path& path, const dtype& type,
                                       std::vector<std::uint64_t> row_shape = {},
                                       const append_options& opt = {});

    npy_appender(npy_appender&& other) noexcept;
    npy_appender& operator=(npy_appender&& other) noexcept;
    npy_appender(const npy_appender&) = delete;
    npy_appender& operator=(const npy_appender&) = delete;
    ~npy_appender();

    /// @brief Appends whole rows: @p bytes in the file's dtype and byte order, C order, a
    /// multiple of row_bytes() long (else invalid_argument; nothing is written). Once this
    /// returns the rows are committed (on disk when durable). If it throws (an I/O error), the
    /// rows before the call are intact and this appender refuses further appends: reopen.
    void append(std::span<const std::byte> bytes);

    /// @brief Typed append of native T: values.size() must be a multiple of the elements of
    /// a row; throws type_mismatch unless the file's dtype is dtype_of<T>().
    template <typename T> void append(std::span<const T> values) {
        check_element_type(dtype_of<T>());
        append(std::as_bytes(values));
    }

    /// @brief Rows committed so far (the header's first dimension).
    std::uint64_t rows() const noexcept;
    /// @brief The array as the header now describes it: dtype, shape (rows(), *row_shape).
    const array_info& info() const noexcept;
    /// @brief Bytes of one row.
    std::uint64_t row_bytes() const noexcept;
    /// @brief Bytes of a torn tail that open() cut (0 when the file ended at its last row).
    std::uint64_t cut_at_open() const noexcept;
    /// @brief Where the rows start (the header's fixed length).
    std::uint64_t data_offset() const noexcept;

private:
    struct state;
    explicit npy_appender(std::unique_ptr<state> s);
    void check_element_type(const dtype& t) const;
    std::unique_ptr<state> s_;
};

} // namespace colsnap
