// ecosim/mpi under mpirun: the exchanges deliver what the neighbours sent, and a contested food
// on a strip edge (rare in a run from a seed) goes to the first claim across the edge with the
// world equal to the single-process one (canonical hash), as in the one-process shard test.

#include "../ecosim/shard_edge_world.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/mpi/gather.hpp>
#include <ecosim/mpi/transport.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <mpi.h>

using namespace ecosim;

namespace {

mpi::place here() { return mpi::place_in(MPI_COMM_WORLD); }

/// A world past its first deaths (births reuse freed ids), as in shard_prototype_test.cpp.
const world& grown() {
    static const world w = [] {
        world g = create_world(make_config(10000, 11));
        run_until(g, 260);
        return g;
    }();
    return w;
}

/// Rows that say who sent them: creature id 1000 * rank + k, k < rank + 1 + side.
shard::claim claim_of(std::uint32_t rank, std::uint32_t k) {
    return {.t = 0.5 * k, .creature_id = 1000 * rank + k, .food_id = rank};
}

} // namespace

TEST(EcosimMpiTransport, NeighboursGetWhatWasSentToThem) {
    const mpi::place p = here();
    shard::to_neighbours<std::vector<shard::claim>> out;
    shard::to_neighbours<creature_table> leaving;
    for (std::uint32_t k = 0; k < p.rank + 1; ++k) out.below.push_back(claim_of(p.rank, k));
    for (std::uint32_t k = 0; k < p.rank + 2; ++k) out.above.push_back(claim_of(p.rank, k));
    for (std::uint32_t k = 0; k < p.rank + 3; ++k)
        leaving.above.push({.id = 1000 * p.rank + k, .pos_y = 0.25f * static_cast<float>(k)});
    const auto in = mpi::exchange_claims(p, out);
    const auto coming = mpi::exchange_migrants(p, leaving);
    // from below: what rank r - 1 sent up (r + 1 claims, r + 2 creatures); from above: what
    // rank r + 1 sent down (r + 2 claims, no creatures)
    ASSERT_EQ(in.below.size(), p.rank == 0 ? 0u : p.rank + 1);
    for (std::uint32_t k = 0; k < in.below.size(); ++k) {
        EXPECT_EQ(in.below[k].creature_id, claim_of(p.rank - 1, k).creature_id);
        EXPECT_EQ(in.below[k].t, claim_of(p.rank - 1, k).t);
    }
    ASSERT_EQ(in.above.size(), p.rank + 1 == p.ranks ? 0u : p.rank + 2);
    for (std::uint32_t k = 0; k < in.above.size(); ++k)
        EXPECT_EQ(in.above[k].creature_id, claim_of(p.rank + 1, k).creature_id);
    ASSERT_EQ(coming.below.size(), p.rank == 0 ? 0u : p.rank + 2);
    for (std::uint32_t k = 0; k < coming.below.size(); ++k) {
        EXPECT_EQ(coming.below.id[k], 1000 * (p.rank - 1) + k);
        EXPECT_EQ(coming.below.pos_y[k], 0.25f * static_cast<float>(k));
    }
    EXPECT_EQ(coming.above.size(), 0u);
    // every rank's records, merged in (t, creature_id) order; the counts summed
    std::vector<shard::record> mine;
    for (std::uint32_t k = 0; k < 3; ++k)
        mine.push_back({.t = static_cast<double>(k),
                        .creature_id = p.rank,
                        .aux = 0,
                        .energy = 0.0f,
                        .kind = 0,
                        .won = 0});
    const auto all = mpi::gather_records(p, mine);
    ASSERT_EQ(all.size(), 3u * p.ranks);
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].t, static_cast<double>(i / p.ranks));
        EXPECT_EQ(all[i].creature_id, i % p.ranks);
    }
    const shard::counts sum = mpi::sum_counts(p, {.creatures = p.rank + 1, .food = 2});
    EXPECT_EQ(sum.creatures, std::uint64_t{p.ranks} * (p.ranks + 1) / 2);
    EXPECT_EQ(sum.food, 2u * p.ranks);
}

TEST(EcosimMpiStep, AFoodOnAnEdgeGoesToTheFirstClaimAcrossIt) {
    const mpi::place p = here();
    if (p.ranks < 2) GTEST_SKIP() << "needs two ranks";
    const shard::strips s(grown().cfg, p.ranks);
    ecosim_test::edge_world e = ecosim_test::with_a_food_on_an_edge(grown(), s);
    world shard = shard::split_one(e.w, s, p.rank);
    step(e.w); // the single-process world, on every rank
    const shard::edge_traffic t = mpi::step(p, shard, s);
    unsigned long long lost = t.lost_to_neighbour;
    MPI_Allreduce(MPI_IN_PLACE, &lost, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, p.comm);
    EXPECT_GE(lost, 1u);
    EXPECT_TRUE(ecosim_test::ate(e.w, e.below, e.food)) << "the nearer creature, across the edge";
    auto merged = mpi::gather_world(p, shard, s);
    if (p.rank == 0) {
        ASSERT_TRUE(merged);
        EXPECT_NO_THROW(check_invariants(*merged));
        EXPECT_EQ(canonical_hash(*merged), canonical_hash(e.w));
    }
    for (int k = 0; k < 20; ++k) {
        step(e.w);
        mpi::step(p, shard, s);
    }
    merged = mpi::gather_world(p, shard, s);
    if (p.rank == 0) EXPECT_EQ(canonical_hash(*merged), canonical_hash(e.w));
    else EXPECT_FALSE(merged);
}

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    ::testing::InitGoogleTest(&argc, argv);
    // Only rank 0 prints gtest's report; every rank runs every test (they are collective).
    if (here().rank != 0) {
        auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
        delete listeners.Release(listeners.default_result_printer());
    }
    int rc = RUN_ALL_TESTS();
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return rc;
}
