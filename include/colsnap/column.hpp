#pragma once
/// @file column.hpp
/// @brief column_ref: a named array the caller owns (name + info + bytes), the unit that
/// writers and hashers consume.

#include <colsnap/array.hpp>

#include <span>
#include <string>
#include <vector>

namespace colsnap {

/// @brief A borrowed, named array: @p bytes are in info.type's byte order and info's order.
struct column_ref {
    std::string name; ///< as numpy gives it: "creature/pos_x" (stored as "creature/pos_x.npy")
    array_info info;
    std::span<const std::byte> bytes;
};

/// @brief A 1-d column of native T (or @p shape-d, C order).
template <typename T>
column_ref column(std::string name, std::span<const T> values,
                  std::vector<std::uint64_t> shape = {}) {
    if (shape.empty()) shape = {values.size()};
    return column_ref{std::move(name), array_info{dtype_of<T>(), std::move(shape), false},
                      std::as_bytes(values)};
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
