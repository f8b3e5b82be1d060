/// @file compact.cpp
/// @brief compact_avx512(), compact_avx2() and select_ids_below(): AVX-512 compresses sixteen
/// lanes per step (the register form: the memory form of vpcompressd is slow on some CPUs);
/// AVX2, which has no compress, moves the kept lanes of eight to the front with a permutation
/// looked up by their mask. Both store every lane and advance by the count kept; the scalar
/// versions finish the tail.

#include <ecosim/isa.hpp>
#include <ecosim/kernels/compact.hpp>

#if ECOSIM_HAVE_ISA_LEVELS
// GCC 12 warns about the deliberately undefined vectors inside its own avx512fintrin.h
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

namespace ecosim {

namespace {
#if ECOSIM_HAVE_ISA_LEVELS
/// For each 8-bit mask, the lanes whose bit is set, in order, packed as nibbles (then zeros).
constexpr auto front_of_mask = [] {
    struct table {
        std::uint32_t v[256];
    } t{};
    for (unsigned mask = 0; mask < 256; ++mask) {
        std::uint32_t packed = 0;
        unsigned at = 0;
        for (unsigned lane = 0; lane < 8; ++lane)
            if (mask & (1u << lane)) packed |= lane << (4 * at++);
        t.v[mask] = packed;
    }
    return t;
}();

/// The permutation that moves the lanes of @p mask to the front (vpermd indices).
ECOSIM_TARGET_V3 inline __m256i front(unsigned mask) {
    const __m256i nibbles = _mm256_set1_epi32(static_cast<int>(front_of_mask.v[mask]));
    const __m256i shifts = _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28);
    return _mm256_and_si256(_mm256_srlv_epi32(nibbles, shifts), _mm256_set1_epi32(15));
}
#endif

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
                                            std::uint32_t i0, std::uint32_t* out, std::size_t m) {
    __m512i at =
        _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(i0)),
                         _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
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

ECOSIM_TARGET_V3 std::size_t compact_avx2(const std::uint32_t* pass, std::size_t len,
                                          std::uint32_t i0, std::uint32_t* out, std::size_t m) {
    __m256i at = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(i0)),
                                  _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256i eight = _mm256_set1_epi32(8), zero = _mm256_setzero_si256();
    std::size_t k = 0;
    for (; k + 8 <= len; k += 8) {
        const __m256i flags = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pass + k));
        const auto keep = static_cast<unsigned>(
            ~_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(flags, zero))) & 0xFF);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + m),
                            _mm256_permutevar8x32_epi32(at, front(keep)));
        m += static_cast<std::size_t>(__builtin_popcount(keep));
        at = _mm256_add_epi32(at, eight);
    }
    return compact(pass + k, len - k, i0 + static_cast<std::uint32_t>(k), out, m);
}

namespace {
ECOSIM_TARGET_V3 std::size_t select_below_avx2(const float* key, const std::uint32_t* id,
                                               std::size_t n, float limit, std::uint32_t* out) {
    const __m256 lim = _mm256_set1_ps(limit);
    std::size_t m = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        // _CMP_LT_OQ: false for NaN, like the scalar comparison
        const auto keep = static_cast<unsigned>(
            _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(key + i), lim, _CMP_LT_OQ)));
        const __m256i ids = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(id + i));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + m),
                            _mm256_permutevar8x32_epi32(ids, front(keep)));
        m += static_cast<std::size_t>(__builtin_popcount(keep));
    }
    return select_below(key + i, id + i, n - i, limit, out, m);
}

ECOSIM_TARGET_V4 std::size_t select_below_avx512(const float* key, const std::uint32_t* id,
                                                 std::size_t n, float limit, std::uint32_t* out) {
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
std::size_t compact_avx2(const std::uint32_t* pass, std::size_t len, std::uint32_t i0,
                         std::uint32_t* out, std::size_t m) {
    return compact(pass, len, i0, out, m);
}
#endif

std::size_t select_ids_below(const float* key, const std::uint32_t* id, std::size_t n, float limit,
                             std::uint32_t* out, isa level) {
#if ECOSIM_HAVE_ISA_LEVELS
    if (level == isa::v4) return select_below_avx512(key, id, n, limit, out);
    if (level == isa::v3) return select_below_avx2(key, id, n, limit, out);
#else
    (void)level;
#endif
    return select_below(key, id, n, limit, out, 0);
}

} // namespace ecosim
