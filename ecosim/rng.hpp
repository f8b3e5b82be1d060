#pragma once
/// @file rng.hpp
/// @brief Counter-based random numbers: every draw is a pure function of
/// (world key, tick, stream, row id, draw number), so the result never depends on the order
/// rows are visited in, and the generator's whole state is the 64-bit key (saved as
/// `meta/rng_key`). The mixer is SplitMix64's finalizer (Steele, Lea, Flood: "Fast splittable
/// pseudorandom number generators", OOPSLA 2014), a bijection on 64 bits; floats are made from
/// the top 24 bits with exact arithmetic only, never with std:: distributions.

#include <cstdint>

namespace ecosim::rng {

/// @brief SplitMix64: golden-ratio increment, then the 64-bit finalizer.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// @brief Independent streams, one per use; part of every draw's key.
enum class stream : std::uint32_t {
    init_creature = 1, ///< positions, headings and energies at tick 0
    init_food = 2,     ///< food positions at tick 0
    spawn = 3,         ///< food_spawn: positions of new food (row id = spawner id)
    wander = 4,        ///< motion: turn decision and new heading (row id = creature id)
    birth = 5,         ///< apply_reproduce: offspring headings (row id = parent id)
};

/// @brief The world key from the configured seed.
constexpr std::uint64_t world_key(std::uint64_t seed) noexcept {
    return mix64(seed ^ 0x65636F73696DULL);
}

/// @brief Key of one (tick, stream): computed once per system per tick.
constexpr std::uint64_t tick_key(std::uint64_t key, std::uint64_t tick, stream s) noexcept {
    return mix64(mix64(key ^ mix64(tick)) ^ static_cast<std::uint64_t>(s));
}

/// @brief Draw number @p n for row @p id: 64 random bits.
constexpr std::uint64_t bits(std::uint64_t tkey, std::uint32_t id, std::uint32_t n) noexcept {
    return mix64(tkey ^ ((static_cast<std::uint64_t>(id) << 32) | n));
}

/// @brief Top 24 bits as a float in [0, 1) (exact: every value is k * 2^-24).
constexpr float unit(std::uint64_t b) noexcept { return static_cast<float>(b >> 40) * 0x1p-24f; }
/// @brief Bits 16..39 as a second, independent float in [0, 1).
constexpr float unit_low(std::uint64_t b) noexcept {
    return static_cast<float>((b >> 16) & 0xFFFFFFu) * 0x1p-24f;
}

} // namespace ecosim::rng
