#pragma once
/// @file dtype.hpp
/// @brief numpy's numeric dtypes: kind, item size and byte order, spelled as numpy's descr.

#include <bit>
#include <complex>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace colsnap {

enum class dtype_kind : std::uint8_t {
    boolean,      ///< 'b' (b1)
    signed_int,   ///< 'i' (i1, i2, i4, i8)
    unsigned_int, ///< 'u' (u1, u2, u4, u8)
    floating,     ///< 'f' (f2, f4, f8)
    complex,      ///< 'c' (c8, c16)
};

enum class byte_order : std::uint8_t {
    little,         ///< '<'
    big,            ///< '>'
    not_applicable, ///< '|' (one-byte types)
};

/// @brief The byte order of this machine.
inline constexpr byte_order native_order =
    std::endian::native == std::endian::little ? byte_order::little : byte_order::big;

/// @brief A numeric numpy dtype. One-byte types always carry byte_order::not_applicable.
struct dtype {
    dtype_kind kind = dtype_kind::unsigned_int;
    std::uint8_t itemsize = 1;
    byte_order order = byte_order::not_applicable;

    /// @brief numpy's spelling, as `np.dtype(...).str` gives it: "<f4", ">i8", "|u1", "|b1".
    std::string descr() const;
    /// @brief Parses a descr: '<', '>', '|' or '=' followed by b1, i1..i8, u1..u8, f2, f4, f8,
    /// c8, c16. Throws error(unsupported_dtype) for anything else (objects, strings, records).
    static dtype parse(std::string_view descr);
    /// @brief True when the bytes can be used as this machine's C++ type without swapping.
    bool is_native() const noexcept { return itemsize == 1 || order == native_order; }
    /// @brief The same dtype with this machine's byte order.
    dtype as_native() const noexcept;
    /// @brief The same dtype in little-endian (the canonical form hashed by content_hash).
    dtype as_little() const noexcept;

    friend bool operator==(const dtype&, const dtype&) = default;
};

/// @brief IEEE half precision, carried as its bits (C++20 has no std::float16_t).
struct float16 {
    std::uint16_t bits;
    friend bool operator==(const float16&, const float16&) = default;
};

namespace detail {
template <typename T> constexpr dtype make(dtype_kind k) {
    return dtype{k, static_cast<std::uint8_t>(sizeof(T)),
                 sizeof(T) == 1 ? byte_order::not_applicable : native_order};
}
} // namespace detail

/// @brief The native dtype of a C++ element type; fails to compile for unsupported types.
template <typename T> constexpr dtype dtype_of() {
    using U = std::remove_cv_t<T>;
    if constexpr (std::is_same_v<U, bool>) return detail::make<U>(dtype_kind::boolean);
    else if constexpr (std::is_same_v<U, float16>) return detail::make<U>(dtype_kind::floating);
    else if constexpr (std::is_same_v<U, std::complex<float>> ||
                       std::is_same_v<U, std::complex<double>>)
        return detail::make<U>(dtype_kind::complex);
    else if constexpr (std::is_floating_point_v<U>) {
        static_assert(sizeof(U) == 4 || sizeof(U) == 8, "only float and double");
        return detail::make<U>(dtype_kind::floating);
    } else if constexpr (std::is_integral_v<U> && std::is_signed_v<U>)
        return detail::make<U>(dtype_kind::signed_int);
    else if constexpr (std::is_integral_v<U> && std::is_unsigned_v<U>)
        return detail::make<U>(dtype_kind::unsigned_int);
    else static_assert(sizeof(U) == 0, "colsnap: no numpy dtype for this type");
}

} // namespace colsnap
