#pragma once
// The run/resume loop of the ecosim tool: ticks, periodic hashes and snapshots, progress.

#include <ecosim/world.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ecosim_cli {

inline constexpr int exit_ok = 0, exit_error = 1, exit_usage = 2;

/// Thrown for a bad combination of arguments (exit 2).
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct run_options {
    std::uint64_t target_tick = 0;
    std::uint64_t snapshot_every = 0; ///< 0: none
    std::string out_dir;
    std::uint64_t hash_every = 0; ///< 0: only the final hash
    bool compress = false;
    bool blocking = false; ///< write snapshots on the tick thread (default: in the background)
    bool progress = true;
};

/// Steps @p w to opt.target_tick, printing hashes and writing snapshots as asked. @p fresh:
/// the world is at its start (tick 0 of a run), so a snapshot of the starting tick is written.
int drive(ecosim::world& w, const run_options& opt, bool fresh);

/// Checks SNAPSHOT (an ecosim .npz) and OUT (a writable .png path), then runs
/// /usr/bin/python3 plot_population.py SNAPSHOT -o OUT (the script installed beside the binary).
/// Throws std::runtime_error with one line on any failure.
int plot(const std::string& snapshot, const std::string& out);

} // namespace ecosim_cli
