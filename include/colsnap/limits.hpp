#pragma once
/// @file limits.hpp
/// @brief Caps applied to untrusted input before anything is allocated from it.

#include <cstdint>

namespace colsnap {

struct limits {
    /// numpy's own cap on an .npy header dict (numpy.lib.format._MAX_HEADER_SIZE).
    std::uint32_t max_header_len = 10000;
    /// numpy's NPY_MAXDIMS is 32 (64 from numpy 2): accept up to 64 dims.
    std::uint32_t max_dims = 64;
    /// Members of an archive; also bounded by the central directory size itself.
    std::uint64_t max_members = 1u << 22;
    /// Largest decoded member (bytes); the file and its declared sizes bound it further.
    std::uint64_t max_member_bytes = std::uint64_t{1} << 44;
};

} // namespace colsnap
