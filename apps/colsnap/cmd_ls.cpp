// colsnap ls FILE: one aligned line per member after a header line.

#include "commands.hpp"
#include "snapshot_source.hpp"
#include "value_format.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

namespace colsnap_cli {
namespace {

constexpr std::size_t n_columns = 9;
using row = std::array<std::string, n_columns>;

/// The DTYPE column, one word: numpy's descr, a record's fields in short (compact_dtype), or
/// what a member colsnap cannot type holds.
std::string dtype_word(const member_entry& m) {
    switch (m.kind) {
    case colsnap::member_kind::objects: return "object(pickled)";
    case colsnap::member_kind::other: return "not-npy";
    case colsnap::member_kind::directory: return "directory";
    case colsnap::member_kind::array: break;
    }
    return compact_dtype(m.info.type);
}

row describe(const member_entry& m) {
    const bool typed = m.kind == colsnap::member_kind::array;
    return {dtype_word(m),
            typed ? format_shape(m.info.shape) : "-", // numpy's text, "(64, 4)": may contain spaces
            !typed                 ? "-"
            : m.info.fortran_order ? "F"
                                   : "C",
            m.method == colsnap::compression::deflate ? "deflate" : "stored",
            std::to_string(m.compressed_size),
            std::to_string(m.uncompressed_size),
            std::to_string(m.data_offset),
            m.zero_copy ? "yes" : "no",
            display_name(m.name)};
}

} // namespace

int run_ls(const ls_options& opt) {
    const snapshot_source src = snapshot_source::open(opt.file);
    std::vector<row> rows;
    rows.push_back({"DTYPE", "SHAPE", "ORDER", "METHOD", "COMPRESSED", "UNCOMPRESSED", "OFFSET",
                    "ZERO_COPY", "NAME"});
    std::vector<std::string> full; // --full: a record's whole descr, under its row
    full.emplace_back();
    for (const member_entry& m : src.members()) {
        rows.push_back(describe(m));
        const bool record = m.kind == colsnap::member_kind::array &&
                            m.info.type.kind == colsnap::dtype_kind::structured;
        full.push_back(opt.full && record ? "  dtype: " + m.info.type.descr() : "");
    }

    std::array<std::size_t, n_columns> width{};
    for (const row& r : rows)
        for (std::size_t c = 0; c < n_columns; ++c) width[c] = std::max(width[c], r[c].size());
    // Sizes and offsets (columns 4..6) are right-aligned; the last column is not padded.
    const auto right_aligned = [](std::size_t c) { return c >= 4 && c <= 6; };
    std::string out;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const row& r = rows[i];
        for (std::size_t c = 0; c < n_columns; ++c) {
            if (c > 0) out += "  ";
            const std::size_t pad = c + 1 < n_columns ? width[c] - r[c].size() : 0;
            if (right_aligned(c)) out.append(pad, ' ');
            out += r[c];
            if (!right_aligned(c)) out.append(pad, ' ');
        }
        out += '\n';
        if (!full[i].empty()) out += full[i] + '\n';
        if (out.size() > (1u << 16)) {
            std::fwrite(out.data(), 1, out.size(), stdout);
            out.clear();
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return exit_ok;
}

} // namespace colsnap_cli
