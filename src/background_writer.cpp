// background_writer: staging slots (reused buffers) + one worker thread that runs save_npz.
// The caller's cost is one memcpy per column into a slot; docs/BACKGROUND.md has the figures
// against first-touch buffers and fork() + copy-on-write.
#include "background_writer_internal.hpp"

#include <colsnap/array.hpp>
#include <colsnap/background_writer.hpp>
#include <colsnap/error.hpp>

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace colsnap {
namespace {

constexpr std::size_t stage_align = 64; // each column starts on a cache line of the slot

std::size_t round_up(std::size_t n) { return (n + stage_align - 1) / stage_align * stage_align; }

struct free_deleter {
    void operator()(std::byte* p) const noexcept { std::free(p); }
};

/// One staged snapshot: its own buffer (kept between snapshots, grown only when a snapshot is
/// larger than any before) and the column_refs that borrow it.
struct slot {
    std::unique_ptr<std::byte, free_deleter> buffer; // never zeroed: the copy faults its pages
    std::size_t capacity = 0;
    std::filesystem::path path;
    std::vector<column_ref> columns;
    bool busy = false;

    void reserve(std::size_t bytes) {
        if (bytes <= capacity) return;
        buffer.reset(); // free the old one first: peak memory stays one buffer per slot
        capacity = 0;
        // A quarter more than asked: state that grows a little between snapshots (a world's
        // rows) would otherwise get a new, unfaulted buffer at every snapshot.
        const std::size_t want = round_up(bytes + bytes / 4);
        buffer.reset(static_cast<std::byte*>(std::aligned_alloc(stage_align, want)));
        if (!buffer) throw std::bad_alloc();
        capacity = want;
    }
};

} // namespace

struct background_writer::impl {
    background_options opt;
    std::vector<slot> slots;
    mutable std::mutex m;
    std::condition_variable cv;    // a slot became free, or work arrived, or stop
    std::deque<std::size_t> queue; // slots to write, oldest first
    std::deque<std::exception_ptr> errors;
    std::size_t busy = 0;
    std::uint64_t completed = 0;
    bool stop = false;
    bool held = false; // detail::background_writer_access: the worker takes no new work
    std::size_t submit_waiters = 0; // submit() calls blocked by backpressure::wait
    std::thread worker;

    void run() {
        std::unique_lock lk(m);
        for (;;) {
            cv.wait(lk, [&] { return (stop && !held) || (!queue.empty() && !held); });
            if (queue.empty()) return; // stop, with nothing left to write
            const std::size_t i = queue.front();
            queue.pop_front();
            slot& s = slots[i];
            lk.unlock();
            std::exception_ptr failed;
            try {
                save_npz(s.path, s.columns, opt.write);
            } catch (...) {
                failed = std::current_exception();
            }
            lk.lock();
            if (failed) errors.push_back(std::move(failed));
            else ++completed;
            s.busy = false;
            --busy;
            cv.notify_all();
        }
    }

    // Rethrows the oldest unreported error; called with m held.
    void report(std::unique_lock<std::mutex>& lk) {
        if (errors.empty()) return;
        std::exception_ptr e = std::move(errors.front());
        errors.pop_front();
        lk.unlock();
        std::rethrow_exception(e);
    }
};

background_writer::background_writer(background_options opt) : impl_(std::make_unique<impl>()) {
    if (opt.max_in_flight == 0)
        throw error(errc::invalid_argument, "background_writer: max_in_flight must be at least 1");
    impl_->opt = std::move(opt);
    impl_->slots.resize(impl_->opt.max_in_flight);
    impl_->worker = std::thread([p = impl_.get()] { p->run(); });
}

background_writer::~background_writer() {
    {
        const std::lock_guard lk(impl_->m);
        impl_->stop = true;
        impl_->held = false;
    }
    impl_->cv.notify_all();
    impl_->worker.join(); // the worker drains the queue first: writes in flight are finished
}

submit_status background_writer::submit(const std::filesystem::path& path,
                                        std::span<const column_ref> columns) {
    std::size_t total = 0;
    for (const column_ref& c : columns) {
        const std::uint64_t n = checked_nbytes(c.info);
        if (n != c.bytes.size())
            throw error(errc::invalid_argument,
                        "background_writer: " + std::to_string(c.bytes.size()) +
                            " bytes for an array of " + std::to_string(n),
                        path.string(), c.name, error::no_offset);
        total += round_up(c.bytes.size());
    }
    std::unique_lock lk(impl_->m);
    impl_->report(lk);
    submit_status status = submit_status::queued;
    if (impl_->busy == impl_->slots.size()) {
        if (impl_->opt.when_full == backpressure::skip) return submit_status::skipped;
        ++impl_->submit_waiters;
        impl_->cv.notify_all();
        impl_->cv.wait(lk, [&] { return impl_->busy < impl_->slots.size(); });
        --impl_->submit_waiters;
        status = submit_status::queued_waited;
        impl_->report(lk); // the write we waited for may have failed
    }
    std::size_t i = 0;
    while (impl_->slots[i].busy) ++i;
    slot& s = impl_->slots[i];
    s.busy = true;
    ++impl_->busy;
    lk.unlock();
    // The capture, outside the lock: the worker never touches a slot that is not queued.
    try {
        s.reserve(total);
        s.path = path;
        s.columns.assign(columns.begin(), columns.end());
        std::size_t at = 0;
        for (column_ref& c : s.columns) {
            if (!c.bytes.empty()) std::memcpy(s.buffer.get() + at, c.bytes.data(), c.bytes.size());
            c.bytes = std::span<const std::byte>(s.buffer.get() + at, c.bytes.size());
            at += round_up(c.bytes.size());
        }
    } catch (...) {
        lk.lock();
        s.busy = false;
        --impl_->busy;
        impl_->cv.notify_all();
        throw;
    }
    lk.lock();
    impl_->queue.push_back(i);
    impl_->cv.notify_all();
    return status;
}

bool background_writer::poll() {
    std::unique_lock lk(impl_->m);
    impl_->report(lk);
    return impl_->busy == 0;
}

void background_writer::wait() {
    std::unique_lock lk(impl_->m);
    impl_->cv.wait(lk, [&] { return impl_->busy == 0; });
    impl_->report(lk);
}

std::size_t background_writer::in_flight() const {
    const std::lock_guard lk(impl_->m);
    return impl_->busy;
}

std::uint64_t background_writer::completed() const {
    const std::lock_guard lk(impl_->m);
    return impl_->completed;
}

void detail::background_writer_access::hold(background_writer& w) {
    const std::lock_guard lk(w.impl_->m);
    w.impl_->held = true;
}

void detail::background_writer_access::release(background_writer& w) {
    {
        const std::lock_guard lk(w.impl_->m);
        w.impl_->held = false;
    }
    w.impl_->cv.notify_all();
}

void detail::background_writer_access::wait_for_blocked_submit(background_writer& w) {
    std::unique_lock lk(w.impl_->m);
    w.impl_->cv.wait(lk, [&] { return w.impl_->submit_waiters > 0; });
}

} // namespace colsnap
