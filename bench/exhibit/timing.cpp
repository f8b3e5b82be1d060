#include "timing.hpp"

#include <algorithm>

namespace exhibit {

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
