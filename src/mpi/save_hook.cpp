// The failure tests' hook into save_npz's phases.
#include "save_hook.hpp"

#include <atomic>

namespace colsnap::detail::mpi {
namespace {
std::atomic<phase_hook> installed{nullptr};
} // namespace

phase_hook set_phase_hook(phase_hook hook) noexcept { return installed.exchange(hook); }

void run_phase_hook(std::string_view phase, int rank) {
    if (phase_hook h = installed.load()) h(phase, rank);
}

} // namespace colsnap::detail::mpi
