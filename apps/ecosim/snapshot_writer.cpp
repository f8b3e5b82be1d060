// The background mode's signal handling is a thread that sigwait()s SIGINT and SIGTERM (blocked
// in every other thread), so that finishing the snapshot in flight runs as ordinary code, not in
// a signal handler: it takes the writer's lock (no capture is then half done), waits for the
// write, and exits. A torn file is impossible either way (save_npz renames a complete,
// fsynced temp file); waiting makes sure no staged snapshot is silently lost.

#include "snapshot_writer.hpp"

#include <colsnap/background_writer.hpp>
#include <ecosim/snapshot.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

namespace ecosim_cli {

namespace {

ecosim::snapshot_options snapshot_options(bool compress) {
    ecosim::snapshot_options so;
    so.compress = compress;
    return so;
}

sigset_t stop_signals() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    return s;
}

} // namespace

struct snapshot_writer::impl {
    bool compress;
    std::optional<colsnap::background_writer> bw; // empty: --blocking
    std::mutex m;                                 // held by write() and by the signal thread
    std::thread signals;
    sigset_t old_mask{};
    bool done = false;

    void on_signals() {
        const sigset_t s = stop_signals();
        for (;;) {
            int sig = 0;
            if (sigwait(&s, &sig) != 0) continue;
            std::unique_lock lk(m);
            if (done) return; // woken by the destructor
            const bool busy = bw->in_flight() != 0;
            try {
                bw->wait();
            } catch (const std::exception& e) {
                std::fprintf(stderr, "ecosim: error: %s\n", e.what());
            }
            std::fflush(stdout);
            std::fprintf(stderr, "ecosim: %s: %s; exiting\n", sig == SIGINT ? "SIGINT" : "SIGTERM",
                         busy ? "finished the snapshot in flight" : "no snapshot in flight");
            std::_Exit(128 + sig);
        }
    }
};

snapshot_writer::snapshot_writer(const ecosim::world& w, const std::string& out_dir,
                                 bool background, bool compress)
    : impl_(std::make_unique<impl>()) {
    impl_->compress = compress;
    if (!background) return;
    colsnap::background_options bo;
    bo.write = ecosim::snapshot_write_options(snapshot_options(compress));
    // The bytes a snapshot into out_dir would stage now (the columns and the log segment since
    // the last one); the staging keeps some more for the world's growth and later segments.
    bo.reserve = ecosim::snapshot_files(w, std::filesystem::path(out_dir) / "reserve.npz",
                                        snapshot_options(compress))
                     .bytes();
    // Blocked before the writer's thread starts, so that it inherits the mask too.
    const sigset_t s = stop_signals();
    pthread_sigmask(SIG_BLOCK, &s, &impl_->old_mask);
    impl_->bw.emplace(bo);
    impl_->signals = std::thread([p = impl_.get()] { p->on_signals(); });
}

snapshot_writer::~snapshot_writer() {
    if (!impl_->bw) return;
    {
        const std::lock_guard lk(impl_->m);
        impl_->done = true;
    }
    pthread_kill(impl_->signals.native_handle(), SIGTERM); // wakes sigwait: done, it returns
    impl_->signals.join();
    impl_->bw.reset(); // finishes a write in flight
    // A SIGINT/SIGTERM that came meanwhile is pending: unblocking delivers it (default action).
    pthread_sigmask(SIG_SETMASK, &impl_->old_mask, nullptr);
}

void snapshot_writer::write(const ecosim::world& w, const std::string& path) {
    const ecosim::snapshot_options so = snapshot_options(impl_->compress);
    if (!impl_->bw) {
        ecosim::snapshot(w, path, so);
        return;
    }
    const std::lock_guard lk(impl_->m);
    // One job: the log segment since the last snapshot (if any), then the snapshot, staged
    // together and written in that order by the background writer (so the snapshot is renamed
    // into place only once its segment is durable), or skipped together.
    const ecosim::snapshot_plan plan = ecosim::snapshot_files(w, path, so);
    std::vector<colsnap::file_columns> job;
    if (plan.segment) job.push_back({plan.segment->path, plan.segment->columns});
    job.push_back({path, plan.columns});
    if (impl_->bw->submit(job) != colsnap::submit_status::skipped) plan.segment_written(w);
}

void snapshot_writer::finish() {
    if (!impl_->bw) return;
    const std::lock_guard lk(impl_->m);
    impl_->bw->wait();
}

} // namespace ecosim_cli
