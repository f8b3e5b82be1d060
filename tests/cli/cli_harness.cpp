#include "cli_harness.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cli_test {
namespace {

/// fork + exec @p argv with stdout/stderr redirected to files; returns the exit status.
run_result run_process(const std::vector<std::string>& argv, bool as_nobody) {
    temp_dir io;
    const auto out_path = io / "stdout", err_path = io / "stderr";
    std::vector<char*> cargv;
    for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);

    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int in = open("/dev/null", O_RDONLY);
        const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (in < 0 || out < 0 || err < 0) _exit(125);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        alarm(120); // a hung run fails the test (SIGALRM, code 142) instead of hanging ctest
        if (as_nobody && geteuid() == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(126);
        }
        execv(cargv[0], cargv.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0) {}
    run_result r;
    r.max_rss_kib = usage.ru_maxrss;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_text(out_path);
    r.err = read_text(err_path);
    return r;
}

} // namespace

run_result run_colsnap(const std::vector<std::string>& args, bool as_nobody) {
    std::vector<std::string> argv{COLSNAP_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, as_nobody);
}

run_result run_program(const std::vector<std::string>& argv) { return run_process(argv, false); }

run_result run_ecosim(const std::vector<std::string>& args) {
#ifdef ECOSIM_CLI_PATH
    std::vector<std::string> argv{ECOSIM_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, false);
#else
    (void)args;
    throw std::logic_error("the ecosim tool is not built");
#endif
}

run_result python(const std::string& script, const std::vector<std::string>& args) {
    temp_dir tmp;
    const auto file = tmp / "script.py";
    write_text(file, "import sys\nimport numpy as np\n" + script);
    std::vector<std::string> argv{test_common::python, file.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, false);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

bool one_error_line(const std::string& err, const std::string& tool) {
    const std::string prefix = tool + ": ";
    return err.starts_with(prefix) && err.size() > prefix.size() + 1 && err.back() == '\n' &&
           err.find('\n') == err.size() - 1;
}

std::vector<ls_row> parse_ls(const std::string& out) {
    const std::vector<std::string> ls = lines(out);
    std::vector<ls_row> rows;
    EXPECT_FALSE(ls.empty());
    if (ls.empty()) return rows;
    EXPECT_EQ(words(ls[0]),
              (std::vector<std::string>{"DTYPE", "SHAPE", "ORDER", "METHOD", "COMPRESSED",
                                        "UNCOMPRESSED", "OFFSET", "ZERO_COPY", "NAME"}));
    const std::size_t name_column = ls[0].find("NAME");
    // SHAPE is numpy's text, "(2, 3)": it may hold spaces, so it is cut out by its columns.
    const std::size_t shape_column = ls[0].find("SHAPE"), order_column = ls[0].find("ORDER");
    for (std::size_t i = 1; i < ls.size(); ++i) {
        std::istringstream in(ls[i].substr(0, shape_column) + ls[i].substr(order_column));
        ls_row r;
        r.shape = ls[i].substr(shape_column, order_column - shape_column);
        r.shape.erase(r.shape.find_last_not_of(' ') + 1);
        in >> r.dtype >> r.order >> r.method >> r.compressed >> r.uncompressed >> r.offset >>
            r.zero_copy;
        EXPECT_TRUE(in) << "line: " << ls[i];
        // Columns are aligned: every name starts under the NAME header.
        EXPECT_GE(ls[i].size(), name_column) << ls[i];
        r.name = ls[i].substr(std::min(name_column, ls[i].size()));
        EXPECT_EQ(ls[i][name_column - 1], ' ') << "misaligned: " << ls[i];
        rows.push_back(r);
    }
    return rows;
}

cat_output parse_cat(const std::string& out) {
    cat_output r;
    const auto nl = out.find('\n');
    EXPECT_NE(nl, std::string::npos);
    r.comment = out.substr(0, nl);
    EXPECT_TRUE(r.comment.starts_with("# ")) << r.comment;
    std::string body = nl == std::string::npos ? "" : out.substr(nl + 1);
    for (char& c : body)
        if (c == '[' || c == ']') c = ' ';
    r.values = words(body);
    if (!r.values.empty() && r.values.back() == "...") {
        r.truncated = true;
        r.values.pop_back();
    }
    return r;
}

} // namespace cli_test
