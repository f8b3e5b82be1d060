#pragma once
/// @file test_util.hpp
/// @brief Small helpers for colsnap_tests (the generic ones are tests/common's):
///   - test_util::temp_dir, read_file, write_file, bytes_of: from tests/common/test_files.hpp;
///   - test_util::run_python: from tests/common/test_process.hpp;
///   - test_util::info / random_bytes: an array_info from a descr, reproducible random bytes;
///   - test_util::error_of(f) / code_of(f): the colsnap::error f throws, or its errc;
///   - COLSNAP_REQUIRE_NUMPY(): GTEST_SKIP() the current test when numpy cannot be imported.
/// Typical use:
///   COLSNAP_REQUIRE_NUMPY();
///   test_util::temp_dir dir;
///   auto r = test_util::run_python("import numpy as np, sys\nnp.save(sys.argv[1], np.arange(3))",
///                                  {(dir / "a.npy").string()});
///   ASSERT_EQ(r.status, 0) << r.err;

#include <colsnap/array.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <test_files.hpp>
#include <test_process.hpp>

namespace test_util {

using test_common::bytes_of;
using test_common::have_numpy;
using test_common::python_result;
using test_common::read_file;
using test_common::run_python;
using test_common::temp_dir;
using test_common::write_file;

/// The colsnap::error that @p f throws (for its detail, file and offset); a test failure, and
/// an io_error "nothing thrown" marker, if it throws none.
template <typename F> colsnap::error error_of(F&& f) {
    try {
        f();
    } catch (const colsnap::error& e) {
        return e;
    }
    ADD_FAILURE() << "no colsnap::error thrown";
    return colsnap::error(colsnap::errc::io_error, "nothing thrown");
}

/// The code of the colsnap::error that @p f throws; io_error (as a marker) if it throws none.
template <typename F> colsnap::errc code_of(F&& f) {
    try {
        f();
    } catch (const colsnap::error& e) {
        return e.code();
    }
    return colsnap::errc::io_error;
}

/// The array_info of dtype @p descr (e.g. "<f4") with @p shape and memory order.
inline colsnap::array_info info(const char* descr, std::vector<std::uint64_t> shape,
                                bool fortran = false) {
    return colsnap::array_info{colsnap::dtype::parse(descr), std::move(shape), fortran};
}

/// @p n bytes from a fixed-seed generator (the same bytes for the same @p seed).
inline std::vector<std::byte> random_bytes(std::size_t n, unsigned seed = 1) {
    std::mt19937_64 rng(seed);
    std::vector<std::byte> b(n);
    for (auto& x : b) x = static_cast<std::byte>(rng());
    return b;
}

} // namespace test_util

/// Skips the current test (GTEST_SKIP) when /usr/bin/python3 cannot import numpy.
#define COLSNAP_REQUIRE_NUMPY()                                                                    \
    do {                                                                                           \
        if (!::test_util::have_numpy())                                                            \
            GTEST_SKIP() << ::test_common::python                                                  \
                         << " cannot import numpy (apt-get install python3-numpy)";                \
    } while (0)
