/// @file gather.cpp
/// @brief gather_world() (gather.hpp): the owned rows of every rank to rank 0.

#include <ecosim/error.hpp>
#include <ecosim/mpi/gather.hpp>
#include <ecosim/mpi/table_bytes.hpp>

#include <climits>
#include <cstring>
#include <span>
#include <string>

namespace ecosim::mpi {

namespace {

/// The tables' bytes of every rank on rank 0 (empty elsewhere), with each rank's byte offset.
std::vector<std::byte> gather_bytes(const place& p, const std::vector<std::byte>& mine,
                                    std::vector<int>& sizes, std::vector<int>& offsets) {
    if (mine.size() > static_cast<std::size_t>(INT_MAX))
        throw error(errc::capacity, "message",
                    std::to_string(mine.size()) + " bytes do not fit one MPI message");
    const int n = static_cast<int>(mine.size());
    sizes.assign(p.ranks, 0);
    offsets.assign(p.ranks, 0);
    MPI_Gather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, p.comm);
    std::size_t total = 0;
    for (std::uint32_t r = 0; r < p.ranks; ++r) {
        if (total > static_cast<std::size_t>(INT_MAX))
            throw error(errc::capacity, "message", "the gathered world passes 2 GiB");
        offsets[r] = static_cast<int>(total);
        total += static_cast<std::size_t>(sizes[r]);
    }
    std::vector<std::byte> all(p.rank == 0 ? total : 0);
    MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0,
                p.comm);
    return all;
}

} // namespace

std::optional<world> gather_world(const place& p, const world& shard, const shard::strips& s) {
    // each rank: its creatures, then its owned food, with the two row counts in front
    const food_table food = shard::owned_food(shard, s, p.rank);
    std::vector<std::byte> mine(2 * sizeof(std::uint64_t));
    const std::uint64_t rows[2] = {shard.creature.size(), food.size()};
    std::memcpy(mine.data(), rows, sizeof rows);
    append_bytes(shard.creature, mine);
    append_bytes(food, mine);
    std::vector<int> sizes, offsets;
    const std::vector<std::byte> all = gather_bytes(p, mine, sizes, offsets);
    if (p.rank != 0) return std::nullopt;
    std::vector<creature_table> creatures(p.ranks);
    std::vector<food_table> foods(p.ranks);
    for (std::uint32_t r = 0; r < p.ranks; ++r) {
        const std::span<const std::byte> part(all.data() + offsets[r],
                                              static_cast<std::size_t>(sizes[r]));
        std::uint64_t n[2];
        std::memcpy(n, part.data(), sizeof n);
        const std::size_t at = sizeof n + n[0] * row_bytes<creature_table>();
        creatures[r] = from_bytes<creature_table>(part.subspan(sizeof n), n[0]);
        foods[r] = from_bytes<food_table>(part.subspan(at), n[1]);
    }
    return shard::assemble(shard, creatures, foods);
}

} // namespace ecosim::mpi
