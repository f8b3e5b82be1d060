// Record arrays <-> tables of columns (records.hpp). Both directions are one blocked gather or
// scatter: records are taken a block at a time (a block's records fit in L1), and each field's
// bytes of the block are copied to (or from) its column, so the records are read from memory
// once whatever the number of fields, and every column is written sequentially. A field of one
// of the common widths (1, 2, 4, 8, 16 bytes) is copied with a fixed-size memcpy, which the
// compiler turns into one load and one store.

#include "array_internal.hpp"

#include <colsnap/records.hpp>

#include <algorithm>
#include <cstring>

namespace colsnap {

namespace {

/// One sub-array of records on a leaf's path: @p count items, @p stride bytes apart.
struct level {
    std::uint64_t count, stride;
};

/// A leaf field of a record dtype, as its column sees it: in one record, its bytes are
/// @p length bytes at @p offset, repeated over @p levels (the sub-arrays of records it sits in,
/// outermost first; none for most fields), in the column's (C) order.
struct leaf {
    std::string name;
    dtype type;
    std::vector<std::uint64_t> shape; ///< sub-array shapes, outermost first
    std::uint64_t offset = 0, length = 0;
    std::vector<level> levels;
    std::uint64_t bytes = 0; ///< per record: length times every level's count
};

/// The leaves of record type @p t, at @p at in a record and inside @p levels, under the name
/// prefix @p prefix and sub-array shape @p shape. Memory is O(depth), whatever the sub-arrays'
/// sizes (a hostile header may declare a billion nested records).
void collect(const dtype& t, std::uint64_t at, const std::vector<level>& levels,
             const std::string& prefix, const std::vector<std::uint64_t>& shape,
             std::vector<leaf>& out) {
    for (const field& f : *t.fields) {
        dtype type = f.type;
        std::vector<std::uint64_t> sub = shape;
        sub.insert(sub.end(), f.shape.begin(), f.shape.end());
        // A field type that is itself a sub-array: its shape follows the field's.
        while (type.kind == dtype_kind::subarray && type.fields && type.fields->size() == 1) {
            const field& inner = type.fields->front();
            sub.insert(sub.end(), inner.shape.begin(), inner.shape.end());
            type = inner.type;
        }
        std::uint64_t repeat = 1; // bounded: the field fits in the record (dtype::record)
        for (std::size_t i = shape.size(); i < sub.size(); ++i) repeat *= sub[i];
        const std::string name = prefix + f.name;
        if (type.kind == dtype_kind::structured && type.fields) {
            std::vector<level> inner = levels;
            if (repeat != 1) inner.push_back({repeat, type.itemsize});
            collect(type, at + f.offset, inner, name + "/", sub, out);
            continue;
        }
        leaf l{name, type, std::move(sub), at + f.offset, repeat * type.itemsize, levels, 0};
        l.bytes = l.length;
        for (const level& v : levels) l.bytes *= v.count;
        out.push_back(std::move(l));
    }
}

/// Copies @p n items of W bytes from a stride of @p stride to contiguous @p dst (Gather) or
/// from contiguous @p src to a stride (scatter).
template <std::size_t W, bool Gather>
void copy_fixed(const std::byte* src, std::byte* dst, std::uint64_t stride, std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) {
        if constexpr (Gather) std::memcpy(dst + i * W, src + i * stride, W);
        else std::memcpy(dst + i * stride, src + i * W, W);
    }
}

template <bool Gather>
void copy_any(const std::byte* src, std::byte* dst, std::uint64_t stride, std::uint64_t n,
              std::uint64_t w) {
    switch (w) {
    case 1: return copy_fixed<1, Gather>(src, dst, stride, n);
    case 2: return copy_fixed<2, Gather>(src, dst, stride, n);
    case 4: return copy_fixed<4, Gather>(src, dst, stride, n);
    case 8: return copy_fixed<8, Gather>(src, dst, stride, n);
    case 16: return copy_fixed<16, Gather>(src, dst, stride, n);
    default: break;
    }
    for (std::uint64_t i = 0; i < n; ++i) {
        if constexpr (Gather) std::memcpy(dst + i * w, src + i * stride, w);
        else std::memcpy(dst + i * stride, src + i * w, w);
    }
}

/// Copies one record's bytes of a leaf that sits in sub-arrays of records, level by level
/// from @p depth, between @p field_bytes (in the record) and the column at @p col (advanced).
template <bool Gather, typename RecordPtr, typename ColumnPtr>
void copy_levels(RecordPtr field_bytes, const leaf& l, std::size_t depth, ColumnPtr& col) {
    if (depth == l.levels.size()) {
        if constexpr (Gather) std::memcpy(col, field_bytes, l.length);
        else std::memcpy(field_bytes, col, l.length);
        col += l.length;
        return;
    }
    const level v = l.levels[depth];
    for (std::uint64_t k = 0; k < v.count; ++k)
        copy_levels<Gather>(field_bytes + k * v.stride, l, depth + 1, col);
}

/// Moves the bytes of @p n records of @p itemsize bytes at @p records to or from the columns
/// (one per leaf, @p columns[j] holding leaves[j].bytes per record): Gather copies records to
/// columns (records const, columns written), otherwise columns to records.
template <bool Gather, typename RecordPtr, typename ColumnPtr>
void move_blocked(RecordPtr records, std::uint64_t itemsize, std::uint64_t n,
                  const std::vector<leaf>& leaves, const std::vector<ColumnPtr>& columns) {
    // A block of records that fits in L1 (32 KiB here) together with the columns' share of it.
    const std::uint64_t block =
        std::max<std::uint64_t>(1, 16384 / std::max<std::uint64_t>(1, itemsize));
    for (std::uint64_t r0 = 0; r0 < n; r0 += block) {
        const std::uint64_t m = std::min(block, n - r0);
        const RecordPtr rec = records + r0 * itemsize;
        for (std::size_t j = 0; j < leaves.size(); ++j) {
            const leaf& l = leaves[j];
            ColumnPtr col = columns[j] + r0 * l.bytes;
            if (l.levels.empty()) {
                if constexpr (Gather) copy_any<true>(rec + l.offset, col, itemsize, m, l.length);
                else copy_any<false>(col, rec + l.offset, itemsize, m, l.length);
                continue;
            }
            for (std::uint64_t i = 0; i < m; ++i)
                copy_levels<Gather>(rec + i * itemsize + l.offset, l, 0, col);
        }
    }
}

constexpr std::uint64_t max_record = 0x7fffffff; // numpy's itemsize is a C int

[[noreturn]] void bad_columns(const std::string& what) {
    throw error(errc::invalid_argument, "transpose(columns): " + what);
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
    return array_info{dtype{}, shape, false}.shape_string();
}

} // namespace

std::vector<named_array> transpose(const array& records) {
    if (records.type().kind != dtype_kind::structured || !records.type().fields)
        throw error(errc::type_mismatch,
                    "transpose(): the array holds " + records.type().descr() + ", not records");
    const array native = records.to_native_c();
    std::vector<leaf> leaves;
    collect(native.type(), 0, {}, "", {}, leaves);

    std::vector<named_array> out;
    std::vector<std::byte*> columns;
    out.reserve(leaves.size());
    columns.reserve(leaves.size());
    for (const leaf& l : leaves) {
        std::vector<std::uint64_t> shape = native.shape();
        shape.insert(shape.end(), l.shape.begin(), l.shape.end());
        auto [a, bytes] = detail::array_access::allocate(array_info{l.type, std::move(shape)});
        columns.push_back(bytes.data());
        out.push_back({l.name, std::move(a)});
    }
    move_blocked<true>(native.bytes().data(), native.type().itemsize, native.size(), leaves,
                       columns);
    return out;
}

array transpose(std::span<const column_ref> columns,
                std::optional<std::vector<std::uint64_t>> shape) {
    if (columns.empty()) bad_columns("no columns");
    if (!shape) {
        const auto& first = columns.front().info.shape;
        shape = first.empty() ? std::vector<std::uint64_t>{}
                              : std::vector<std::uint64_t>{first.front()};
    }
    std::vector<field> fields;
    std::vector<leaf> leaves;
    std::vector<const std::byte*> sources;
    std::uint64_t at = 0;
    for (const column_ref& c : columns) {
        const std::string shown = "column '" + c.name + "'";
        if (c.name.empty()) bad_columns("a column has no name");
        if (!c.info.is_c_contiguous())
            bad_columns(shown + " " + c.info.shape_string() +
                        " is in Fortran order: give a C-order copy (array::to_native_c())");
        detail::check_bytes_match_shape(c.info, c.bytes.size(), "column", {}, c.name);
        const auto& s = c.info.shape;
        if (s.size() < shape->size() || !std::equal(shape->begin(), shape->end(), s.begin()))
            bad_columns(shown + " has shape " + c.info.shape_string() +
                        ", which does not start with the records' shape " + shape_text(*shape));
        field f;
        f.name = c.name;
        f.type = c.info.type;
        f.shape.assign(s.begin() + static_cast<std::ptrdiff_t>(shape->size()), s.end());
        f.offset = static_cast<std::uint32_t>(at);
        std::uint64_t size = f.type.itemsize;
        for (const std::uint64_t d : f.shape)
            if (__builtin_mul_overflow(size, d, &size)) size = max_record + 1;
        at += std::min(size, max_record + 1);
        if (at > max_record) bad_columns("the record would be over 2^31 - 1 bytes");
        leaf l{c.name, c.info.type, f.shape, f.offset, size, {}, size};
        leaves.push_back(std::move(l));
        sources.push_back(c.bytes.data());
        fields.push_back(std::move(f));
    }
    dtype type = dtype::record(std::move(fields), static_cast<std::uint32_t>(at));
    const std::uint32_t itemsize = type.itemsize;
    auto [a, bytes] = detail::array_access::allocate(array_info{std::move(type), *shape});
    move_blocked<false>(bytes.data(), itemsize, a.size(), leaves, sources);
    return a;
}

} // namespace colsnap
