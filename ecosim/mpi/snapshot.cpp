/// @file snapshot.cpp
/// @brief save_snapshot() and load_shard() (snapshot.hpp). The member list is the
/// single-process one (world_columns, members.hpp); only the members whose rows are
/// partitioned change: creature and food (each rank its owned rows), hungry (each rank its ids
/// in row order), and the id -> slot maps (the merged order's, assembled on rank 0).

#include <colsnap/error.hpp>
#include <colsnap/mpi.hpp>
#include <ecosim/error.hpp>
#include <ecosim/kernels/compact.hpp>
#include <ecosim/mpi/snapshot.hpp>
#include <ecosim/shard/shard.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/snapshot_visitors.hpp>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecosim::mpi {

namespace {

int rank_of(MPI_Comm comm) {
    int r = 0;
    MPI_Comm_rank(comm, &r);
    return r;
}
int size_of(MPI_Comm comm) {
    int n = 0;
    MPI_Comm_size(comm, &n);
    return n;
}

void bcast_string(MPI_Comm comm, std::string& s, int root) {
    std::uint64_t n = s.size();
    MPI_Bcast(&n, 1, MPI_UINT64_T, root, comm);
    s.resize(n);
    MPI_Bcast(s.data(), static_cast<int>(n), MPI_CHAR, root, comm);
}

/// Runs @p phase on this rank; if it failed on any rank, every rank throws the lowest failing
/// rank's error (an ecosim::error or colsnap::error keeps its code, where and file), its detail
/// prefixed "rank K: ", so no rank goes on into a collective call that another has left.
template <typename F> void agree_on(MPI_Comm comm, F&& phase) {
    std::exception_ptr failed;
    try {
        phase();
    } catch (...) {
        failed = std::current_exception();
    }
    const int rank = rank_of(comm), ranks = size_of(comm);
    int mine = failed ? rank : ranks, first = ranks;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == ranks) return;
    std::string kind = "other", code, where, detail, file;
    std::uint64_t offset = colsnap::error::no_offset;
    if (rank == first) {
        try {
            std::rethrow_exception(failed);
        } catch (const error& e) {
            kind = "ecosim", code = std::string(1, static_cast<char>(e.code()));
            where = e.where(), detail = e.detail(), file = e.file();
        } catch (const colsnap::error& e) {
            kind = "colsnap", code = std::string(1, static_cast<char>(e.code()));
            where = e.member(), detail = e.detail(), file = e.file(), offset = e.offset();
        } catch (const std::exception& e) {
            detail = e.what();
        } catch (...) {
            detail = "unknown error";
        }
    }
    for (std::string* s : {&kind, &code, &where, &detail, &file}) bcast_string(comm, *s, first);
    MPI_Bcast(&offset, 1, MPI_UINT64_T, first, comm);
    detail = "rank " + std::to_string(first) + ": " + detail;
    if (kind == "ecosim") throw error(static_cast<errc>(code[0]), where, detail, file);
    if (kind == "colsnap")
        throw colsnap::error(static_cast<colsnap::errc>(code[0]), detail, file, where, offset);
    throw std::runtime_error(detail);
}

/// One id -> slot map of the merged world, built in two steps so that every allocation is made
/// (and agreed on) before the collective one: local() enters the slots of this rank's ids
/// (@p before: the rows of the ranks below it), no_slot for the rest; reduce() keeps, on rank
/// 0, the one rank's slot of every held id (a minimum over the ranks).
struct slot_map {
    column<std::uint32_t> mine, all; ///< all: rank 0's result (empty elsewhere)

    void local(int rank, std::span<const std::uint32_t> ids, std::uint64_t before,
               std::uint32_t next_id) {
        mine.assign(next_id, no_slot);
        all.resize(rank == 0 ? next_id : 0);
        for (std::size_t i = 0; i < ids.size(); ++i)
            mine[ids[i]] = static_cast<std::uint32_t>(before + i);
    }
    void reduce(MPI_Comm comm) {
        constexpr std::size_t chunk = std::size_t{1} << 28; // an MPI count is an int
        for (std::size_t at = 0; at < mine.size(); at += chunk)
            MPI_Reduce(mine.data() + at, all.empty() ? nullptr : all.data() + at,
                       static_cast<int>(std::min(chunk, mine.size() - at)), MPI_UINT32_T, MPI_MIN,
                       0, comm);
    }
};

/// The same columns with no rows (what a rank that does not hold a member passes); a 0-d
/// column stays as it is (colsnap::mpi writes rank 0's value only).
colsnap::column_ref no_rows(colsnap::column_ref c) {
    if (c.info.shape.empty()) return c;
    c.info.shape[0] = 0;
    c.bytes = {};
    return c;
}

/// The columns of @p t as table @p name of a snapshot, by member name.
template <typename Table>
std::map<std::string, colsnap::column_ref, std::less<>> table_columns(const char* name,
                                                                      const Table& t) {
    detail::collector c;
    c.table(name, t);
    std::map<std::string, colsnap::column_ref, std::less<>> out;
    for (auto& col : c.out) out.emplace(col.name, std::move(col));
    return out;
}

void check_strips(MPI_Comm comm, const shard::strips& s) {
    if (s.ranks() != static_cast<std::uint32_t>(size_of(comm)))
        throw error(errc::invalid_argument, "ranks",
                    std::to_string(s.ranks()) + " strips for " + std::to_string(size_of(comm)) +
                        " ranks: one rank per strip");
}

} // namespace

void save_snapshot(MPI_Comm comm, const world& shard, const shard::strips& s,
                   const std::filesystem::path& path, const snapshot_options& opt) {
    const int rank = rank_of(comm);
    const auto r = static_cast<std::uint32_t>(rank);
    food_table food; // the owned rows, no halo copies
    column<std::uint32_t> hungry;
    agree_on(comm, [&] {
        check_strips(comm, s);
        if (shard.creature_to_insert.size() != 0 || !shard.creature_to_remove.empty() ||
            !shard.food_to_remove.empty())
            throw error(errc::invalid_argument, "creature_to_insert",
                        "the cleanup buffers are not empty: not at a tick boundary", path.string());
        for (std::size_t i = 0; i < shard.creature.size(); ++i)
            if (s.owner(shard.creature.pos_y[i]) != r)
                throw error(errc::invalid_argument, "creature/pos_y",
                            "creature " + std::to_string(shard.creature.id[i]) +
                                " lies outside strip " + std::to_string(r),
                            path.string());
        for (std::size_t i = 0; i < shard.food.size(); ++i)
            if (s.owner(shard.food.pos_y[i]) == r) food.push_row(shard.food, i);
        // the ids below hunger_line in row order, as update_hungry selects them
        const auto& c = shard.creature;
        hungry.resize(c.size() + 16);
        hungry.resize(select_ids_below(c.energy.data(), c.id.data(), c.size(),
                                       shard.cfg.hunger_line, hungry.data(), shard.work.isa_level));
    });

    // Rank 0 writes the log segment first (a snapshot never refers to a missing segment) and
    // borrows the replicated members; the others borrow their own members for the same list.
    std::vector<colsnap::column_ref> cols;
    agree_on(comm, [&] {
        cols = rank == 0 ? snapshot_columns(shard, path, {schema_version, false, opt.durable})
                         : world_columns(shard);
    });

    std::uint64_t rows[2] = {shard.creature.size(), food.size()}, before[2] = {0, 0};
    MPI_Exscan(rows, before, 2, MPI_UINT64_T, MPI_SUM, comm);
    if (rank == 0) before[0] = before[1] = 0; // MPI_Exscan leaves rank 0's undefined
    slot_map creature_map, food_map;
    agree_on(comm, [&] { // every allocation of this rank, before the collective calls
        creature_map.local(rank, shard.creature.id, before[0], shard.creature_next_id);
        food_map.local(rank, food.id, before[1], shard.food_next_id);
        const auto food_cols = table_columns("food", food);
        for (colsnap::column_ref& c : cols) {
            const std::string_view name = c.name;
            if (name.starts_with("creature/")) continue; // every rank its rows
            if (const auto it = food_cols.find(name); it != food_cols.end()) c = it->second;
            else if (name == "hungry/id") c = colsnap::column(c.name, std::span(hungry));
            else if (name == "creature_id_to_slot/slot")
                c = colsnap::column(c.name, std::span(creature_map.all));
            else if (name == "food_id_to_slot/slot")
                c = colsnap::column(c.name, std::span(food_map.all));
            else if (rank != 0) c = no_rows(std::move(c)); // replicated or the keeper's: rank 0's
        }
    });
    creature_map.reduce(comm);
    food_map.reduce(comm);
    colsnap::mpi::write_options wo;
    wo.durable = opt.durable;
    wo.hints = opt.hints;
    colsnap::mpi::save_npz(comm, path, cols, wo);
}

namespace {

/// This rank's shard of the loaded world @p w (which it takes the log state from).
world keep_shard(MPI_Comm comm, world& w, const shard::strips& s) {
    const auto r = static_cast<std::uint32_t>(rank_of(comm));
    world out = std::move(shard::split(w, s)[r]);
    if (r == 0) out.work.logs = std::move(w.work.logs); // the segments' head
    return out;
}

} // namespace

world load_shard(MPI_Comm comm, const std::filesystem::path& path, const shard::strips& s) {
    world out;
    agree_on(comm, [&] {
        check_strips(comm, s);
        world w = load(path);
        const shard::strips mine(w.cfg, s.ranks());
        for (std::uint32_t k = 0; k < s.ranks(); ++k)
            if (mine.lo(k) != s.lo(k) || mine.hi(k) != s.hi(k) || mine.halo() != s.halo())
                throw error(errc::invalid_argument, "ranks",
                            "the strips given are not those of the snapshot's world",
                            path.string());
        out = keep_shard(comm, w, s);
    });
    return out;
}

loaded_shard load_shard(MPI_Comm comm, const std::filesystem::path& path) {
    std::optional<loaded_shard> out;
    agree_on(comm, [&] {
        world w = load(path);
        const shard::strips s(w.cfg, static_cast<std::uint32_t>(size_of(comm)));
        out.emplace(loaded_shard{keep_shard(comm, w, s), s});
    });
    return std::move(*out);
}

} // namespace ecosim::mpi
