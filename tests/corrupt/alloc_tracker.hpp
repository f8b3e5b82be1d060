#pragma once
// Largest single allocation made through operator new since the last reset. The replacement
// operators live in alloc_tracker.cpp (linked into the corrupt tests only); they let a test prove
// that a file declaring a huge size is refused before anything of that size is allocated.

#include <cstddef>

namespace colsnap_test {

/// Forgets the allocations seen so far.
void reset_largest_allocation() noexcept;
/// Bytes of the largest single operator new request since the last reset.
std::size_t largest_allocation() noexcept;

} // namespace colsnap_test
