/// @file compact.cpp
/// @brief compact_avx512(): compress sixteen lanes per step (the register form: the memory
/// form of vpcompressd is slow on some CPUs), store all sixteen, advance by the count kept.

#include <ecosim/isa.hpp>
#include <ecosim/systems/compact.hpp>

#if ECOSIM_HAVE_ISA_LEVELS
#include <immintrin.h>
#endif

namespace ecosim {

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
#else
std::size_t compact_avx512(const std::uint32_t* pass, std::size_t len, std::uint32_t i0,
                           std::uint32_t* out, std::size_t m) {
    return compact(pass, len, i0, out, m);
}
#endif

} // namespace ecosim
