#pragma once
// Helpers shared by the ecosim tests.

#include <ecosim/config.hpp>
#include <ecosim/world.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <unistd.h>

namespace ecosim_test {

/// A small world with the default constants (density as at 1,000,000 creatures).
inline ecosim::world small_world(std::uint32_t creatures = 2000, std::uint64_t seed = 42) {
    return ecosim::create_world(ecosim::make_config(creatures, seed));
}

/// A fresh directory under the system temp dir, removed at scope exit.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("ecosim_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// True when /usr/bin/python3 can import numpy.
inline bool have_numpy() {
    return std::system(ECOSIM_TEST_PYTHON " -c 'import numpy' >/dev/null 2>&1") == 0;
}

} // namespace ecosim_test
