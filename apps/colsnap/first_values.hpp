#pragma once
// The first N elements of an array in C order, copied out of its bytes without touching the
// rest: what `colsnap cat --head N` prints, so that a 2 GB member costs N elements, not 2 GB.

#include <colsnap/array.hpp>

#include <cstdint>

namespace colsnap_cli {

/// The first @p n elements (n <= a.size()) of @p a in C (row-major) order, as a 1-d array in
/// native byte order. @p a is as stored (its dtype's byte order, C or Fortran order), e.g. a
/// view into a mapped file: only the bytes of those n elements are read.
colsnap::array first_values(const colsnap::array& a, std::uint64_t n);

} // namespace colsnap_cli
