// append_writer: the process the append kill test kills.
//   append_writer loop PATH PROGRESS durable|fast SEED
//       npy_appender::open_or_create(PATH) ('<u8' rows of 4, see append_rows.hpp); prints
//       "opened R CUT" (rows found, torn bytes cut) on stdout; then appends batches of 1 to 16
//       rows (sizes drawn from SEED) forever, appending "committed R" to the file PROGRESS
//       after each append returned (a file, not the pipe: a pipe nobody reads would block).
//   append_writer once PATH N   reopens PATH, appends N rows in one call, prints "rows R".
// Exit status: 0 ok, 1 colsnap::error (its what() on one stderr line), 2 usage.
#include "append_rows.hpp"
#include "child_main.hpp"

#include <colsnap/npy_appender.hpp>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace {

using colsnap_crash::write_line;

colsnap::npy_appender open_log(const char* path, bool durable) {
    return colsnap::npy_appender::open_or_create(path, colsnap::dtype_of<std::uint64_t>(),
                                                 {colsnap_crash::append_row_width},
                                                 colsnap::append_options{.durable = durable});
}

void append_from(colsnap::npy_appender& log, std::uint64_t n) {
    const auto v = colsnap_crash::append_rows(log.rows(), n);
    log.append(std::span<const std::uint64_t>(v));
}

int usage() {
    std::fputs("usage: append_writer loop PATH PROGRESS durable|fast SEED | once PATH N\n", stderr);
    return 2;
}

int run(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "loop" && argc == 6) {
        const std::string how = argv[4];
        if (how != "durable" && how != "fast") return usage();
        auto log = open_log(argv[2], how == "durable");
        const int progress = ::open(argv[3], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (progress < 0) return usage();
        write_line(1, "opened " + std::to_string(log.rows()) + " " +
                          std::to_string(log.cut_at_open()));
        std::mt19937_64 rng(std::strtoull(argv[5], nullptr, 10));
        for (;;) {
            append_from(log, 1 + rng() % 16);
            write_line(progress, "committed " + std::to_string(log.rows()));
        }
    }
    if (mode == "once" && argc == 4) {
        auto log = open_log(argv[2], true);
        append_from(log, std::strtoull(argv[3], nullptr, 10));
        write_line(1, "rows " + std::to_string(log.rows()));
        return 0;
    }
    return usage();
}

} // namespace

int main(int argc, char** argv) {
    return colsnap_crash::child_main("append_writer", run, argc, argv);
}
