#pragma once
// Internal: how the ranks of a collective call agree on failure. Each phase runs on every rank;
// then every rank learns whether any rank failed, and if one did, every rank throws the same
// error (the lowest failing rank's, its detail prefixed "rank K: "), so all ranks leave the
// collective call together and none waits in a collective that another has left.

#include <exception>
#include <string>

#include <mpi.h>

namespace colsnap::detail::mpi {

/// Throws on every rank if @p local (this rank's failure, or null) is set on any rank.
void agree(MPI_Comm comm, const std::exception_ptr& local);

/// Runs @p phase on this rank, then agree()s on its outcome.
template <typename F> void agree_on(MPI_Comm comm, F&& phase) {
    std::exception_ptr failure;
    try {
        phase();
    } catch (...) {
        failure = std::current_exception();
    }
    agree(comm, failure);
}

/// Throws error(io_error) "@p op: <MPI's message>" naming @p file when @p rc is not MPI_SUCCESS.
void check_mpi(int rc, const char* op, const std::string& file);

/// Broadcasts @p s from @p root (resized on the other ranks).
void bcast_string(MPI_Comm comm, std::string& s, int root);

int rank_of(MPI_Comm comm);
int size_of(MPI_Comm comm);

} // namespace colsnap::detail::mpi
