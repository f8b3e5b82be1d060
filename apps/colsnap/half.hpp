#pragma once
// IEEE 754 binary16 (numpy's float16) <-> wider floats, exact where possible and rounded to
// nearest-even otherwise, as numpy converts them.

#include <cstdint>

namespace colsnap_cli {

/// The exact value of a half given by its bits (every half is exactly a float).
float half_to_float(std::uint16_t bits) noexcept;

/// The half nearest to @p value (ties to even); overflow gives +-inf, NaN stays NaN.
std::uint16_t half_from_double(double value) noexcept;

} // namespace colsnap_cli
