#pragma once
// When and where `ecosim` and `ecosim-mpi` write snapshots, one rule for both tools:
// --snapshot-every K (which needs --out DIR) writes DIR/tick_NNNNNN.npz at tick 0 of a fresh
// run and every K ticks; with --out, the run's last tick is always written.

#include "whole_number.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace apps_common {

/// Adds --snapshot-every K and --out DIR to @p cmd (K without DIR is a usage error at parse
/// time, before any world is made). @p what_writes says how a snapshot is written.
inline void add_snapshot_flags(CLI::App* cmd, std::uint64_t& every, std::string& out_dir,
                               const std::string& what_writes) {
    CLI::Option* out = cmd->add_option("--out", out_dir,
                                       "directory for snapshots (created if missing; the last "
                                       "tick run is always written)")
                           ->type_name("DIR");
    cmd->add_option("--snapshot-every", every,
                    "write DIR/tick_NNNNNN.npz every K ticks, and at tick 0 of a new run (" +
                        what_writes + ")")
        ->type_name("K")
        ->check(whole_number(1))
        ->needs(out);
}

/// DIR/tick_NNNNNN.npz, the snapshot of @p tick.
inline std::string snapshot_path(const std::string& dir, std::uint64_t tick) {
    char name[64];
    std::snprintf(name, sizeof name, "tick_%06llu.npz", static_cast<unsigned long long>(tick));
    return (std::filesystem::path(dir) / name).string();
}

/// Whether the tick just completed, @p tick, is snapshotted (given an --out): every @p every
/// ticks (0: none) and the run's @p last tick.
inline bool snapshot_due(std::uint64_t tick, std::uint64_t every, bool last) {
    return last || (every > 0 && tick % every == 0);
}

/// Whether a run starting at its tick 0 (@p fresh) writes that tick first.
inline bool snapshot_at_start(bool fresh, std::uint64_t every) { return fresh && every > 0; }

/// The refusal of a target tick before the loaded world's, or empty.
inline std::string target_tick_problem(std::uint64_t target, std::uint64_t tick) {
    if (target >= tick) return {};
    return "--ticks " + std::to_string(target) + " is before the snapshot's tick " +
           std::to_string(tick) + " (--ticks is the target tick)";
}

} // namespace apps_common
