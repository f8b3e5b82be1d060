#include "timing.hpp"

#include <algorithm>
#include <ctime>

namespace exhibit {

double process_cpu_ms() noexcept {
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double samples::median() const {
    if (runs_.empty()) return 0.0;
    std::vector<double> v = runs_;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double samples::min() const {
    return runs_.empty() ? 0.0 : *std::min_element(runs_.begin(), runs_.end());
}

double samples::max() const {
    return runs_.empty() ? 0.0 : *std::max_element(runs_.begin(), runs_.end());
}

} // namespace exhibit
