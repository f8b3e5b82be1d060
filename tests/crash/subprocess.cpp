#include "subprocess.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace colsnap_crash {
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

// argv and envp prepared before fork: the child only calls async-signal-safe functions.
struct exec_image {
    std::vector<std::string> args, envs;
    std::vector<char*> argv, envp;

    exec_image(const std::vector<std::string>& a, const spawn_options& opt) : args(a) {
        std::map<std::string, std::string> env;
        for (char** e = environ; *e != nullptr; ++e) {
            const std::string kv = *e;
            const auto eq = kv.find('=');
            if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
        for (const auto& [k, v] : opt.env) env[k] = v;
        for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
        for (auto& s : args) argv.push_back(s.data());
        argv.push_back(nullptr);
        for (auto& s : envs) envp.push_back(s.data());
        envp.push_back(nullptr);
    }
};

pid_t spawn(const exec_image& img, const spawn_options& opt, int out_w, int err_w, int close1,
            int close2) {
    const pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
        ::close(close1);
        ::close(close2);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        ::dup2(out_w, 1);
        ::dup2(err_w, 2);
        if (opt.address_space) {
            const rlimit lim{*opt.address_space, *opt.address_space};
            if (::setrlimit(RLIMIT_AS, &lim) != 0) ::_exit(126);
        }
        if (opt.gid && ::setgid(*opt.gid) != 0) ::_exit(126);
        if (opt.uid && ::setuid(*opt.uid) != 0) ::_exit(126);
        ::execve(img.argv[0], img.argv.data(), img.envp.data());
        ::_exit(127);
    }
    return pid;
}

exit_info decode(int status) {
    exit_info r;
    if (WIFEXITED(status)) {
        r.exited = true;
        r.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
    }
    return r;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) fail("waitpid");
    }
    return status;
}

void read_all(int fd, std::string& into) {
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) into.append(buf, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) return;
    }
}

} // namespace

std::string exit_info::describe() const {
    std::string s = exited ? "exit " + std::to_string(code) : "signal " + std::to_string(signal);
    if (!out.empty()) s += "; stdout: " + out;
    if (!err.empty()) s += "; stderr: " + err;
    return s;
}

exit_info run_program(const std::vector<std::string>& argv, const spawn_options& opt) {
    const exec_image img(argv, opt);
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) fail("pipe");
    if (::pipe2(err, O_CLOEXEC) != 0) fail("pipe");
    const pid_t pid = spawn(img, opt, out[1], err[1], out[0], err[0]);
    ::close(out[1]);
    ::close(err[1]);
    std::string o, e;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            fail("poll");
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buf[4096];
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                (i == 0 ? o : e).append(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    exit_info r = decode(wait_for(pid));
    r.out = std::move(o);
    r.err = std::move(e);
    return r;
}

child_process::child_process(const std::vector<std::string>& argv, const spawn_options& opt) {
    const exec_image img(argv, opt);
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) fail("pipe");
    if (::pipe2(err, O_CLOEXEC) != 0) fail("pipe");
    pid_ = spawn(img, opt, out[1], err[1], out[0], err[0]);
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
}

child_process::~child_process() {
    if (!result_) {
        kill(SIGKILL);
        wait();
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
}

std::optional<std::string> child_process::read_line() {
    for (;;) {
        const auto nl = pending_.find('\n');
        if (nl != std::string::npos) {
            std::string line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return line;
        }
        char buf[256];
        const ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n > 0) pending_.append(buf, static_cast<std::size_t>(n));
        else if (n == 0) return std::nullopt;
        else if (errno != EINTR) fail("read");
    }
}

std::vector<std::string> child_process::drain_lines() {
    std::vector<std::string> lines;
    while (auto l = read_line()) lines.push_back(*l);
    return lines;
}

void child_process::kill(int sig) {
    if (!result_) ::kill(pid_, sig);
}

const exit_info& child_process::wait() {
    if (!result_) {
        result_ = decode(wait_for(pid_));
        read_all(err_fd_, result_->err);
    }
    return *result_;
}

} // namespace colsnap_crash
