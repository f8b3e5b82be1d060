/// @file nearest_food_avx512.cpp
/// @brief Pass 2 of the eat query, sixteen points at a time with AVX-512 (isa::v4 only).
/// The scalar version waits on a chain of dependent cache misses per point (cell start, then
/// entries); here the cell starts of sixteen points are one gather, and each step over the
/// entries gathers the next entry of every point whose range is not exhausted. Every value is
/// computed as in the scalar version (IEEE sub, mul, add, compare; no FMA), and the result is
/// the minimum of (d2, id), whatever the visiting order: the same bits.

#include <ecosim/isa.hpp>
#include <ecosim/systems/nearest_food.hpp>

#if ECOSIM_HAVE_ISA_LEVELS
// GCC 12 warns about the deliberately undefined vectors inside its own avx512fintrin.h
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

namespace ecosim {

#if ECOSIM_HAVE_ISA_LEVELS
namespace {

struct lanes16 {
    __m512 best;
    __m512i best_id;
};

/// grid_geometry::axis for sixteen coordinates: clamp to [0, side - 1] in float, truncate
/// (max/min return the second operand for NaN, like the scalar selects: NaN -> 0).
ECOSIM_TARGET_V4 inline __m512i axis16(const grid_geometry& gg, __m512 v) {
    const __m512 q = _mm512_mul_ps(v, _mm512_set1_ps(gg.inv_cell));
    const __m512 lo = _mm512_max_ps(q, _mm512_setzero_ps());
    const __m512 c = _mm512_min_ps(lo, _mm512_set1_ps(static_cast<float>(gg.side - 1)));
    return _mm512_cvttps_epu32(c);
}

/// Scans the entries [b, e) of each lane in `active`, one entry per lane per step.
ECOSIM_TARGET_V4 inline void scan16(const scratch::food_entry* fe, const std::uint32_t* ids,
                                    __m512i b, __m512i e, __mmask16 active, __m512 x, __m512 y,
                                    lanes16& acc) {
    const float* base = reinterpret_cast<const float*>(fe);
    const int* idbase = reinterpret_cast<const int*>(ids);
    __m512i t = b;
    __mmask16 m = active & _mm512_cmplt_epu32_mask(t, e);
    while (m) {
        const __m512i two_t = _mm512_slli_epi32(t, 1);
        const __m512 fx = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, two_t, base, 4);
        const __m512 fy = _mm512_mask_i32gather_ps(
            _mm512_setzero_ps(), m, _mm512_add_epi32(two_t, _mm512_set1_epi32(1)), base, 4);
        const __m512 dx = _mm512_sub_ps(fx, x), dy = _mm512_sub_ps(fy, y);
        const __m512 d2 = _mm512_add_ps(_mm512_mul_ps(dx, dx), _mm512_mul_ps(dy, dy));
        const __mmask16 le = _mm512_mask_cmp_ps_mask(m, d2, acc.best, _CMP_LE_OQ);
        if (le) {
            const __m512i fid = _mm512_mask_i32gather_epi32(_mm512_set1_epi32(-1), le, t, idbase, 4);
            const __mmask16 better = le & (_mm512_cmp_ps_mask(d2, acc.best, _CMP_LT_OQ) |
                                           _mm512_cmplt_epu32_mask(fid, acc.best_id));
            acc.best = _mm512_mask_mov_ps(acc.best, better, d2);
            acc.best_id = _mm512_mask_mov_epi32(acc.best_id, better, fid);
        }
        t = _mm512_add_epi32(t, _mm512_set1_epi32(1));
        m &= _mm512_cmplt_epu32_mask(t, e);
    }
}

/// The two row ranges of one grid for sixteen boxes; `wide` gets the lanes whose box spans
/// more than two rows (only when cells are narrower than 2 r: done by the scalar version).
ECOSIM_TARGET_V4 inline void ranges16(const grid_geometry& gg, const std::uint32_t* st,
                                      __mmask16 lanes, __m512 x, __m512 y, __m512 r,
                                      __m512i& b0, __m512i& e0, __m512i& b1, __m512i& e1,
                                      __mmask16& wide) {
    const int* base = reinterpret_cast<const int*>(st);
    const __m512i ax0 = axis16(gg, _mm512_sub_ps(x, r)), ax1 = axis16(gg, _mm512_add_ps(x, r));
    const __m512i ay0 = axis16(gg, _mm512_sub_ps(y, r)), ay1 = axis16(gg, _mm512_add_ps(y, r));
    const __m512i side = _mm512_set1_epi32(static_cast<int>(gg.side));
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i row0 = _mm512_mullo_epi32(ay0, side), row1 = _mm512_mullo_epi32(ay1, side);
    const __m512i zero = _mm512_setzero_si512();
    b0 = _mm512_mask_i32gather_epi32(zero, lanes, _mm512_add_epi32(row0, ax0), base, 4);
    e0 = _mm512_mask_i32gather_epi32(zero, lanes,
                                     _mm512_add_epi32(_mm512_add_epi32(row0, ax1), one), base, 4);
    const __mmask16 two_rows = lanes & _mm512_cmpneq_epu32_mask(ay1, ay0);
    b1 = _mm512_mask_i32gather_epi32(zero, two_rows, _mm512_add_epi32(row1, ax0), base, 4);
    e1 = _mm512_mask_i32gather_epi32(zero, two_rows,
                                     _mm512_add_epi32(_mm512_add_epi32(row1, ax1), one), base, 4);
    wide |= lanes & _mm512_cmpgt_epu32_mask(_mm512_sub_epi32(ay1, ay0), one);
}

} // namespace

ECOSIM_TARGET_V4 void nearest_food_avx512(const food_index_view& v, const float* xs,
                                          const float* ys, std::size_t n, float* best_d2,
                                          std::uint32_t* best_id) {
    const __m512 r = _mm512_set1_ps(v.r);
    for (std::size_t j = 0; j < n; j += 16) {
        const __mmask16 lanes =
            n - j >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (n - j)) - 1);
        const __m512 x = _mm512_maskz_loadu_ps(lanes, xs + j);
        const __m512 y = _mm512_maskz_loadu_ps(lanes, ys + j);
        __m512i b[4], e[4];
        __mmask16 wide = 0;
        ranges16(v.geo, v.start, lanes, x, y, r, b[0], e[0], b[1], e[1], wide);
        ranges16(v.ogeo, v.over_start, lanes, x, y, r, b[2], e[2], b[3], e[3], wide);
        const __mmask16 active = lanes & ~wide;
        lanes16 acc{_mm512_set1_ps(v.r2), _mm512_set1_epi32(-1)};
        scan16(v.entries, v.ids, b[0], e[0], active, x, y, acc);
        scan16(v.entries, v.ids, b[1], e[1], active, x, y, acc);
        scan16(v.over_entries, v.over_ids, b[2], e[2], active, x, y, acc);
        scan16(v.over_entries, v.over_ids, b[3], e[3], active, x, y, acc);
        _mm512_mask_storeu_ps(best_d2 + j, lanes, acc.best);
        _mm512_mask_storeu_epi32(best_id + j, lanes, acc.best_id);
        for (unsigned k = 0; k < 16; ++k)
            if ((wide >> k) & 1u) nearest_food_one(v, xs[j + k], ys[j + k], best_d2[j + k], best_id[j + k]);
    }
}
#else
void nearest_food_avx512(const food_index_view& v, const float* xs, const float* ys,
                         std::size_t n, float* best_d2, std::uint32_t* best_id) {
    nearest_food(v, xs, ys, n, best_d2, best_id, isa::baseline);
}
#endif

} // namespace ecosim
