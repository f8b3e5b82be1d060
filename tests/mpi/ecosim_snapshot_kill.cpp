// The ecosim kill test's program, driven by kill_test.sh as kill_writer is. Under mpirun:
// `write DIR PHASE VICTIM` saves the sharded world of "seed" 1 (the 3000-creature world of seed 7
// at tick 20, sharded from tick 15, one shard per rank) at DIR/snap.npz with
// ecosim::mpi::save_snapshot, then starts saving seed 2 (5 sharded ticks later) and has rank
// VICTIM SIGKILL itself at PHASE of the collective write; `again DIR` saves seed 2 whole. Alone:
// `check DIR SEED RANKS [temps-ok]` exits 0 when DIR/snap.npz loads (ecosim::load: every member
// and log segment checked) as the world of SEED (its canonical hash is the unpaused run's at that
// tick) and nothing but log segments (with temps-ok: and a dead writer's temp files) is beside it.
#include "kill_main.hpp"

#include <ecosim/canonical_hash.hpp>
#include <ecosim/mpi/snapshot.hpp>
#include <ecosim/shard/shard.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <csignal>
#include <cstdio>
#include <string>

#include <mpi.h>

namespace {

namespace fs = std::filesystem;
using namespace ecosim;

std::uint64_t tick_of(std::uint64_t seed) { return seed == 1 ? 20 : 25; }

world start() { return create_world(make_config(3000, 7)); }

/// The shards of the world at tick_of(@p seed): 20 ticks single-process, then sharded.
std::vector<world> shards_at(const shard::strips& s, std::uint64_t seed) {
    world w = start();
    run_until(w, 15);
    std::vector<world> shards = shard::split(w, s);
    while (shards.front().tick < tick_of(seed)) shard::step(shards, s);
    return shards;
}

int check(const fs::path& dir, std::uint64_t seed, int /*ranks*/, bool allow_temps) {
    const world loaded = load(dir / "snap.npz");
    world unpaused = start();
    run_until(unpaused, tick_of(seed));
    const bool same =
        loaded.tick == tick_of(seed) && canonical_hash(loaded) == canonical_hash(unpaused);
    int others = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (n == "snap.npz" ||
            (n.rfind("log_", 0) == 0 && n.find(".colsnap-tmp.") == std::string::npos))
            continue;
        std::printf("left beside the snapshot: %s\n", n.c_str());
        if (!allow_temps || n.find(".colsnap-tmp.") == std::string::npos) ++others;
    }
    std::printf("snap.npz %s the world of seed %llu (tick %llu); %d other files\n",
                same ? "is" : "is NOT", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(loaded.tick), others);
    return same && others == 0 ? 0 : 1;
}

void save(const fs::path& dir, std::uint64_t seed) {
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    const shard::strips s(start().cfg, static_cast<std::uint32_t>(ranks));
    const std::vector<world> shards = shards_at(s, seed);
    mpi::save_snapshot(MPI_COMM_WORLD, shards[static_cast<std::size_t>(rank)], s, dir / "snap.npz");
}

} // namespace

int main(int argc, char** argv) { return mpi_test::kill_main(argc, argv, save, check); }
