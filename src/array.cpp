// array_info, checked_nbytes and array (the conversions behind array::to_native_c() are in convert.cpp).

#include "array_internal.hpp"
#include "convert.hpp"

#include <colsnap/array.hpp>

#include <algorithm>
#include <limits>
#include <new>

namespace colsnap {

// ---------------------------------------------------------------------------------------------
// array_info

std::uint64_t array_info::count() const noexcept {
    std::uint64_t n = 1;
    for (const auto d : shape) n *= d; // validated shapes do not overflow (checked_nbytes)
    return n;
}

bool array_info::is_c_contiguous() const noexcept {
    // numpy's flags: an array whose axes longer than 1 number at most one, or that is empty,
    // has the same bytes in C and Fortran order.
    if (!fortran_order) return true;
    int long_axes = 0;
    for (const auto d : shape) {
        if (d == 0) return true;
        if (d > 1) ++long_axes;
    }
    return long_axes <= 1;
}

std::string array_info::shape_string() const {
    // repr() of a Python tuple: "()", "(5,)", "(2, 3)".
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ',';
    s += ')';
    return s;
}

std::uint64_t checked_nbytes(const array_info& info) {
    // numpy (PyArray_NewFromDescr) skips zero-length axes and requires the product of the
    // others times the item size to fit in npy_intp; we apply the same rule, so that every
    // shape numpy can create is accepted and count() * itemsize never wraps.
    constexpr auto max_bytes = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::uint64_t nonzero = info.type.itemsize;
    bool empty = false;
    for (const auto d : info.shape) {
        if (d == 0) {
            empty = true;
            continue;
        }
        if (__builtin_mul_overflow(nonzero, d, &nonzero) || nonzero > max_bytes)
            throw error(errc::size_overflow, "shape " + info.shape_string() + " of " +
                                                 info.type.descr() +
                                                 " items is too big: its size overflows 63 bits");
    }
    return empty ? 0 : nonzero;
}

std::uint64_t detail::check_bytes_match_shape(const array_info& info, std::uint64_t have,
                                              std::string_view what, const std::string& file,
                                              const std::string& member) {
    try {
        const std::uint64_t n = checked_nbytes(info);
        if (have != n)
            throw error(errc::invalid_argument,
                        std::string(what) + ": shape " + info.shape_string() + " of " +
                            info.type.descr() + " needs " + std::to_string(n) + " bytes, got " +
                            std::to_string(have));
        return n;
    } catch (error& e) {
        e.locate(file, member);
        throw;
    }
}

// ---------------------------------------------------------------------------------------------
// Storage

namespace {

/// Storage for owned arrays: uninitialised (every byte is about to be overwritten), aligned to
/// 64 bytes like the data of an .npy, so any element type and SIMD loads are aligned.
std::shared_ptr<std::byte> allocate_bytes(std::uint64_t n) {
    constexpr std::align_val_t align{64};
    if (n > std::numeric_limits<std::size_t>::max()) throw std::bad_alloc();
    auto* p = static_cast<std::byte*>(::operator new(std::max<std::size_t>(n, 1), align));
    return {p, [](std::byte* q) { ::operator delete(q, align); }};
}

} // namespace

// ---------------------------------------------------------------------------------------------
// array

array::array(array_info info, std::span<const std::byte> bytes,
             std::shared_ptr<const void> keep_alive, bool borrowed)
    : info_(std::move(info)), bytes_(bytes), keep_(std::move(keep_alive)), borrowed_(borrowed) {
    detail::check_bytes_match_shape(info_, bytes_.size(), "array");
}

std::pair<array, std::span<std::byte>> detail::array_access::allocate(array_info info) {
    const std::uint64_t n = checked_nbytes(info);
    auto storage = allocate_bytes(n);
    std::span<std::byte> out(storage.get(), static_cast<std::size_t>(n));
    array a(std::move(info), out, std::shared_ptr<const void>(std::move(storage)), false);
    return {std::move(a), out};
}

void array::fail(errc code, std::string detail) const {
    throw error(code, std::move(detail), file_, member_, error::no_offset);
}

void array::check_values(const dtype& want, std::size_t align) const {
    if (info_.type != want)
        fail(errc::type_mismatch,
             "values<T>(): the array holds " + info_.type.descr() + " but T is " + want.descr() +
                 (info_.type.as_native() == want
                      ? " (same type, other byte order: call to_native_c() first)"
                      : ""));
    if (!info_.is_c_contiguous())
        fail(errc::type_mismatch,
             "values<T>(): the array " + info_.shape_string() +
                 " is in Fortran order; call to_native_c() for a C-order copy");
    if (!bytes_.empty() && reinterpret_cast<std::uintptr_t>(bytes_.data()) % align != 0)
        fail(
            errc::type_mismatch, "values<T>(): the data is not aligned to " +
                                     std::to_string(align) + " bytes (address ends in 0x" +
                                     [&] {
                                         static constexpr char hex[] = "0123456789abcdef";
                                         auto low =
                                             reinterpret_cast<std::uintptr_t>(bytes_.data()) & 0xff;
                                         return std::string{hex[low >> 4], hex[low & 15]};
                                     }() +
                                     "); call to_native_c() for an aligned copy");
}

array array::to_native_c() const {
    if (info_.zero_copy_at(reinterpret_cast<std::uintptr_t>(bytes_.data()))) {
        if (!info_.fortran_order) return *this;
        array same = *this; // Fortran flag on bytes that are C order anyway: just relabel
        same.info_.fortran_order = false;
        return same;
    }
    array_info out_info{info_.type.as_native(), info_.shape, false};
    auto [out, dst] = detail::array_access::allocate(std::move(out_info));
    detail::to_native_c_order(info_, bytes_, dst);
    detail::array_access::set_origin(out, file_, member_);
    return std::move(out);
}

} // namespace colsnap
