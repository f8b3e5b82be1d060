#pragma once
// background_writer's engine: staging slots (reused buffers) and one worker thread that writes
// each staged job with save_npz. background_writer (the public class) is a thin wrapper over it;
// the tests use it directly to hold the worker, so that "all slots busy" happens without timing.
#include <colsnap/background_writer.hpp>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace colsnap::detail {

/// One staged job: its own buffer (kept between jobs, grown only when a job is larger than any
/// before) and, per file, the column_refs that borrow it.
struct staging_slot {
    struct free_deleter {
        void operator()(std::byte* p) const noexcept;
    };
    struct file {
        std::filesystem::path path;
        std::vector<column_ref> columns;
    };
    std::unique_ptr<std::byte, free_deleter> buffer;
    std::size_t capacity = 0;
    std::vector<file> files;
    bool busy = false;

    /// Capacity for @p bytes (plus a quarter, for growth); faults the first @p fault bytes.
    void reserve(std::size_t bytes, std::size_t fault);
};

class background_queue {
public:
    explicit background_queue(background_options opt);
    ~background_queue(); // finishes the jobs in flight
    background_queue(const background_queue&) = delete;
    background_queue& operator=(const background_queue&) = delete;
    background_queue(background_queue&&) = delete; // the worker thread holds its address
    background_queue& operator=(background_queue&&) = delete;

    submit_status submit(std::span<const file_columns> files);
    bool poll();
    void wait();
    void reserve(std::size_t bytes);
    std::size_t in_flight() const;
    std::uint64_t completed() const;
    std::size_t staging_capacity() const;

    /// The worker finishes the job it is in, then takes no new one until release().
    void hold();
    void release();
    /// Blocks until a submit() on another thread is waiting for a free slot.
    void wait_for_blocked_submit();

private:
    void run();
    void report(std::unique_lock<std::mutex>& lk); // rethrows the oldest error; m held

    background_options opt_;
    std::vector<staging_slot> slots_;
    mutable std::mutex m_;
    std::condition_variable cv_;    // a slot became free, or work arrived, or stop
    std::deque<std::size_t> queue_; // slots to write, oldest first
    std::deque<std::exception_ptr> errors_;
    std::size_t busy_ = 0;
    std::uint64_t completed_ = 0;
    bool stop_ = false;
    bool held_ = false;
    std::size_t submit_waiters_ = 0; // submit() calls blocked by backpressure::wait
    std::thread worker_;
};

} // namespace colsnap::detail
