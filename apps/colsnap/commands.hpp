#pragma once
// The commands of the `colsnap` tool. main.cpp parses the command line into one of these
// option structs and calls the matching run_* function, which returns the exit code
// (0 ok, 1 invalid/different) or throws: colsnap::error and other exceptions mean 1,
// usage_error means 2.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace colsnap_cli {

/// Exit codes of the tool.
inline constexpr int exit_ok = 0;      ///< success, or "identical" for diff
inline constexpr int exit_invalid = 1; ///< invalid input, any error on input, or "different"
inline constexpr int exit_usage = 2;   ///< the command line itself is wrong (diff: or any error)

/// A command line that parses but cannot be honoured (e.g. cat of an .npz without MEMBER).
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ls_options {
    std::string file;
    bool full = false; ///< a record's whole descr on a line under its row
};
int run_ls(const ls_options& opt);

struct verify_options {
    std::string file;
};
int run_verify(const verify_options& opt);

/// How copy compresses the members it writes.
enum class copy_method { keep, stored, deflate };
struct copy_options {
    std::string in, out;
    copy_method method = copy_method::keep;
    int level = 6; ///< deflate level for copy_method::deflate and for kept deflate members
};
int run_copy(const copy_options& opt);

struct cat_options {
    std::string file;
    std::optional<std::string> member;
    std::optional<std::uint64_t> head;
};
int run_cat(const cat_options& opt);

struct hash_options {
    std::vector<std::string> files;
    bool check = false; ///< files are "HEX  FILE" lists to check, as sha256sum -c
};
int run_hash(const hash_options& opt);

struct diff_options {
    std::string a, b;
};
int run_diff(const diff_options& opt);

/// Prints "colsnap: WHAT" as one line on stderr (control characters in WHAT are escaped).
void print_error(std::string_view what);

} // namespace colsnap_cli
