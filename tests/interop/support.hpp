#pragma once
// Helpers shared by the interop and corrupt tests: running numpy's side (/usr/bin/python3),
// scratch directories, whole-file I/O, the manifest format of tests/interop/numpy_side.py.

#include <colsnap/colsnap.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace colsnap_test {

namespace fs = std::filesystem;

/// The reference interpreter: Debian's python3 with python3-numpy.
inline constexpr const char* python = "/usr/bin/python3";

/// Runs @p cmd through the shell; returns its exit status and puts stdout+stderr in @p out.
inline int run(const std::string& cmd, std::string& out) {
    out.clear();
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return -1;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int st = ::pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

inline std::string quote(const fs::path& p) {
    std::string s = "'";
    for (char c : p.string()) {
        if (c == '\'') s += "'\\''";
        else s += c;
    }
    return s + "'";
}

/// True when /usr/bin/python3 can import numpy (checked once per process).
inline bool have_numpy() {
    static const bool ok = [] {
        std::string out;
        return run(std::string(python) + " -c 'import numpy'", out) == 0;
    }();
    return ok;
}

/// A fresh scratch directory, removed (with its contents) on destruction.
class scratch_dir {
public:
    explicit scratch_dir(std::string_view tag) {
        static int counter = 0;
        path_ = fs::temp_directory_path() /
                ("colsnap-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" +
                 std::to_string(counter++));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~scratch_dir() {
        std::error_code ec;
        if (!std::getenv("COLSNAP_KEEP_SCRATCH")) fs::remove_all(path_, ec);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(std::string_view name) const { return path_ / fs::u8path(name); }

private:
    fs::path path_;
};

inline std::vector<std::byte> read_bytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::vector<char> c((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::vector<std::byte> out(c.size());
    if (!c.empty()) std::memcpy(out.data(), c.data(), c.size());
    return out;
}

inline void write_bytes(const fs::path& p, std::span<const std::byte> b) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

inline std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t pos = s.find(sep, start);
        out.emplace_back(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
        if (pos == std::string_view::npos) return out;
        start = pos + 1;
    }
}

/// One line of a manifest (see tests/interop/numpy_side.py).
struct manifest_row {
    std::string file, key, descr;
    bool fortran = false;
    std::vector<std::uint64_t> shape;
    std::span<const std::byte> raw, native;
    std::string extra;
};

inline std::vector<std::uint64_t> parse_shape(const std::string& s) {
    std::vector<std::uint64_t> out;
    if (s == "-") return out;
    for (auto& d : split(s, ',')) out.push_back(std::stoull(d));
    return out;
}

/// Reads DIR/NAME and DIR/expect.bin (kept in @p blob, which the rows point into).
inline std::vector<manifest_row> read_manifest(const fs::path& dir, const std::string& name,
                                               std::vector<std::byte>& blob) {
    blob = read_bytes(dir / "expect.bin");
    std::ifstream f(dir / name);
    std::vector<manifest_row> rows;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty()) continue;
        auto c = split(line, '\t');
        if (c.size() != 10) throw std::runtime_error("bad manifest line: " + line);
        manifest_row r;
        r.file = c[0];
        r.key = c[1];
        r.descr = c[2];
        r.fortran = c[3] == "1";
        r.shape = parse_shape(c[4]);
        auto span_of = [&](const std::string& off, const std::string& len) {
            return std::span<const std::byte>(blob).subspan(std::stoull(off), std::stoull(len));
        };
        r.raw = span_of(c[5], c[6]);
        r.native = span_of(c[7], c[8]);
        r.extra = c[9];
        rows.push_back(std::move(r));
    }
    return rows;
}

/// First differing byte index of two byte spans, or -1 when equal (sizes included).
inline long long first_diff(std::span<const std::byte> a, std::span<const std::byte> b) {
    std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return static_cast<long long>(i);
    return a.size() == b.size() ? -1 : static_cast<long long>(n);
}

inline std::string shape_text(const std::vector<std::uint64_t>& s) {
    if (s.empty()) return "-";
    std::string o;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i) o += ',';
        o += std::to_string(s[i]);
    }
    return o;
}

} // namespace colsnap_test
