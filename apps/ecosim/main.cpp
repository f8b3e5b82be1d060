// ecosim: run, resume, hash and plot the reference world. This file only parses the command
// line (CLI11) and maps outcomes to exit codes: 0 ok, 1 error, 2 usage.

#include "../common/print_error.hpp"
#include "../common/snapshot_schedule.hpp"
#include "../common/whole_number.hpp"
#include "driver.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/world.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#ifndef ECOSIM_VERSION_STRING
#define ECOSIM_VERSION_STRING "unknown"
#endif

namespace {

using namespace ecosim_cli;

constexpr const char* command_list = "(commands: run, resume, hash, plot, segments)";

void print_usage_error(const std::string& what) {
    apps_common::print_error("ecosim", "usage: " + what + " (see ecosim --help)");
}

void add_run_flags(CLI::App* cmd, run_options& o) {
    cmd->add_option("--ticks", o.target_tick, "target tick: run until the world's tick is T")
        ->type_name("T")
        ->required()
        ->check(apps_common::whole_number(0));
    apps_common::add_snapshot_flags(cmd, o.snapshot_every, o.out_dir,
                                    "in the background unless --blocking");
    cmd->add_option("--hash-every", o.hash_every,
                    "print the world hash and the canonical hash every H ticks")
        ->type_name("H")
        ->check(apps_common::whole_number(1));
    cmd->add_flag("--compress", o.compress, "deflate snapshot members (smaller, slower)");
    cmd->add_flag("--blocking", o.blocking,
                  "write each snapshot before the next tick (default: the tick thread copies the "
                  "columns and a background thread writes them; at the end, or on SIGINT/SIGTERM, "
                  "a snapshot in flight is finished before exit)");
    cmd->add_flag(
        "--quiet,-q", [&o](std::int64_t) { o.progress = false; }, "no progress line on stderr");
}

int parse_and_run(int argc, char** argv) {
    CLI::App app{"ecosim " ECOSIM_VERSION_STRING
                 " - the deterministic reference world of colsnap,\n"
                 "snapshotted to .npz. The world's rules: docs/WORLD.md in the colsnap sources\n"
                 "(share/doc/colsnap/WORLD.md when installed); the snapshot members: FORMAT.md.\n"
                 "Exit status: 0 ok, 1 error, 2 usage error; errors are one line on stderr.",
                 "ecosim"};
    app.set_version_flag("--version", "ecosim " ECOSIM_VERSION_STRING);
    app.require_subcommand(1);
    std::function<int()> run;

    run_options run_opt;
    std::uint32_t creatures = 10000;
    std::uint64_t seed = 42;
    auto* run_cmd = app.add_subcommand("run", "Create a world and run it; prints the final hashes");
    run_cmd
        ->add_option("--creatures", creatures,
                     "creatures at tick 0, 1 to 100000000 (the world scales with it)")
        ->type_name("N")
        ->required()
        ->check(apps_common::whole_number(1, 100000000));
    run_cmd->add_option("--seed", seed, "random seed (default 42)")
        ->type_name("S")
        ->check(apps_common::whole_number(0));
    add_run_flags(run_cmd, run_opt);
    run_cmd->callback([&] {
        run = [&] {
            ecosim::world w = ecosim::create_world(ecosim::make_config(creatures, seed));
            return drive(w, run_opt, true);
        };
    });

    run_options resume_opt;
    std::string resume_from;
    auto* resume_cmd = app.add_subcommand("resume", "Load a snapshot and run it to tick T");
    resume_cmd->add_option("SNAPSHOT", resume_from, "an ecosim .npz snapshot")->required();
    add_run_flags(resume_cmd, resume_opt);
    resume_cmd->callback([&] {
        run = [&] {
            ecosim::world w = ecosim::load(resume_from);
            return drive(w, resume_opt, false);
        };
    });

    std::string hash_file;
    auto* hash_cmd = app.add_subcommand(
        "hash", "Load a snapshot (validating it) and print `HASH  FILE  canonical CANONICAL`:\n"
                "its world hash (for a current-schema file that of `colsnap hash FILE`) and its\n"
                "canonical hash (slot order taken out: the same world from any rank count of\n"
                "ecosim-mpi, or in any row order, has the same one).");
    hash_cmd->add_option("SNAPSHOT", hash_file, "an ecosim .npz snapshot")->required();
    hash_cmd->callback([&] {
        run = [&] {
            const ecosim::world w = ecosim::load(hash_file);
            std::printf("%s  %s  canonical %s\n", ecosim::world_hash(w).hex().c_str(),
                        hash_file.c_str(), ecosim::canonical_hash(w).hex().c_str());
            return exit_ok;
        };
    });

    std::string segments_of;
    auto* segments_cmd = app.add_subcommand(
        "segments", "Load a snapshot (checking its log segments) and print the segments it\n"
                    "uses, root first, one path a line: its logs are their rows in that order");
    segments_cmd->add_option("SNAPSHOT", segments_of, "an ecosim .npz snapshot")->required();
    segments_cmd->callback([&] {
        run = [&] {
            std::vector<std::filesystem::path> files;
            (void)ecosim::load(segments_of, &files);
            const auto dir = std::filesystem::path(segments_of).parent_path(); // as given
            for (const auto& f : files) std::printf("%s\n", (dir / f.filename()).c_str());
            return exit_ok;
        };
    });

    std::string plot_in, plot_out = "population.png";
    auto* plot_cmd = app.add_subcommand(
        "plot", "Plot the population log of a snapshot (matplotlib, /usr/bin/python3)");
    plot_cmd->add_option("SNAPSHOT", plot_in, "an ecosim .npz snapshot")->required();
    plot_cmd->add_option("-o,--output", plot_out, "PNG to write (default population.png)");
    plot_cmd->callback([&] { run = [&] { return plot(plot_in, plot_out); }; });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e); // --help, --version
        std::string what = e.what();
        // The same words as colsnap's for a missing or unknown command.
        if (argc == 1) what = std::string("no command given ") + command_list;
        else if (app.get_subcommands().empty() && argv[1][0] != '-')
            what = std::string("unknown command '") + argv[1] + "' " + command_list;
        print_usage_error(what);
        return exit_usage;
    }
    return run ? run() : exit_usage;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return parse_and_run(argc, argv);
    } catch (const ecosim_cli::usage_error& e) {
        print_usage_error(e.what());
        return ecosim_cli::exit_usage;
    } catch (const std::exception& e) {
        apps_common::print_error("ecosim", std::string("error: ") + e.what());
        return ecosim_cli::exit_error;
    } catch (...) {
        apps_common::print_error("ecosim", "error: unknown exception");
        return ecosim_cli::exit_error;
    }
}
