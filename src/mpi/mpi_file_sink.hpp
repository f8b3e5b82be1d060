#pragma once
// Internal: a byte_sink over one MPI file shared by the ranks of a communicator. Besides the
// byte_sink calls, which one rank uses on its own (independent MPI_File_write_at), it writes
// every rank's blocks in one collective MPI_File_write_all through a file view, so that MPI-IO
// can aggregate them. It appears at target() like detail::atomic_file's sink: a temp file in the
// same directory, synced, renamed by rank 0 once every rank has written. Construction, write_all,
// commit and abort are collective: every rank calls them, in the same order.

#include "../byte_sink.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include <mpi.h>

namespace colsnap::detail::mpi {

/// Bytes of one rank that go at @p offset of the file (borrowed for the call).
struct block {
    std::uint64_t offset = 0;
    std::span<const std::byte> bytes;
};

class mpi_file_sink final : public byte_sink {
public:
    /// Collective: rank 0 names the temp file, every rank opens it. @p hints go to MPI_File_open.
    mpi_file_sink(MPI_Comm comm, std::filesystem::path target, bool durable, MPI_Info hints);
    ~mpi_file_sink() override;
    mpi_file_sink(const mpi_file_sink&) = delete;
    mpi_file_sink& operator=(const mpi_file_sink&) = delete;
    mpi_file_sink(mpi_file_sink&&) = delete;
    mpi_file_sink& operator=(mpi_file_sink&&) = delete;

    const std::filesystem::path& target() const noexcept override { return target_; }
    const std::filesystem::path& temp_path() const noexcept { return temp_; }
    /// This rank's append position (byte_sink::write appends there, independently).
    std::uint64_t position() const noexcept override { return position_; }
    void write(std::span<const std::byte> bytes) override;
    using byte_sink::write;
    void write_at(std::span<const std::byte> bytes, std::uint64_t offset) override;
    /// Collective: writes this rank's @p blocks (any order; they must not overlap) in one
    /// MPI_File_write_all. Failures are agreed: every rank throws the same error.
    void write_all(std::span<const block> blocks);
    /// Collective: sync (when durable), close, then rank 0 renames the temp file over target()
    /// and syncs the directory. Failures are agreed.
    void commit() override;
    /// Collective: closes and removes the temp file. Idempotent.
    void abort() noexcept override;

private:
    MPI_Comm comm_;
    std::filesystem::path target_, temp_;
    bool durable_;
    MPI_File fh_ = MPI_FILE_NULL;
    std::uint64_t position_ = 0;
};

} // namespace colsnap::detail::mpi
