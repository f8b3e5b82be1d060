#pragma once
/// @file isa.hpp
/// @brief Instruction-set levels the hot loops are compiled for, and the choice between them.
///
/// The loops of motion and of the eat query's first pass are written once (always-inline
/// bodies) and compiled three times: for the x86-64 baseline (SSE2), x86-64-v3 (AVX2) and
/// x86-64-v4 (AVX-512). The world picks the best level the CPU has (scratch::isa_level).
/// Every level computes the same bits: the loops use only integer arithmetic and IEEE
/// +, -, *, /, sqrt and comparisons, which give the same result in any SIMD lane, and
/// -ffp-contract=off keeps FMA (present from v3 on) out of them. tests/ecosim check that worlds
/// run at every level the machine has stay hash-identical, tick by tick.

#include <cstdint>
#include <string_view>

namespace ecosim {

enum class isa : std::uint8_t {
    baseline = 0, ///< x86-64 (SSE2), or any other architecture
    v3 = 1,       ///< x86-64-v3: AVX2, BMI2, FMA (not used: no contraction)
    v4 = 2,       ///< x86-64-v4: AVX-512 F/BW/CD/DQ/VL
};

/// @brief The highest level this CPU supports (baseline off x86-64 or without GCC).
isa best_isa() noexcept;
/// @brief "baseline", "x86-64-v3" or "x86-64-v4".
std::string_view to_string(isa level) noexcept;

} // namespace ecosim

// Compile a function for one level. Only GCC on x86-64 gets the extra levels; elsewhere every
// level is the baseline code.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ECOSIM_HAVE_ISA_LEVELS 1
#define ECOSIM_TARGET_V3 __attribute__((target("arch=x86-64-v3")))
#define ECOSIM_TARGET_V4 __attribute__((target("arch=x86-64-v4")))
#else
#define ECOSIM_HAVE_ISA_LEVELS 0
#define ECOSIM_TARGET_V3
#define ECOSIM_TARGET_V4
#endif
