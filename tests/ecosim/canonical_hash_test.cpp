// The canonical world hash (ecosim/canonical_hash.hpp): blind to slot order, sensitive to every
// value, scalar and log row, equal across snapshot -> load, and equal for a world stepped from a
// permuted copy (the slot-order independence that sharding relies on, docs/SHARDING.md).

#include "support.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/members.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/systems/systems.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

using namespace ecosim;

namespace {

/// Row r of @p t becomes its old row order[r].
template <typename Table> void permute_rows(Table& t, const std::vector<std::size_t>& order) {
    Table p;
    for (const std::size_t i : order) p.push_row(t, i);
    t = std::move(p);
}

/// The same for a table with an id -> slot map, which follows.
template <typename Table>
void permute_rows(Table& t, const std::vector<std::size_t>& order,
                  column<std::uint32_t>& id_to_slot) {
    permute_rows(t, order);
    for (std::size_t r = 0; r < t.size(); ++r) id_to_slot[t.id[r]] = static_cast<std::uint32_t>(r);
}

/// A scramble of 0..n-1: reversed, then rotated by a third.
std::vector<std::size_t> scramble(std::size_t n) {
    std::vector<std::size_t> o(n);
    std::iota(o.rbegin(), o.rend(), std::size_t{0});
    std::rotate(o.begin(), o.begin() + static_cast<std::ptrdiff_t>(n / 3), o.end());
    return o;
}

/// A copy of @p w with the creature and food rows scrambled (id_to_slot and hungry rewritten
/// to match, so that it is a valid world) and fresh scratch memory.
world permuted_copy(const world& w) {
    world p = w;
    p.work = scratch{};
    permute_rows(p.creature, scramble(p.creature.size()), p.creature_id_to_slot);
    permute_rows(p.food, scramble(p.food.size()), p.food_id_to_slot);
    update_hungry(p);
    return p;
}

/// The same with the spawners, the event table and the logs stored in another order too (as a
/// merge of per-rank tables may store them): not a world to step (check_invariants wants the
/// spawners in the config's order, and pending_event is documented as sorted).
world permuted_storage(const world& w) {
    world p = permuted_copy(w);
    permute_rows(p.food_spawner, scramble(p.food_spawner.size()));
    permute_rows(p.pending_event, scramble(p.pending_event.size()));
    permute_rows(p.eaten, scramble(p.eaten.size()));
    permute_rows(p.born, scramble(p.born.size()));
    permute_rows(p.dead, scramble(p.dead.size()));
    permute_rows(p.population, scramble(p.population.size()));
    return p;
}

world after(std::uint64_t ticks, std::uint32_t creatures = 3000, std::uint64_t seed = 7) {
    world w = ecosim_test::small_world(creatures, seed);
    run_until(w, ticks);
    return w;
}

/// A world old enough to have every kind of log row and recycled ids of both tables (built once).
const world& lived() {
    static const world w = after(400, 6000);
    return w;
}

template <typename T> void bump(T& v) { v = static_cast<T>(v + 1); }

/// Changes one member of a world (the target-th column, id list or scalar of for_each_member):
/// its first value, or, when it is empty, adds a row. `name` says which one it was.
struct mutate_one {
    std::size_t target;
    std::size_t seen = 0;
    std::string name;
    bool hit(const std::string& n) {
        if (seen++ != target) return false;
        name = n;
        return true;
    }
    template <typename Table> void table(const char* t, Table& tab) {
        Table::for_each_column([&](auto def) {
            if (!hit(std::string(t) + "/" + def.name)) return;
            auto& col = tab.*def.member;
            if (!col.empty()) return bump(col[0]);
            if constexpr (!std::is_same_v<Table, spawner_table>) tab.push(typename Table::row{});
        });
    }
    template <typename T> void column(const char* t, const char* c, ecosim::column<T>& v) {
        if (!hit(std::string(t) + "/" + c)) return;
        if (v.empty()) v.push_back(T{});
        else bump(v[0]);
    }
    void schema_version(const char* t, const char* c, std::uint32_t& v) { scalar(t, c, v); }
    template <typename T> void scalar(const char* t, const char* c, T& v) {
        if (hit(std::string(t) + "/" + c)) bump(v);
    }
    template <typename T> void config_value(const config_field<T>& f, T& v) {
        scalar("config", f.name, v);
    }
};

} // namespace

TEST(CanonicalHash, IsBlindToSlotOrder) {
    const world& w = lived();
    const world p = permuted_copy(w);
    ASSERT_NO_THROW(check_invariants(p));
    EXPECT_NE(world_hash(p), world_hash(w)) << "the copy is not permuted";
    EXPECT_EQ(canonical_hash(p), canonical_hash(w));
    // the event table and the logs stored in another order too
    const world q = permuted_storage(w);
    ASSERT_GT(q.eaten.size(), 2u);
    ASSERT_GT(q.born.size(), 2u);
    ASSERT_GT(q.dead.size(), 2u);
    EXPECT_NE(world_hash(q), world_hash(p));
    EXPECT_EQ(canonical_hash(q), canonical_hash(w));
}

TEST(CanonicalHash, OrdersRowsWithEqualKeysByTheirValues) {
    // two meals of one creature at one time (a tick's last instant is the next one's first),
    // stored in either order
    world a = lived(), b = lived();
    const eaten_log::row one{.t = 1.0, .creature_id = 3, .food_id = 5, .energy = 20.0f};
    eaten_log::row two = one;
    two.food_id = 6;
    a.eaten.push(one);
    a.eaten.push(two);
    b.eaten.push(two);
    b.eaten.push(one);
    EXPECT_EQ(canonical_hash(a), canonical_hash(b));
    EXPECT_NE(canonical_hash(a), canonical_hash(lived()));
}

TEST(CanonicalHash, ChangesWithEveryMemberButTheSlotMaps) {
    const world w = after(30);
    const colsnap::digest base = canonical_hash(w);
    std::size_t members = 0, changed = 0;
    for (std::size_t k = 0;; ++k) {
        world m = w;
        mutate_one v{k, 0, {}};
        for_each_member(m, v);
        if (k >= v.seen) break; // past the last member
        ++members;
        const bool slots = v.name.ends_with("_id_to_slot/slot");
        if (slots) {
            EXPECT_EQ(canonical_hash(m), base) << v.name << " holds slots only";
            continue;
        }
        EXPECT_NE(canonical_hash(m), base) << "a change of " << v.name << " is not seen";
        ++changed;
    }
    EXPECT_GT(members, 60u); // every table column, id list, scalar and config field
    EXPECT_EQ(changed, members - 2);
}

TEST(CanonicalHash, ChangesWithTheOrderOfTheFreeLists) {
    // which id is issued next is state: the free lists are sequences, not sets
    const world& w = lived();
    ASSERT_GE(w.creature_free.size(), 2u);
    ASSERT_GE(w.food_free.size(), 2u);
    world a = w;
    std::swap(a.creature_free.id[0], a.creature_free.id[1]);
    std::swap(a.creature_free.gen[0], a.creature_free.gen[1]);
    EXPECT_NE(canonical_hash(a), canonical_hash(w));
    world b = w;
    std::swap(b.food_free[0], b.food_free[1]);
    EXPECT_NE(canonical_hash(b), canonical_hash(w));
}

TEST(CanonicalHash, ChangesWithALogRow) {
    const world& w = lived();
    ASSERT_FALSE(w.eaten.size() == 0 || w.born.size() == 0 || w.dead.size() == 0);
    const colsnap::digest base = canonical_hash(w);
    world a = w; // a meal more: the same row twice
    a.eaten.push_row(w.eaten, 0);
    EXPECT_NE(canonical_hash(a), base);
    world b = w; // one meal's energy (not its key) differs
    b.eaten.energy[b.eaten.size() - 1] += 1.0f;
    EXPECT_NE(canonical_hash(b), base);
    world c = w;
    c.born.child_b[0] += 1;
    EXPECT_NE(canonical_hash(c), base);
    world d = w;
    d.dead.energy[0] -= 1.0f;
    EXPECT_NE(canonical_hash(d), base);
    world e = w;
    e.population.food[3] += 1;
    EXPECT_NE(canonical_hash(e), base);
}

TEST(CanonicalHash, SurvivesSnapshotAndLoad) {
    test_common::temp_dir dir;
    const world w = after(50);
    snapshot(w, dir / "s.npz");
    const world r = load(dir / "s.npz");
    EXPECT_EQ(canonical_hash(r), canonical_hash(w));
}

TEST(CanonicalHash, AResumedRunGivesTheUnpausedHash) {
    test_common::temp_dir dir;
    const colsnap::digest unpaused = canonical_hash(after(120));
    const world w = after(55);
    snapshot(w, dir / "s.npz");
    world r = load(dir / "s.npz");
    run_until(r, 120);
    EXPECT_EQ(canonical_hash(r), unpaused);
}

TEST(CanonicalHash, APermutedWorldStepsToTheSameWorld) {
    // every rule is independent of slot order (docs/SHARDING.md): stepping a scrambled copy
    // gives the same canonical hash at every tick, across both spatial sorts (ticks 16 and 24)
    world w = after(5);
    world p = permuted_copy(w);
    for (int k = 0; k < 40; ++k) {
        step(w);
        step(p);
        ASSERT_EQ(canonical_hash(p), canonical_hash(w)) << "tick " << w.tick;
    }
    EXPECT_NE(world_hash(p), world_hash(w)); // still laid out differently
    // and from a snapshot of the scrambled copy
    test_common::temp_dir dir;
    snapshot(p, dir / "p.npz");
    world r = load(dir / "p.npz");
    run_until(r, 90);
    run_until(w, 90);
    EXPECT_EQ(canonical_hash(r), canonical_hash(w));
}
