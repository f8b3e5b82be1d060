/// @file cleanup.cpp
/// @brief System 5: structural changes at the tick boundary, in a defined order:
///   1. creature removals, in the order they were pushed (event order), by swap-remove;
///      each freed id goes to the free list with the gen of its last row;
///   2. creature inserts appended in the order they were pushed;
///   3. food removals, in push order, by swap-remove; freed ids to the food free list;
///   4. every sort_interval ticks the spatial sort of the creature rows (when the tick being
///      completed is a multiple of it) and, half an interval later, of the food rows
///      (spatial_sort.cpp);
///   5. the hungry table from energy (every crossing of hunger_line since the last tick).
/// id_to_slot stays exact after each single step.

#include <ecosim/eat_query/eat_query.hpp>
#include <ecosim/kernels/compact.hpp>
#include <ecosim/kernels/prefetch.hpp>
#include <ecosim/systems/systems.hpp>

namespace ecosim {

void update_hungry(world& w) {
    // selected into a scratch buffer that keeps its size from tick to tick (resizing the table
    // itself up to every row and back would zero-fill megabytes each tick), then copied
    const auto& c = w.creature;
    auto& buf = w.work.hungry_select;
    if (buf.size() < c.size() + 16) buf.resize(c.size() + 16); // may write 16 past the last id
    const std::size_t k = select_ids_below(c.energy.data(), c.id.data(), c.size(),
                                           w.cfg.hunger_line, buf.data(), w.work.isa_level);
    w.hungry.assign(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(k));
}

/// Food removals, in push order, from the table and then from the eat query's index (which
/// pipelines its own misses). Each touches lines of million-row arrays that are cache misses,
/// the row depending on the id's map entry, so every removal requests them in stages for the
/// removals `d` and 2 `d` places later: the misses of different removals overlap, and what was
/// requested is still in cache when it is used.
void remove_food(world& w, bool free_ids) {
    auto& f = w.food;
    auto& fmap = w.food_id_to_slot;
    const std::uint32_t* ids = w.food_to_remove.data();
    const std::size_t n = w.food_to_remove.size();
    constexpr std::size_t d = 8;
    auto request = [&](std::size_t k, int stage) {
        if (k >= n) return;
        if (stage == 0) {
            prefetch(&fmap[ids[k]]);
        } else if (stage == 1) { // the row that swap-remove overwrites, every column
            const std::uint32_t slot = fmap[ids[k]];
            if (slot >= f.size()) return;
            food_table::for_each_column([&](auto def) { prefetch(&(f.*def.member)[slot]); });
        }
    };
    for (int stage = 0; stage < 2; ++stage)
        for (std::size_t k = 0; k < static_cast<std::size_t>(2 - stage) * d; ++k) request(k, stage);
    for (std::size_t k = 0; k < n; ++k) {
        request(k + 2 * d, 0);
        request(k + d, 1);
        const std::uint32_t id = ids[k];
        swap_remove_id(f, fmap, id, fmap[id]);
        if (free_ids) w.food_free.push_back(id);
    }
    food_index_remove_all(w, ids, n);
    w.food_to_remove.clear();
}

void remove_creatures(world& w, bool free_ids) {
    auto& c = w.creature;
    auto& cmap = w.creature_id_to_slot;
    for (const std::uint32_t id : w.creature_to_remove) {
        const std::uint32_t slot = cmap[id];
        if (free_ids) w.creature_free.push({.id = id, .gen = c.gen[slot]});
        swap_remove_id(c, cmap, id, slot);
    }
    w.creature_to_remove.clear();
}

void insert_creatures(world& w) {
    auto& c = w.creature;
    const auto& ins = w.creature_to_insert;
    for (std::size_t i = 0; i < ins.size(); ++i) {
        w.creature_id_to_slot[ins.id[i]] = static_cast<std::uint32_t>(c.size());
        c.push_row(ins, i);
    }
    w.creature_to_insert.clear();
}

void sort_on_schedule(world& w) {
    const std::uint64_t every = w.cfg.sort_interval;
    if (every != 0 && (w.tick + 1) % every == 0) spatial_sort_creatures(w);
    if (every != 0 && (w.tick + 1) % every == every / 2) spatial_sort_food(w);
}

void cleanup(world& w) {
    remove_creatures(w, true);
    insert_creatures(w);
    remove_food(w, true);
    sort_on_schedule(w);
    update_hungry(w);
}

} // namespace ecosim
