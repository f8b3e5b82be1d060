#pragma once
// How `ecosim run`/`resume` write their snapshots: in the background (colsnap's
// background_writer: the tick thread only copies the columns) or, with --blocking, in place.

#include <ecosim/world.hpp>

#include <memory>
#include <string>

namespace ecosim_cli {

/// Writes snapshots of a run. In the background mode, at most one snapshot is in flight (a
/// second waits for the first); its log segment and the snapshot are one job of the background
/// writer, the segment fsynced and renamed into place before the snapshot is begun and SIGINT/SIGTERM are taken by a thread of this object: it
/// finishes the snapshot in flight, then the process exits with 128 + the signal's number.
class snapshot_writer {
public:
    /// In the background mode, reserves and faults staging for a snapshot of @p w into
    /// @p out_dir now (before the first tick), so that no tick's capture pays the first touch
    /// of its pages.
    snapshot_writer(const ecosim::world& w, const std::string& out_dir, bool background,
                    bool compress);
    /// Finishes a snapshot in flight (an error not yet reported is then dropped: call finish()).
    ~snapshot_writer();
    snapshot_writer(const snapshot_writer&) = delete;
    snapshot_writer& operator=(const snapshot_writer&) = delete;

    /// Writes @p w to @p path, or stages it and returns; throws an earlier snapshot's error.
    void write(const ecosim::world& w, const std::string& path);
    /// Waits until every snapshot is on disk; throws the error of one that failed.
    void finish();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace ecosim_cli
