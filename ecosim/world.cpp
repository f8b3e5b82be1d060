/// @file world.cpp
/// @brief Table helpers, the world at tick 0, and the structural invariant check.

#include <ecosim/rng.hpp>
#include <ecosim/systems/heading.hpp>
#include <ecosim/systems/systems.hpp>
#include <ecosim/world.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <sys/mman.h>

namespace ecosim {

void creature_table::clear() {
    id.clear(); gen.clear(); pos_x.clear(); pos_y.clear(); vel_x.clear(); vel_y.clear();
    energy.clear(); birth_t.clear(); hunger_buildup.clear();
}

void creature_table::reserve(std::size_t n) {
    id.reserve(n); gen.reserve(n); pos_x.reserve(n); pos_y.reserve(n); vel_x.reserve(n);
    vel_y.reserve(n); energy.reserve(n); birth_t.reserve(n); hunger_buildup.reserve(n);
}

void creature_table::push_row(const creature_table& s, std::size_t i) {
    id.push_back(s.id[i]); gen.push_back(s.gen[i]);
    pos_x.push_back(s.pos_x[i]); pos_y.push_back(s.pos_y[i]);
    vel_x.push_back(s.vel_x[i]); vel_y.push_back(s.vel_y[i]);
    energy.push_back(s.energy[i]); birth_t.push_back(s.birth_t[i]);
    hunger_buildup.push_back(s.hunger_buildup[i]);
}

namespace {
template <typename T> void move_last(column<T>& v, std::size_t slot) {
    v[slot] = v.back();
    v.pop_back();
}
} // namespace

void creature_table::swap_remove(std::size_t s) {
    move_last(id, s); move_last(gen, s); move_last(pos_x, s); move_last(pos_y, s);
    move_last(vel_x, s); move_last(vel_y, s); move_last(energy, s); move_last(birth_t, s);
    move_last(hunger_buildup, s);
}

void food_table::swap_remove(std::size_t s) {
    move_last(id, s); move_last(pos_x, s); move_last(pos_y, s); move_last(value, s);
}

void event_table::clear() {
    t.clear(); kind.clear(); creature_id.clear(); target_id.clear();
}

namespace {
/// madvise(MADV_NOHUGEPAGE) over the capacity of columns that huge_page_allocator placed on
/// 2 MiB boundaries (advisory: a failure only costs speed; values are never affected).
template <typename... C> void no_huge_pages(C&... cols) {
    auto one = [](auto& col) {
        using T = typename std::remove_reference_t<decltype(col)>::value_type;
        const std::size_t bytes = col.capacity() * sizeof(T);
        if (bytes < huge_page_allocator<T>::huge) return; // operator new memory: leave it
#ifdef MADV_NOHUGEPAGE
        ::madvise(col.data(), bytes & ~std::size_t{4095}, MADV_NOHUGEPAGE);
#endif
    };
    (one(cols), ...);
}
} // namespace

void reserve_headroom(world& w) {
    const std::size_t nc = w.creature.size() + w.creature.size() / 2 + 1024;
    w.creature.reserve(nc);
    w.creature_id_to_slot.reserve(nc);
    const std::size_t nf = w.food.size() + w.food.size() / 2 + 1024;
    w.food.id.reserve(nf);
    w.food.pos_x.reserve(nf);
    w.food.pos_y.reserve(nf);
    w.food.value.reserve(nf);
    w.food_id_to_slot.reserve(nf);
    w.hungry.reserve(nc);
    // logs: address space for thousands of ticks of events at the default rates (per tick
    // about 0.5 % of the creatures eat, 0.04 % split, 0.04 % starve), so that no tick of an
    // ordinary run doubles a log: a doubling copies the whole log inside one tick (24 ms at
    // 1 M creatures after 200 ticks). Reserved pages are only faulted in as rows are
    // appended, so this costs address space, not memory.
    auto reserve_more = [](auto& col, std::size_t extra) { col.reserve(col.size() + extra); };
    const std::size_t n = w.creature.size();
    const std::size_t eats = 16 * n, births = 2 * n; // ~3,200 / ~5,000 ticks
    for (auto* c : {&w.eaten.creature_id, &w.eaten.food_id}) reserve_more(*c, eats);
    reserve_more(w.eaten.t, eats);
    reserve_more(w.eaten.energy, eats);
    reserve_more(w.born.t, births);
    reserve_more(w.born.energy, births);
    for (auto* c : {&w.born.parent_id, &w.born.child_a, &w.born.child_b}) reserve_more(*c, births);
    reserve_more(w.dead.t, births);
    reserve_more(w.dead.creature_id, births);
    reserve_more(w.dead.energy, births);
    // ... and on small pages: the logs are only appended to, so huge pages buy nothing there,
    // while faulting in a fresh huge page can stall a tick for 10+ ms (the kernel zeroes, and
    // may first compact, 2 MiB at once); small pages spread that over the ticks
    no_huge_pages(w.eaten.t, w.eaten.creature_id, w.eaten.food_id, w.eaten.energy, w.born.t,
                  w.born.parent_id, w.born.child_a, w.born.child_b, w.born.energy, w.dead.t,
                  w.dead.creature_id, w.dead.energy);
}

namespace {
void check_config(const config& c) {
    auto bad = [](const std::string& what) { throw std::runtime_error("invalid config: " + what); };
    if (!(c.world_size > 0.0f) || !std::isfinite(c.world_size)) bad("world_size must be > 0");
    if (!(c.dt > 0.0) || !std::isfinite(c.dt)) bad("dt must be > 0");
    if (!(c.eat_radius > 0.0f)) bad("eat_radius must be > 0");
    if (!(c.grid_cell >= c.eat_radius)) bad("grid_cell must be >= eat_radius");
    const double side = std::ceil(static_cast<double>(c.world_size) / c.grid_cell);
    if (side > 16384.0) bad("world_size / grid_cell > 16384 (grid too large)");
    if (c.spawners_per_side < 1 || c.spawners_per_side > 16) bad("spawners_per_side must be 1..16");
    if (!(c.speed_min >= 0.0f) || !(c.speed_max >= c.speed_min)) bad("need 0 <= speed_min <= speed_max");
    if (!(c.reproduce_energy > 0.0f)) bad("reproduce_energy must be > 0");
}
} // namespace

world create_world(const config& cfg) {
    check_config(cfg);
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
        c.id.push_back(i);
        c.gen.push_back(0);
        c.pos_x.push_back(rng::unit(b) * side);
        c.pos_y.push_back(rng::unit_low(b) * side);
        c.vel_x.push_back(v.x);
        c.vel_y.push_back(v.y);
        c.energy.push_back(e);
        c.birth_t.push_back(0.0);
        c.hunger_buildup.push_back(0.0f);
        w.creature_id_to_slot.push_back(i);
    }
    w.creature_next_id = n;

    const auto nf = static_cast<std::uint32_t>(
        std::llround(static_cast<double>(n) * static_cast<double>(cfg.initial_food_per_creature)));
    const std::uint64_t tf = rng::tick_key(w.rng_key, 0, rng::stream::init_food);
    for (std::uint32_t i = 0; i < nf; ++i) {
        const std::uint64_t b = rng::bits(tf, i, 0);
        w.food.id.push_back(i);
        w.food.pos_x.push_back(rng::unit(b) * side);
        w.food.pos_y.push_back(rng::unit_low(b) * side);
        w.food.value.push_back(cfg.food_value);
        w.food_id_to_slot.push_back(i);
    }
    w.food_next_id = nf;

    const std::uint32_t k = cfg.spawners_per_side;
    const float cell = side / static_cast<float>(k);
    for (std::uint32_t j = 0; j < k; ++j) {
        for (std::uint32_t i = 0; i < k; ++i) {
            const float x0 = static_cast<float>(i) * cell, y0 = static_cast<float>(j) * cell;
            const float x1 = i + 1 == k ? side : static_cast<float>(i + 1) * cell;
            const float y1 = j + 1 == k ? side : static_cast<float>(j + 1) * cell;
            w.food_spawner.id.push_back(static_cast<std::uint8_t>(j * k + i));
            w.food_spawner.region.insert(w.food_spawner.region.end(), {x0, y0, x1, y1});
            w.food_spawner.rate.push_back(cfg.food_per_area_per_second * (x1 - x0) * (y1 - y0));
            w.food_spawner.carry.push_back(0.0f);
        }
    }

    if (cfg.sort_interval != 0) {
        spatial_sort_creatures(w);
        spatial_sort_food(w);
    }
    update_hungry(w);
    inspect(w);
    reserve_headroom(w);
    return w;
}

void check_invariants(const world& w) {
    auto fail = [](const std::string& what) { throw std::runtime_error("invariant broken: " + what); };
    check_config(w.cfg);
    const auto& c = w.creature;
    const std::size_t n = c.size();
    if (c.gen.size() != n || c.pos_x.size() != n || c.pos_y.size() != n || c.vel_x.size() != n ||
        c.vel_y.size() != n || c.energy.size() != n || c.birth_t.size() != n ||
        c.hunger_buildup.size() != n)
        fail("creature columns have unequal lengths");
    if (w.creature_id_to_slot.size() != w.creature_next_id)
        fail("creature_id_to_slot has " + std::to_string(w.creature_id_to_slot.size()) +
             " entries, creature_next_id is " + std::to_string(w.creature_next_id));
    for (std::size_t s = 0; s < n; ++s) {
        const std::uint32_t id = c.id[s];
        if (id >= w.creature_next_id) fail("creature id " + std::to_string(id) + " >= next id");
        if (w.creature_id_to_slot[id] != s)
            fail("creature_id_to_slot[" + std::to_string(id) + "] = " +
                 std::to_string(w.creature_id_to_slot[id]) + ", row is at slot " + std::to_string(s));
    }
    std::size_t mapped = 0;
    for (std::uint32_t slot : w.creature_id_to_slot) {
        if (slot == no_slot) continue;
        if (slot >= n) fail("creature_id_to_slot points past the table");
        ++mapped;
    }
    if (mapped != n) fail("creature_id_to_slot maps " + std::to_string(mapped) + " ids for " +
                          std::to_string(n) + " rows");
    if (w.creature_free.gen.size() != w.creature_free.id.size())
        fail("creature_free_ids columns have unequal lengths");
    {
        std::vector<bool> seen(w.creature_next_id, false);
        for (std::uint32_t id : w.creature_free.id) {
            if (id >= w.creature_next_id || w.creature_id_to_slot[id] != no_slot || seen[id])
                fail("free creature id " + std::to_string(id) + " is live, listed twice or never issued");
            seen[id] = true;
        }
    }
    if (mapped + w.creature_free.size() != w.creature_next_id)
        fail("creature ids: live + free != issued");

    const auto& f = w.food;
    const std::size_t nf = f.size();
    if (f.pos_x.size() != nf || f.pos_y.size() != nf || f.value.size() != nf)
        fail("food columns have unequal lengths");
    if (w.food_id_to_slot.size() != w.food_next_id) fail("food_id_to_slot size != food_next_id");
    for (std::size_t s = 0; s < nf; ++s) {
        const std::uint32_t id = f.id[s];
        if (id >= w.food_next_id) fail("food id >= next id");
        if (w.food_id_to_slot[id] != s)
            fail("food_id_to_slot[" + std::to_string(id) + "] != " + std::to_string(s));
    }
    std::size_t fmapped = 0;
    for (std::uint32_t slot : w.food_id_to_slot) {
        if (slot == no_slot) continue;
        if (slot >= nf) fail("food_id_to_slot points past the table");
        ++fmapped;
    }
    if (fmapped != nf) fail("food_id_to_slot maps a different number of ids than rows");
    {
        std::vector<bool> seen(w.food_next_id, false);
        for (std::uint32_t id : w.food_free) {
            if (id >= w.food_next_id || w.food_id_to_slot[id] != no_slot || seen[id])
                fail("free food id " + std::to_string(id) + " is live, listed twice or never issued");
            seen[id] = true;
        }
    }
    if (fmapped + w.food_free.size() != w.food_next_id) fail("food ids: live + free != issued");

    const auto& sp = w.food_spawner;
    if (sp.region.size() != 4 * sp.size() || sp.rate.size() != sp.size() || sp.carry.size() != sp.size())
        fail("food_spawner columns have unequal lengths");
    const auto& pe = w.pending_event;
    if (pe.kind.size() != pe.size() || pe.creature_id.size() != pe.size() || pe.target_id.size() != pe.size())
        fail("pending_event columns have unequal lengths");
    for (std::uint8_t k : pe.kind)
        if (k > 2) fail("pending_event kind " + std::to_string(k) + " unknown");
    if (!w.creature_to_remove.empty() || w.creature_to_insert.size() != 0 || !w.food_to_remove.empty())
        fail("cleanup buffers are not empty at a tick boundary");
    {
        std::size_t k = 0;
        for (std::size_t s = 0; s < n; ++s) {
            if (!(c.energy[s] < w.cfg.hunger_line)) continue;
            if (k >= w.hungry.size() || w.hungry[k] != c.id[s])
                fail("hungry table differs from the creatures below hunger_line at slot " +
                     std::to_string(s));
            ++k;
        }
        if (k != w.hungry.size()) fail("hungry table lists creatures that are not hungry");
    }
    const auto& p = w.population;
    if (p.t.size() != p.tick.size() || p.creatures.size() != p.tick.size() || p.food.size() != p.tick.size())
        fail("population columns have unequal lengths");
    if (w.eaten.creature_id.size() != w.eaten.t.size() || w.eaten.food_id.size() != w.eaten.t.size() ||
        w.eaten.energy.size() != w.eaten.t.size())
        fail("eaten columns have unequal lengths");
    if (w.born.parent_id.size() != w.born.t.size() || w.born.child_a.size() != w.born.t.size() ||
        w.born.child_b.size() != w.born.t.size() || w.born.energy.size() != w.born.t.size())
        fail("born columns have unequal lengths");
    if (w.dead.creature_id.size() != w.dead.t.size() || w.dead.energy.size() != w.dead.t.size())
        fail("dead columns have unequal lengths");
    if (w.schema != schema_version) fail("schema_version in memory is not current");
}

} // namespace ecosim
