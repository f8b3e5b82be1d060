#pragma once
/// @file creature_rows.hpp
/// @brief The counter-example: creatures as objects (array of structs), persisted row by row
/// through an object model (nlohmann-json, an array of one object per creature).

#include "world_data.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace exhibit {

/// @brief One creature as an object: the row view of world_columns.
struct creature {
    float pos_x, pos_y, vel_x, vel_y, energy;
    double birth_t;
    std::uint32_t id, gen;
    friend bool operator==(const creature&, const creature&) = default;
};

/// @brief The construction tax: transposes the columns into objects. Reuses @p out's storage.
void build_creatures(const world_columns& world, std::vector<creature>& out);

/// @brief Serializes @p rows one object at a time into a JSON document (array of objects),
/// then writes its text to @p path (truncating it).
void write_creatures_json(const std::filesystem::path& path, const std::vector<creature>& rows);

/// @brief Reads @p path, parses the JSON document and converts each object back into a
/// creature (into @p out, whose storage is reused).
void read_creatures_json(const std::filesystem::path& path, std::vector<creature>& out);

/// @brief True when @p rows are exactly the rows of @p world.
bool same_rows(const world_columns& world, const std::vector<creature>& rows);

} // namespace exhibit
