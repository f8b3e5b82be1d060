#pragma once
/// @file column.hpp
/// @brief column_ref: a named array the caller owns (name + info + bytes), the unit that
/// writers and hashers consume.

#include <colsnap/array.hpp>

#include <ranges>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace colsnap {

/// @brief A borrowed, named array: @p bytes are in info.type's byte order and info's order.
struct column_ref {
    std::string name; ///< as numpy gives it: "creature/pos_x" (stored as "creature/pos_x.npy")
    array_info info;
    std::span<const std::byte> bytes;
};

/// @brief A 1-d column (or @p shape-d, C order) of native T, borrowing @p values.
template <typename T>
column_ref column(std::string name, std::span<const T> values,
                  std::vector<std::uint64_t> shape = {}) {
    if (shape.empty()) shape = {values.size()};
    return column_ref{std::move(name), array_info{dtype_of<T>(), std::move(shape), false},
                      std::as_bytes(values)};
}

/// @brief The same over any contiguous range of T, e.g. std::vector<T>, std::array<T, N> or
/// std::span<T> (const or not). The column borrows the items, so a container must be an
/// lvalue that outlives the column_ref (a span or other borrowed range may be a temporary).
template <std::ranges::contiguous_range R>
requires std::ranges::sized_range<R> &&
    (std::ranges::borrowed_range<R> || std::is_lvalue_reference_v<R>)column_ref
    column(std::string name, R&& values, std::vector<std::uint64_t> shape = {}) {
    using T = std::remove_cv_t<std::ranges::range_value_t<R>>;
    return column<T>(std::move(name),
                     std::span<const T>(std::ranges::data(values), std::ranges::size(values)),
                     std::move(shape));
}

/// @brief A 0-d array (a scalar) of native T. @p value must outlive the column_ref.
template <typename T> column_ref scalar(std::string name, const T& value) {
    return column_ref{std::move(name), array_info{dtype_of<T>(), {}, false},
                      std::as_bytes(std::span<const T>(&value, 1))};
}

/// @brief A named array read from a file, as a column_ref (borrowing the array's bytes).
inline column_ref column(std::string name, const array& a) {
    return column_ref{std::move(name), a.info(), a.bytes()};
}

} // namespace colsnap
