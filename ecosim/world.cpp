/// @file world.cpp
/// @brief The world at tick 0, and its headroom.

#include <ecosim/rng.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/systems/systems.hpp>
#include <ecosim/world.hpp>

#include <cmath>
#include <type_traits>

#include <sys/mman.h>

namespace ecosim {

namespace {
/// madvise(MADV_NOHUGEPAGE) over the capacity of columns that huge_page_allocator placed on
/// 2 MiB boundaries (advisory: a failure only costs speed; values are never affected).
template <typename T> void no_huge_pages(column<T>& col) {
    const std::size_t bytes = col.capacity() * sizeof(T);
    if (bytes < huge_page_allocator<T>::huge) return; // operator new memory: leave it
#ifdef MADV_NOHUGEPAGE
    ::madvise(col.data(), bytes & ~std::size_t{4095}, MADV_NOHUGEPAGE);
#endif
}

/// Room for @p extra more rows in every column of @p log, on small pages.
template <typename Log> void log_headroom(Log& log, std::size_t extra) {
    Log::for_each_column([&](auto def) {
        auto& col = log.*def.member;
        col.reserve(col.size() + extra);
        no_huge_pages(col);
    });
}
} // namespace

void reserve_headroom(world& w) {
    const std::size_t nc = w.creature.size() + w.creature.size() / 2 + 1024;
    w.creature.reserve(nc);
    w.creature_id_to_slot.reserve(nc);
    const std::size_t nf = w.food.size() + w.food.size() / 2 + 1024;
    w.food.reserve(nf);
    w.food_id_to_slot.reserve(nf);
    w.hungry.reserve(nc);
    // logs: address space for thousands of ticks of events at the default rates (per tick
    // about 0.5 % of the creatures eat, 0.04 % split, 0.04 % starve), so that no tick of an
    // ordinary run doubles a log: a doubling copies the whole log inside one tick (24 ms at
    // 1 M creatures after 200 ticks). Reserved pages are only faulted in as rows are
    // appended, so this costs address space, not memory.
    // ... and on small pages: the logs are only appended to, so huge pages buy nothing there,
    // while faulting in a fresh huge page can stall a tick for 10+ ms (the kernel zeroes, and
    // may first compact, 2 MiB at once); small pages spread that over the ticks
    const std::size_t n = w.creature.size();
    const std::size_t eats = 16 * n, births = 2 * n; // ~3,200 / ~5,000 ticks
    log_headroom(w.eaten, eats);
    log_headroom(w.born, births);
    log_headroom(w.dead, births);
}

spawner_table make_spawners(const config& cfg) {
    spawner_table t;
    const float side = cfg.world_size;
    const std::uint32_t k = cfg.spawners_per_side;
    const float cell = side / static_cast<float>(k);
    for (std::uint32_t j = 0; j < k; ++j) {
        for (std::uint32_t i = 0; i < k; ++i) {
            const float x0 = static_cast<float>(i) * cell, y0 = static_cast<float>(j) * cell;
            const float x1 = i + 1 == k ? side : static_cast<float>(i + 1) * cell;
            const float y1 = j + 1 == k ? side : static_cast<float>(j + 1) * cell;
            t.id.push_back(static_cast<std::uint8_t>(j * k + i));
            t.region.insert(t.region.end(), {x0, y0, x1, y1});
            t.rate.push_back(cfg.food_per_area_per_second * (x1 - x0) * (y1 - y0));
            t.carry.push_back(0.0f);
        }
    }
    return t;
}

world create_world(const config& cfg) {
    check_config(cfg); // also bounds the tables below (initial_creatures, food per creature)
    world w;
    w.cfg = cfg;
    w.rng_key = rng::world_key(cfg.seed);
    const float side = cfg.world_size;
    const std::uint32_t n = cfg.initial_creatures;

    const std::uint64_t tc = rng::tick_key(w.rng_key, 0, rng::stream::init_creature);
    auto& c = w.creature;
    c.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint64_t b = rng::bits(tc, i, 0);
        const velocity v = random_velocity(tc, i, 1, cfg);
        const float e = cfg.initial_energy_min + (cfg.initial_energy_max - cfg.initial_energy_min) *
                                                     rng::unit(rng::bits(tc, i, 100));
        c.push({.id = i,
                .gen = 0,
                .pos_x = rng::unit(b) * side,
                .pos_y = rng::unit_low(b) * side,
                .vel_x = v.x,
                .vel_y = v.y,
                .energy = e,
                .birth_t = 0.0});
        w.creature_id_to_slot.push_back(i);
    }
    w.creature_next_id = n;

    const auto nf = static_cast<std::uint32_t>(
        std::llround(static_cast<double>(n) * static_cast<double>(cfg.initial_food_per_creature)));
    const std::uint64_t tf = rng::tick_key(w.rng_key, 0, rng::stream::init_food);
    for (std::uint32_t i = 0; i < nf; ++i) {
        const std::uint64_t b = rng::bits(tf, i, 0);
        w.food.push({.id = i,
                     .pos_x = rng::unit(b) * side,
                     .pos_y = rng::unit_low(b) * side,
                     .value = cfg.food_value});
        w.food_id_to_slot.push_back(i);
    }
    w.food_next_id = nf;

    w.food_spawner = make_spawners(cfg);

    if (cfg.sort_interval != 0) {
        spatial_sort_creatures(w);
        spatial_sort_food(w);
    }
    update_hungry(w);
    inspect(w);
    reserve_headroom(w);
    return w;
}

} // namespace ecosim
