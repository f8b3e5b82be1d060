#pragma once
/// @file array.hpp
/// @brief array_info (dtype + shape + order) and array (a read-only, possibly zero-copy, n-d array).

#include <colsnap/dtype.hpp>
#include <colsnap/error.hpp>
#include <colsnap/field_view.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace colsnap {

namespace detail {
struct array_access; // src/array_internal.hpp: how the library makes arrays
} // namespace detail

/// @brief What an .npy header says: dtype, shape and memory order.
struct array_info {
    dtype type;
    std::vector<std::uint64_t> shape; ///< empty for a 0-d array (one element)
    bool fortran_order = false;

    /// @brief Number of elements (product of the shape; 1 for 0-d). Assumes a validated shape.
    std::uint64_t count() const noexcept;
    /// @brief count() * itemsize.
    std::uint64_t nbytes() const noexcept { return count() * type.itemsize; }
    /// @brief True when the bytes are laid out in C order (C order, or at most one dim > 1).
    bool is_c_contiguous() const noexcept;
    /// @brief numpy-like text, e.g. "(1000000,)" or "(2, 3)".
    std::string shape_string() const;
    /// @brief The zero-copy rule: true when bytes of this array starting at @p address (an
    /// address, or an offset from a 64-byte aligned base such as a mapped file) can be used as
    /// they are by native, C-order consumers: native byte order, C order, and items at a
    /// multiple of dtype::alignment() (a number's size). Empty arrays are no exception, so the
    /// rule is the same whatever the shape.
    bool zero_copy_at(std::uint64_t address) const noexcept {
        return type.is_native() && is_c_contiguous() && address % type.alignment() == 0;
    }

    friend bool operator==(const array_info&, const array_info&) = default;
};

/// @brief Checks shape product * itemsize for overflow; throws error(size_overflow).
std::uint64_t checked_nbytes(const array_info& info);

/// @brief A read-only n-d array: its info plus its bytes, which either borrow a mapped file
/// (zero-copy; the mapping is kept alive by the array) or are owned by it.
class array {
public:
    /// @brief An empty 0-element array; arrays with data come from the readers.
    array() = default;

    const array_info& info() const noexcept { return info_; }
    const dtype& type() const noexcept { return info_.type; }
    const std::vector<std::uint64_t>& shape() const noexcept { return info_.shape; }
    std::uint64_t size() const noexcept { return info_.count(); }
    /// @brief The raw bytes, in info().type's byte order and info()'s memory order.
    std::span<const std::byte> bytes() const noexcept { return bytes_; }
    /// @brief True when bytes() points into a mapped file (no copy was made).
    bool borrowed() const noexcept { return borrowed_; }
    /// @brief The file and member this array was read from (empty when it was not read, or
    /// for the member of a bare .npy); its errors name them, like every reader's.
    const std::string& file() const noexcept { return file_; }
    const std::string& member() const noexcept { return member_; }

    /// @brief Typed access. Requires dtype_of<T>() == type() (so native byte order) and C order
    /// (or at most one dim > 1); throws error(type_mismatch) otherwise. Use to_native_c() first
    /// to convert foreign byte order or Fortran order.
    template <typename T> std::span<const T> values() const {
        check_values(dtype_of<T>(), alignof(T));
        return {reinterpret_cast<const T*>(bytes_.data()), bytes_.size() / sizeof(T)};
    }

    /// @brief Field @p name (or title) of a record array, zero-copy: a strided view of every
    /// record's field, in C order. Throws error(type_mismatch) when the array is not a record
    /// array or not in C order (to_native_c() gives one), error(no_such_member) for an unknown
    /// field.
    field_view field(std::string_view name) const;

    /// @brief This array in native byte order and C order: *this (shared, no copy) when it
    /// already is, otherwise a converted owned copy.
    array to_native_c() const;

private:
    friend struct detail::array_access;
    array(array_info info, std::span<const std::byte> bytes, std::shared_ptr<const void> keep_alive,
          bool borrowed);
    void check_values(const dtype& want, std::size_t align) const;
    /// Throws error(@p code, @p detail) naming file() and member().
    [[noreturn]] void fail(errc code, std::string detail) const;
    array_info info_;
    std::span<const std::byte> bytes_;
    std::shared_ptr<const void> keep_;
    bool borrowed_ = false;
    std::string file_;
    std::string member_;
};

} // namespace colsnap
