/// @file main.cpp
/// @brief colsnap-exhibit: four ways to persist 1 M creatures, measured beside numpy (issue 5).

#include "options.hpp"
#include "peak_memory.hpp"
#include "report.hpp"
#include "runner.hpp"

#include <csignal>
#include <exception>
#include <fstream>
#include <iostream>
#include <stdexcept>

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a dead numpy companion is reported, not fatal
    const exhibit::options o = exhibit::parse_options(argc, argv);
    try {
        if (!o.mem_child.empty()) return exhibit::memory_child_main(o);
        const exhibit::exhibit_result r = exhibit::run_exhibit(o);
        if (!o.json_out.empty()) {
            std::ofstream f(o.json_out);
            f << exhibit::to_json(r).dump(2) << "\n";
            if (!f) throw std::runtime_error("cannot write " + o.json_out.string());
        }
        if (o.json) std::cout << exhibit::to_json(r).dump(2) << "\n";
        else exhibit::print_report(std::cout, r);
        for (const auto& c : r.checks)
            if (!c.equal) return 1;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "colsnap-exhibit: " << e.what() << "\n";
        return 1;
    }
}
