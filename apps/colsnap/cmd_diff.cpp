// colsnap diff A B: which members differ and where.
//
// Members are matched by name and compared in name order. Values are compared bit for bit in
// native byte order and C order (array::to_native_c()), the same bytes colsnap::content_hash
// hashes, so "identical" here means equal content hashes; byte order, C/Fortran order and
// stored/deflate are reported as notes, not as differences.

#include "commands.hpp"
#include "snapshot_source.hpp"
#include "value_format.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace colsnap_cli {
namespace {

using member_map = std::map<std::string, const member_entry*>;

member_map by_name(const snapshot_source& src) {
    member_map out;
    for (const member_entry& m : src.members()) out.emplace(m.name, &m);
    return out;
}

/// The same dtype up to byte order (every field's, for records): what a difference of dtype
/// means here.
bool same_type(const colsnap::dtype& a, const colsnap::dtype& b) {
    return a.as_native() == b.as_native();
}

/// Layout differences that are not content differences, as "stored vs deflate, >f8 vs <f8".
std::string layout_notes(const member_entry& a, const member_entry& b) {
    std::vector<std::string> notes;
    const auto method = [](colsnap::compression c) {
        return c == colsnap::compression::deflate ? "deflate" : "stored";
    };
    if (a.method != b.method)
        notes.push_back(std::string(method(a.method)) + " vs " + method(b.method));
    if (a.info.type.order != b.info.type.order)
        notes.push_back("byte order " + a.info.type.descr() + " vs " + b.info.type.descr());
    if (a.info.fortran_order != b.info.fortran_order)
        notes.push_back(std::string(a.info.fortran_order ? "Fortran" : "C") + " vs " +
                        (b.info.fortran_order ? "Fortran" : "C") + " order");
    std::string out;
    for (const std::string& n : notes) out += (out.empty() ? "" : ", ") + n;
    return out;
}

struct report {
    std::string text;
    void line(const std::string& s) { text += s + '\n'; }
};

/// Members colsnap cannot type (object arrays, files that are not .npy) compare as bytes.
bool compare_bytes(const snapshot_source& sa, const member_entry& ma, const snapshot_source& sb,
                   const member_entry& mb, report& r) {
    const std::string name = display_name(ma.name);
    if (ma.kind != mb.kind) {
        r.line("kind differs: " + name + ": " + std::string(colsnap::to_string(ma.kind)) + " vs " +
               std::string(colsnap::to_string(mb.kind)));
        return true;
    }
    const colsnap::member_bytes ca = sa.content(ma), cb = sb.content(mb); // keep both alive
    const auto a = ca.bytes, b = cb.bytes;
    if (a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin())) return false;
    r.line("bytes differ: " + name + " (" + std::string(colsnap::to_string(ma.kind)) + ", " +
           std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " bytes)");
    return true;
}

bool compare_values(const snapshot_source& sa, const member_entry& ma, const snapshot_source& sb,
                    const member_entry& mb, report& r) {
    const std::string name = display_name(ma.name);
    const colsnap::array a = sa.native(ma);
    const colsnap::array b = sb.native(mb);
    const std::size_t item = a.type().itemsize;
    const std::byte* pa = a.bytes().data();
    const std::byte* pb = b.bytes().data();
    const std::uint64_t n = a.size();
    std::uint64_t differing = 0, first = 0;
    // A record's padding is not content (numpy's copies leave it as memory held; the hash
    // zeroes it): items compare over the runs between the gaps.
    std::vector<std::pair<std::size_t, std::size_t>> content; // (offset, length)
    std::size_t at = 0;
    for (const auto& [gap, len] : colsnap::padding_bytes(a.type())) {
        if (gap > at) content.emplace_back(at, gap - at);
        at = std::size_t{gap} + len;
    }
    if (at < item) content.emplace_back(at, item - at);
    const auto same_item = [&](const std::byte* x, const std::byte* y) {
        return std::all_of(content.begin(), content.end(), [&](const auto& run) {
            return std::memcmp(x + run.first, y + run.first, run.second) == 0;
        });
    };
    // Whole-buffer compare first: the common case (equal) costs one memcmp.
    if (n > 0 && std::memcmp(pa, pb, n * item) != 0) {
        for (std::uint64_t i = 0; i < n; ++i) {
            if (!same_item(pa + i * item, pb + i * item)) {
                if (differing == 0) first = i;
                ++differing;
            }
        }
    }
    const std::string notes = layout_notes(ma, mb);
    if (differing == 0) {
        if (!notes.empty()) r.line("same values: " + name + " (" + notes + "; not a difference)");
        return false;
    }
    r.line("values differ: " + name + ": " + std::to_string(differing) + " of " +
           std::to_string(n) + " elements; first at index " + format_index(ma.info.shape, first) +
           ": " + format_value(a.type(), pa + first * item) + " vs " +
           format_value(b.type(), pb + first * item) +
           (notes.empty() ? "" : " (also " + notes + "; not a difference)"));
    return true;
}

/// Compares one member present in both files: dtype, then shape, then values; true when it
/// differs.
bool compare_member(const snapshot_source& sa, const member_entry& ma, const snapshot_source& sb,
                    const member_entry& mb, report& r) {
    if (ma.kind != colsnap::member_kind::array || mb.kind != colsnap::member_kind::array)
        return compare_bytes(sa, ma, sb, mb, r);
    if (!same_type(ma.info.type, mb.info.type)) {
        r.line("dtype differs: " + display_name(ma.name) + ": " + ma.info.type.descr() + " vs " +
               mb.info.type.descr());
        return true;
    }
    if (ma.info.shape != mb.info.shape) {
        r.line("shape differs: " + display_name(ma.name) + ": " + format_shape(ma.info.shape) +
               " vs " + format_shape(mb.info.shape));
        return true;
    }
    return compare_values(sa, ma, sb, mb, r);
}

} // namespace

int run_diff(const diff_options& opt) {
    const snapshot_source sa = snapshot_source::open(opt.a);
    const snapshot_source sb = snapshot_source::open(opt.b);
    const member_map a = by_name(sa), b = by_name(sb);
    report r;
    std::uint64_t compared = 0, differing = 0;
    for (const auto& [name, ma] : a)
        if (!b.contains(name)) r.line("only in A: " + display_name(name));
    for (const auto& [name, mb] : b)
        if (!a.contains(name)) r.line("only in B: " + display_name(name));
    for (const auto& [name, ma] : a) {
        const auto it = b.find(name);
        if (it == b.end()) continue;
        ++compared;
        if (compare_member(sa, *ma, sb, *it->second, r)) ++differing;
    }
    const std::uint64_t only_a = a.size() - compared, only_b = b.size() - compared;
    const bool different = differing + only_a + only_b > 0;
    const auto members = [](std::uint64_t k) { return k == 1 ? " member" : " members"; };
    std::string summary = different ? "different: " + std::to_string(differing) + " of " +
                                          std::to_string(compared) + " common" + members(compared) +
                                          (differing == 1 ? " differs" : " differ")
                                    : "identical: " + std::to_string(compared) + " common" +
                                          members(compared) + " compared";
    if (different)
        summary +=
            ", " + std::to_string(only_a) + " only in A, " + std::to_string(only_b) + " only in B";
    r.line(summary + " (byte order, C/Fortran order and stored/deflate are not differences)");
    std::fwrite(r.text.data(), 1, r.text.size(), stdout);
    return different ? exit_invalid : exit_ok;
}

} // namespace colsnap_cli
