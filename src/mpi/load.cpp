// colsnap::mpi::load_rows: every rank maps the archive and takes its rows of every member;
// stored members' CRCs are checked collectively when the ranks' ranges tile them.
#include "../array_internal.hpp"
#include "agree.hpp"
#include "rows.hpp"

#include <colsnap/mpi.hpp>

#include <libdeflate.h>
#include <zlib.h>

#include <cstring>
#include <optional>

namespace colsnap::mpi {
namespace {

using detail::mpi::agree_on;
using detail::mpi::crc_of;
using detail::mpi::row_bytes;

/// A stored C-order member: its rows are contiguous in the file, so ranks can hash them apart.
bool rows_contiguous(const member_info& m) {
    return m.method == compression::stored && !m.npy.info.shape.empty() &&
           m.npy.info.is_c_contiguous();
}

bool tiles(const std::vector<std::uint64_t>& ranges, std::size_t i, std::size_t n, int ranks,
           std::uint64_t total) {
    std::uint64_t next = 0;
    for (int r = 0; r < ranks; ++r) {
        const std::size_t at = (static_cast<std::size_t>(r) * n + i) * 2;
        if (ranges[at] != next) return false;
        next += ranges[at + 1];
    }
    return next == total;
}

/// Rows @p r of @p whole (C order): a view when @p borrowed, else an owned copy.
array slice(const array& whole, row_range r, bool view) {
    array_info info = whole.info();
    const std::uint64_t rb = row_bytes(info);
    info.shape[0] = r.count;
    const auto bytes = whole.bytes().subspan(static_cast<std::size_t>(r.begin * rb),
                                             static_cast<std::size_t>(r.count * rb));
    if (view)
        return detail::array_access::make(std::move(info), bytes,
                                          std::make_shared<const array>(whole), true);
    auto [out, to] = detail::array_access::allocate(std::move(info));
    if (!bytes.empty()) std::memcpy(to.data(), bytes.data(), bytes.size());
    return out;
}

} // namespace

row_range even_split(std::uint64_t total, int rank, int ranks) noexcept {
    const auto r = static_cast<std::uint64_t>(rank), n = static_cast<std::uint64_t>(ranks);
    const std::uint64_t base = total / n, extra = total % n;
    return {r * base + std::min(r, extra), base + (r < extra ? 1 : 0)};
}

std::vector<member_rows> load_rows(MPI_Comm comm, const std::filesystem::path& path,
                                   const row_selector& select, const read_options& opt) {
    const int ranks = detail::mpi::size_of(comm);
    const std::string file = path.string();
    std::optional<npz_reader> reader, checking;
    std::vector<const member_info*> typed;
    std::vector<member_rows> out;
    agree_on(comm, [&] {
        colsnap::read_options ro;
        ro.check_crc = false;
        reader = npz_reader::open(path, ro);
        for (const member_info& m : reader->members()) {
            if (!m.typed()) continue;
            typed.push_back(&m);
            const auto& shape = m.npy.info.shape;
            member_rows& mr = out.emplace_back();
            mr.name = m.name;
            mr.total_rows = shape.empty() ? 1 : shape[0];
            mr.rows = shape.empty() ? row_range{0, 1} : select(m);
            if (mr.rows.begin > mr.total_rows || mr.rows.count > mr.total_rows - mr.rows.begin)
                throw error(errc::invalid_argument,
                            "rows [" + std::to_string(mr.rows.begin) + ", +" +
                                std::to_string(mr.rows.count) + ") are past the member's " +
                                std::to_string(mr.total_rows) + " rows",
                            file, m.name, error::no_offset);
            if (opt.check_crc && !rows_contiguous(m) && !checking)
                checking = npz_reader::open(path); // CRC checked as the member is read whole
        }
    });
    // Every rank must see the same members to exchange their ranges.
    const std::uint64_t n = typed.size();
    std::uint64_t lo = 0, hi = 0;
    MPI_Allreduce(&n, &lo, 1, MPI_UINT64_T, MPI_MIN, comm);
    MPI_Allreduce(&n, &hi, 1, MPI_UINT64_T, MPI_MAX, comm);
    agree_on(comm, [&] {
        if (lo != hi)
            throw error(errc::invalid_argument,
                        "the ranks see different archives (" + std::to_string(lo) + " and " +
                            std::to_string(hi) + " typed members)",
                        file, "", error::no_offset);
    });

    std::vector<array> wholes(n);
    agree_on(comm, [&] {
        for (std::size_t i = 0; i < n; ++i) {
            const member_info& m = *typed[i];
            const bool view = m.zero_copy() && !m.npy.info.shape.empty();
            // Stored C-order rows are checked collectively below; anything else is read whole.
            wholes[i] =
                rows_contiguous(m) ? reader->raw(m) : (checking ? *checking : *reader).get(m.name);
            if (m.npy.info.shape.empty()) out[i].values = wholes[i];
            else
                out[i].values =
                    slice(view ? wholes[i] : wholes[i].to_native_c(), out[i].rows, view);
        }
    });

    if (!opt.check_crc) return out;
    // Stored members' CRCs: each rank hashes its own rows' bytes (as stored); when the ranges
    // tile a member, the CRCs are combined in rank order after the .npy header's.
    std::vector<std::uint64_t> mine(2 * n), ranges(2 * n * static_cast<std::size_t>(ranks));
    std::vector<std::uint32_t> crcs(n, 0), all_crcs(n * static_cast<std::size_t>(ranks));
    for (std::size_t i = 0; i < n; ++i) {
        mine[2 * i] = out[i].rows.begin;
        mine[2 * i + 1] = out[i].rows.count;
        if (rows_contiguous(*typed[i])) {
            const std::uint64_t rb = row_bytes(typed[i]->npy.info);
            crcs[i] = crc_of(0, reader->raw(*typed[i]).bytes().subspan(
                                    static_cast<std::size_t>(out[i].rows.begin * rb),
                                    static_cast<std::size_t>(out[i].rows.count * rb)));
        }
    }
    MPI_Allgather(mine.data(), static_cast<int>(2 * n), MPI_UINT64_T, ranges.data(),
                  static_cast<int>(2 * n), MPI_UINT64_T, comm);
    MPI_Allgather(crcs.data(), static_cast<int>(n), MPI_UINT32_T, all_crcs.data(),
                  static_cast<int>(n), MPI_UINT32_T, comm);
    agree_on(comm, [&] {
        for (std::size_t i = 0; i < n; ++i) {
            const member_info& m = *typed[i];
            if (!rows_contiguous(m) || !tiles(ranges, i, n, ranks, out[i].total_rows)) continue;
            const std::uint64_t rb = row_bytes(m.npy.info);
            const auto npy = reader->content(m).bytes;
            std::uint32_t crc = crc_of(0, npy.first(static_cast<std::size_t>(m.npy.data_offset)));
            for (int r = 0; r < ranks; ++r) {
                const std::size_t at = static_cast<std::size_t>(r) * n + i;
                crc = static_cast<std::uint32_t>(crc32_combine(
                    crc, all_crcs[at], static_cast<z_off_t>(ranges[2 * at + 1] * rb)));
            }
            if (crc != m.crc32)
                throw error(errc::crc_mismatch,
                            "CRC-32 of the member's rows, combined over the ranks, differs from "
                            "the directory's",
                            file, m.name, m.data_offset);
        }
    });
    return out;
}

std::vector<member_rows> load_rows(MPI_Comm comm, const std::filesystem::path& path, row_range rows,
                                   const read_options& opt) {
    return load_rows(
        comm, path, [rows](const member_info&) { return rows; }, opt);
}

} // namespace colsnap::mpi
