#pragma once
/// @file compression.hpp
/// @brief How a member of an .npz is stored: the two zip methods numpy writes.

#include <cstdint>

namespace colsnap {

/// @brief A zip compression method (APPNOTE 4.4.5), with its zip code as the value.
enum class compression : std::uint8_t { stored = 0, deflate = 8 };

} // namespace colsnap
