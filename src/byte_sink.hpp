#pragma once
// Internal: where a writer's bytes go. npz_writer appends records and data, patches a CRC it
// has already written, and commits or aborts; an atomic file (temp + rename) is one such
// sink, and an MPI-IO or shared-memory one would be another (with layout_plan in zip_format.hpp,
// which places every member before anything is written).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

namespace colsnap::detail {

class byte_sink {
public:
    byte_sink() = default;
    virtual ~byte_sink() = default;
    byte_sink(const byte_sink&) = delete; // a sink owns a file: not copied, not moved
    byte_sink& operator=(const byte_sink&) = delete;
    byte_sink(byte_sink&&) = delete;
    byte_sink& operator=(byte_sink&&) = delete;
    /// Where the bytes appear on commit() (for error messages).
    virtual const std::filesystem::path& target() const noexcept = 0;
    /// Bytes written so far (the offset of the next write()).
    virtual std::uint64_t position() const noexcept = 0;
    /// Appends @p bytes.
    virtual void write(std::span<const std::byte> bytes) = 0;
    void write(std::string_view text) { write(std::as_bytes(std::span(text.data(), text.size()))); }
    /// Overwrites bytes already written, at @p offset.
    virtual void write_at(std::span<const std::byte> bytes, std::uint64_t offset) = 0;
    /// Makes the bytes appear at target(), whole; throws error on failure.
    virtual void commit() = 0;
    /// Drops everything written; idempotent.
    virtual void abort() noexcept = 0;
};

/// A sink over detail::atomic_file (posix_file.hpp): a temp file beside @p target, renamed over
/// it on commit (fsynced when @p durable).
std::unique_ptr<byte_sink> make_atomic_file_sink(std::filesystem::path target, bool durable);

} // namespace colsnap::detail
