#pragma once
/// @file prefetch.hpp
/// @brief prefetch(): a software prefetch that the compiler keeps.
///
/// GCC treats __builtin_prefetch as free of side effects and deletes a loop that does nothing
/// else (seen with GCC 12 -O3: the loops requesting the summary windows of new and removed
/// food compiled to nothing), so on x86 the instruction is volatile inline assembly. A
/// prefetch never faults and never changes a value.

namespace ecosim {

[[gnu::always_inline]] inline void prefetch(const void* p) noexcept {
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 (%0)" : : "r"(p)); // the address only: nothing is read
#else
    __builtin_prefetch(p);
#endif
}

} // namespace ecosim
