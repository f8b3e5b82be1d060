#pragma once
/// @file world_data.hpp
/// @brief The exhibit's data: 1 M creatures as 8 columns (the seed chapter's schema), made from
/// a fixed seed so that every run and every way persists the same bytes.

#include <colsnap/column.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace exhibit {

/// @brief The creature table, column by column (struct of arrays).
struct world_columns {
    std::vector<float> pos_x, pos_y, vel_x, vel_y, energy;
    std::vector<double> birth_t;
    std::vector<std::uint32_t> id, gen;

    std::size_t rows() const noexcept { return id.size(); }
    /// @brief Payload bytes of all columns (36 bytes per row).
    std::size_t bytes() const noexcept;
    /// @brief Bytes of the largest column.
    std::size_t largest_column_bytes() const noexcept;
    /// @brief The columns as colsnap column_refs, in schema order, borrowing this table.
    std::vector<colsnap::column_ref> refs() const;
};

/// @brief Name, numpy descr and item size of each column, in schema order.
struct column_spec {
    std::string name;
    std::string descr;
    std::size_t itemsize;
};
const std::vector<column_spec>& schema();

/// @brief Deterministic creatures from @p seed (xoshiro256**): positions in [0, 1000),
/// velocities in [-1, 1), energy in [0, 100), birth times on a 0.1 tick grid, sequential ids,
/// generations 0..15.
world_columns make_world(std::size_t rows, std::uint64_t seed);

/// @brief Byte-equality of @p got with @p want's columns (schema order); returns the name of
/// the first differing column, or "" when all are equal.
std::string first_difference(const world_columns& want,
                             const std::vector<std::span<const std::byte>>& got);

} // namespace exhibit
