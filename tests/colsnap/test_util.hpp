#pragma once
/// @file test_util.hpp
/// @brief Small helpers for colsnap_tests:
///   - test_util::temp_dir: a unique scratch directory under /tmp, removed on destruction
///     (set COLSNAP_KEEP_TEMP=1 to keep it for inspection);
///   - test_util::read_file / write_file: whole files as bytes;
///   - test_util::run_python: run a /usr/bin/python3 snippet, capture stdout and exit status;
///   - test_util::info / random_bytes: an array_info from a descr, reproducible random bytes;
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
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#ifndef COLSNAP_TEST_PYTHON
#define COLSNAP_TEST_PYTHON "/usr/bin/python3"
#endif

namespace test_util {

namespace fs = std::filesystem;

/// A fresh, unique directory under /tmp ("/tmp/colsnap-test-XXXXXX"), removed with its
/// contents when the object goes out of scope.
class temp_dir {
public:
    temp_dir() {
        std::string tmpl = "/tmp/colsnap-test-XXXXXX";
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        if (std::getenv("COLSNAP_KEEP_TEMP") == nullptr) fs::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const fs::path& path() const noexcept { return path_; }
    /// path() / name
    fs::path operator/(std::string_view name) const { return path_ / fs::path(name); }

private:
    fs::path path_;
};

/// The whole file at @p p as bytes (throws std::runtime_error if it cannot be opened).
inline std::vector<std::byte> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    std::vector<char> c((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> out(c.size());
    if (!c.empty()) std::memcpy(out.data(), c.data(), c.size());
    return out;
}

/// Writes @p bytes to @p p, replacing it (handy for hand-made hostile files).
inline void write_file(const fs::path& p, std::span<const std::byte> bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

/// @p s as bytes.
inline std::vector<std::byte> bytes_of(std::string_view s) {
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    return {p, p + s.size()};
}

struct python_result {
    int status = -1;  ///< exit status (128 + signal if killed)
    std::string out;  ///< everything the snippet printed on stdout
    std::string err;  ///< its stderr, for failure messages
};

/// Runs @p code with /usr/bin/python3 (the code goes in a temp file; @p args become sys.argv[1:]).
inline python_result run_python(const std::string& code, std::initializer_list<std::string> args = {}) {
    auto quote = [](const std::string& s) {
        std::string q = "'";
        for (char c : s) {
            if (c == '\'') q += "'\\''";
            else q += c;
        }
        q += '\'';
        return q;
    };
    temp_dir dir;
    const fs::path script = dir / "snippet.py", err = dir / "stderr.txt";
    {
        std::ofstream f(script);
        f << code;
    }
    // Built with += only: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
    std::string cmd = COLSNAP_TEST_PYTHON;
    cmd += ' ';
    cmd += quote(script.string());
    for (const auto& a : args) {
        cmd += ' ';
        cmd += quote(a);
    }
    cmd += " 2>";
    cmd += quote(err.string());
    python_result r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    std::ifstream e(err);
    r.err.assign(std::istreambuf_iterator<char>(e), std::istreambuf_iterator<char>());
    return r;
}

/// The array_info of dtype @p descr (e.g. "<f4") with @p shape and memory order.
inline colsnap::array_info info(const char* descr, std::vector<std::uint64_t> shape, bool fortran = false) {
    return colsnap::array_info{colsnap::dtype::parse(descr), std::move(shape), fortran};
}

/// @p n bytes from a fixed-seed generator (the same bytes for the same @p seed).
inline std::vector<std::byte> random_bytes(std::size_t n, unsigned seed = 1) {
    std::mt19937_64 rng(seed);
    std::vector<std::byte> b(n);
    for (auto& x : b) x = static_cast<std::byte>(rng());
    return b;
}

/// True when /usr/bin/python3 can import numpy (checked once per process).
inline bool have_numpy() {
    static const bool ok = run_python("import numpy\n").status == 0;
    return ok;
}

} // namespace test_util

/// Skips the current test (GTEST_SKIP) when /usr/bin/python3 cannot import numpy.
#define COLSNAP_REQUIRE_NUMPY()                                                                    \
    do {                                                                                           \
        if (!::test_util::have_numpy())                                                            \
            GTEST_SKIP() << COLSNAP_TEST_PYTHON " cannot import numpy (apt-get install python3-numpy)"; \
    } while (0)
