#pragma once
// Internal: byte-order and memory-order conversion kernels shared by array.cpp (whole arrays)
// and hash.cpp (bounded chunks). One dispatch on item size per call, then tight loops over
// raw bytes that the compiler vectorises; no per-element indirection.

#include "dtype_kinds.hpp"

#include <colsnap/array.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace colsnap::detail {

/// Produces the bytes of an array in C order, optionally byte-swapped, one row range at a time.
/// A "row" is one index of the first non-trivial axis when the array must be transposed
/// (Fortran order with more than one axis longer than 1), and a single item otherwise; output
/// rows come out in C order, so converting [0, rows()) in any number of consecutive ranges
/// yields exactly the C-order bytes of the whole array.
class c_order_converter {
public:
    /// @p to: the byte order of the result (every field's, for records; words as the kind
    /// table says: each half of a complex, each UCS-4 unit); orderless bytes are copied.
    /// @p zero_padding: bytes of records that no field covers come out as zeros.
    c_order_converter(const array_info& info, byte_order to, bool zero_padding = false);

    /// True when items move (Fortran order, transposed); false when only swapped or copied.
    bool transposes() const noexcept { return dims_.size() >= 2; }
    /// True when bytes change (swapped, or padding zeroed), not only move.
    bool swaps() const noexcept { return swap_word_ != 0 || !plan_.empty() || !padding_.empty(); }
    std::uint64_t rows() const noexcept { return rows_; }
    std::uint64_t row_items() const noexcept { return row_elems_; }
    std::uint64_t row_bytes() const noexcept { return row_elems_ * itemsize_; }
    unsigned item_size() const noexcept { return itemsize_; }
    /// Rows per block whose source reads use whole cache lines (a transpose tile).
    std::uint64_t preferred_rows() const noexcept;

    /// Writes rows [r0, r1) of the C-order result to @p dst ((r1 - r0) * row_bytes() bytes).
    /// @p src is the whole array in its original layout. @p dst must not overlap @p src.
    void convert(const std::byte* src, std::uint64_t r0, std::uint64_t r1, std::byte* dst) const;
    /// Writes items [c0, c1) of row @p r of the C-order result to @p dst, for rows too wide to
    /// convert whole ((c1 - c0) * item_size() bytes).
    void convert_part(const std::byte* src, std::uint64_t r, std::uint64_t c0, std::uint64_t c1,
                      std::byte* dst) const;

private:
    /// Swaps the plan and zeroes the padding of @p n converted items at @p dst.
    void finish_items(std::byte* dst, std::uint64_t n) const;
    std::vector<std::uint64_t> dims_; // Fortran shape without axes of length 1 (>= 2 of them)
    std::uint64_t rows_ = 0, row_elems_ = 1;
    unsigned itemsize_ = 1, swap_word_ = 0;
    std::vector<swap_run> plan_; // words to swap after copying, when no kernel swaps them
    std::vector<std::pair<std::uint32_t, std::uint32_t>> padding_; // (offset, length) to zero
};

/// Swaps the bytes of @p n items of @p type from @p src into @p dst (which may be @p src, or
/// must not overlap it). Complex items swap each half separately, as numpy does.
void byteswap_copy(const std::byte* src, std::byte* dst, std::uint64_t n, const dtype& type);

/// Converts the bytes of @p info into native byte order and C order, into @p dst. Both spans
/// must be info's size (error(invalid_argument) otherwise).
void to_native_c_order(const array_info& info, std::span<const std::byte> src,
                       std::span<std::byte> dst);

} // namespace colsnap::detail
