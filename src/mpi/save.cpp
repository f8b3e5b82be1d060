// colsnap::mpi::save_npz: every rank's rows of each column at offsets planned from the exclusive
// prefix sum of the row counts, one collective write of the slices (their CRCs hashed meanwhile),
// CRCs combined in rank order, headers and directory by rank 0, atomic commit. The layout is zip_format's plan_layout(), so the bytes are npz_writer's.
#include "../array_internal.hpp"
#include "../member_name.hpp"
#include "../zip_format.hpp"
#include "agree.hpp"
#include "mpi_file_sink.hpp"
#include "rows.hpp"
#include "save_hook.hpp"

#include <colsnap/mpi.hpp>
#include <colsnap/npy.hpp>

#include <zlib.h>

#include <set>
#include <system_error>
#include <thread>

namespace colsnap::mpi {
namespace {

using namespace detail::zip;
using detail::mpi::agree_on;
using detail::mpi::block;
using detail::mpi::crc_of;
using detail::mpi::row_bytes;

/// What every rank must agree on about the columns: names, dtype, order and every dimension but
/// the first, as the .npy header of a 0-row slice spells them (a 0-d column's own header).
std::string describe(std::span<const column_ref> slices) {
    std::string d;
    for (const column_ref& c : slices) {
        array_info zero = c.info;
        if (!zero.shape.empty()) zero.shape[0] = 0;
        d += c.name;
        d += '\0';
        d += format_npy_header(zero);
    }
    return d;
}

void check_slices(std::span<const column_ref> slices, const std::string& file) {
    std::set<std::string, std::less<>> names;
    for (const column_ref& c : slices) {
        detail::check_member_name(c.name, file);
        if (!names.insert(c.name).second)
            throw error(errc::duplicate_member, "member added twice", file, c.name,
                        error::no_offset);
        if (c.info.fortran_order && !c.info.is_c_contiguous())
            throw error(errc::invalid_argument,
                        "a collective column must be in C order (rows are contiguous)", file,
                        c.name, error::no_offset);
        detail::check_bytes_match_shape(c.info, c.bytes.size(), "column", file, c.name);
    }
}

/// Every rank compares its description with rank 0's.
void check_same_columns(MPI_Comm comm, std::span<const column_ref> slices,
                        const std::string& file) {
    std::string mine, zero;
    agree_on(comm, [&] { mine = describe(slices); });
    zero = mine;
    detail::mpi::bcast_string(comm, zero, 0);
    agree_on(comm, [&] {
        if (mine != zero)
            throw error(errc::invalid_argument,
                        "columns differ from rank 0's (names, dtypes, order and every dimension "
                        "but the first must be the same on every rank)",
                        file, "", error::no_offset);
    });
}

} // namespace

void save_npz(MPI_Comm comm, const std::filesystem::path& path, std::span<const column_ref> slices,
              const write_options& opt) {
    const int rank = detail::mpi::rank_of(comm), ranks = detail::mpi::size_of(comm);
    const std::string file = path.string();
    agree_on(comm, [&] { check_slices(slices, file); });
    check_same_columns(comm, slices, file);

    // Rows of every rank, every column: the totals and this rank's exclusive prefix sum. A 0-d
    // column (a scalar) is one row of rank 0's; the other ranks' values are not written.
    const std::size_t n = slices.size();
    std::vector<std::uint64_t> rows(n), all(n * static_cast<std::size_t>(ranks));
    std::vector<std::span<const std::byte>> mine(n);
    for (std::size_t c = 0; c < n; ++c) {
        const bool scalar = slices[c].info.shape.empty();
        rows[c] = scalar ? (rank == 0 ? 1 : 0) : slices[c].info.shape[0];
        mine[c] = scalar && rank != 0 ? std::span<const std::byte>() : slices[c].bytes;
    }
    MPI_Allgather(rows.data(), static_cast<int>(n), MPI_UINT64_T, all.data(), static_cast<int>(n),
                  MPI_UINT64_T, comm);

    // The plan, the same on every rank: every member stored, the whole column's header.
    std::vector<std::string> headers(n);
    std::vector<entry> members(n);
    std::vector<std::uint64_t> before(n, 0);
    agree_on(comm, [&] {
        for (std::size_t c = 0; c < n; ++c) {
            array_info whole = slices[c].info;
            if (!whole.shape.empty()) whole.shape[0] = 0;
            for (int r = 0; r < ranks; ++r) {
                const std::uint64_t k = all[static_cast<std::size_t>(r) * n + c];
                if (r < rank) before[c] += k;
                if (!whole.shape.empty()) whole.shape[0] += k;
            }
            headers[c] = format_npy_header(whole);
            members[c].zip_name = slices[c].name + ".npy";
            members[c].usize = members[c].csize = headers[c].size() + checked_nbytes(whole);
        }
    });
    layout_plan plan = plan_layout(std::move(members));

    detail::mpi::run_phase_hook("planned", rank);
    detail::mpi::mpi_file_sink sink(comm, path, opt.durable, opt.hints);

    // The slices' CRC-32s are computed while the slices are written: on a helper thread that
    // makes no MPI call (MPI_THREAD_FUNNELED or more), else before the write.
    std::vector<std::uint32_t> crcs(n),
        all_crcs(rank == 0 ? n * static_cast<std::size_t>(ranks) : 0);
    auto hash_slices = [&] {
        for (std::size_t c = 0; c < n; ++c) crcs[c] = crc_of(0, mine[c]);
    };
    int level = MPI_THREAD_SINGLE;
    MPI_Query_thread(&level);
    std::jthread hasher;
    if (level >= MPI_THREAD_FUNNELED) {
        try {
            hasher = std::jthread(hash_slices);
        } catch (const std::system_error&) {}
    }
    if (!hasher.joinable()) hash_slices();
    // Rank 0 writes every member's local header (its CRC still 0, patched below, as npz_writer
    // patches it) and .npy header in the same collective write, so the file has no holes.
    std::vector<record> heads(rank == 0 ? n : 0);
    std::vector<block> blocks;
    for (std::size_t c = 0; c < n; ++c) {
        const entry& e = plan.entries[c];
        const std::uint64_t data_at = e.offset + local_header_layout(e, true).size;
        if (rank == 0) {
            heads[c] = local_header(e, needs_utf8_flag(e.zip_name) ? flag_utf8 : 0, true);
            heads[c].bytes(headers[c]);
            blocks.push_back({e.offset, heads[c].span()});
        }
        blocks.push_back(
            {data_at + headers[c].size() + before[c] * row_bytes(slices[c].info), mine[c]});
    }
    sink.write_all(blocks);
    if (hasher.joinable()) hasher.join();

    // Rank 0 combines the CRCs in rank order, patches them into the local headers and writes the
    // directory, through the byte_sink interface.
    MPI_Gather(crcs.data(), static_cast<int>(n), MPI_UINT32_T, all_crcs.data(), static_cast<int>(n),
               MPI_UINT32_T, 0, comm);
    agree_on(comm, [&] {
        if (rank != 0) return;
        for (std::size_t c = 0; c < n; ++c) {
            entry& e = plan.entries[c];
            const std::uint64_t rb = row_bytes(slices[c].info);
            auto crc = crc_of(0, std::as_bytes(std::span(headers[c].data(), headers[c].size())));
            for (int r = 0; r < ranks; ++r) {
                const std::size_t i = static_cast<std::size_t>(r) * n + c;
                crc = static_cast<std::uint32_t>(
                    crc32_combine(crc, all_crcs[i], static_cast<z_off_t>(all[i] * rb)));
            }
            e.crc = crc;
            record patch;
            patch.u32(crc);
            sink.write_at(patch.span(), e.offset + local_crc_offset);
        }
        record dir;
        for (const entry& e : plan.entries) dir.bytes(central_header(e).str());
        dir.bytes(directory_end(n, plan.cd_offset, plan.cd_size).str());
        sink.write_at(dir.span(), plan.cd_offset);
    });
    detail::mpi::run_phase_hook("written", rank);
    sink.commit();
}

} // namespace colsnap::mpi
