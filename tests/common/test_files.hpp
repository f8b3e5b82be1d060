#pragma once
/// @file test_files.hpp
/// @brief Files for tests: a scratch directory removed at the end, whole files as bytes or as
/// text, and tab-separated text files.

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace test_common {

namespace fs = std::filesystem;

/// A fresh, unique directory ("$TMPDIR/colsnap-TAG-XXXXXX"), removed with its contents when the
/// object goes out of scope (set COLSNAP_KEEP_TEMP=1 to keep it for inspection).
class temp_dir {
public:
    explicit temp_dir(std::string_view tag = "test") {
        std::string tmpl =
            (fs::temp_directory_path() / ("colsnap-" + std::string(tag) + "-XXXXXX")).string();
        if (::mkdtemp(tmpl.data()) == nullptr)
            throw std::runtime_error("mkdtemp failed for " + tmpl);
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
    /// The names of the entries in the directory, sorted.
    std::vector<std::string> list() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path_))
            names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

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

/// The whole file at @p p as a string (throws std::runtime_error if it cannot be opened).
inline std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Writes @p text to @p p, replacing it.
inline void write_text(const fs::path& p, std::string_view text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

/// @p s as bytes.
inline std::vector<std::byte> bytes_of(std::string_view s) {
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    return {p, p + s.size()};
}

/// The fields of @p s between the separators @p sep.
inline std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t pos = s.find(sep, start);
        out.emplace_back(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
        if (pos == std::string_view::npos) return out;
        start = pos + 1;
    }
}

/// The non-empty lines of the tab-separated file @p p, split into fields; throws
/// std::runtime_error on a line that does not have @p fields fields.
inline std::vector<std::vector<std::string>> read_tsv(const fs::path& p, std::size_t fields) {
    std::ifstream f(p);
    if (!f) throw std::runtime_error("cannot open " + p.string());
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty()) continue;
        rows.push_back(split(line, '\t'));
        if (rows.back().size() != fields)
            throw std::runtime_error(p.filename().string() + ": expected " +
                                     std::to_string(fields) + " fields: " + line);
    }
    return rows;
}

/// First differing byte index of two byte spans, or -1 when equal (sizes included).
inline long long first_diff(std::span<const std::byte> a, std::span<const std::byte> b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return static_cast<long long>(i);
    return a.size() == b.size() ? -1 : static_cast<long long>(n);
}

} // namespace test_common
