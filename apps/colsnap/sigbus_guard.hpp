#pragma once
// The last line of defence of the commands that map their input (ls, cat, diff): a file
// truncated while it is mapped turns the next touch of a page past its new end into SIGBUS.
// The guard turns that signal into the CLI's one error line and exit 1, instead of "Bus error".
// verify, copy and hash read with pread (colsnap::file_access::read) and never need it.

#include <filesystem>

namespace colsnap_cli {

/// Installs the SIGBUS handler, which exits with @p exit_code (diff: 2, its "could not compare").
void install_sigbus_guard(int exit_code = 1);

/// Records @p path as a mapped input, named by the handler's line (at most two are kept: diff).
void note_mapped_file(const std::filesystem::path& path);

} // namespace colsnap_cli
