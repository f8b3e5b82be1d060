#pragma once
/// @file compact.hpp
/// @brief Stream compaction: the row indices whose flag is set, and the ids whose key is below
/// a limit, in order (each with AVX2 and AVX-512 versions for isa::v3 and v4 CPUs).

#include <ecosim/isa.hpp>

#include <cstddef>
#include <cstdint>

namespace ecosim {

/// @brief Writes i0 + k to out[m], out[m + 1], ... for every k < len with pass[k] != 0 and
/// returns the new m. May write (not count) up to 16 entries past the last one kept: out
/// needs that much room. Branch-free.
[[gnu::always_inline]] inline std::size_t compact(const std::uint32_t* pass, std::size_t len,
                                                  std::uint32_t i0, std::uint32_t* out,
                                                  std::size_t m) {
    for (std::size_t k = 0; k < len; ++k) {
        out[m] = i0 + static_cast<std::uint32_t>(k);
        m += pass[k] != 0;
    }
    return m;
}

/// @brief compact() with AVX-512 compress, sixteen flags at a time. Only on CPUs that run
/// isa::v4 (isa.hpp); the result is the same.
std::size_t compact_avx512(const std::uint32_t* pass, std::size_t len, std::uint32_t i0,
                           std::uint32_t* out, std::size_t m);
/// @brief compact() with AVX2, eight flags at a time. Only on CPUs that run isa::v3 or v4.
std::size_t compact_avx2(const std::uint32_t* pass, std::size_t len, std::uint32_t i0,
                         std::uint32_t* out, std::size_t m);

/// @brief Writes id[i] to out[0], out[1], ... for every i < n with key[i] < limit (in order)
/// and returns how many. May write up to 16 entries past the last one kept: out needs
/// n + 16 entries. Uses the vector version of @p level (which the CPU must run).
std::size_t select_ids_below(const float* key, const std::uint32_t* id, std::size_t n, float limit,
                             std::uint32_t* out, isa level);

} // namespace ecosim
