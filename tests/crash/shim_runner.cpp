#include "shim_runner.hpp"

#include <cstdlib>
#include <sstream>

namespace colsnap_crash {

std::string asan_runtime_path() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos) continue;
        const std::string path = line.substr(slash);
        if (path.find("/libasan.so") != std::string::npos) return path;
    }
    return "";
}

exit_info run_with_shim(const std::vector<std::string>& argv, const std::filesystem::path& prefix,
                        const fault_plan& plan, const std::filesystem::path& report_file,
                        shim_report& report) {
    std::filesystem::remove(report_file);
    spawn_options opt;
    const std::string asan = asan_runtime_path();
    opt.env["LD_PRELOAD"] =
        asan.empty() ? std::string(COLSNAP_FAULT_SHIM) : asan + " " + COLSNAP_FAULT_SHIM;
    if (!asan.empty()) {
        // Leak checking stays on in the children whatever the caller's ASAN_OPTIONS say.
        const char* given = std::getenv("ASAN_OPTIONS");
        opt.env["ASAN_OPTIONS"] = std::string(given != nullptr ? given : "") + ":detect_leaks=1";
    }
    opt.env["COLSNAP_FAULT_PATH"] = prefix.string();
    opt.env["COLSNAP_FAULT_MODE"] = plan.mode;
    opt.env["COLSNAP_FAULT_CALL"] = plan.call;
    opt.env["COLSNAP_FAULT_NTH"] = std::to_string(plan.nth);
    opt.env["COLSNAP_FAULT_ERRNO"] = std::to_string(plan.err);
    opt.env["COLSNAP_FAULT_SHRINK_TO"] = std::to_string(plan.shrink_to);
    opt.env["COLSNAP_FAULT_REPORT"] = report_file.string();
    exit_info r = run_program(argv, opt);
    report.clear();
    std::ifstream in(report_file);
    std::string name;
    long value = 0;
    while (in >> name >> value) report[name] = value;
    return r;
}

} // namespace colsnap_crash
