// crash_writer: the process the crash tests kill, starve and fault-inject.
//   crash_writer loop PATH FIRST_GEN ROWS THREADS  write generations FIRST_GEN, FIRST_GEN+1, ...
//                                                  to PATH forever; on stdout "ready G" once G's
//                                                  data is built (the write starts), "committed G"
//                                                  once save_npz(G) returned
//   crash_writer once PATH GEN ROWS METHOD         write generation GEN once (METHOD: stored or
//                                                  deflate); prints its content hash
//   crash_writer abort PATH GEN ROWS               write generation GEN's members, then abort()
//   crash_writer read PATH                         open + verify PATH; prints "GEN HASH"
//   crash_writer leak                              leaks on purpose (proves LeakSanitizer is live)
// Exit status: 0 ok, 1 colsnap::error (its what() on one stderr line), 2 usage.
#include "child_main.hpp"
#include "snapshot_data.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

namespace {

// Straight to the pipe (no stdio buffer): the test must see it before any kill.
void say(const std::string& line) { colsnap_crash::write_line(1, line); }

int usage() {
    std::fputs("usage: crash_writer loop PATH FIRST_GEN ROWS THREADS | once PATH GEN ROWS "
               "stored|deflate | abort PATH GEN ROWS | read PATH | leak\n",
               stderr);
    return 2;
}

int run(int argc, char** argv) {
    using namespace colsnap_crash;
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "loop" && argc == 6) {
        const std::filesystem::path path = argv[2];
        const std::int64_t first = std::atoll(argv[3]);
        const std::uint64_t rows = std::strtoull(argv[4], nullptr, 10);
        const auto threads = static_cast<unsigned>(std::atoi(argv[5]));
        for (std::int64_t g = first;; ++g) {
            const snapshot_data data(g, rows);
            const auto cols = data.columns();
            say("ready " + std::to_string(g));
            colsnap::save_npz(path, cols, options_for(g, threads));
            say("committed " + std::to_string(g));
        }
    }
    if (mode == "once" && argc == 6) {
        const std::filesystem::path path = argv[2];
        const std::int64_t g = std::atoll(argv[3]);
        const std::uint64_t rows = std::strtoull(argv[4], nullptr, 10);
        const std::string method = argv[5];
        if (method != "stored" && method != "deflate") return usage();
        const snapshot_data data(g, rows);
        const auto cols = data.columns();
        colsnap::write_options opt = options_for(g, 2);
        opt.method =
            method == "stored" ? colsnap::compression::stored : colsnap::compression::deflate;
        colsnap::save_npz(path, cols, opt);
        say(data.hash().hex());
        return 0;
    }
    if (mode == "abort" && argc == 5) {
        const snapshot_data data(std::atoll(argv[3]), std::strtoull(argv[4], nullptr, 10));
        colsnap::npz_writer w(argv[2]);
        for (const colsnap::column_ref& c : data.columns()) w.add(c);
        w.abort();
        return 0;
    }
    if (mode == "read" && argc == 3) {
        colsnap::digest h;
        const std::int64_t g = read_generation(argv[2], &h);
        say(std::to_string(g) + " " + h.hex());
        return 0;
    }
    if (mode == "leak" && argc == 2) {
        auto* lost = new std::string(1000, 'x');
        say(std::to_string(lost->size()));
        lost = nullptr; // the only pointer is gone: LeakSanitizer must report it
        return 0;
    }
    return usage();
}

} // namespace

int main(int argc, char** argv) {
    return colsnap_crash::child_main("crash_writer", run, argc, argv);
}
