#pragma once
/// @file fresh_file.hpp
/// @brief Puts every timed write on the same footing: a fresh file on a file system with no
/// dirty data left by the ways before it.
///
/// Without this, a write's time depended on its neighbours in the schedule. The raw write came
/// right after the AoS row's 169 MiB of JSON and truncated its own file from the run before,
/// so it paid for their writeback (balance_dirty_pages throttling, and truncating pages still
/// under writeback waits for them), while raw + fsync ran later, after numpy's reads, on a
/// quiet page cache: it measured faster than the raw write it contains.

#include <filesystem>

namespace exhibit {

/// @brief Removes @p path if it exists, then sync(): writes back (and waits for) every dirty
/// page on the machine, so that the next write creates a new inode and pays only for itself.
/// Call outside the timed region.
void fresh_file(const std::filesystem::path& path);

} // namespace exhibit
