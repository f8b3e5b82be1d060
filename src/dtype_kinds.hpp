#pragma once
// Internal: the one table of dtype kinds. Everything colsnap knows about a kind (its descr
// letters, the sizes numpy gives it, which words a byte swap reverses, whether its bytes have
// an order) is one row of kind_table in dtype_kinds.cpp; parse, descr, byte swaps, the
// canonical (hashed) form and the CLI's printers read it from there.

#include <colsnap/dtype.hpp>
#include <colsnap/error.hpp>

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace colsnap::detail {

/// Which item sizes a kind has.
enum class size_rule : std::uint8_t {
    listed, ///< one of kind_traits::sizes ("<f8": the digits are bytes)
    bytes,  ///< any n >= 1 ("|S5": the digits are bytes)
    chars,  ///< any n >= 1 UCS-4 characters ("<U3": 12 bytes)
    time,   ///< always 8, spelled "8" and an optional [unit] ("<M8[ns]")
    record, ///< the fields decide (records and sub-arrays: no str spelling of their own)
};

/// Which words of an item a byte swap reverses.
enum class swap_rule : std::uint8_t {
    none,   ///< bytes have no order (b1, i1, u1, S, V)
    whole,  ///< the whole item (i, u, f, M8, m8)
    halves, ///< each half (complex: real and imaginary parts)
    ucs4,   ///< every 4-byte code unit (U)
    fields, ///< field by field (records, and the base of a sub-array)
};

// The fields in the order a row of kind_table reads; the table is a dozen constexpr rows, so
// their padding does not matter.
struct kind_traits { // NOLINT(clang-analyzer-optin.performance.Padding)
    dtype_kind kind;
    std::string_view code;  ///< the letters after the order character ("f", "M8")
    std::string_view label; ///< how `colsnap ls` names the kind
    size_rule sizes;
    std::array<std::uint8_t, 4> listed; ///< the sizes of a size_rule::listed kind (0: none)
    swap_rule swap;
};

/// The row of @p k.
const kind_traits& traits_of(dtype_kind k) noexcept;
/// The row whose code starts @p descr_body (the descr after its order character), or nullptr.
const kind_traits* find_kind(std::string_view descr_body) noexcept;

/// numpy's spelling of a time unit ("ns", "" for generic) and its inverse (false: unknown).
std::string_view unit_name(time_unit u) noexcept;
bool parse_unit(std::string_view s, time_unit& out) noexcept;

/// The start of the detail of an object-dtype refusal (dtype::parse): numpy pickles the items
/// of such arrays, and colsnap never unpickles them.
inline constexpr std::string_view object_refusal = "object arrays refused: colsnap never unpickles";

/// True when @p e is dtype::parse's refusal of an object dtype (alone or as a record field).
bool is_object_refusal(const error& e) noexcept;

/// One run of equal words to reverse inside an item: @p count words of @p width bytes from
/// byte @p offset.
struct swap_run {
    std::uint32_t offset, width;
    std::uint64_t count;
};

/// The words to reverse to turn one item of @p type into byte order @p to (fields already in
/// that order, and orderless bytes, are left out). Adjacent runs of one width are merged, so a
/// scalar gives at most one run.
std::vector<swap_run> swap_plan(const dtype& type, byte_order to);

/// The bytes of one item of @p type that no field covers (a record's gaps, nested records' and
/// sub-arrays' included), as (offset, length) in offset order: what the canonical (hashed)
/// form zeroes, since numpy's copies leave them as whatever memory held.
std::vector<std::pair<std::uint32_t, std::uint32_t>> padding_of(const dtype& type);

} // namespace colsnap::detail
