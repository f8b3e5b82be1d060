/// @file strips.cpp
/// @brief The strips of docs/SHARDING.md ("Partition", "Halo width").

#include <ecosim/error.hpp>
#include <ecosim/shard/strips.hpp>

#include <algorithm>
#include <string>

namespace ecosim::shard {

strips::strips(const config& c, std::uint32_t ranks)
    : block_(c, 4.0f), cell_(static_cast<double>(c.grid_cell * 4.0f)),
      side_(static_cast<double>(c.world_size)),
      halo_(static_cast<double>(c.speed_max) * c.dt + static_cast<double>(c.eat_radius) +
            side_ * 0x1p-16) {
    const std::uint32_t rows = block_.side;
    if (ranks < 1 || ranks > rows)
        throw error(errc::invalid_argument, "ranks",
                    std::to_string(ranks) + " ranks for " + std::to_string(rows) +
                        " block rows: every strip needs one");
    for (std::uint32_t r = 0; r <= ranks; ++r)
        first_.push_back(static_cast<std::uint32_t>(std::uint64_t{rows} * r / ranks));
    for (std::uint32_t r = 0; r < ranks; ++r)
        if (!(hi(r) - lo(r) > 2.0 * halo_))
            throw error(errc::invalid_argument, "ranks",
                        std::to_string(ranks) + " ranks make strip " + std::to_string(r) + " " +
                            std::to_string(hi(r) - lo(r)) + " units tall, not more than 2 x halo " +
                            std::to_string(halo_));
}

std::uint32_t strips::owner(float y) const noexcept {
    const std::uint32_t row = block_.axis(y);
    const auto it = std::upper_bound(first_.begin(), first_.end(), row);
    return static_cast<std::uint32_t>(it - first_.begin()) - 1;
}

double strips::lo(std::uint32_t r) const noexcept { return first_[r] * cell_; }
double strips::hi(std::uint32_t r) const noexcept {
    return r + 1 == ranks() ? side_ : first_[r + 1] * cell_;
}

bool strips::holds(std::uint32_t r, float y) const noexcept {
    if (owns(r)(y)) return true;
    const double v = y;
    return v >= lo(r) - halo_ && v <= hi(r) + halo_;
}

bool strips::in_band(std::uint32_t r, float y) const noexcept {
    const double d = static_cast<double>(y) - lo(r);
    return d >= -halo_ && d <= halo_;
}

} // namespace ecosim::shard
