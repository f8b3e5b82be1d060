#pragma once
// Runs the colsnap binary and /usr/bin/python3 for the CLI tests; scratch dirs and files come
// from tests/common.

#include <colsnap/colsnap.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <test_files.hpp>
#include <test_process.hpp>

namespace cli_test {

/// Exit status (128 + signal if the process was killed) and captured output of one run.
struct run_result {
    int code = -1;
    std::string out, err;
    long max_rss_kib = 0; ///< the child's peak resident set (wait4's ru_maxrss)
};

/// Runs the colsnap binary with @p args (no shell). With @p as_nobody (and when running as
/// root) the child drops to uid/gid 65534 first, so that file permissions apply.
run_result run_colsnap(const std::vector<std::string>& args, bool as_nobody = false);

/// Runs @p argv (argv[0] is the program's path; no shell).
run_result run_program(const std::vector<std::string>& argv);

/// Runs the ecosim binary with @p args (tests built with ECOSIM_CLI_PATH only).
run_result run_ecosim(const std::vector<std::string>& args);

/// Runs @p script with /usr/bin/python3 (sys and numpy as np imported), sys.argv[1:] = @p args.
run_result python(const std::string& script, const std::vector<std::string>& args);
/// The same with sys.argv[1] = @p dir.
inline run_result python(const std::string& script, const std::filesystem::path& dir) {
    return python(script, std::vector<std::string>{dir.string()});
}

// The scratch directories, whole files as text and the numpy check are tests/common's.
using test_common::have_numpy;
using test_common::read_text;
using test_common::temp_dir;
using test_common::write_text;

/// Lines of @p text, without their '\n'.
std::vector<std::string> lines(const std::string& text);
/// Whitespace-separated words of @p text.
std::vector<std::string> words(const std::string& text);
/// True when @p err is exactly one line "TOOL: ..." (every error of both tools must be).
bool one_error_line(const std::string& err, const std::string& tool = "colsnap");

/// Parsed `colsnap ls` row.
struct ls_row {
    std::string dtype, shape, order, method;
    std::uint64_t compressed = 0, uncompressed = 0, offset = 0;
    std::string zero_copy, name;
};
/// Parses `colsnap ls` output: checks the header line, returns the rows.
std::vector<ls_row> parse_ls(const std::string& out);

/// Parsed `colsnap cat` output: the comment line and the value tokens in printed order.
struct cat_output {
    std::string comment;
    std::vector<std::string> values;
    bool truncated = false; ///< ended with "..." (--head)
};
cat_output parse_cat(const std::string& out);

} // namespace cli_test
