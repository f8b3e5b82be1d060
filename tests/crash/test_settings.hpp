#pragma once
/// @file test_dir.hpp
/// @brief A fresh directory for one test (mkdtemp under TMPDIR or /tmp), removed at the end.

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace colsnap_crash {

class test_dir {
public:
    explicit test_dir(const std::string& tag) {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / ("colsnap-" + tag + "-XXXXXX")).string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (::mkdtemp(buf.data()) == nullptr)
            throw std::runtime_error("mkdtemp failed for " + tmpl);
        path_ = buf.data();
    }
    ~test_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    test_dir(const test_dir&) = delete;
    test_dir& operator=(const test_dir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

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
