#pragma once
/// @file heading.hpp
/// @brief A random velocity from counter-based draws, with exact IEEE arithmetic only
/// (+, *, /, sqrt; no sin/cos, whose results vary between libm versions).

#include <ecosim/config.hpp>
#include <ecosim/rng.hpp>

#include <cmath>
#include <cstdint>

namespace ecosim {

struct velocity {
    float x, y;
};

/// @brief Uniform direction by rejection in the unit disk (draws n0, n0+1, ... for row @p id),
/// speed uniform in [speed_min, speed_max) from one more draw. At most 32 tries, then +x.
inline velocity random_velocity(std::uint64_t tkey, std::uint32_t id, std::uint32_t n0,
                                const config& c) noexcept {
    float ux = 1.0f, uy = 0.0f, r2 = 1.0f;
    for (std::uint32_t k = 0; k < 32; ++k) {
        const std::uint64_t b = rng::bits(tkey, id, n0 + k);
        const float u = 2.0f * rng::unit(b) - 1.0f;
        const float v = 2.0f * rng::unit_low(b) - 1.0f;
        const float q = u * u + v * v;
        if (q > 1e-6f && q <= 1.0f) {
            ux = u;
            uy = v;
            r2 = q;
            break;
        }
    }
    const float speed =
        c.speed_min + (c.speed_max - c.speed_min) * rng::unit(rng::bits(tkey, id, n0 + 32));
    const float inv = speed / std::sqrt(r2);
    return {ux * inv, uy * inv};
}

} // namespace ecosim
