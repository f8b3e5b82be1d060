#pragma once
// Internal, for the failure tests only: a function save_npz calls on every rank between its
// phases ("planned" before any byte is written, "written" after every rank's write_all, before
// the commit), so a test can kill a rank at a chosen point of a collective snapshot.

#include <string_view>

namespace colsnap::detail::mpi {

using phase_hook = void (*)(std::string_view phase, int rank);
/// Installs @p hook (nullptr: none); returns the previous one.
phase_hook set_phase_hook(phase_hook hook) noexcept;
/// Calls the installed hook, if any.
void run_phase_hook(std::string_view phase, int rank);

} // namespace colsnap::detail::mpi
