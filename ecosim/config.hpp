#pragma once
/// @file config.hpp
/// @brief The world's configuration: every constant of the simulation, with its documented
/// default. The whole struct is saved in every snapshot (one 0-d member `config/<name>` each).
///
/// The defaults put the world at its equilibrium from tick 0 (a chemostat: food arrives at a
/// fixed rate per unit area, creatures burn energy at a fixed rate, so the population settles
/// where intake equals burn):
///   mean speed 4 u/s  ->  burn = burn_move * 4 + burn_idle = 3 energy/s per creature;
///   food intake needed = 3 / food_value = 0.15 food/s per creature;
///   food per area and second = 0.15 / area_per_creature = 0.00234375 (the default below).
/// The world's side is sqrt(initial_creatures * area_per_creature), so density, and behaviour,
/// are the same at 10,000 and 1,000,000 creatures.

#include <cmath>
#include <cstdint>

namespace ecosim {

// X(type, name, since, default, doc). The order here is the order of the `config/` members.
// since: the snapshot schema that added the field. A snapshot of an older schema has no
// config/<name>; loading it gives the field its default (the migration), and writing an older
// schema leaves the field out. A new field is one row here with since = the new schema_version.
#define ECOSIM_CONFIG_FIELDS(X)                                                                    \
    X(std::uint64_t, seed, 1, 42, "seed of the counter-based random generator")                    \
    X(std::uint32_t, initial_creatures, 1, 10000, "creatures at tick 0")                           \
    X(float, area_per_creature, 1, 64.0f, "world area per initial creature (units^2)")             \
    X(float, world_size, 1, 800.0f, "side of the square world (units); set by make_config()")      \
    X(double, dt, 1, 1.0 / 30.0, "tick length (s)")                                                \
    X(float, speed_min, 1, 2.0f, "slowest cruising speed (units/s)")                               \
    X(float, speed_max, 1, 6.0f, "fastest cruising speed (units/s)")                               \
    X(float, turn_rate, 1, 0.6f, "wander: expected new headings per second")                       \
    X(float, burn_move, 1, 0.5f, "energy burnt per unit travelled")                                \
    X(float, burn_idle, 1, 1.0f, "energy burnt per second regardless of motion")                   \
    X(float, eat_radius, 1, 1.0f, "reach: food within this distance can be eaten (units)")         \
    X(float, food_value, 1, 20.0f, "energy in one food")                                           \
    X(float, reproduce_energy, 1, 100.0f, "fission threshold: energy at which a creature splits")  \
    X(float, hunger_line, 1, 30.0f, "below this energy a creature is in the hungry table")         \
    X(float, initial_energy_min, 1, 20.0f, "initial energy, uniform in [min, max)")                \
    X(float, initial_energy_max, 1, 80.0f, "initial energy, uniform in [min, max)")                \
    X(float, initial_food_per_creature, 1, 1.2f, "food rows at tick 0 per initial creature")       \
    X(float, food_per_area_per_second, 1, 0.00234375f, "food spawned per unit^2 per second")       \
    X(std::uint32_t, spawners_per_side, 1, 8,                                                      \
      "food spawners tile the world in a k x k grid (k<=16)")                                      \
    /* check_config: grid_cell > 4.1 x eat_radius plus a rounding margin, >= world_size / 16384 */ \
    X(float, grid_cell, 1, 8.0f, "eat query grid cell (> 4.1 x eat_radius; see check_config)")     \
    X(std::uint32_t, sort_interval, 1, 16,                                                         \
      "every k ticks cleanup reorders rows by grid cell (0: never)")

/// @brief One config field as the snapshot visitors see it (members.hpp): its member name, the
/// schema that added it and the value an older snapshot gets.
template <typename T> struct config_field {
    const char* name;
    std::uint32_t since;
    T fill;
};

/// @brief Every constant of the world. Defaults as documented in ECOSIM_CONFIG_FIELDS.
struct config {
#define ECOSIM_CONFIG_MEMBER(type, name, since, def, doc) type name = def; ///< doc
    ECOSIM_CONFIG_FIELDS(ECOSIM_CONFIG_MEMBER)
#undef ECOSIM_CONFIG_MEMBER
    friend bool operator==(const config&, const config&) = default;
};

/// @brief The default configuration for @p creatures creatures and @p seed: the world's side
/// is scaled so that the density is area_per_creature.
inline config make_config(std::uint32_t creatures, std::uint64_t seed = 42) {
    config c;
    c.seed = seed;
    c.initial_creatures = creatures;
    c.world_size = static_cast<float>(
        std::sqrt(static_cast<double>(creatures) * static_cast<double>(c.area_per_creature)));
    if (c.world_size < 2.0f * c.grid_cell) c.world_size = 2.0f * c.grid_cell;
    return c;
}

} // namespace ecosim
