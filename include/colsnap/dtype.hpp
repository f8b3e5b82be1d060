#pragma once
/// @file dtype.hpp
/// @brief numpy's dtypes without objects: numbers, strings, bytes, datetimes and records,
/// spelled as numpy spells them in an .npy header.

#include <bit>
#include <chrono>
#include <complex>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace colsnap {

enum class dtype_kind : std::uint8_t {
    boolean,      ///< 'b' (b1)
    signed_int,   ///< 'i' (i1, i2, i4, i8)
    unsigned_int, ///< 'u' (u1, u2, u4, u8)
    floating,     ///< 'f' (f2, f4, f8; f16 is x86-64's 80-bit long double in 16 bytes)
    complex,      ///< 'c' (c8, c16, c32)
    bytes,        ///< 'S' n: n bytes, NUL-padded
    unicode,      ///< 'U' n: n UCS-4 code units (4n bytes) in the dtype's byte order
    opaque,       ///< 'V' n: n bytes numpy does not interpret
    datetime,     ///< 'M8[unit]': int64 count of units since 1970-01-01, NaT = INT64_MIN
    timedelta,    ///< 'm8[unit]': int64 count of units, NaT = INT64_MIN
    structured,   ///< a record: named fields at byte offsets (a list descr)
    subarray,     ///< a field type that is itself a sub-array: ('<f8', (5,)) (record fields only)
};

enum class byte_order : std::uint8_t {
    little,         ///< '<'
    big,            ///< '>'
    not_applicable, ///< '|' (one-byte types, S, V and records)
};

/// @brief The unit of a datetime64/timedelta64, as numpy spells it between brackets.
enum class time_unit : std::uint8_t {
    generic,     ///< no unit ('<M8')
    year,        ///< Y
    month,       ///< M
    week,        ///< W
    day,         ///< D
    hour,        ///< h
    minute,      ///< m
    second,      ///< s
    millisecond, ///< ms
    microsecond, ///< us
    nanosecond,  ///< ns
    picosecond,  ///< ps
    femtosecond, ///< fs
    attosecond,  ///< as
};

/// @brief The byte order of this machine.
inline constexpr byte_order native_order =
    std::endian::native == std::endian::little ? byte_order::little : byte_order::big;

struct field;

/// @brief A numpy dtype other than object. Numbers carry their kind, size and byte order;
/// one-byte types, S, V and records carry byte_order::not_applicable. Records carry their
/// fields (each with its own dtype and byte order).
struct dtype {
    dtype_kind kind = dtype_kind::unsigned_int;
    std::uint32_t itemsize = 1; ///< bytes per item (numpy caps it at 2^31 - 1)
    byte_order order = byte_order::not_applicable;
    time_unit unit = time_unit::generic; ///< datetime/timedelta only
    std::uint32_t unit_count = 1;        ///< the 25 of '<M8[25s]'; datetime/timedelta only
    /// Records: the fields, in offset order. Sub-arrays: one nameless field, the base dtype and
    /// its shape.
    std::shared_ptr<const std::vector<field>> fields = {};

    /// @brief numpy's spelling: `dtype.str` ("<f4", ">i8", "|S5", "<U3", "<M8[25s]") and, for
    /// records, `dtype.descr` as Python prints it ("[('x', '<f8'), ('', '|V4')]"); a sub-array
    /// as its tuple ("('<f8', (5,))").
    std::string descr() const;
    /// @brief numpy's `dtype.str`: descr() except records and sub-arrays ("|V" and the size).
    std::string str() const;
    /// @brief descr() as a Python literal, as an .npy header holds it: records and sub-arrays
    /// as they are, every other dtype quoted ("'<f8'").
    std::string literal() const;
    /// @brief Parses a `dtype.str` spelling: an order character ('<', '>', '|' or '=') and
    /// b1, i1..i8, u1..u8, f2, f4, f8, f16, c8, c16, c32, S n, U n, V n, M8, m8, M8[unit],
    /// m8[Nunit]. Throws error(unsupported_dtype) for anything else (objects included).
    static dtype parse(std::string_view descr);
    /// @brief A record of @p fields (sorted by offset, may leave gaps) in @p itemsize bytes.
    /// Throws error(invalid_argument) on overlapping fields, a field past the end, or a
    /// name used twice (as a name or a title).
    static dtype record(std::vector<field> fields, std::uint32_t itemsize);
    /// @brief A sub-array of @p base (a record field's type, as numpy nests them). Throws
    /// error(invalid_argument) when it holds more than 2^31 - 1 bytes.
    static dtype sub_array(dtype base, std::vector<std::uint64_t> shape);

    /// @brief The address multiple a zero-copy view wants: the item size for numbers and
    /// datetimes (stricter than alignof for complex, which SIMD consumers appreciate), 4 for U
    /// (its code units), 1 for S, V and records (read through memcpy or byte views).
    std::uint32_t alignment() const noexcept;
    /// @brief True for b, i, u, f and c.
    bool is_number() const noexcept { return kind <= dtype_kind::complex; }
    /// @brief True when the bytes can be read as this machine's types without swapping
    /// (for records: every field).
    bool is_native() const noexcept;
    /// @brief The same dtype with this machine's byte order (records: every field).
    dtype as_native() const;
    /// @brief The same dtype in little-endian (the canonical form hashed by content_hash).
    dtype as_little() const;

    friend bool operator==(const dtype& a, const dtype& b);
};

/// @brief One field of a record: numpy's (name or (title, name), dtype, sub-array shape).
struct field {
    std::string name;                 ///< UTF-8
    std::optional<std::string> title; ///< UTF-8; numpy's (title, name) spelling
    dtype type;
    std::vector<std::uint64_t> shape; ///< sub-array shape; empty for one item
    std::uint32_t offset = 0;         ///< bytes from the start of the record

    /// @brief type.itemsize times the product of shape.
    std::uint64_t size() const noexcept;
    friend bool operator==(const field&, const field&) = default;
};

/// @brief The bytes of one item of @p type that no field covers (a record's gaps, in nested
/// records and sub-arrays too), as (offset, length) in offset order. They are not content:
/// numpy's copies leave them as whatever memory held, so content_hash zeroes them and
/// `colsnap diff` ignores them. Empty for every type that is not a record.
std::vector<std::pair<std::uint32_t, std::uint32_t>> padding_bytes(const dtype& type);

/// @brief IEEE half precision, carried as its bits (C++20 has no std::float16_t).
struct float16 {
    std::uint16_t bits;
    friend bool operator==(const float16&, const float16&) = default;
};

namespace detail {
template <typename T> dtype make(dtype_kind k) {
    return dtype{k, static_cast<std::uint32_t>(sizeof(T)),
                 sizeof(T) == 1 ? byte_order::not_applicable : native_order};
}
/// x86-64's long double as numpy stores it: 80 bits in 16 bytes ('f16').
inline constexpr bool long_double_is_f16 = sizeof(long double) == 16 && __LDBL_MANT_DIG__ == 64 &&
                                           std::endian::native == std::endian::little;
} // namespace detail

namespace detail {
template <typename T> struct chrono_traits {
    static constexpr bool is_duration = false, is_time_point = false;
};
template <typename R> struct chrono_traits<std::chrono::duration<std::int64_t, R>> {
    static constexpr bool is_duration = true, is_time_point = false;
    using ratio = R;
};
template <typename D> struct chrono_traits<std::chrono::time_point<std::chrono::system_clock, D>> {
    static constexpr bool is_duration = false, is_time_point = chrono_traits<D>::is_duration;
    using ratio = typename chrono_traits<D>::ratio;
};

struct chrono_unit {
    time_unit unit;
    std::int64_t count; ///< 0: no numpy unit has this period
};

/// The numpy unit and multiplier of a std::chrono period num/den seconds: the unit equal to
/// it, else the largest unit of which it is a whole multiple (ratio<25> is [25s], minutes are
/// [m]). Calendar units (Y, M) have no fixed length in numpy and are never chosen.
constexpr chrono_unit unit_of_period(std::intmax_t num, std::intmax_t den) {
    struct row {
        time_unit unit;
        std::intmax_t num, den;
    };
    constexpr row units[] = {
        {time_unit::week, 604800, 1},
        {time_unit::day, 86400, 1},
        {time_unit::hour, 3600, 1},
        {time_unit::minute, 60, 1},
        {time_unit::second, 1, 1},
        {time_unit::millisecond, 1, 1000},
        {time_unit::microsecond, 1, 1000000},
        {time_unit::nanosecond, 1, 1000000000},
        {time_unit::picosecond, 1, 1000000000000},
        {time_unit::femtosecond, 1, 1000000000000000},
        {time_unit::attosecond, 1, 1000000000000000000},
    };
    for (const row& u : units) {
        // (num/den) / (u.num/u.den) = num*u.den / (den*u.num), a whole number?
        std::intmax_t a = 0, b = 0;
        if (__builtin_mul_overflow(num, u.den, &a) || __builtin_mul_overflow(den, u.num, &b))
            continue;
        if (b != 0 && a % b == 0 && a / b >= 1 && a / b <= 0x7fffffff) return {u.unit, a / b};
    }
    return {time_unit::generic, 0};
}

template <typename T> dtype chrono_dtype(dtype_kind k) {
    using R = typename chrono_traits<T>::ratio;
    constexpr chrono_unit u = unit_of_period(R::num, R::den);
    static_assert(u.count != 0, "colsnap: no numpy datetime unit has this period");
    dtype d{k, 8, native_order};
    d.unit = u.unit;
    d.unit_count = static_cast<std::uint32_t>(u.count);
    return d;
}
} // namespace detail

/// @brief The native dtype of a C++ element type; fails to compile for unsupported types.
/// std::chrono::duration<std::int64_t, R> is a timedelta64 and std::chrono::sys_time<D> a
/// datetime64, in the unit of their period (std::chrono::nanoseconds: m8[ns]).
template <typename T> inline dtype dtype_of() {
    using U = std::remove_cv_t<T>;
    if constexpr (detail::chrono_traits<U>::is_duration)
        return detail::chrono_dtype<U>(dtype_kind::timedelta);
    else if constexpr (detail::chrono_traits<U>::is_time_point)
        return detail::chrono_dtype<U>(dtype_kind::datetime);
    else if constexpr (std::is_same_v<U, bool>) return detail::make<U>(dtype_kind::boolean);
    else if constexpr (std::is_same_v<U, float16>) return detail::make<U>(dtype_kind::floating);
    else if constexpr (std::is_same_v<U, std::complex<float>> ||
                       std::is_same_v<U, std::complex<double>>)
        return detail::make<U>(dtype_kind::complex);
    else if constexpr (std::is_same_v<U, std::complex<long double>>) {
        static_assert(detail::long_double_is_f16, "long double is not numpy's f16 here");
        return detail::make<U>(dtype_kind::complex);
    } else if constexpr (std::is_floating_point_v<U>) {
        static_assert(sizeof(U) == 4 || sizeof(U) == 8 ||
                          (std::is_same_v<U, long double> && detail::long_double_is_f16),
                      "only float, double and (x86-64) long double");
        return detail::make<U>(dtype_kind::floating);
    } else if constexpr (std::is_integral_v<U> && std::is_signed_v<U>)
        return detail::make<U>(dtype_kind::signed_int);
    else if constexpr (std::is_integral_v<U> && std::is_unsigned_v<U>)
        return detail::make<U>(dtype_kind::unsigned_int);
    else static_assert(sizeof(U) == 0, "colsnap: no numpy dtype for this type");
}

} // namespace colsnap
