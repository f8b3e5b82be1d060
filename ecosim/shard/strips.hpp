#pragma once
/// @file strips.hpp
/// @brief The partition of docs/SHARDING.md: R horizontal strips of whole sort-block rows
/// (grid_geometry(cfg, 4)), ownership by a row's block row, and the halo width
/// h = speed_max * dt + eat_radius + world_size * 2^-16.

#include <ecosim/config.hpp>
#include <ecosim/kernels/grid_cell.hpp>

#include <cstdint>
#include <vector>

namespace ecosim::shard {

class strips {
public:
    /// @brief @p ranks strips over the world of @p c. Throws ecosim::error (invalid_argument,
    /// "ranks") when a strip would hold no block row or be no taller than 2 h.
    strips(const config& c, std::uint32_t ranks);

    std::uint32_t ranks() const noexcept { return static_cast<std::uint32_t>(first_.size() - 1); }
    /// @brief The halo width h.
    double halo() const noexcept { return halo_; }
    /// @brief The rank owning a row at height @p y (its block row's strip).
    std::uint32_t owner(float y) const noexcept;
    /// @brief owner(y) == r for one strip r, without the search: a copy that a loop over
    /// rows keeps in registers.
    struct ownership {
        grid_geometry block;
        std::uint32_t first, end; ///< the strip's block rows [first, end)
        bool operator()(float y) const noexcept {
            const std::uint32_t row = block.axis(y);
            return row >= first && row < end;
        }
    };
    ownership owns(std::uint32_t r) const noexcept { return {block_, first_[r], first_[r + 1]}; }
    /// @brief Lower and upper edge of strip @p r (0 and world_size at the world's ends).
    double lo(std::uint32_t r) const noexcept;
    double hi(std::uint32_t r) const noexcept;
    /// @brief Whether rank @p r holds food at @p y: owned, or within h of its strip (halo).
    bool holds(std::uint32_t r, float y) const noexcept;
    /// @brief Whether @p y lies in the band of the edge below strip @p r (r >= 1): within h.
    bool in_band(std::uint32_t r, float y) const noexcept;

private:
    grid_geometry block_;
    double cell_, side_, halo_;
    std::vector<std::uint32_t> first_; ///< first block row of each strip; ranks + 1 entries
};

} // namespace ecosim::shard
