#pragma once
/// @file records.hpp
/// @brief Record arrays and tables of columns, both ways: transpose(records) gives every field
/// as a contiguous column (AoS -> SoA), transpose(columns) interleaves equal-length columns
/// into one record array (SoA -> AoS). Values are moved, never translated: a datetime stays a
/// datetime64 in its unit, a string stays U or S.

#include <colsnap/array.hpp>
#include <colsnap/column.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace colsnap {

/// @brief One column of a transposed record array: a field's path and its values.
struct named_array {
    std::string name; ///< the field's name; a nested record's fields are "outer/inner"
    array data;       ///< native byte order, C order, shape = records' shape + field's shape
};

/// @brief Every leaf field of the record array @p records (any byte order, any memory order)
/// as its own contiguous array, in field (offset) order: record i's field is item i of its
/// column. A nested record is opened into its fields ("pos/x", "pos/y"), a sub-array field
/// adds its shape after the records' ('x', '<f8', (2, 3)) of 1000 records gives (1000, 2, 3)),
/// and padding is dropped. Columns are in this machine's byte order and C order (values<T>()
/// reads them as they are); titles are not kept. Throws error(type_mismatch) when @p records
/// is not a record array.
std::vector<named_array> transpose(const array& records);

/// @brief The reverse: @p columns interleaved as one record array of shape @p shape (default:
/// (n,) with n the first column's length), field i named columns[i].name with columns[i]'s
/// dtype (its byte order kept) and, as sub-array shape, the column's shape after @p shape.
/// Fields are packed in the given order with no padding (numpy's default, align=False), so
/// write the result with column(name, array) and numpy loads it as the same record array.
/// Throws error(invalid_argument) for no columns, a column in Fortran order (with more than
/// one axis longer than 1), a column whose shape does not start with @p shape, an empty or
/// repeated name, a record dtype colsnap cannot hold (dtype::record), or bytes that do not
/// match a column's shape.
array transpose(std::span<const column_ref> columns,
                std::optional<std::vector<std::uint64_t>> shape = std::nullopt);

} // namespace colsnap
