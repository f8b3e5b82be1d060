// background_writer: staging slots (reused buffers) + one worker thread that runs save_npz on
// each staged job, file after file. The caller's cost is one memcpy per column into a slot;
// docs/BACKGROUND.md has the figures against first-touch buffers and fork() + copy-on-write.
#include "background_writer_internal.hpp"

#include <colsnap/array.hpp>
#include <colsnap/background_writer.hpp>
#include <colsnap/error.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

namespace colsnap {
namespace detail {
namespace {

constexpr std::size_t stage_align = 64; // each column starts on a cache line of the slot

std::size_t round_up(std::size_t n) { return (n + stage_align - 1) / stage_align * stage_align; }

} // namespace

// aligned_alloc/free: a 64-byte-aligned buffer whose pages stay untouched until written (new[]
// with an alignment would need its own matching delete); buffer (a unique_ptr) owns it.
void staging_slot::free_deleter::operator()(std::byte* p) const noexcept {
    std::free(p); // NOLINT(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
}

void staging_slot::reserve(std::size_t bytes, std::size_t fault) {
    if (bytes > capacity) {
        buffer.reset(); // free the old one first: peak memory stays one buffer per slot
        capacity = 0;
        // A quarter more than asked: state that grows a little between snapshots (a world's
        // rows) would otherwise get a new, unfaulted buffer at every snapshot.
        const std::size_t want = round_up(bytes + bytes / 4);
        // NOLINTNEXTLINE(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
        buffer.reset(static_cast<std::byte*>(std::aligned_alloc(stage_align, want)));
        if (!buffer) throw std::bad_alloc();
        capacity = want;
    }
    // Writing a byte faults its page in; the headroom past @p fault stays untouched (no RSS).
    if (fault != 0) std::memset(buffer.get(), 0, std::min(fault, capacity));
}

background_queue::background_queue(background_options opt) : opt_(opt) {
    if (opt_.max_in_flight == 0)
        throw error(errc::invalid_argument, "background_writer: max_in_flight must be at least 1");
    slots_.resize(opt_.max_in_flight);
    if (opt_.reserve != 0) reserve(opt_.reserve);
    worker_ = std::thread([this] { run(); });
}

background_queue::~background_queue() {
    {
        const std::lock_guard lk(m_);
        stop_ = true;
        held_ = false;
    }
    cv_.notify_all();
    worker_.join(); // the worker drains the queue first: writes in flight are finished
}

void background_queue::run() {
    std::unique_lock lk(m_);
    for (;;) {
        cv_.wait(lk, [&] { return !held_ && (stop_ || !queue_.empty()); });
        if (queue_.empty()) return; // stop, with nothing left to write
        const std::size_t i = queue_.front();
        queue_.pop_front();
        staging_slot& s = slots_[i];
        lk.unlock();
        std::exception_ptr failed;
        try {
            // In order; a failure ends the job, so no file is renamed into place before the
            // ones it depends on (with write.durable: are fsynced and renamed).
            for (const staging_slot::file& f : s.files) save_npz(f.path, f.columns, opt_.write);
        } catch (...) {
            failed = std::current_exception();
        }
        lk.lock();
        if (failed) errors_.push_back(std::move(failed));
        else ++completed_;
        s.busy = false;
        --busy_;
        cv_.notify_all();
    }
}

void background_queue::report(std::unique_lock<std::mutex>& lk) {
    if (errors_.empty()) return;
    std::exception_ptr e = std::move(errors_.front());
    errors_.pop_front();
    lk.unlock();
    std::rethrow_exception(e);
}

submit_status background_queue::submit(std::span<const file_columns> files) {
    std::size_t total = 0;
    for (const file_columns& f : files)
        for (const column_ref& c : f.columns) {
            const std::uint64_t n = checked_nbytes(c.info);
            if (n != c.bytes.size())
                throw error(errc::invalid_argument,
                            "background_writer: " + std::to_string(c.bytes.size()) +
                                " bytes for an array of " + std::to_string(n),
                            f.path.string(), c.name, error::no_offset);
            total += round_up(c.bytes.size());
        }
    std::unique_lock lk(m_);
    report(lk);
    submit_status status = submit_status::queued;
    if (busy_ == slots_.size()) {
        if (opt_.when_full == backpressure::skip) return submit_status::skipped;
        ++submit_waiters_;
        cv_.notify_all();
        cv_.wait(lk, [&] { return busy_ < slots_.size(); });
        --submit_waiters_;
        status = submit_status::queued_waited;
        report(lk); // the write we waited for may have failed
    }
    std::size_t i = 0;
    while (slots_[i].busy) ++i;
    staging_slot& s = slots_[i];
    s.busy = true;
    ++busy_;
    lk.unlock();
    // The capture, outside the lock: the worker never touches a slot that is not queued.
    try {
        s.reserve(total, 0);
        s.files.resize(files.size());
        std::size_t at = 0;
        for (std::size_t k = 0; k < files.size(); ++k) {
            s.files[k].path = files[k].path;
            s.files[k].columns.assign(files[k].columns.begin(), files[k].columns.end());
            for (column_ref& c : s.files[k].columns) {
                if (!c.bytes.empty())
                    std::memcpy(s.buffer.get() + at, c.bytes.data(), c.bytes.size());
                c.bytes = std::span<const std::byte>(s.buffer.get() + at, c.bytes.size());
                at += round_up(c.bytes.size());
            }
        }
    } catch (...) {
        lk.lock();
        s.busy = false;
        --busy_;
        cv_.notify_all();
        throw;
    }
    lk.lock();
    queue_.push_back(i);
    cv_.notify_all();
    return status;
}

void background_queue::reserve(std::size_t bytes) {
    std::vector<staging_slot*> mine;
    {
        const std::lock_guard lk(m_);
        for (staging_slot& s : slots_)
            if (!s.busy) {
                s.busy = true; // kept from the worker and from submit() meanwhile
                ++busy_;
                mine.push_back(&s);
            }
    }
    std::exception_ptr failed;
    for (staging_slot* s : mine) {
        try {
            s->reserve(bytes, bytes + bytes / 16);
        } catch (...) {
            failed = std::current_exception();
        }
    }
    {
        const std::lock_guard lk(m_);
        for (staging_slot* s : mine) s->busy = false;
        busy_ -= mine.size();
    }
    cv_.notify_all();
    if (failed) std::rethrow_exception(failed);
}

bool background_queue::poll() {
    std::unique_lock lk(m_);
    report(lk);
    return busy_ == 0;
}

void background_queue::wait() {
    std::unique_lock lk(m_);
    cv_.wait(lk, [&] { return busy_ == 0; });
    report(lk);
}

std::size_t background_queue::in_flight() const {
    const std::lock_guard lk(m_);
    return busy_;
}

std::uint64_t background_queue::completed() const {
    const std::lock_guard lk(m_);
    return completed_;
}

std::size_t background_queue::staging_capacity() const {
    const std::lock_guard lk(m_);
    std::size_t n = 0;
    for (const staging_slot& s : slots_) n += s.capacity;
    return n;
}

void background_queue::hold() {
    const std::lock_guard lk(m_);
    held_ = true;
}

void background_queue::release() {
    {
        const std::lock_guard lk(m_);
        held_ = false;
    }
    cv_.notify_all();
}

void background_queue::wait_for_blocked_submit() {
    std::unique_lock lk(m_);
    cv_.wait(lk, [&] { return submit_waiters_ > 0; });
}

} // namespace detail

struct background_writer::impl : detail::background_queue {
    using background_queue::background_queue;
};

background_writer::background_writer(background_options opt) : impl_(std::make_unique<impl>(opt)) {}

background_writer::~background_writer() = default;

submit_status background_writer::submit(const std::filesystem::path& path,
                                        std::span<const column_ref> columns) {
    const file_columns one{path, columns};
    return impl_->submit({&one, 1});
}

submit_status background_writer::submit(std::span<const file_columns> files) {
    return impl_->submit(files);
}

void background_writer::reserve(std::size_t bytes) { impl_->reserve(bytes); }
bool background_writer::poll() { return impl_->poll(); }
void background_writer::wait() { impl_->wait(); }
std::size_t background_writer::in_flight() const { return impl_->in_flight(); }
std::uint64_t background_writer::completed() const { return impl_->completed(); }
std::size_t background_writer::staging_capacity() const { return impl_->staging_capacity(); }

} // namespace colsnap
