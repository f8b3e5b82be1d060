#pragma once
/// @file mpi.hpp
/// @brief colsnap::mpi (an optional component, `find_package(colsnap COMPONENTS mpi)`, target
/// `colsnap::mpi`): one .npz written collectively by the ranks of an MPI communicator, each rank
/// passing its rows of every column, and read back as row ranges at any rank count.
/// docs/MPI.md has the layout, CRC and commit protocol and the failure behaviour.

#include <colsnap/array.hpp>
#include <colsnap/column.hpp>
#include <colsnap/npz_reader.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <mpi.h>

namespace colsnap::mpi {

struct write_options {
    bool durable = true; ///< MPI_File_sync before the rename, fsync of the directory after it
    /// MPI-IO hints for MPI_File_open (cb_nodes, cb_buffer_size, striping_unit, ...; see
    /// docs/MPI.md); the caller keeps ownership.
    MPI_Info hints = MPI_INFO_NULL;
};

/// @brief Collective over @p comm: writes ONE stored .npz at @p path whose member i is the
/// concatenation, in rank order, of every rank's @p slices[i]. Every rank passes the same
/// columns (names, dtypes, trailing dimensions, order); shape[0] is this rank's row count and
/// may be 0. The bytes are those save_npz() writes for the concatenated columns. The archive
/// appears at @p path only when every rank has written (temp file, sync, rename by rank 0); on
/// any failure nothing changes at @p path and every rank throws the same error, whose detail
/// begins "rank K: " naming the lowest failing rank. Columns must be in C order. A 0-d column
/// (a scalar) is rank 0's value: every rank passes it, the others' values are not written.
/// Members are stored (a deflated member's size is not known before it is compressed, so its
/// offset could not be planned).
void save_npz(MPI_Comm comm, const std::filesystem::path& path, std::span<const column_ref> slices,
              const write_options& opt = {});

/// @brief Rows [begin, begin + count) of a member's first dimension.
struct row_range {
    std::uint64_t begin = 0, count = 0;
};

/// @brief One member's rows on this rank.
struct member_rows {
    std::string name;             ///< numpy's key
    std::uint64_t total_rows = 0; ///< the member's shape[0] in the file (1 for a 0-d array)
    row_range rows;               ///< what this rank asked for (the whole member for 0-d)
    array values;                 ///< shape[0] == rows.count; zero-copy when array::borrowed()
};

/// @brief Chooses this rank's rows of a member (called for every typed member, in file order).
using row_selector = std::function<row_range(const member_info&)>;

struct read_options {
    /// Check CRC-32s: a deflated member's as npz_reader does; a stored member's collectively,
    /// when the ranks' ranges tile it in rank order (rank 0 from row 0, each rank starting where
    /// the previous one ended, the last ending at the member's end): each rank hashes only its
    /// own bytes, and the CRCs are combined in rank order. Ranges that do not tile a member leave
    /// its CRC unchecked (verify it with npz_reader::verify() on one rank).
    bool check_crc = true;
};

/// @brief Collective over @p comm: every rank opens @p path (a memory map; every rank validates
/// the directory) and gets, for every typed member, the rows @p select chooses. Stored, native,
/// aligned members are zero-copy views of the map (only the pages of those rows are read);
/// others are decoded whole, then the rows copied. Any rank count works, whatever wrote the
/// file. Members that are not typed arrays are skipped. On failure every rank throws the same
/// error ("rank K: ..." naming the lowest failing rank).
std::vector<member_rows> load_rows(MPI_Comm comm, const std::filesystem::path& path,
                                   const row_selector& select, const read_options& opt = {});

/// @brief The same with one range for every member of at least one dimension.
std::vector<member_rows> load_rows(MPI_Comm comm, const std::filesystem::path& path, row_range rows,
                                   const read_options& opt = {});

/// @brief The rows of @p total that rank @p rank of @p ranks gets in an even split (the first
/// total % ranks ranks get one more): a range that tiles with the other ranks'.
row_range even_split(std::uint64_t total, int rank, int ranks) noexcept;

} // namespace colsnap::mpi
