// `ecosim plot`: checks the snapshot and the output path, then runs matplotlib on the snapshot
// (the .npz file is the script's only interface). A schema-3 snapshot holds no log rows: it is
// loaded (reading and checking its log segments), and the script gets a temporary .npz of the
// members it plots. Every failure is one line and exit 1: the
// checks here name the file and what is wrong; a failure inside the script is the one line it
// prints, relayed from its stderr after the snapshot's path.

#include "driver.hpp"

#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>
#include <ecosim/snapshot.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace ecosim_cli {

namespace fs = std::filesystem;

namespace {

/// Where the script lies relative to the binary: BINDIR/../share/colsnap, both installed
/// (cmake --install) and in the build tree (copied there at build time).
constexpr const char* script_beside_binary = "../share/colsnap/plot_population.py";

/// The members plot_population.py reads: the script trusts check_snapshot() to have found them.
constexpr const char* plotted_members[] = {"population/tick",
                                           "population/t",
                                           "population/creatures",
                                           "population/food",
                                           "config/initial_creatures",
                                           "config/seed",
                                           "config/world_size",
                                           "born/t",
                                           "dead/t"};

/// The series plotted against each other: as many values each, at least one.
constexpr const char* plotted_series[] = {"population/tick", "population/t", "population/creatures",
                                          "population/food"};

/// $ECOSIM_PLOT_SCRIPT, else the script beside the running binary (/proc/self/exe).
fs::path find_script() {
    if (const char* env = std::getenv("ECOSIM_PLOT_SCRIPT")) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        throw std::runtime_error("plot: cannot find the running binary (/proc/self/exe): " +
                                 ec.message());
    return (exe.parent_path() / script_beside_binary).lexically_normal();
}

/// The snapshot opens as an .npz (colsnap validates it), has every member the plot reads, and
/// its population series are non-empty and equally long.
void check_snapshot(const std::string& snapshot) {
    const colsnap::npz_reader z = colsnap::npz_reader::open(snapshot); // names file and reason
    for (const char* m : plotted_members)
        if (!z.contains(m))
            throw std::runtime_error(snapshot + ": not an ecosim snapshot (no member " + m + ")");
    const std::string first = plotted_series[0];
    const std::uint64_t n = z.find(first)->npy.info.count();
    if (n == 0)
        throw std::runtime_error(snapshot + ": member " + first + " is empty: no tick to plot");
    for (const char* m : plotted_series) {
        const std::uint64_t k = z.find(m)->npy.info.count();
        if (k != n)
            throw std::runtime_error(snapshot + ": member " + m + " has " + std::to_string(k) +
                                     " values, " + first + " has " + std::to_string(n) +
                                     ": not one population log");
    }
}

/// OUT ends in .png and its directory exists and is writable.
void check_output(const std::string& out) {
    const fs::path p(out);
    std::string ext = p.extension().string();
    for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (ext != ".png")
        throw std::runtime_error(out + ": the plot is a PNG; give an output name ending in .png");
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw std::runtime_error(out + ": cannot write: directory " + dir.string() +
                                 " does not exist");
    if (fs::is_directory(p, ec)) throw std::runtime_error(out + ": cannot write: is a directory");
    if (access(dir.c_str(), W_OK) != 0)
        throw std::runtime_error(out + ": cannot write in " + dir.string() + ": " +
                                 std::strerror(errno));
}

/// The last non-empty line of @p text.
std::string last_line(const std::string& text) {
    const std::size_t end = text.find_last_not_of("\n\r ");
    if (end == std::string::npos) return "";
    const std::size_t newline = text.rfind('\n', end);
    const std::size_t begin = newline == std::string::npos ? 0 : newline + 1;
    return text.substr(begin, end + 1 - begin);
}

/// Runs python on the script with stderr captured; returns (exit status, stderr).
std::pair<int, std::string> run_script(const std::vector<std::string>& args) {
    int pipe_fd[2];
    if (pipe(pipe_fd) != 0)
        throw std::runtime_error(std::string("plot: pipe: ") + std::strerror(errno));
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("plot: fork: ") + std::strerror(errno));
    if (pid == 0) {
        dup2(pipe_fd[1], 2);
        close(pipe_fd[0]);
        close(pipe_fd[1]);
        execv(argv[0], argv.data());
        std::fprintf(stderr, "plot: cannot run %s: %s\n", argv[0], std::strerror(errno));
        _exit(127);
    }
    close(pipe_fd[1]);
    std::string err;
    char buf[4096];
    for (ssize_t n; (n = read(pipe_fd[0], buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        err.append(buf, static_cast<std::size_t>(n));
    }
    close(pipe_fd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            throw std::runtime_error(std::string("plot: waitpid: ") + std::strerror(errno));
    return {status, err};
}

/// A temporary directory, removed with what it holds.
struct temp_dir {
    fs::path path;
    temp_dir() {
        std::string t = (fs::temp_directory_path() / "ecosim-plot-XXXXXX").string();
        if (!mkdtemp(t.data()))
            throw std::runtime_error(std::string("plot: cannot create a temporary directory: ") +
                                     std::strerror(errno));
        path = t;
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

/// The members plotted, from a world loaded with its segments, as one .npz in @p dir.
fs::path plotted_npz(const std::string& snapshot, const fs::path& dir) {
    const ecosim::world w = ecosim::load(snapshot);
    const fs::path out = dir / "plotted.npz";
    const auto& p = w.population;
    const std::vector<colsnap::column_ref> cols{
        colsnap::column("population/tick", p.tick),
        colsnap::column("population/t", p.t),
        colsnap::column("population/creatures", p.creatures),
        colsnap::column("population/food", p.food),
        colsnap::scalar("config/initial_creatures", w.cfg.initial_creatures),
        colsnap::scalar("config/seed", w.cfg.seed),
        colsnap::scalar("config/world_size", w.cfg.world_size),
        colsnap::column("born/t", w.born.t),
        colsnap::column("dead/t", w.dead.t)};
    colsnap::write_options wo;
    wo.durable = false;
    colsnap::save_npz(out, cols, wo);
    return out;
}

/// Schema 3: the logs are in segments (the snapshot has meta/population_rows instead).
bool has_segments(const std::string& snapshot) {
    const colsnap::npz_reader z = colsnap::npz_reader::open(snapshot); // names file and reason
    return !z.contains("population/tick") && z.contains("meta/population_rows");
}

} // namespace

int plot(const std::string& snapshot, const std::string& out) {
    std::optional<temp_dir> tmp;
    std::string plotted = snapshot;
    if (has_segments(snapshot)) plotted = plotted_npz(snapshot, tmp.emplace().path).string();
    check_snapshot(plotted);
    check_output(out);
    const fs::path script = find_script();
    std::error_code ec;
    if (!fs::is_regular_file(script, ec))
        throw std::runtime_error("plot: script not found: " + script.string() +
                                 " (installed beside the binary; or set ECOSIM_PLOT_SCRIPT)");
    const std::string python = "/usr/bin/python3";
    const auto [status, err] = run_script({python, script.string(), plotted, "-o", out});
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        std::fwrite(err.data(), 1, err.size(), stderr); // warnings, if any, pass through
        return exit_ok;
    }
    // The script's own line (it names what failed, not always the snapshot): prefixed with the
    // snapshot, so that every plot error names the file.
    const std::string reason = last_line(err);
    throw std::runtime_error(snapshot + ": " +
                             (reason.empty() ? script.string() + " failed" : reason));
}

} // namespace ecosim_cli
