/// @file compact.cpp
/// @brief compact_avx512() and select_ids_below(): compress sixteen lanes per step (the
/// register form: the memory form of vpcompressd is slow on some CPUs), store all sixteen,
/// advance by the count kept; the scalar versions finish the tail.

#include <ecosim/isa.hpp>
#include <ecosim/systems/compact.hpp>

#if ECOSIM_HAVE_ISA_LEVELS
// GCC 12 warns about the deliberately undefined vectors inside its own avx512fintrin.h
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

namespace ecosim {

namespace {
/// select_ids_below() one row at a time: branch-free, every id written, the ones below kept.
std::size_t select_below(const float* key, const std::uint32_t* id, std::size_t n, float limit,
                         std::uint32_t* out, std::size_t m) {
    for (std::size_t i = 0; i < n; ++i) {
        out[m] = id[i];
        m += key[i] < limit;
    }
    return m;
}
} // namespace

#if ECOSIM_HAVE_ISA_LEVELS
ECOSIM_TARGET_V4 std::size_t compact_avx512(const std::uint32_t* pass, std::size_t len,
                                            std::uint32_t i0, std::uint32_t* out,
                                            std::size_t m) {
    __m512i at = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(i0)),
                                  _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                                    13, 14, 15));
    const __m512i sixteen = _mm512_set1_epi32(16);
    std::size_t k = 0;
    for (; k + 16 <= len; k += 16) {
        const __m512i flags = _mm512_loadu_si512(pass + k);
        const __mmask16 keep = _mm512_test_epi32_mask(flags, flags);
        _mm512_storeu_si512(out + m, _mm512_maskz_compress_epi32(keep, at));
        m += static_cast<std::size_t>(__builtin_popcount(keep));
        at = _mm512_add_epi32(at, sixteen);
    }
    return compact(pass + k, len - k, i0 + static_cast<std::uint32_t>(k), out, m);
}

namespace {
ECOSIM_TARGET_V4 std::size_t select_below_avx512(const float* key, const std::uint32_t* id,
                                                 std::size_t n, float limit,
                                                 std::uint32_t* out) {
    const __m512 lim = _mm512_set1_ps(limit);
    std::size_t m = 0, i = 0;
    for (; i + 16 <= n; i += 16) {
        // _CMP_LT_OQ: false for NaN, like the scalar comparison
        const __mmask16 keep = _mm512_cmp_ps_mask(_mm512_loadu_ps(key + i), lim, _CMP_LT_OQ);
        _mm512_storeu_si512(out + m, _mm512_maskz_compress_epi32(keep, _mm512_loadu_si512(id + i)));
        m += static_cast<std::size_t>(__builtin_popcount(keep));
    }
    return select_below(key + i, id + i, n - i, limit, out, m);
}
} // namespace
#else
std::size_t compact_avx512(const std::uint32_t* pass, std::size_t len, std::uint32_t i0,
                           std::uint32_t* out, std::size_t m) {
    return compact(pass, len, i0, out, m);
}
#endif

std::size_t select_ids_below(const float* key, const std::uint32_t* id, std::size_t n,
                             float limit, std::uint32_t* out, bool avx512) {
#if ECOSIM_HAVE_ISA_LEVELS
    if (avx512) return select_below_avx512(key, id, n, limit, out);
#else
    (void)avx512;
#endif
    return select_below(key, id, n, limit, out, 0);
}

} // namespace ecosim
