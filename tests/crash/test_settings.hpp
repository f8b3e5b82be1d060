#pragma once
/// @file test_settings.hpp
/// @brief Settings of the crash tests: counts from the environment, and whether ASan is on.
/// (Their scratch directories are tests/common's test_common::temp_dir.)

#include <cstdlib>

namespace colsnap_crash {

/// @brief An unsigned setting from the environment, or @p fallback.
inline unsigned env_count(const char* name, unsigned fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? static_cast<unsigned>(std::strtoul(v, nullptr, 10))
                                      : fallback;
}

/// @brief True in the AddressSanitizer build.
constexpr bool under_asan() {
#if defined(__SANITIZE_ADDRESS__)
    return true;
#else
    return false;
#endif
}

} // namespace colsnap_crash
