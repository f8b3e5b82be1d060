#pragma once
/// @file background_writer.hpp
/// @brief Snapshots written off the caller's thread: the caller pays only for copying the
/// columns into staging buffers; a worker thread writes, fsyncs and renames (save_npz).

#include <colsnap/column.hpp>
#include <colsnap/npz_writer.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

namespace colsnap {

/// @brief What submit() does when max_in_flight snapshots are already staged or being written.
enum class backpressure : std::uint8_t {
    wait, ///< block until the oldest finishes, then stage this one
    skip, ///< drop this snapshot (nothing is written) and return at once
};

struct background_options {
    /// Snapshots staged or being written at once; each has its own staging buffers, so peak
    /// memory is about max_in_flight copies of the columns. At least 1.
    unsigned max_in_flight = 1;
    backpressure when_full = backpressure::wait;
    write_options write; ///< passed to save_npz as is (durable, compression, threads)
    /// Staging bytes each slot reserves and faults at construction, as reserve() does: a
    /// snapshot of up to this many bytes then finds its staging ready. 0: grown on first use.
    std::size_t reserve = 0;
};

/// @brief One file of a snapshot job: the columns save_npz writes to @p path.
struct file_columns {
    std::filesystem::path path;
    std::span<const column_ref> columns;
};

/// @brief What submit() did with a snapshot.
enum class submit_status : std::uint8_t {
    queued,        ///< staged at once; it is being written
    queued_waited, ///< all slots were busy: waited for one (backpressure::wait), then staged
    skipped,       ///< all slots were busy: not written (backpressure::skip)
};

/// @brief Writes .npz snapshots in the background, exactly as save_npz would write them.
///
/// submit() copies every column's bytes into staging buffers that are kept from one snapshot
/// to the next (so their pages are faulted once, on the first snapshot of that size) and
/// returns; the caller may change its columns as soon as submit() returns. One worker thread
/// then calls save_npz on the staged copy: the file at the path is the same, byte for byte, as
/// save_npz(path, columns, options.write) at the time of submit(), and appears atomically.
///
/// A background write that fails is never lost: its colsnap::error (or other exception) is
/// rethrown by the next submit(), poll() or wait(), one error per call, oldest first. The
/// destructor finishes the writes in flight (it does not abandon them) but cannot throw: call
/// wait() before destroying a writer whose errors you want to see.
///
/// Not thread-safe: one caller thread uses a writer.
class background_writer {
public:
    explicit background_writer(background_options opt = {});
    ~background_writer();
    background_writer(const background_writer&) = delete;
    background_writer& operator=(const background_writer&) = delete;
    background_writer(background_writer&&) = delete; // never movable (spelled out)
    background_writer& operator=(background_writer&&) = delete;

    /// @brief Stages @p columns and queues their write to @p path. First rethrows an earlier
    /// write's error, if any (then nothing is staged). Throws errc::invalid_argument for
    /// columns whose bytes do not match their info, before staging anything.
    submit_status submit(const std::filesystem::path& path, std::span<const column_ref> columns);

    /// @brief Stages several files as one job (one slot): they are written in order, each by
    /// save_npz, so with write.durable each file is fsynced and renamed into place before the
    /// next one is begun; a file that fails ends the job (the files after it are not written,
    /// the ones before it stay). Backpressure takes or skips the job as a whole. Errors as
    /// submit(path, columns).
    submit_status submit(std::span<const file_columns> files);

    /// @brief Makes every slot not in flight hold staging for a snapshot of @p bytes (the sum
    /// of its columns' sizes) and faults those pages now, so that no later capture of up to
    /// that size allocates or first-touches memory. Never shrinks. A slot in flight is grown
    /// at its next use. Each slot keeps a quarter more than asked for growth, of which the
    /// first sixteenth of @p bytes is faulted too (state that grows a little between
    /// snapshots) and the rest is not (no RSS until used).
    void reserve(std::size_t bytes);

    /// @brief Staging bytes allocated, summed over the slots.
    std::size_t staging_capacity() const;

    /// @brief Rethrows an earlier write's error, if any; else true when nothing is in flight.
    bool poll();

    /// @brief Blocks until every submitted snapshot is written (or has failed), then rethrows
    /// the oldest error not yet reported, if any.
    void wait();

    /// @brief Snapshots staged or being written now.
    std::size_t in_flight() const;

    /// @brief Snapshots written (committed) so far.
    std::uint64_t completed() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace colsnap
