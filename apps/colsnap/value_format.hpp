#pragma once
// Text of array elements, as numpy's repr writes them: integers in decimal, floats with the
// fewest digits that read back to the same value (positional for 1e-4 <= |x| < 1e16, else
// scientific), complex as (re+imj) (or imj when re is +0), booleans as True/False.

#include <colsnap/dtype.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace colsnap_cli {

/// Appends the element at @p p, whose bytes are in this machine's byte order.
void append_value(std::string& out, const colsnap::dtype& type, const std::byte* p);

/// The element at @p p as text (see append_value).
std::string format_value(const colsnap::dtype& type, const std::byte* p);

/// The element at @p p as numpy writes it inside a container (an array's elements, a record's
/// fields, a sub-array field's items): format_value's text, quoted for a datetime (NaT too) and
/// for a timedelta's NaT: ['2021-03-04T05:06:07' 'NaT'], ('NaT', 3).
std::string container_element(const colsnap::dtype& type, const std::byte* p);

/// A float with the fewest digits that read back to the same value of its own type:
/// "1.0", "0.1", "1e+20", "nan", "-inf". float16 is given by its bits.
std::string format_double(double value);
std::string format_float(float value);
std::string format_half(std::uint16_t bits);

/// The C-order multi-index of flat element @p flat of @p shape, numpy style: "(3, 2)", "(7,)",
/// "()" for a 0-d array.
std::string format_index(const std::vector<std::uint64_t>& shape, std::uint64_t flat);

/// A dtype in one word, for `colsnap ls`: numpy's descr for every dtype but records, and a
/// record as its fields in braces, name:type, a sub-array's shape in brackets, a nested record
/// in braces again: {x:<f8,pos:{p:|u1,q:>i2}[2],m:<c16[2,3]}. Gaps and titles are left out.
/// When that is longer than @p max_chars, fields are left out from the end, counted:
/// {x:<f8,y:<f4,+6} (the first field is always shown).
std::string compact_dtype(const colsnap::dtype& type, std::size_t max_chars = 48);

/// numpy's tuple text of a shape: "(2, 3)", "(5,)", "()".
std::string format_shape(const std::vector<std::uint64_t>& shape);

} // namespace colsnap_cli
