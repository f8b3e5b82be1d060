#pragma once
// The manifest format of tests/interop/numpy_side.py (what numpy wrote, and the bytes it
// expects), on top of the helpers every test folder shares (tests/common).

#include <colsnap/colsnap.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <test_files.hpp>
#include <test_process.hpp>

namespace colsnap_test {

namespace fs = std::filesystem;

using test_common::first_diff;
using test_common::have_numpy;
using test_common::python;
using test_common::quote;
using test_common::read_file;
using test_common::run;
using test_common::split;
using test_common::temp_dir;
using test_common::write_file;

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
    blob = read_file(dir / "expect.bin");
    std::vector<manifest_row> rows;
    for (const auto& c : test_common::read_tsv(dir / name, 10)) {
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
