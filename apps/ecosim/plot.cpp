// `ecosim plot`: runs matplotlib on the snapshot; the .npz file is the only interface.

#include "driver.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#ifndef ECOSIM_SOURCE_DIR
#define ECOSIM_SOURCE_DIR "."
#endif

namespace ecosim_cli {

namespace fs = std::filesystem;

namespace {
/// $ECOSIM_PLOT_SCRIPT, else scripts/ relative to the executable (build/<preset>/bin/ecosim),
/// else the source directory recorded at compile time.
fs::path find_script() {
    if (const char* env = std::getenv("ECOSIM_PLOT_SCRIPT")) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
             dir = dir.parent_path()) {
            const fs::path p = dir / "scripts" / "plot_population.py";
            if (fs::exists(p)) return p;
        }
    }
    return fs::path(ECOSIM_SOURCE_DIR) / "scripts" / "plot_population.py";
}
} // namespace

int plot(const std::string& snapshot, const std::string& out, const char*) {
    const fs::path script = find_script();
    if (!fs::exists(script)) throw std::runtime_error("plot script not found: " + script.string());
    const std::string python = "/usr/bin/python3";
    std::vector<std::string> args{python, script.string(), snapshot, "-o", out};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        execv(python.c_str(), argv.data());
        std::fprintf(stderr, "ecosim: cannot run %s: %s\n", python.c_str(), std::strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("plot script failed (" + script.string() + ")");
    return exit_ok;
}

} // namespace ecosim_cli
