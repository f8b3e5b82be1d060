// Tables and systems: the world at tick 0, invariants after every tick, swap-remove and id
// recycling, the eat query against a brute-force scan, the tick's order of events.

#include "support.hpp"

#include <ecosim/eat_query/eat_query.hpp>
#include <ecosim/eat_query/summary.hpp>
#include <ecosim/error.hpp>
#include <ecosim/event_rules.hpp>
#include <ecosim/kernels/grid_cell.hpp>
#include <ecosim/systems/systems.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

using namespace ecosim;
using ecosim_test::small_world;

TEST(World, CreatedWorldMatchesConfig) {
    const world w = small_world(5000);
    EXPECT_EQ(w.creature.size(), 5000u);
    EXPECT_EQ(w.food.size(), 6000u); // 1.2 per creature
    EXPECT_EQ(w.food_spawner.size(), 64u);
    EXPECT_EQ(w.food_spawner.region.size(), 4u * 64u);
    EXPECT_FLOAT_EQ(w.cfg.world_size, std::sqrt(5000.0f * 64.0f));
    EXPECT_EQ(w.tick, 0u);
    EXPECT_EQ(w.population.tick.size(), 1u);
    for (std::size_t i = 0; i < w.creature.size(); ++i) {
        ASSERT_GE(w.creature.pos_x[i], 0.0f);
        ASSERT_LE(w.creature.pos_x[i], w.cfg.world_size);
        const float speed = std::hypot(w.creature.vel_x[i], w.creature.vel_y[i]);
        ASSERT_GE(speed, w.cfg.speed_min * 0.999f);
        ASSERT_LE(speed, w.cfg.speed_max * 1.001f);
    }
    EXPECT_NO_THROW(check_invariants(w));
}

TEST(Column, OverAlignedElementsGetTheirAlignment) {
    // column's allocator uses plain operator new below 2 MiB: an alignas(64) element type must
    // still get 64-byte aligned storage (summary::food_list is alignas(32))
    struct alignas(64) wide {
        char c[64];
    };
    for (const std::size_t n : {1u, 3u, 100u, 40000u}) {
        column<wide> v(n);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % 64, 0u) << n << " elements";
    }
    column<summary::food_list> lists(5);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(lists.data()) % alignof(summary::food_list), 0u);
}

TEST(World, IdToSlotExactAfterEveryTick) {
    world w = small_world(3000);
    std::size_t births = 0, deaths = 0;
    for (int t = 0; t < 400; ++t) {
        step(w);
        ASSERT_NO_THROW(check_invariants(w)) << "after tick " << w.tick;
        for (std::size_t s = 0; s < w.creature.size(); ++s)
            ASSERT_EQ(w.creature_id_to_slot[w.creature.id[s]], s);
        for (std::size_t s = 0; s < w.food.size(); ++s)
            ASSERT_EQ(w.food_id_to_slot[w.food.id[s]], s);
        births = w.born.t.size();
        deaths = w.dead.t.size();
    }
    // the run exercised swap-remove and recycling, not just appends
    EXPECT_GT(births, 100u);
    EXPECT_GT(deaths, 100u);
    EXPECT_GT(w.eaten.t.size(), 1000u);
}

TEST(World, RecycledIdsGetTheirGenerationBumped) {
    world w = small_world(3000);
    run_until(w, 300);
    std::size_t recycled = 0;
    for (std::size_t s = 0; s < w.creature.size(); ++s) recycled += w.creature.gen[s] > 0;
    EXPECT_GT(recycled, 0u);
    // every id ever issued is either live or waiting in the free list, never both
    EXPECT_EQ(w.creature.size() + w.creature_free.size(), w.creature_next_id);
}

TEST(World, InvariantCheckCatchesABrokenIndex) {
    world w = small_world(500);
    std::swap(w.creature_id_to_slot[3], w.creature_id_to_slot[4]);
    EXPECT_THROW(check_invariants(w), std::runtime_error);
}

TEST(Systems, EatQueryMatchesBruteForce) {
    world w = small_world(2000);
    run_until(w, 20);
    // run the first half of a tick by hand, then check every eat decision
    food_spawn(w);
    motion(w);
    build_food_grid(w);
    next_event(w);
    const float r2 = w.cfg.eat_radius * w.cfg.eat_radius;
    std::size_t eats = 0, checked = 0;
    std::vector<std::uint32_t> decided(w.creature_next_id, no_id);
    for (std::size_t k = 0; k < w.pending_event.size(); ++k) {
        decided[w.pending_event.creature_id[k]] = w.pending_event.target_id[k];
    }
    for (std::size_t i = 0; i < w.creature.size(); ++i) {
        const std::uint32_t id = w.creature.id[i];
        if (event_rules(w.cfg).food_free_event(w.creature.energy[i])) continue; // never eats
        float best = r2;
        std::uint32_t best_id = no_id;
        for (std::size_t f = 0; f < w.food.size(); ++f) {
            const float dx = w.food.pos_x[f] - w.creature.pos_x[i];
            const float dy = w.food.pos_y[f] - w.creature.pos_y[i];
            const float d2 = dx * dx + dy * dy;
            if (d2 < best || (d2 == best && w.food.id[f] < best_id)) {
                best = d2;
                best_id = w.food.id[f];
            }
        }
        ++checked;
        if (best_id != no_id) ++eats;
        ASSERT_EQ(decided[id], best_id) << "creature " << id;
    }
    EXPECT_GT(eats, 5u);
    EXPECT_GT(checked, 1500u);
}

TEST(Systems, IncrementalFoodIndexEqualsFullRebuild) {
    // the index is scratch: a world that rebuilds it every tick must evolve identically
    world a = small_world(4000), b = small_world(4000);
    b.work.eat.always_rebuild = true;
    for (int t = 0; t < 300; ++t) {
        step(a);
        step(b);
        ASSERT_EQ(a.pending_event.target_id, b.pending_event.target_id) << "tick " << a.tick;
    }
    EXPECT_EQ(a.eaten.food_id, b.eaten.food_id);
    EXPECT_EQ(a.creature.energy, b.creature.energy);
    EXPECT_GT(a.work.eat.index.over_x.size(), 0u); // a really used its overflow
}

TEST(Systems, MergedOverflowIndexEqualsACountingSort) {
    // build_food_grid merges each tick's new food into the overflow's coarse index instead of
    // sorting it again: right after it (the tick's systems run by hand, the index checked
    // where next_event reads it) it must hold the live overflow entries in (cell, entry)
    // order, with exact cell starts and back-references. 20,000 creatures: more than 256
    // coarse cells, so the radix sort of the new entries takes two passes.
    world w = small_world(20000, 5), twin = small_world(20000, 5);
    const grid_geometry geo = overflow_geometry(w.cfg);
    const std::size_t cells = std::size_t{geo.side} * geo.side;
    ASSERT_GT(cells, 256u);
    std::size_t checked = 0, dead = 0, fresh = 0;
    for (int t = 0; t < 60; ++t) {
        food_spawn(w);
        motion(w);
        const std::size_t before = w.work.eat.index.over_merged;
        build_food_grid(w);
        const auto& g = w.work.eat.index;
        if (g.over_merged > before) fresh += g.over_merged - before;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> expect; // (cell, entry)
        for (std::uint32_t k = 0; k < g.over_x.size(); ++k) {
            if (g.over_x[k] == std::numeric_limits<float>::infinity()) {
                ++dead;
                ASSERT_EQ(g.over_where[k], no_slot);
            } else {
                expect.emplace_back(geo.cell_of(g.over_x[k], g.over_y[k]), k);
            }
        }
        std::sort(expect.begin(), expect.end());
        ASSERT_EQ(g.over_cell.size(), expect.size()) << "tick " << w.tick;
        ASSERT_EQ(g.over_start.size(), cells + 2);
        for (std::size_t q = 0; q < expect.size(); ++q) {
            const auto [cell, k] = expect[q];
            ASSERT_EQ(g.over_cell[q].id, g.over_id[k]) << "tick " << w.tick << ", entry " << q;
            ASSERT_EQ(g.over_cell[q].x, g.over_x[k]);
            ASSERT_EQ(g.over_where[k], q);
            ASSERT_LE(g.over_start[cell], q);
            ASSERT_GT(g.over_start[cell + 1], q);
        }
        ASSERT_EQ(g.over_start[cells], expect.size());
        checked += expect.size();
        next_event(w);
        apply_events(w);
        cleanup(w);
        ++w.tick;
        w.clock_us = static_cast<double>(w.tick) * dt_us(w.cfg);
        inspect(w);
        step(twin); // the hand-run tick is the real one
        ASSERT_EQ(w.eaten.food_id, twin.eaten.food_id) << "tick " << w.tick;
    }
    EXPECT_GT(checked, 20000u);
    EXPECT_GT(dead, 100u);   // food eaten from the overflow was dropped from the index
    EXPECT_GT(fresh, 4000u); // and new food merged in
}

TEST(Systems, PrefilterNeverDropsAnEat) {
    // pass 1 (window summaries, eat_query/summary.hpp) only decides which creatures pass 2 looks
    // at; a world that sends every creature to pass 2 must evolve identically, also for
    // summary cells barely wider than a reach box (grid_cell just over 4 reaches)
    struct shape {
        float grid_cell, eat_radius;
    };
    for (const shape sh :
         {shape{8.0f, 1.0f}, shape{4.2f, 1.0f}, shape{6.0f, 1.4f}, shape{16.0f, 0.3f}}) {
        config cfg = make_config(3000, 9);
        cfg.grid_cell = sh.grid_cell;
        cfg.eat_radius = sh.eat_radius;
        ASSERT_TRUE(summary::geometry(cfg).usable) << "grid_cell " << sh.grid_cell;
        world a = create_world(cfg), b = create_world(cfg);
        b.work.eat.no_prefilter = true;
        for (int t = 0; t < 200; ++t) {
            step(a);
            step(b);
            ASSERT_EQ(a.pending_event.target_id, b.pending_event.target_id)
                << "grid_cell " << sh.grid_cell << ", tick " << a.tick;
        }
        EXPECT_EQ(a.eaten.food_id, b.eaten.food_id);
        EXPECT_GT(a.eaten.food_id.size(), 50u) << "grid_cell " << sh.grid_cell;
    }
}

TEST(Systems, IncrementalSummariesEqualAFreshBuild) {
    // the window summaries are built once and then kept exact as food comes and goes (a fifth
    // food moves a window's slots to a list, past list_size it is full, and a full window is
    // counted afresh when food leaves it): after many ticks every window holds the same slots
    // as one built from scratch, and is full exactly when that one is. Windows of the default
    // size (1.2 food on average) and of 24 units (10.5: many lists and full windows).
    for (const float cell : {8.0f, 24.0f}) {
        config cfg = make_config(4000, 3);
        cfg.grid_cell = cell;
        world a = create_world(cfg);
        run_until(a, 400);
        world b = a;
        b.work.eat.index.ready = false;
        build_food_grid(b);
        ASSERT_EQ(a.work.eat.summaries.cells.size(), b.work.eat.summaries.cells.size());
        std::size_t full = 0, lists = 0, held = 0;
        auto slots = [](const world& w, std::uint64_t v) {
            std::vector<std::uint16_t> out;
            if (summary::is_list(v)) {
                const summary::food_list& l = w.work.eat.summaries.lists[summary::list_index(v)];
                out.assign(l.slot, l.slot + l.count);
            } else {
                for (int j = 0; j < 64; j += 16)
                    if (const auto s = static_cast<std::uint16_t>(v >> j); s != summary::empty_slot)
                        out.push_back(s);
            }
            std::sort(out.begin(), out.end());
            return out;
        };
        for (std::size_t k = 0; k < a.work.eat.summaries.cells.size(); ++k) {
            const std::uint64_t x = a.work.eat.summaries.cells[k],
                                y = b.work.eat.summaries.cells[k];
            ASSERT_EQ(x == summary::full, y == summary::full)
                << "cell " << cell << ", window " << k;
            if (y == summary::full) {
                ++full;
                continue;
            }
            ASSERT_EQ(summary::is_list(x), summary::is_list(y))
                << "cell " << cell << ", window " << k;
            lists += summary::is_list(y);
            ASSERT_EQ(slots(a, x), slots(b, y)) << "cell " << cell << ", window " << k;
            held += slots(b, y).size();
        }
        EXPECT_GT(lists, 10u) << "cell " << cell;
        // every list is either in use by exactly one window or free, once
        std::vector<int> uses(a.work.eat.summaries.lists.size(), 0);
        for (const std::uint64_t v : a.work.eat.summaries.cells)
            if (summary::is_list(v)) ++uses.at(summary::list_index(v));
        for (const std::uint32_t f : a.work.eat.summaries.lists_free) ++uses.at(f);
        for (std::size_t q = 0; q < uses.size(); ++q) ASSERT_EQ(uses[q], 1) << "list " << q;
        if (cell > 8.0f) {
            EXPECT_GT(full, 10u); // the recount path was needed
        } else {
            EXPECT_GT(held, a.food.size()); // most food sits in more than one window
        }
        EXPECT_GT(a.eaten.t.size(), 1000u);
    }
}

TEST(Systems, EventsAreSortedByTimeThenCreatureId) {
    world w = small_world(3000);
    run_until(w, 50);
    for (int t = 0; t < 20; ++t) {
        step(w);
        const auto& pe = w.pending_event;
        ASSERT_GT(pe.size(), 0u);
        for (std::size_t k = 1; k < pe.size(); ++k) {
            const bool ordered =
                pe.t[k - 1] < pe.t[k] ||
                (pe.t[k - 1] == pe.t[k] && pe.creature_id[k - 1] < pe.creature_id[k]);
            ASSERT_TRUE(ordered) << "event " << k;
            // sub-tick timestamps lie within the tick just completed
            ASSERT_GE(pe.t[k], static_cast<double>(w.tick - 1) * dt_us(w.cfg));
            ASSERT_LE(pe.t[k], static_cast<double>(w.tick) * dt_us(w.cfg));
        }
    }
}

TEST(Systems, FissionSplitsEnergyAndConsumesParent) {
    world w = small_world(3000);
    for (int t = 0; t < 300 && w.born.t.empty(); ++t) step(w);
    ASSERT_FALSE(w.born.t.empty());
    // every birth of the tick just completed: parent gone, two live children sharing its energy
    for (std::size_t k = 0; k < w.born.t.size(); ++k) {
        const std::uint32_t parent = w.born.parent_id[k];
        const std::uint32_t kids[2] = {w.born.child_a[k], w.born.child_b[k]};
        EXPECT_EQ(w.creature_id_to_slot[parent], no_slot);
        EXPECT_NE(kids[0], kids[1]);
        EXPECT_GE(w.born.energy[k] * 2.0f, w.cfg.reproduce_energy);
        for (std::uint32_t kid : kids) {
            const std::uint32_t slot = w.creature_id_to_slot[kid];
            ASSERT_NE(slot, no_slot);
            EXPECT_EQ(w.creature.energy[slot], w.born.energy[k]);
            EXPECT_EQ(w.creature.birth_t[slot], w.born.t[k]);
            EXPECT_EQ(w.creature.hunger_buildup[slot], 0.0f);
        }
    }
}

TEST(Systems, FoodSpawnCarriesTheFraction) {
    world w = small_world(1000);
    const auto before = w.food_next_id;
    const float owed = w.food_spawner.rate[0] * static_cast<float>(w.cfg.dt);
    ASSERT_LT(owed, 1.0f); // 1,000 creatures: each spawner owes a fraction per tick
    food_spawn(w);
    EXPECT_FLOAT_EQ(w.food_spawner.carry[0], owed);
    // all 64 spawners owe the same fraction: none spawned on the first tick
    EXPECT_EQ(w.food_next_id, before);
}

TEST(Systems, MotionStaysInsideTheWorld) {
    world w = small_world(2000);
    for (int t = 0; t < 600; ++t) {
        motion(w);
        ++w.tick;
    }
    for (std::size_t i = 0; i < w.creature.size(); ++i) {
        ASSERT_GE(w.creature.pos_x[i], 0.0f);
        ASSERT_LE(w.creature.pos_x[i], w.cfg.world_size);
        ASSERT_GE(w.creature.pos_y[i], 0.0f);
        ASSERT_LE(w.creature.pos_y[i], w.cfg.world_size);
    }
}

TEST(Systems, FoodIdToSlotStaysExactWhileEatenFoodAwaitsCleanup) {
    // apply_eat marks a food taken in apply_events' own scratch, not in the persisted map: between
    // apply_events and cleanup every eaten food's entry still names its row
    world w = small_world(3000);
    run_until(w, 20);
    std::size_t eaten = 0;
    for (int t = 0; t < 10; ++t) {
        food_spawn(w);
        motion(w);
        build_food_grid(w);
        next_event(w);
        apply_events(w);
        for (const std::uint32_t id : w.food_to_remove) {
            const std::uint32_t slot = w.food_id_to_slot[id];
            ASSERT_LT(slot, w.food.size()) << "food " << id;
            ASSERT_EQ(w.food.id[slot], id);
            ++eaten;
        }
        for (const std::uint64_t word : w.work.food_taken) ASSERT_EQ(word, 0u); // all cleared
        cleanup(w);
        ++w.tick;
        w.clock_us = static_cast<double>(w.tick) * dt_us(w.cfg);
        inspect(w);
        check_invariants(w);
    }
    EXPECT_GT(eaten, 50u);
}

TEST(Systems, MotionsPrefilterHookKeepsEveryCandidateWithAnEvent) {
    // pass 1 runs fused into motion (eat_query/prefilter.hpp: box, disk and list tests) or on
    // its own in find_eat_candidates() (the box test only): the hook's candidates are a subset,
    // in order and with the same values, and every creature it drops has no event
    world w = small_world(3000);
    run_until(w, 10);
    const event_rules rules(w.cfg);
    std::size_t dropped = 0;
    for (int t = 0; t < 5; ++t) {
        food_spawn(w);
        const prefilter_result pre = motion(w);
        build_food_grid(w);
        world twin = w;
        ASSERT_TRUE(pre.ran); // the hook ran
        // twin: as if it had not
        const eat_candidates a = find_eat_candidates(w, pre), b = find_eat_candidates(twin);
        ASSERT_GT(a.size, 10u);
        std::size_t j = 0;
        for (std::size_t k = 0; k < b.size; ++k) {
            if (j < a.size && a.slot[j] == b.slot[k]) {
                ASSERT_EQ(a.energy[j], b.energy[k]);
                ASSERT_EQ(a.best_id[j], b.best_id[k]);
                ++j;
                continue;
            }
            event_kind kind{};
            ASSERT_FALSE(rules.decide(b.energy[k], b.best_id[k] != no_id, kind))
                << "slot " << b.slot[k];
            ++dropped;
        }
        ASSERT_EQ(j, a.size) << "the hook kept a creature the box test dropped";
        next_event(w); // without the hook's result next_event runs pass 1 itself
        apply_events(w);
        cleanup(w);
        ++w.tick;
        w.clock_us = static_cast<double>(w.tick) * dt_us(w.cfg);
        inspect(w);
    }
    EXPECT_GT(dropped, 0u);
}

TEST(Systems, FoodSpawnRefusesToPassTheTableCapacityBeforeChangingAnything) {
    // a finite but huge rate (valid: check_invariants only asks finite and >= 0) would owe more
    // food than a table may hold; the whole spawn is refused, with the world as it was
    world w = small_world(500);
    run_until(w, 3);
    w.food_spawner.rate[0] = 1e30f;
    const world before = w;
    try {
        food_spawn(w);
        ADD_FAILURE() << "spawned";
    } catch (const ecosim::error& e) {
        EXPECT_EQ(e.code(), errc::capacity) << e.what();
        EXPECT_EQ(e.where(), "food");
    }
    EXPECT_EQ(w.food.id, before.food.id);
    EXPECT_EQ(w.food_spawner.carry, before.food_spawner.carry);
}
