// Byte-order and memory-order conversion kernels: byte swaps, cache-blocked transposes and
// Fortran -> C order, behind detail::c_order_converter (convert.hpp) and the free conversions.

#include "convert.hpp"

#include "array_internal.hpp"
#include "dtype_kinds.hpp"

#include <colsnap/array.hpp>

#include <algorithm>
#include <cstring>

namespace colsnap {

namespace {

template <unsigned W> struct word;
template <> struct word<2> { using type = std::uint16_t; };
template <> struct word<4> { using type = std::uint32_t; };
template <> struct word<8> { using type = std::uint64_t; };

inline std::uint16_t bswap(std::uint16_t v) { return __builtin_bswap16(v); }
inline std::uint32_t bswap(std::uint32_t v) { return __builtin_bswap32(v); }
inline std::uint64_t bswap(std::uint64_t v) { return __builtin_bswap64(v); }

// memcpy in and out of a register: no alignment or aliasing assumptions, one bswap
// instruction (or a vector shuffle once the loop is vectorised). @p s and @p d may be equal.
template <unsigned W> inline void swap_word(const std::byte* s, std::byte* d) {
    typename word<W>::type v;
    std::memcpy(&v, s, W);
    v = bswap(v);
    std::memcpy(d, &v, W);
}

template <unsigned W>
inline void swap_words(const std::byte* __restrict src, std::byte* __restrict dst, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) swap_word<W>(src + i * W, dst + i * W);
}

template <unsigned W> inline void swap_words_in_place(std::byte* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) swap_word<W>(p + i * W, p + i * W);
}

// Baseline x86-64 (SSE2) has no vector byte shuffle, so GCC vectorises only 16-bit swaps there;
// clones for SSSE3 (pshufb) and AVX2 let the loader pick the widest the CPU has.
#if defined(__x86_64__) && defined(__ELF__) && (defined(__GNUC__) || defined(__clang__))
#define COLSNAP_SWAP_CLONES __attribute__((target_clones("avx2", "ssse3", "default")))
#else
#define COLSNAP_SWAP_CLONES
#endif

COLSNAP_SWAP_CLONES void swap2(const std::byte* __restrict s, std::byte* __restrict d,
                               std::size_t n) {
    swap_words<2>(s, d, n);
}
COLSNAP_SWAP_CLONES void swap4(const std::byte* __restrict s, std::byte* __restrict d,
                               std::size_t n) {
    swap_words<4>(s, d, n);
}
COLSNAP_SWAP_CLONES void swap8(const std::byte* __restrict s, std::byte* __restrict d,
                               std::size_t n) {
    swap_words<8>(s, d, n);
}
COLSNAP_SWAP_CLONES void swap2_in_place(std::byte* p, std::size_t n) {
    swap_words_in_place<2>(p, n);
}
COLSNAP_SWAP_CLONES void swap4_in_place(std::byte* p, std::size_t n) {
    swap_words_in_place<4>(p, n);
}
COLSNAP_SWAP_CLONES void swap8_in_place(std::byte* p, std::size_t n) {
    swap_words_in_place<8>(p, n);
}

/// Swaps @p n_words words of @p w bytes; @p src and @p dst are the same buffer or disjoint.
void swap_words_any(const std::byte* src, std::byte* dst, std::size_t n_words, unsigned w) {
    if (src == dst) {
        switch (w) {
        case 2: swap2_in_place(dst, n_words); break;
        case 4: swap4_in_place(dst, n_words); break;
        case 8: swap8_in_place(dst, n_words); break;
        default: break;
        }
        return;
    }
    switch (w) {
    case 2: swap2(src, dst, n_words); break;
    case 4: swap4(src, dst, n_words); break;
    case 8: swap8(src, dst, n_words); break;
    default: break;
    }
}

/// Copies one item of S bytes, swapping each W-byte word (W == 0: plain copy).
template <unsigned S, unsigned W>
inline void copy_item(const std::byte* __restrict s, std::byte* __restrict d) {
    if constexpr (W == 0) {
        std::memcpy(d, s, S);
    } else {
        for (std::size_t k = 0; k < S / W; ++k) swap_word<W>(s + k * W, d + k * W);
    }
}

/// Items per side of the square tiles of a transpose: at least a cache line of bytes.
template <unsigned S> constexpr std::size_t tile_items = S >= 8 ? 8 : 64 / S;

/// One tile: d[i][l] = s[l][i] for l < lt, i < it (strides in bytes). A full tile is copied
/// row by row into a dense buffer, transposed there and copied out row by row, so every source
/// and destination cache line is touched once, whole, even when the strides are powers of two
/// (which would make a direct tile's rows fight over the same few L1 sets).
template <unsigned S, unsigned W>
inline void move_tile(const std::byte* s, std::size_t s_stride, std::byte* d, std::size_t d_stride,
                      std::size_t lt, std::size_t it) {
    constexpr std::size_t t = tile_items<S>;
    constexpr std::size_t row = t * S;
    if (lt == t && it == t) {
        alignas(64) std::byte in[t * row];
        alignas(64) std::byte out[t * row];
        for (std::size_t l = 0; l < t; ++l) std::memcpy(in + l * row, s + l * s_stride, row);
        for (std::size_t i = 0; i < t; ++i)
            for (std::size_t l = 0; l < t; ++l)
                copy_item<S, W>(in + l * row + i * S, out + i * row + l * S);
        for (std::size_t i = 0; i < t; ++i) std::memcpy(d + i * d_stride, out + i * row, row);
    } else { // edge tile
        for (std::size_t i = 0; i < it; ++i)
            for (std::size_t l = 0; l < lt; ++l)
                copy_item<S, W>(s + l * s_stride + i * S, d + i * d_stride + l * S);
    }
}

/// dst[i][l] = src[l][i] for l < n_l, i < n_i (strides in bytes), tile by tile.
template <unsigned S, unsigned W>
void transpose_tiles(const std::byte* src, std::size_t src_stride, std::byte* dst,
                     std::size_t dst_stride, std::size_t n_l, std::size_t n_i) {
    constexpr std::size_t t = tile_items<S>;
    // Tiles go in blocks of 16 x 16 tiles, so that the pages (TLB entries) and cache lines a
    // block touches on both sides are reused before they are evicted (measured: 1.5-2x over
    // plain tile order on 2-d arrays of 32-128 MiB).
    constexpr std::size_t block = 16 * t;
    for (std::size_t lb = 0; lb < n_l; lb += block) {
        const std::size_t l_end = std::min(n_l, lb + block);
        for (std::size_t ib = 0; ib < n_i; ib += block) {
            const std::size_t i_end = std::min(n_i, ib + block);
            for (std::size_t l0 = lb; l0 < l_end; l0 += t) {
                const std::size_t lt = std::min(t, n_l - l0);
                for (std::size_t i0 = ib; i0 < i_end; i0 += t) {
                    const std::size_t it = std::min(t, n_i - i0);
                    move_tile<S, W>(src + l0 * src_stride + i0 * S, src_stride,
                                    dst + i0 * dst_stride + l0 * S, dst_stride, lt, it);
                }
            }
        }
    }
}

/// Fortran → C for rows [r0, r1) of the first axis of @p dims (Fortran shape, >= 2 axes, none
/// of length 1). For each C-order position of the middle axes (1 .. n-2), the items of the
/// first and the last axis form a 2-d matrix that is transposed: in the source the first axis
/// is contiguous and the last has the largest stride; in the result the last is contiguous.
template <unsigned S, unsigned W>
void fortran_rows(const std::vector<std::uint64_t>& dims, std::uint64_t row_elems,
                  const std::byte* src, std::uint64_t r0, std::uint64_t r1, std::byte* dst) {
    const std::size_t n = dims.size();
    const std::uint64_t last = dims[n - 1];
    std::uint64_t last_stride = 1; // source stride of the last axis, in items
    for (std::size_t a = 0; a + 1 < n; ++a) last_stride *= dims[a];
    // Source strides (in items) of the middle axes.
    std::vector<std::uint64_t> fstride(n, 0), idx(n, 0);
    for (std::size_t a = 1, s = dims[0]; a + 1 < n; s *= dims[a], ++a) fstride[a] = s;

    std::uint64_t src_mid = 0; // source offset (items) of the current middle-axes tuple
    std::uint64_t dst_mid = 0; // destination offset (items) within a row
    for (;;) {
        transpose_tiles<S, W>(src + (src_mid + r0) * S, last_stride * S, dst + dst_mid * S,
                              row_elems * S, last, r1 - r0);
        dst_mid += last;
        // Next middle tuple in C order (last middle axis fastest).
        std::size_t a = n - 2;
        for (; a >= 1; --a) {
            src_mid += fstride[a];
            if (++idx[a] < dims[a]) break;
            src_mid -= fstride[a] * dims[a];
            idx[a] = 0;
        }
        if (a == 0) break;
    }
}

/// Fortran → C for part of one row: items [c0, c1) of row @p r of the C-order result (used for
/// rows too wide to buffer whole, and for item sizes without a kernel). A gather: consecutive
/// items are a source stride apart. @p copy(s, d) moves one item of @p size bytes.
template <class Copy>
void gather_row_part(const std::vector<std::uint64_t>& dims, std::size_t size, const std::byte* src,
                     std::uint64_t r, std::uint64_t c0, std::uint64_t c1, std::byte* dst,
                     Copy copy) {
    const std::size_t n = dims.size();
    const std::uint64_t last = dims[n - 1];
    std::uint64_t last_stride = 1;
    for (std::size_t a = 0; a + 1 < n; ++a) last_stride *= dims[a];
    std::vector<std::uint64_t> fstride(n, 0), idx(n, 0);
    for (std::size_t a = 1, s = dims[0]; a + 1 < n; s *= dims[a], ++a) fstride[a] = s;
    // Position of item c0: C-order middle indices, then the index on the last axis.
    std::uint64_t il = c0 % last, mid = c0 / last, src_mid = 0;
    for (std::size_t a = n - 2; a >= 1; --a) {
        idx[a] = mid % dims[a];
        mid /= dims[a];
        src_mid += idx[a] * fstride[a];
    }
    for (std::uint64_t c = c0; c < c1;) {
        const std::uint64_t run = std::min(last - il, c1 - c);
        const std::byte* s = src + (src_mid + r + il * last_stride) * size;
        for (std::uint64_t k = 0; k < run; ++k) copy(s + k * last_stride * size, dst + k * size);
        dst += run * size;
        c += run;
        il = 0;
        for (std::size_t a = n - 2; a >= 1; --a) {
            src_mid += fstride[a];
            if (++idx[a] < dims[a]) break;
            src_mid -= fstride[a] * dims[a];
            idx[a] = 0;
        }
    }
}

template <unsigned S, unsigned W>
void fortran_row_part(const std::vector<std::uint64_t>& dims, const std::byte* src, std::uint64_t r,
                      std::uint64_t c0, std::uint64_t c1, std::byte* dst) {
    gather_row_part(dims, S, src, r, c0, c1, dst,
                    [](const std::byte* s, std::byte* d) { copy_item<S, W>(s, d); });
}

/// fortran_row_part for any item size (strings, records, long doubles): a copy per item.
void fortran_row_part_any(const std::vector<std::uint64_t>& dims, std::size_t size,
                          const std::byte* src, std::uint64_t r, std::uint64_t c0, std::uint64_t c1,
                          std::byte* dst) {
    gather_row_part(dims, size, src, r, c0, c1, dst,
                    [size](const std::byte* s, std::byte* d) { std::memcpy(d, s, size); });
}

/// Reverses, in place, the words @p plan names in each of @p n items of @p size bytes.
void apply_swap_plan(std::byte* p, std::uint64_t n, std::size_t size,
                     const std::vector<detail::swap_run>& plan) {
    for (std::uint64_t i = 0; i < n; ++i, p += size)
        for (const detail::swap_run& run : plan) {
            std::byte* w = p + run.offset;
            if (run.width == 2 || run.width == 4 || run.width == 8) {
                swap_words_any(w, w, run.count, run.width);
                continue;
            }
            for (std::uint64_t k = 0; k < run.count; ++k, w += run.width)
                std::reverse(w, w + run.width);
        }
}

template <class K> typename K::fn pick_kernel(unsigned size, unsigned w) {
    switch (size * 100 + w) {
    case 100: return K::template get<1, 0>;
    case 200: return K::template get<2, 0>;
    case 202: return K::template get<2, 2>;
    case 400: return K::template get<4, 0>;
    case 404: return K::template get<4, 4>;
    case 800: return K::template get<8, 0>;
    case 804: return K::template get<8, 4>;
    case 808: return K::template get<8, 8>;
    case 1600: return K::template get<16, 0>;
    case 1608: return K::template get<16, 8>;
    default: return nullptr;
    }
}

struct rows_kernel {
    using fn = void (*)(const std::vector<std::uint64_t>&, std::uint64_t, const std::byte*,
                        std::uint64_t, std::uint64_t, std::byte*);
    template <unsigned S, unsigned W> static constexpr fn get = fortran_rows<S, W>;
};

struct part_kernel {
    using fn = void (*)(const std::vector<std::uint64_t>&, const std::byte*, std::uint64_t,
                        std::uint64_t, std::uint64_t, std::byte*);
    template <unsigned S, unsigned W> static constexpr fn get = fortran_row_part<S, W>;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// c_order_converter

namespace detail {

c_order_converter::c_order_converter(const array_info& info, byte_order to, bool zero_padding)
    : itemsize_(info.type.itemsize) {
    if (zero_padding) padding_ = padding_of(info.type);
    // One word width over the whole item (every number, U): the swapping kernels. Anything
    // else (records with fields to swap, 16-byte words): copy, then swap the plan in place.
    std::vector<swap_run> plan = swap_plan(info.type, to);
    if (plan.size() == 1 && plan[0].offset == 0 && plan[0].width * plan[0].count == itemsize_ &&
        (plan[0].width == 2 || plan[0].width == 4 || plan[0].width == 8))
        swap_word_ = plan[0].width;
    else plan_ = std::move(plan);
    rows_ = info.count();
    if (info.fortran_order && rows_ != 0) {
        // Axes of length 1 change neither layout: drop them, and transpose only when at least
        // two axes remain.
        for (const auto d : info.shape)
            if (d != 1) dims_.push_back(d);
        if (dims_.size() < 2) dims_.clear();
    }
    if (transposes()) {
        rows_ = dims_[0];
        row_elems_ = 1;
        for (std::size_t a = 1; a < dims_.size(); ++a) row_elems_ *= dims_[a];
    }
}

std::uint64_t c_order_converter::preferred_rows() const noexcept {
    if (!transposes()) return std::max<std::uint64_t>(rows_, 1);
    // One tile of rows: every source cache line read is used whole.
    const std::uint64_t tile = itemsize_ >= 8 ? 8 : 64 / itemsize_;
    return std::min<std::uint64_t>(tile, std::max<std::uint64_t>(rows_, 1));
}

void c_order_converter::convert(const std::byte* src, std::uint64_t r0, std::uint64_t r1,
                                std::byte* dst) const {
    if (r1 <= r0) return;
    if (!transposes()) {
        const std::byte* s = src + r0 * itemsize_;
        const std::uint64_t n = (r1 - r0) * itemsize_;
        if (swap_word_ == 0) std::memcpy(dst, s, n);
        else swap_words_any(s, dst, n / swap_word_, swap_word_);
    } else if (const auto fn = pick_kernel<rows_kernel>(itemsize_, swap_word_)) {
        fn(dims_, row_elems_, src, r0, r1, dst);
    } else {
        for (std::uint64_t r = r0; r < r1; ++r)
            fortran_row_part_any(dims_, itemsize_, src, r, 0, row_elems_,
                                 dst + (r - r0) * row_bytes());
    }
    finish_items(dst, (r1 - r0) * row_elems_);
}

void c_order_converter::finish_items(std::byte* dst, std::uint64_t n) const {
    if (!plan_.empty()) apply_swap_plan(dst, n, itemsize_, plan_);
    if (padding_.empty()) return;
    for (std::uint64_t i = 0; i < n; ++i, dst += itemsize_)
        for (const auto& [at, len] : padding_) std::memset(dst + at, 0, len);
}

void c_order_converter::convert_part(const std::byte* src, std::uint64_t r, std::uint64_t c0,
                                     std::uint64_t c1, std::byte* dst) const {
    if (c1 <= c0) return;
    if (!transposes()) { // a row is one item
        convert(src, r, r + 1, dst);
        return;
    }
    if (const auto fn = pick_kernel<part_kernel>(itemsize_, swap_word_))
        fn(dims_, src, r, c0, c1, dst);
    else fortran_row_part_any(dims_, itemsize_, src, r, c0, c1, dst);
    finish_items(dst, c1 - c0);
}

// ---------------------------------------------------------------------------------------------
// Free conversions

void byteswap_copy(const std::byte* src, std::byte* dst, std::uint64_t n, const dtype& type) {
    // Every word numpy's byteswap() reverses: the plan from all-little to big.
    const std::vector<swap_run> plan = swap_plan(type.as_little(), byte_order::big);
    if (plan.size() == 1 && plan[0].offset == 0 && plan[0].width * plan[0].count == type.itemsize &&
        (plan[0].width == 2 || plan[0].width == 4 || plan[0].width == 8)) {
        swap_words_any(src, dst, n * plan[0].count, plan[0].width);
        return;
    }
    if (src != dst && n) std::memmove(dst, src, n * type.itemsize);
    if (!plan.empty()) apply_swap_plan(dst, n, type.itemsize, plan);
}

void to_native_c_order(const array_info& info, std::span<const std::byte> src,
                       std::span<std::byte> dst) {
    const std::uint64_t n = check_bytes_match_shape(info, src.size(), "to_native_c_order: source");
    check_bytes_match_shape(info, dst.size(), "to_native_c_order: destination");
    if (n == 0) return;
    const c_order_converter conv(info, native_order);
    conv.convert(src.data(), 0, conv.rows(), dst.data());
}

} // namespace detail

} // namespace colsnap
