#pragma once
// The columns the MPI tests write: every value is a function of its global row, so the slices of
// any rank and the concatenated columns of a whole run can be rebuilt anywhere. Rank r of a run
// of `ranks` owns rows_of(r) rows (rank 1 none, to cover an empty slice).

#include <colsnap/column.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mpi_test {

inline std::uint64_t rows_of(int rank, std::uint64_t seed) {
    return rank == 1 ? 0 : 1000 + 37 * static_cast<std::uint64_t>(rank) + seed;
}

struct slice {
    std::vector<double> pos_x;
    std::vector<std::uint32_t> id;
    std::vector<std::uint8_t> alive;
    std::vector<float> pos; ///< rows x 3
    std::vector<std::int16_t> label;

    /// Rows [first, first + n) of the world of @p seed.
    slice(std::uint64_t first, std::uint64_t n, std::uint64_t seed) {
        for (std::uint64_t g = first; g < first + n; ++g) {
            pos_x.push_back(static_cast<double>(g) * 0.5 + static_cast<double>(seed));
            id.push_back(static_cast<std::uint32_t>(g * 3 + 1));
            alive.push_back(static_cast<std::uint8_t>(g % 3 == 0));
            for (int k = 0; k < 3; ++k) pos.push_back(static_cast<float>(g * 3 + k) * 0.25f);
            label.push_back(static_cast<std::int16_t>(g % 1000 - 500));
        }
    }
    std::vector<colsnap::column_ref> columns() const {
        const std::uint64_t n = id.size();
        return {colsnap::column("creature/pos_x", pos_x), colsnap::column("creature/id", id),
                colsnap::column("creature/alive", alive), colsnap::column("pos", pos, {n, 3}),
                colsnap::column("\xc3\xa9tiquette", label)};
    }
};

/// First global row of @p rank's slice.
inline std::uint64_t first_row(int rank, std::uint64_t seed) {
    std::uint64_t at = 0;
    for (int r = 0; r < rank; ++r) at += rows_of(r, seed);
    return at;
}
inline std::uint64_t total_rows(int ranks, std::uint64_t seed) { return first_row(ranks, seed); }

/// The slice rank @p rank writes in the world of @p seed.
inline slice slice_of(int rank, std::uint64_t seed) {
    return slice(first_row(rank, seed), rows_of(rank, seed), seed);
}

} // namespace mpi_test
