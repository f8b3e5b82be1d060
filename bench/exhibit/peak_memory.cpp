#include "peak_memory.hpp"

#include "colsnap_ways.hpp"
#include "creature_rows.hpp"
#include "raw_columns.hpp"
#include "world_data.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace exhibit {
namespace {

std::uint64_t status_kb(const char* field) {
    std::ifstream f("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(f, line))
        if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size()));
    throw std::runtime_error(std::string("no ") + field + " in /proc/self/status");
}

void reset_high_water_mark() {
    std::ofstream f("/proc/self/clear_refs");
    f << "5";
    f.close();
    if (!f) throw std::runtime_error("cannot reset VmHWM through /proc/self/clear_refs");
}

volatile std::uint64_t sink = 0;

} // namespace

const std::vector<std::string>& memory_ways() {
    static const std::vector<std::string> ways = {
        "raw_write",
        "colsnap_stored_write",
        "colsnap_deflate6_write",
        "aos_json_write",
        "raw_read",
        "colsnap_stored_read",
        "mmap_one_column",
        "mmap_touch_all",
        "colsnap_deflate6_read",
    };
    return ways;
}

namespace {

/// Runs @p way once over the files in @p dir (reads) or @p world (writes).
void run_way(const std::string& way, const std::filesystem::path& dir, std::size_t rows,
             const world_columns& world, unsigned threads) {
    const auto refs = world.refs();
    const auto file = [&](const char* name) { return dir / ("mem_" + std::string(name)); };
    const colsnap::write_options stored{colsnap::compression::stored, 0, false, threads};
    const colsnap::write_options deflate6{colsnap::compression::deflate, 6, false, threads};
    if (way == "raw_write") write_raw_columns(file("raw.bin"), refs, false);
    else if (way == "colsnap_stored_write") write_npz(file("stored.npz"), refs, stored);
    else if (way == "colsnap_deflate6_write") write_npz(file("deflate6.npz"), refs, deflate6);
    else if (way == "aos_json_write") {
        std::vector<creature> objects;
        build_creatures(world, objects);
        write_creatures_json(file("aos.json"), objects);
    } else if (way == "raw_read") {
        // What raw_reader does, sized from the schema (the child has no columns to copy).
        std::vector<std::vector<std::byte>> buffers;
        for (const auto& c : schema()) buffers.emplace_back(rows * c.itemsize);
        const int fd = ::open((dir / "raw_columns.bin").c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw std::system_error(errno, std::generic_category(), "open raw_columns.bin");
        for (auto& b : buffers) read_exact(fd, b);
        ::close(fd);
        for (auto& b : buffers) sink = sink ^ fold(b);
    } else if (way == "colsnap_stored_read") {
        const auto loaded = load_npz(dir / "colsnap_stored.npz", true);
        sink = sink ^ loaded.columns.size();
    } else if (way == "mmap_one_column")
        sink = sink ^ view_one_column(dir / "colsnap_stored.npz", "pos_x");
    else if (way == "mmap_touch_all") sink = sink ^ touch_all_columns(dir / "colsnap_stored.npz");
    else if (way == "colsnap_deflate6_read") {
        const auto loaded = load_npz(dir / "colsnap_deflate6.npz", true);
        sink = sink ^ loaded.columns.size();
    } else throw std::runtime_error("unknown memory way " + way);
}

} // namespace

int memory_child_main(const options& o) {
    const std::string& way = o.mem_child;
    const bool writes = way.ends_with("_write");
    // Warm-up on 1,000 rows in a directory of its own: faults in the code and the allocator's
    // arenas, so that the measured growth is the way's data, not the program's first steps.
    {
        constexpr std::size_t warm_rows = 1000;
        const std::filesystem::path warm = o.dir / ("mem_warm_" + way);
        std::filesystem::create_directories(warm);
        const world_columns tiny = make_world(warm_rows, o.seed);
        const auto refs = tiny.refs();
        write_raw_columns(warm / "raw_columns.bin", refs, false);
        write_npz(warm / "colsnap_stored.npz", refs,
                  {colsnap::compression::stored, 0, false, o.threads});
        write_npz(warm / "colsnap_deflate6.npz", refs,
                  {colsnap::compression::deflate, 6, false, o.threads});
        run_way(way, warm, warm_rows, tiny, o.threads);
        std::filesystem::remove_all(warm);
    }
    world_columns world;
    if (writes) world = make_world(o.rows, o.seed);

    reset_high_water_mark();
    memory_result r{way, status_kb("VmRSS"), 0};
    run_way(way, o.dir, o.rows, world, o.threads);
    r.peak_kb = status_kb("VmHWM");

    nlohmann::json j{{"way", r.way}, {"baseline_kb", r.baseline_kb}, {"peak_kb", r.peak_kb}};
    std::cout << j.dump() << "\n";
    return 0;
}

std::vector<memory_result> measure_memory(const options& o) {
    std::vector<memory_result> out;
    for (const auto& way : memory_ways()) {
        if (way == "aos_json_write" && !o.aos) continue;
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0)
            throw std::system_error(errno, std::generic_category(), "pipe2");
        std::vector<std::string> args = {"/proc/self/exe",
                                         "--mem-child",
                                         way,
                                         "--n",
                                         std::to_string(o.rows),
                                         "--seed",
                                         std::to_string(o.seed),
                                         "--dir",
                                         o.dir.string(),
                                         "--threads",
                                         std::to_string(o.threads)};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const pid_t pid = ::fork();
        if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
        if (pid == 0) {
            ::dup2(p[1], STDOUT_FILENO);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(p[1]);
        std::string text;
        char chunk[1024];
        ssize_t n;
        while ((n = ::read(p[0], chunk, sizeof chunk)) > 0)
            text.append(chunk, static_cast<std::size_t>(n));
        ::close(p[0]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        const auto j = nlohmann::json::parse(text, nullptr, false);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || j.is_discarded()) {
            std::cerr << "colsnap-exhibit: memory child " << way << " failed\n";
            continue;
        }
        out.push_back(
            {way, j.at("baseline_kb").get<std::uint64_t>(), j.at("peak_kb").get<std::uint64_t>()});
    }
    return out;
}

} // namespace exhibit
