/// @file step.cpp
/// @brief shard::step(): one tick of every shard in one process, the phases of phases.hpp run
/// for each shard in turn with their messages passed as vectors.

#include <ecosim/error.hpp>
#include <ecosim/shard/phases.hpp>
#include <ecosim/shard/shard.hpp>

#include <string>
#include <vector>

namespace ecosim::shard {

namespace {

/// The replicated ids (R10, R12) are the same on every shard after a tick.
void check_replicated(const std::vector<world>& shards) {
    const world& first = shards.front();
    for (std::size_t r = 1; r < shards.size(); ++r) {
        const world& w = shards[r];
        if (w.creature_next_id != first.creature_next_id || w.food_next_id != first.food_next_id ||
            w.creature_free.id != first.creature_free.id ||
            w.creature_free.gen != first.creature_free.gen || w.food_free != first.food_free)
            throw error(errc::broken_invariant, "creature_free_ids",
                        "shard " + std::to_string(r) + " holds other ids than shard 0");
    }
}

} // namespace

edge_traffic step(std::vector<world>& shards, const strips& s) {
    const auto ranks = static_cast<std::uint32_t>(shards.size());
    edge_traffic traffic;
    const std::vector<claim> no_claims;
    const creature_table no_one;
    std::vector<to_neighbours<std::vector<claim>>> claims(ranks);
    for (std::uint32_t r = 0; r < ranks; ++r) {
        claims[r] = claim_phase(shards[r], r, s);
        traffic.band_claims += claims[r].below.size() + claims[r].above.size();
    }
    std::vector<record> all;
    for (std::uint32_t r = 0; r < ranks; ++r) {
        const std::vector<record> mine = record_phase(
            shards[r], r > 0 ? claims[r - 1].above : no_claims,
            r + 1 < ranks ? claims[r + 1].below : no_claims, traffic.lost_to_neighbour);
        all.insert(all.end(), mine.begin(), mine.end());
    }
    order_records(all);
    std::vector<to_neighbours<creature_table>> moving(ranks);
    for (std::uint32_t r = 0; r < ranks; ++r) {
        moving[r] = apply_phase(shards[r], r, s, all, r == 0);
        traffic.migrants += moving[r].below.size() + moving[r].above.size();
    }
    check_replicated(shards);
    counts total;
    for (std::uint32_t r = 0; r < ranks; ++r) {
        const counts n = finish_phase(shards[r], r, s, r > 0 ? moving[r - 1].above : no_one,
                                      r + 1 < ranks ? moving[r + 1].below : no_one);
        total.creatures += n.creatures;
        total.food += n.food;
    }
    keep_population(shards.front(), total);
    return traffic;
}

} // namespace ecosim::shard
