#pragma once
// Helpers shared by the ecosim tests. Files and processes (test_common::temp_dir, read_text,
// have_numpy, python) are tests/common's, included here for every ecosim test.

#include <ecosim/config.hpp>
#include <ecosim/world.hpp>

#include <cstdint>

#include <test_files.hpp>
#include <test_process.hpp>

namespace ecosim_test {

/// A small world with the default constants (density as at 1,000,000 creatures).
inline ecosim::world small_world(std::uint32_t creatures = 2000, std::uint64_t seed = 42) {
    return ecosim::create_world(ecosim::make_config(creatures, seed));
}

} // namespace ecosim_test
