#pragma once
/// @file array.hpp
/// @brief array_info (dtype + shape + order) and array (a read-only, possibly zero-copy, n-d array).

#include <colsnap/dtype.hpp>
#include <colsnap/error.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace colsnap {

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

    friend bool operator==(const array_info&, const array_info&) = default;
};

/// @brief Checks shape product * itemsize for overflow; throws error(size_overflow).
std::uint64_t checked_nbytes(const array_info& info);

/// @brief A read-only n-d array: its info plus its bytes, which either borrow a mapped file
/// (zero-copy; the mapping is kept alive by the array) or are owned by it.
class array {
public:
    array() = default;
    /// @brief Borrows @p bytes; @p keep_alive owns the memory they point into.
    array(array_info info, std::span<const std::byte> bytes, std::shared_ptr<const void> keep_alive,
          bool borrowed);
    /// @brief Allocates an owned, uninitialized buffer of @p info.nbytes() bytes.
    static std::pair<array, std::span<std::byte>> allocate(array_info info);

    const array_info& info() const noexcept { return info_; }
    const dtype& type() const noexcept { return info_.type; }
    const std::vector<std::uint64_t>& shape() const noexcept { return info_.shape; }
    std::uint64_t size() const noexcept { return info_.count(); }
    /// @brief The raw bytes, in info().type's byte order and info()'s memory order.
    std::span<const std::byte> bytes() const noexcept { return bytes_; }
    /// @brief True when bytes() points into a mapped file (no copy was made).
    bool borrowed() const noexcept { return borrowed_; }

    /// @brief Typed access. Requires dtype_of<T>() == type() (so native byte order) and C order
    /// (or at most one dim > 1); throws error(type_mismatch) otherwise. Use to_native_c() first
    /// to convert foreign byte order or Fortran order.
    template <typename T> std::span<const T> values() const {
        check_values(dtype_of<T>(), alignof(T));
        return {reinterpret_cast<const T*>(bytes_.data()), bytes_.size() / sizeof(T)};
    }

    /// @brief This array in native byte order and C order: *this (shared, no copy) when it
    /// already is, otherwise a converted owned copy.
    array to_native_c() const;

private:
    void check_values(const dtype& want, std::size_t align) const;
    array_info info_;
    std::span<const std::byte> bytes_;
    std::shared_ptr<const void> keep_;
    bool borrowed_ = false;
};

/// @brief Swaps the bytes of @p n items of @p itemsize bytes from @p src into @p dst (may alias).
/// Complex items swap each half separately, as numpy does.
void byteswap_copy(const std::byte* src, std::byte* dst, std::uint64_t n, const dtype& type);

/// @brief Converts bytes of @p info into native byte order and C order, into @p dst
/// (dst.size() == info.nbytes()).
void to_native_c_order(const array_info& info, std::span<const std::byte> src,
                       std::span<std::byte> dst);

} // namespace colsnap
