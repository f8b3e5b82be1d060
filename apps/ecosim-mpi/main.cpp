// ecosim-mpi: one ecosim world sharded over the ranks of MPI_COMM_WORLD (docs/SHARDING.md). This
// file parses the command line (CLI11, on every rank alike) and maps outcomes to exit codes: 0
// ok, 1 error, 2 usage. Output is rank 0's. An error every rank has alike (a bad option, a
// rank count without strips, a snapshot that cannot be loaded or written: the ranks agree on
// those) is one line from rank 0 and every rank's exit status; one that may be a single rank's
// (out of memory while the world is made or stepped) is that rank's line and ends the job
// (MPI_Abort), so no rank waits for another forever.

#include "../common/print_error.hpp"
#include "../common/snapshot_schedule.hpp"
#include "../common/whole_number.hpp"
#include "driver.hpp"

#include <ecosim/mpi/snapshot.hpp>
#include <ecosim/shard/shard.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

#include <mpi.h>

#ifndef ECOSIM_VERSION_STRING
#define ECOSIM_VERSION_STRING "unknown"
#endif

namespace {

constexpr int exit_ok = 0, exit_error = 1, exit_usage = 2;
constexpr const char* tool = "ecosim-mpi";

/// A bad combination of arguments (exit 2).
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void add_run_flags(CLI::App* cmd, ecosim_mpi::run_options& o) {
    cmd->add_option("--ticks", o.target_tick, "target tick: run until the world's tick is T")
        ->type_name("T")
        ->required()
        ->check(apps_common::whole_number(0));
    cmd->add_option("--hash-every", o.hash_every,
                    "print the canonical world hash every H ticks (it gathers the world on rank 0)")
        ->type_name("H")
        ->check(apps_common::whole_number(1));
    apps_common::add_snapshot_flags(cmd, o.snapshot_every, o.out_dir,
                                    "one .npz all ranks write together, which ecosim and numpy "
                                    "load; every rank must see DIR");
    cmd->add_flag("--edge-traffic", o.edge_traffic,
                  "print how many creatures crossed a strip edge and how many eat claims were "
                  "sent across one");
    cmd->add_flag(
        "--quiet,-q", [&o](std::int64_t) { o.progress = false; }, "no progress line on stderr");
}

/// Parses and runs; returns the exit status. @p in_run is set once the ranks run the world
/// (after which an error on one rank need not be an error on every rank).
int parse_and_run(int argc, char** argv, const ecosim::mpi::place& p, bool& in_run) {
    CLI::App app{"ecosim-mpi " ECOSIM_VERSION_STRING
                 " - one ecosim world sharded over MPI ranks in horizontal\n"
                 "strips (docs/SHARDING.md in the colsnap sources). Run under mpirun:\n"
                 "  mpirun -np R ecosim-mpi run --creatures N --ticks T [--hash-every H]\n"
                 "      [--snapshot-every K --out DIR]\n"
                 "  mpirun -np R ecosim-mpi resume SNAPSHOT --ticks T\n"
                 "A snapshot from any rank count resumes at any other, and in `ecosim resume`.\n"
                 "The canonical hash it prints is the same at every R and equals the\n"
                 "single-process `ecosim run`'s canonical hash. Output is rank 0's.\n"
                 "Exit status: 0 ok, 1 error, 2 usage error; errors are one line on stderr.",
                 tool};
    app.set_version_flag("--version", "ecosim-mpi " ECOSIM_VERSION_STRING);
    app.require_subcommand(1);
    std::function<int()> run;

    ecosim_mpi::run_options run_opt;
    std::uint32_t creatures = 10000;
    std::uint64_t seed = 42;
    auto* run_cmd = app.add_subcommand("run", "Create a world, shard it and run it");
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
            // every rank draws the whole world (the same on every rank) and keeps its strip
            const ecosim::config cfg = ecosim::make_config(creatures, seed);
            const ecosim::shard::strips s(cfg, p.ranks); // refuses a rank count too high
            in_run = true; // from here a failure (out of memory) may be this rank's alone
            ecosim::world shard = [&] {
                const ecosim::world w = ecosim::create_world(cfg);
                return ecosim::shard::split_one(w, s, p.rank);
            }();
            ecosim_mpi::drive(p, shard, s, run_opt, true);
            return exit_ok;
        };
    });

    ecosim_mpi::run_options resume_opt;
    std::string resume_from;
    auto* resume_cmd = app.add_subcommand("resume", "Load a snapshot and run it to tick T");
    resume_cmd->add_option("SNAPSHOT", resume_from, "an ecosim .npz snapshot")->required();
    add_run_flags(resume_cmd, resume_opt);
    resume_cmd->callback([&] {
        run = [&] {
            // every rank loads and checks the whole snapshot and keeps its strip; a failure
            // (a missing file, a bad member, a rank count too high) is thrown on every rank
            auto [shard, s] = ecosim::mpi::load_shard(p.comm, resume_from);
            in_run = true;
            ecosim_mpi::drive(p, shard, s, resume_opt, false);
            return exit_ok;
        };
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return p.rank == 0 ? app.exit(e) : exit_ok; // --help
        std::string what = e.what();
        if (argc == 1) what = "no command given (commands: run, resume)";
        else if (app.get_subcommands().empty() && argv[1][0] != '-')
            what = std::string("unknown command '") + argv[1] + "' (commands: run, resume)";
        throw usage_error(what);
    }
    return run ? run() : exit_usage;
}

} // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    const ecosim::mpi::place p = ecosim::mpi::place_in(MPI_COMM_WORLD);
    bool in_run = false;
    int rc = exit_error;
    std::string line;
    try {
        rc = parse_and_run(argc, argv, p, in_run);
    } catch (const usage_error& e) {
        line = std::string("usage: ") + e.what() + " (see ecosim-mpi --help)";
        rc = exit_usage;
    } catch (const ecosim_mpi::collective_error& e) {
        in_run = false; // thrown alike on every rank: one line from rank 0, no abort
        line = e.usage ? std::string("usage: ") + e.what() + " (see ecosim-mpi --help)"
                       : std::string("error: ") + e.what();
        rc = e.usage ? exit_usage : exit_error;
    } catch (const std::exception& e) {
        line = std::string("error: ") + e.what();
    } catch (...) {
        line = "error: unknown exception";
    }
    if (!line.empty() && in_run) {
        // maybe this rank alone: its line, then the job ends (the others may wait in a call)
        apps_common::print_error(tool, line + " (rank " + std::to_string(p.rank) + ")");
        MPI_Abort(MPI_COMM_WORLD, rc);
    }
    if (!line.empty() && p.rank == 0) apps_common::print_error(tool, line);
    MPI_Finalize();
    return rc;
}
