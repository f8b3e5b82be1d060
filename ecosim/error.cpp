/// @file error.cpp
/// @brief ecosim::error: the message, and the names of the codes.

#include <ecosim/error.hpp>

#include <cstdio>
#include <cstdlib>

namespace ecosim {

std::string_view to_string(errc code) noexcept {
    switch (code) {
    case errc::invalid_config: return "invalid_config";
    case errc::invalid_snapshot: return "invalid_snapshot";
    case errc::broken_invariant: return "broken_invariant";
    case errc::capacity: return "capacity";
    case errc::invalid_argument: return "invalid_argument";
    }
    return "unknown";
}

namespace {
std::string message(errc code, const std::string& where, const std::string& detail,
                    const std::string& file) {
    std::string m;
    if (!file.empty()) m += file + ": ";
    if (!where.empty()) m += where + ": ";
    m += detail;
    m += " [";
    m += to_string(code);
    m += "]";
    return m;
}
} // namespace

error::error(errc code, std::string where, std::string detail, std::string file)
    : std::runtime_error(message(code, where, detail, file)), code_(code), where_(std::move(where)),
      detail_(std::move(detail)), file_(std::move(file)) {}

error error::in_file(std::string file) const { return {code_, where_, detail_, std::move(file)}; }

namespace {
template <typename T> std::string shortest(T v, int max_digits) {
    char buf[40];
    for (int p = 6;; ++p) {
        std::snprintf(buf, sizeof buf, "%.*g", p, static_cast<double>(v));
        if (p >= max_digits || static_cast<T>(std::strtod(buf, nullptr)) == v) break; // NaN: max
    }
    return buf;
}
} // namespace

std::string show(double v) { return shortest(v, 17); }
std::string show(float v) { return shortest(v, 9); }

} // namespace ecosim
