// Failure agreement across ranks: an allreduce of the lowest failing rank, then a broadcast of
// its error.
#include "agree.hpp"

#include <colsnap/error.hpp>

#include <cstdint>
#include <vector>

namespace colsnap::detail::mpi {
namespace {

struct wire_error {
    std::int32_t code = static_cast<std::int32_t>(errc::io_error);
    std::uint64_t offset = error::no_offset;
    std::string detail, file, member;
};

wire_error describe(const std::exception_ptr& p) {
    wire_error w;
    try {
        std::rethrow_exception(p);
    } catch (const error& e) {
        w.code = static_cast<std::int32_t>(e.code());
        w.offset = e.offset();
        w.detail = e.detail();
        w.file = e.file();
        w.member = e.member();
    } catch (const std::exception& e) {
        w.detail = e.what();
    } catch (...) {
        w.detail = "unknown exception";
    }
    return w;
}

} // namespace

void bcast_string(MPI_Comm comm, std::string& s, int root) {
    std::uint64_t n = s.size();
    MPI_Bcast(&n, 1, MPI_UINT64_T, root, comm);
    s.resize(n);
    if (n != 0) MPI_Bcast(s.data(), static_cast<int>(n), MPI_CHAR, root, comm);
}

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

void agree(MPI_Comm comm, const std::exception_ptr& local) {
    const int rank = rank_of(comm), size = size_of(comm);
    int mine = local ? rank : size, lowest = size;
    MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, comm);
    if (lowest == size) return;
    wire_error w;
    if (rank == lowest) w = describe(local);
    MPI_Bcast(&w.code, 1, MPI_INT32_T, lowest, comm);
    MPI_Bcast(&w.offset, 1, MPI_UINT64_T, lowest, comm);
    bcast_string(comm, w.detail, lowest);
    bcast_string(comm, w.file, lowest);
    bcast_string(comm, w.member, lowest);
    throw error(static_cast<errc>(w.code), "rank " + std::to_string(lowest) + ": " + w.detail,
                w.file, w.member, w.offset);
}

void check_mpi(int rc, const char* op, const std::string& file) {
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, text, &len);
    throw error(errc::io_error,
                std::string(op) + ": " + std::string(text, static_cast<std::size_t>(len)), file, "",
                error::no_offset);
}

} // namespace colsnap::detail::mpi
