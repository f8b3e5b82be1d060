// The MPI file sink: a temp file opened by every rank, written collectively, renamed by rank 0.
#include "mpi_file_sink.hpp"

#include "../posix_file.hpp"
#include "agree.hpp"

#include <colsnap/error.hpp>

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace colsnap::detail::mpi {
namespace {

// MPI counts are ints: blocks are cut into pieces of at most this many bytes.
constexpr std::uint64_t max_piece = std::uint64_t{1} << 30;

} // namespace

mpi_file_sink::mpi_file_sink(MPI_Comm comm, std::filesystem::path target, bool durable,
                             MPI_Info hints)
    : comm_(comm), target_(std::move(target)), durable_(durable) {
    std::string temp;
    if (rank_of(comm_) == 0) temp = sweep_and_name_temp(target_).string();
    bcast_string(comm_, temp, 0);
    temp_ = temp;
    agree_on(comm_, [&] {
        check_mpi(MPI_File_open(comm_, temp_.c_str(),
                                MPI_MODE_CREATE | MPI_MODE_EXCL | MPI_MODE_WRONLY, hints, &fh_),
                  "MPI_File_open", temp_.string());
    });
}

mpi_file_sink::~mpi_file_sink() { abort(); }

void mpi_file_sink::write(std::span<const std::byte> bytes) {
    write_at(bytes, position_);
    position_ += bytes.size();
}

void mpi_file_sink::write_at(std::span<const std::byte> bytes, std::uint64_t offset) {
    for (std::uint64_t at = 0; at < bytes.size(); at += max_piece) {
        const auto n = std::min<std::uint64_t>(max_piece, bytes.size() - at);
        MPI_Status st;
        const std::uint64_t where = offset + at;
        check_mpi(MPI_File_write_at(fh_, static_cast<MPI_Offset>(where), bytes.data() + at,
                                    static_cast<int>(n), MPI_BYTE, &st),
                  "MPI_File_write_at", temp_.string());
    }
}

void mpi_file_sink::write_all(std::span<const block> blocks) {
    std::vector<block> sorted(blocks.begin(), blocks.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const block& a, const block& b) { return a.offset < b.offset; });
    std::vector<int> lengths;
    std::vector<MPI_Aint> file_at, memory_at;
    for (const block& b : sorted)
        for (std::uint64_t at = 0; at < b.bytes.size(); at += max_piece) {
            lengths.push_back(
                static_cast<int>(std::min<std::uint64_t>(max_piece, b.bytes.size() - at)));
            file_at.push_back(static_cast<MPI_Aint>(b.offset + at));
            MPI_Aint address = 0;
            MPI_Get_address(b.bytes.data() + at, &address);
            memory_at.push_back(address);
        }
    const int count = static_cast<int>(lengths.size());
    MPI_Datatype file_type = MPI_BYTE, memory_type = MPI_BYTE;
    if (count != 0) {
        MPI_Type_create_hindexed(count, lengths.data(), file_at.data(), MPI_BYTE, &file_type);
        MPI_Type_create_hindexed(count, lengths.data(), memory_at.data(), MPI_BYTE, &memory_type);
        MPI_Type_commit(&file_type);
        MPI_Type_commit(&memory_type);
    }
    // Every rank makes the same collective calls, whatever failed before on it.
    int rc = MPI_File_set_view(fh_, 0, MPI_BYTE, file_type, "native", MPI_INFO_NULL);
    const char* op = "MPI_File_set_view";
    MPI_Status st;
    const int wrc = MPI_File_write_all(fh_, count != 0 ? MPI_BOTTOM : nullptr, count != 0 ? 1 : 0,
                                       memory_type, &st);
    if (rc == MPI_SUCCESS) rc = wrc, op = "MPI_File_write_all";
    const int vrc = MPI_File_set_view(fh_, 0, MPI_BYTE, MPI_BYTE, "native", MPI_INFO_NULL);
    if (rc == MPI_SUCCESS) rc = vrc, op = "MPI_File_set_view";
    if (count != 0) {
        MPI_Type_free(&file_type);
        MPI_Type_free(&memory_type);
    }
    agree_on(comm_, [&] { check_mpi(rc, op, temp_.string()); });
}

void mpi_file_sink::commit() {
    const int src = durable_ ? MPI_File_sync(fh_) : MPI_SUCCESS;
    const int crc = MPI_File_close(&fh_);
    agree_on(comm_, [&] {
        check_mpi(src, "MPI_File_sync", temp_.string());
        check_mpi(crc, "MPI_File_close", temp_.string());
    });
    agree_on(comm_, [&] {
        if (rank_of(comm_) != 0) return;
        if (::rename(temp_.c_str(), target_.c_str()) != 0) fail_io("rename", temp_.string(), errno);
        if (durable_) sync_directory_of(target_);
    });
    temp_.clear();
}

void mpi_file_sink::abort() noexcept {
    if (temp_.empty()) return;
    if (fh_ != MPI_FILE_NULL) MPI_File_close(&fh_);
    if (rank_of(comm_) == 0) ::unlink(temp_.c_str());
    temp_.clear();
}

} // namespace colsnap::detail::mpi
