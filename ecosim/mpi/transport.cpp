/// @file transport.cpp
/// @brief The exchanges of a sharded tick over MPI (transport.hpp).

#include <ecosim/error.hpp>
#include <ecosim/mpi/table_bytes.hpp>
#include <ecosim/mpi/transport.hpp>

#include <climits>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

namespace ecosim::mpi {

namespace {

int message_size(std::size_t bytes) {
    if (bytes > static_cast<std::size_t>(INT_MAX))
        throw error(errc::capacity, "message",
                    std::to_string(bytes) + " bytes do not fit one MPI message");
    return static_cast<int>(bytes);
}

/// Sends @p out to rank @p to and returns what rank @p from sent here (MPI_PROC_NULL: nothing).
std::vector<std::byte> sendrecv(const place& p, int to, std::span<const std::byte> out, int from,
                                int tag) {
    std::uint64_t n_out = out.size(), n_in = 0;
    MPI_Sendrecv(&n_out, 1, MPI_UINT64_T, to, tag, &n_in, 1, MPI_UINT64_T, from, tag, p.comm,
                 MPI_STATUS_IGNORE);
    std::vector<std::byte> in(n_in);
    MPI_Sendrecv(out.data(), message_size(out.size()), MPI_BYTE, to, tag + 1, in.data(),
                 message_size(in.size()), MPI_BYTE, from, tag + 1, p.comm, MPI_STATUS_IGNORE);
    return in;
}

/// Sends @p out.above up and @p out.below down; returns what came from below and from above.
/// @p bytes turns a T into bytes, @p back bytes into a T.
template <typename T, typename ToBytes, typename FromBytes>
shard::to_neighbours<T> exchange(const place& p, const shard::to_neighbours<T>& out, int tag,
                                 ToBytes bytes, FromBytes back) {
    const int below = p.rank > 0 ? static_cast<int>(p.rank) - 1 : MPI_PROC_NULL;
    const int above = p.rank + 1 < p.ranks ? static_cast<int>(p.rank) + 1 : MPI_PROC_NULL;
    shard::to_neighbours<T> in;
    in.below = back(sendrecv(p, above, bytes(out.above), below, tag));
    in.above = back(sendrecv(p, below, bytes(out.below), above, tag + 2));
    return in;
}

template <typename T> std::span<const std::byte> bytes_of(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    return std::as_bytes(std::span(v));
}
template <typename T> std::vector<T> vector_of(const std::vector<std::byte>& b) {
    std::vector<T> v(b.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), b.data(), v.size() * sizeof(T));
    return v;
}

constexpr int claims_tag = 10, migrants_tag = 20;

} // namespace

place place_in(MPI_Comm comm) {
    int rank = 0, ranks = 0;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &ranks);
    return {comm, static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(ranks)};
}

shard::to_neighbours<std::vector<shard::claim>>
exchange_claims(const place& p, const shard::to_neighbours<std::vector<shard::claim>>& out) {
    return exchange(
        p, out, claims_tag, [](const std::vector<shard::claim>& v) { return bytes_of(v); },
        [](const std::vector<std::byte>& b) { return vector_of<shard::claim>(b); });
}

std::vector<shard::record> gather_records(const place& p, const std::vector<shard::record>& mine) {
    const int n = message_size(mine.size() * sizeof(shard::record));
    std::vector<int> sizes(p.ranks), offsets(p.ranks);
    MPI_Allgather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, p.comm);
    std::size_t total = 0;
    for (std::uint32_t r = 0; r < p.ranks; ++r) {
        offsets[r] = message_size(total);
        total += static_cast<std::size_t>(sizes[r]);
    }
    std::vector<shard::record> all(total / sizeof(shard::record));
    MPI_Allgatherv(mine.data(), n, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE,
                   p.comm);
    shard::order_records(all);
    return all;
}

shard::to_neighbours<creature_table>
exchange_migrants(const place& p, const shard::to_neighbours<creature_table>& out) {
    const std::size_t row = row_bytes<creature_table>();
    return exchange(
        p, out, migrants_tag,
        [](const creature_table& t) {
            std::vector<std::byte> b;
            append_bytes(t, b);
            return b;
        },
        [row](const std::vector<std::byte>& b) {
            return from_bytes<creature_table>(b, b.size() / row);
        });
}

shard::counts sum_counts(const place& p, shard::counts mine) {
    std::uint64_t in[2] = {mine.creatures, mine.food}, out[2] = {0, 0};
    MPI_Allreduce(in, out, 2, MPI_UINT64_T, MPI_SUM, p.comm);
    return {.creatures = out[0], .food = out[1]};
}

shard::edge_traffic step(const place& p, world& shard, const shard::strips& s) {
    shard::edge_traffic traffic;
    const auto claims = shard::claim_phase(shard, p.rank, s);
    traffic.band_claims = claims.below.size() + claims.above.size();
    const auto seen = exchange_claims(p, claims);
    const auto all = gather_records(
        p, shard::record_phase(shard, seen.below, seen.above, traffic.lost_to_neighbour));
    const auto leaving = shard::apply_phase(shard, p.rank, s, all, p.rank == 0);
    traffic.migrants = leaving.below.size() + leaving.above.size();
    const auto coming = exchange_migrants(p, leaving);
    const shard::counts total =
        sum_counts(p, shard::finish_phase(shard, p.rank, s, coming.below, coming.above));
    if (p.rank == 0) shard::keep_population(shard, total);
    return traffic;
}

} // namespace ecosim::mpi
