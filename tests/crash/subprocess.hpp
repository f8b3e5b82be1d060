#pragma once
/// @file subprocess.hpp
/// @brief fork/exec helpers for the crash tests: run a program to completion capturing its
/// output, or start one whose stdout is read line by line and which is then killed.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace colsnap_crash {

/// @brief How a child ended.
struct exit_info {
    bool exited = false;  ///< true: exit(code); false: killed by signal
    int code = -1;        ///< exit status when exited
    int signal = 0;       ///< signal number when killed
    std::string out, err; ///< everything it wrote to stdout and stderr
    std::string describe() const;
};

/// @brief Options for a child: extra environment (added to or replacing this process's),
/// and an optional uid/gid to switch to before exec (this process must be root).
struct spawn_options {
    std::map<std::string, std::string> env;
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
    std::optional<unsigned long long> address_space; ///< RLIMIT_AS for the child, in bytes
};

/// @brief Runs @p argv to completion; stdout and stderr are captured.
exit_info run_program(const std::vector<std::string>& argv, const spawn_options& opt = {});

/// @brief A running child whose stdout is a pipe read line by line (stderr is captured).
class child_process {
public:
    child_process(const std::vector<std::string>& argv, const spawn_options& opt = {});
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    /// @brief The next stdout line (without '\n'), or nullopt at end of file. Blocks.
    std::optional<std::string> read_line();
    /// @brief Every complete line still buffered or readable without blocking once the child
    /// is gone (call after wait()).
    std::vector<std::string> drain_lines();
    /// @brief kill(pid, sig).
    void kill(int sig);
    /// @brief Reaps the child (once); later calls return the same result.
    const exit_info& wait();
    pid_t pid() const noexcept { return pid_; }

private:
    pid_t pid_ = -1;
    int out_fd_ = -1, err_fd_ = -1;
    std::string pending_;
    std::optional<exit_info> result_;
};

} // namespace colsnap_crash
