#pragma once
/// @file ids.hpp
/// @brief Issuing creature and food ids: a recycled id (the free lists are LIFO) or a fresh one
/// (next_id, with its id_to_slot entry appended as no_slot). The policy is written here only;
/// food_spawn's prefetch pipeline asks next_food_id() which id an insertion will get.

#include <ecosim/world.hpp>

#include <cstddef>
#include <cstdint>

namespace ecosim {

/// @brief A fresh or recycled creature id and its generation (a recycled id's gen is bumped).
struct issued_id {
    std::uint32_t id, gen;
};
issued_id issue_creature_id(world& w);

/// @brief A fresh or recycled food id (its id_to_slot entry exists, set to no_slot).
std::uint32_t issue_food_id(world& w);

/// @brief The id that the (@p later + 1)-th next issue_food_id() will return, when it is a
/// recycled one; no_id when it will be fresh.
inline std::uint32_t next_food_id(const world& w, std::size_t later) noexcept {
    const std::size_t free = w.food_free.size();
    return later < free ? w.food_free[free - 1 - later] : no_id;
}

} // namespace ecosim
