#pragma once
/// @file test_process.hpp
/// @brief Running commands from tests: shell quoting, capturing output and exit status, python
/// snippets, and whether numpy is there (the reference interpreter is Debian's /usr/bin/python3).

#include "test_files.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>

#include <sys/wait.h>

namespace test_common {

/// The reference interpreter: Debian's python3 with python3-numpy.
inline constexpr const char* python = "/usr/bin/python3";

/// @p s in single quotes for /bin/sh.
inline std::string quote(const std::string& s) {
    std::string q = "'";
    for (const char c : s) {
        if (c == '\'') q += "'\\''";
        else q += c;
    }
    return q + "'";
}
inline std::string quote(const std::filesystem::path& p) { return quote(p.string()); }

struct command_result {
    int status = -1; ///< exit status (128 + signal if killed; -1 if it could not be started)
    std::string out; ///< everything the command printed on stdout
};

/// Runs @p cmd through /bin/sh and captures its stdout (add " 2>&1" for stderr too).
inline command_result run_command(const std::string& cmd) {
    command_result r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return r;
}

/// Runs @p cmd; returns its exit status and puts stdout and stderr in @p out.
inline int run(const std::string& cmd, std::string& out) {
    command_result r = run_command(cmd + " 2>&1");
    out = std::move(r.out);
    return r.status;
}

/// True when /usr/bin/python3 can import numpy (checked once per process).
inline bool have_numpy() {
    static const bool ok =
        run_command(std::string(python) + " -c 'import numpy' 2>/dev/null").status == 0;
    return ok;
}

struct python_result {
    int status = -1; ///< exit status (128 + signal if killed)
    std::string out; ///< everything the snippet printed on stdout
    std::string err; ///< its stderr, for failure messages
};

/// Runs @p code with /usr/bin/python3 (the code goes in a temp file; @p args become sys.argv[1:]).
inline python_result run_python(const std::string& code,
                                std::initializer_list<std::string> args = {}) {
    temp_dir dir;
    const std::filesystem::path script = dir / "snippet.py", err = dir / "stderr.txt";
    {
        std::ofstream f(script);
        f << code;
    }
    // Built with += only: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
    std::string cmd = python;
    cmd += ' ';
    cmd += quote(script);
    for (const auto& a : args) {
        cmd += ' ';
        cmd += quote(a);
    }
    cmd += " 2>";
    cmd += quote(err);
    command_result c = run_command(cmd);
    python_result r{c.status, std::move(c.out), {}};
    std::ifstream e(err);
    r.err.assign(std::istreambuf_iterator<char>(e), std::istreambuf_iterator<char>());
    return r;
}

} // namespace test_common
