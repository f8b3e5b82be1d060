#include "half.hpp"

#include <cmath>
#include <limits>

namespace colsnap_cli {

float half_to_float(std::uint16_t bits) noexcept {
    const bool negative = (bits & 0x8000u) != 0;
    const unsigned exponent = (bits >> 10) & 0x1fu;
    const unsigned mantissa = bits & 0x3ffu;
    float magnitude = 0;
    if (exponent == 0x1f)
        magnitude = mantissa == 0 ? std::numeric_limits<float>::infinity()
                                  : std::numeric_limits<float>::quiet_NaN();
    else if (exponent == 0) // zero or subnormal: mantissa * 2^-24
        magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    else // normal: (1024 + mantissa) * 2^(exponent - 25)
        magnitude =
            std::ldexp(static_cast<float>(1024u + mantissa), static_cast<int>(exponent) - 25);
    return negative ? -magnitude : magnitude;
}

std::uint16_t half_from_double(double value) noexcept {
    const std::uint16_t sign = std::signbit(value) ? 0x8000u : 0u;
    const double a = std::fabs(value);
    if (std::isnan(value)) return static_cast<std::uint16_t>(sign | 0x7e00u);
    // 65520 is halfway between the largest half (65504) and 2^16: ties to even round up to inf.
    if (a >= 65520.0) return static_cast<std::uint16_t>(sign | 0x7c00u);
    if (a < 0x1p-14) {
        // Subnormal (or zero): the bits are round(a * 2^24); 1024 is the smallest normal,
        // whose encoding is the same number.
        const double q = std::nearbyint(a * 0x1p24);
        return static_cast<std::uint16_t>(sign | static_cast<unsigned>(q));
    }
    int e2 = 0;
    const double m = std::frexp(a, &e2); // a = m * 2^e2, m in [0.5, 1)
    const int exponent = e2 - 1;         // a = (2m) * 2^exponent, 2m in [1, 2)
    // nearbyint rounds ties to even in the default rounding mode; a carry to 1024 moves into
    // the exponent field by plain addition (and up to inf from the largest binade).
    const double mantissa = std::nearbyint((2.0 * m - 1.0) * 1024.0);
    const unsigned bits =
        (static_cast<unsigned>(exponent + 15) << 10) + static_cast<unsigned>(mantissa);
    return static_cast<std::uint16_t>(sign | bits);
}

} // namespace colsnap_cli
