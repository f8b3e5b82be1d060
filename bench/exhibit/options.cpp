#include "options.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace exhibit {
namespace {

constexpr const char* usage = R"(usage: colsnap-exhibit [--n N] [--runs R] [--json] [options]

The persistence exhibit (issue 5): N creatures x 8 columns persisted as AoS objects through
nlohmann-json, raw columns, colsnap .npz stored / deflate, mmap, and numpy's ways (through
scripts/exhibit_numpy.py under /usr/bin/python3), interleaved run by run; medians of R runs.

  --n N            rows (default 1000000)
  --runs R         measured runs, after one warm-up run (default 5)
  --aos-runs R     measured runs of the slow AoS row (default: --runs)
  --json           print one JSON document instead of the table
  --json-out FILE  print the table and also write the JSON document to FILE
  --dir D          directory for the files (default /tmp/colsnap-exhibit)
  --seed S         data seed (default 20240605)
  --fast-level L   the fast deflate level (default 1)
  --threads T      deflate threads (default 0 = all cores)
  --no-numpy       skip numpy's rows      --no-aos     skip the AoS row
  --no-memory      skip the peak-RSS measurement (one child process per way)
  --python P       Python with numpy (default /usr/bin/python3)
  --script S       path of exhibit_numpy.py
  --only K1,K2     measure only these rows (keys as in --json, e.g. colsnap_deflate6,np_savez)
)";

[[noreturn]] void bad(std::string_view what) {
    std::cerr << "colsnap-exhibit: " << what << "\n\n" << usage;
    std::exit(2);
}

unsigned long long number(std::string_view flag, const char* text) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (end == text || *end != '\0') bad(std::string(flag) + ": not a number: " + text);
    return v;
}

} // namespace

options parse_options(int argc, char** argv) {
    options o;
#ifdef COLSNAP_EXHIBIT_SCRIPT
    o.script = COLSNAP_EXHIBIT_SCRIPT;
#endif
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) bad(std::string(a) + " needs a value");
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            std::cout << usage;
            std::exit(0);
        } else if (a == "--n") o.rows = number(a, value());
        else if (a == "--runs") o.runs = static_cast<int>(number(a, value()));
        else if (a == "--aos-runs") o.aos_runs = static_cast<int>(number(a, value()));
        else if (a == "--json") o.json = true;
        else if (a == "--json-out") o.json_out = value();
        else if (a == "--dir") o.dir = value();
        else if (a == "--seed") o.seed = number(a, value());
        else if (a == "--fast-level") o.fast_level = static_cast<int>(number(a, value()));
        else if (a == "--threads") o.threads = static_cast<unsigned>(number(a, value()));
        else if (a == "--no-numpy") o.numpy = false;
        else if (a == "--no-aos") o.aos = false;
        else if (a == "--no-memory") o.memory = false;
        else if (a == "--python") o.python = value();
        else if (a == "--script") o.script = value();
        else if (a == "--only") {
            std::string list = value();
            for (std::size_t p = 0; p <= list.size();) {
                const std::size_t comma = std::min(list.find(',', p), list.size());
                if (comma > p) o.only.push_back(list.substr(p, comma - p));
                p = comma + 1;
            }
        } else if (a == "--mem-child") o.mem_child = value();
        else bad("unknown argument " + std::string(a));
    }
    if (o.rows == 0) bad("--n must be at least 1");
    if (o.runs < 1) bad("--runs must be at least 1");
    return o;
}

} // namespace exhibit
