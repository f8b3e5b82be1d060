#pragma once
/// @file snapshot_data.hpp
/// @brief The deterministic snapshots the crash tests write: generation g of a world of
/// @p rows rows is 8 columns whose every value depends on g, plus a 0-d "meta/generation"
/// member, so a file's generation can be read from it and its full content recomputed.

#include <colsnap/colsnap.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace colsnap_crash {

/// @brief Generation @p generation of the test world: owns its columns' memory.
class snapshot_data {
public:
    snapshot_data(std::int64_t generation, std::uint64_t rows);

    /// @brief The 9 members (8 columns and meta/generation), borrowing this object's memory.
    std::vector<colsnap::column_ref> columns() const;
    /// @brief content_hash(columns()).
    colsnap::digest hash() const;
    std::int64_t generation() const noexcept { return generation_; }
    /// @brief Bytes of payload over all columns.
    std::uint64_t payload_bytes() const noexcept;

private:
    std::int64_t generation_;
    std::vector<double> pos_x_, pos_y_, mass_;
    std::vector<float> energy_;
    std::vector<std::int64_t> id_;
    std::vector<std::int32_t> age_;
    std::vector<std::uint16_t> species_;
    std::vector<std::uint8_t> alive_;
};

/// @brief The generation stored in @p path's "meta/generation" member (the file is opened
/// and verified first: every CRC checked). Throws colsnap::error on any problem.
std::int64_t read_generation(const std::filesystem::path& path, colsnap::digest* hash = nullptr);

/// @brief Names in @p dir that are colsnap temp files of @p target_name
/// (".NAME.colsnap-tmp.PID.RANDOM").
std::vector<std::string> temp_files(const std::filesystem::path& dir,
                                    const std::string& target_name);

/// @brief Write options for generation @p g: every sixth generation (g % 6 == 5) is deflated
/// (level 1), the others stored; always durable (fsync of file and directory).
colsnap::write_options options_for(std::int64_t g, unsigned threads);

} // namespace colsnap_crash
