// colsnap cat FILE [MEMBER] [--head N]: print values, numpy style.

#include "commands.hpp"
#include "first_values.hpp"
#include "snapshot_source.hpp"
#include "value_format.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace colsnap_cli {
namespace {

constexpr std::size_t line_width = 75; // numpy's default linewidth

/// Characters of UTF-8 @p text (what numpy pads by): the bytes that start one.
std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

/// Writes nested, bracketed rows as numpy's array2string does: elements right-aligned to a
/// common width (strings, bytes and records are not padded; datetimes are quoted, NaT too, and a
/// timedelta's NaT), rows wrapped
/// at line_width, blank lines between blocks of 3-d and up.
class array_printer {
public:
    array_printer(const colsnap::array& a, std::uint64_t limit)
        : data_(a.bytes().data()), type_(a.type()), shape_(a.shape()), limit_(limit) {
        const auto k = type_.kind;
        // numpy pads a record field by field, never the record as a whole (not yet done here)
        const bool padded = k != colsnap::dtype_kind::bytes && k != colsnap::dtype_kind::unicode &&
                            k != colsnap::dtype_kind::opaque &&
                            k != colsnap::dtype_kind::structured;
        if (padded)
            for (std::uint64_t i = 0; i < limit_; ++i)
                width_ = std::max(width_, display_width(element(i)));
    }

    /// Everything (limit == size): nested by dimension.
    void nested() {
        if (shape_.empty()) out_ += element(0);
        else if (limit_ == 0) out_ += "[]";
        else block(0, 0);
        finish();
    }

    /// The first limit values in C order as one flat list, then "..."; "[]" for none (the
    /// comment line says how many of how many are shown).
    void flat() {
        out_ += '[';
        row(limit_, 0);
        out_ += limit_ == 0 ? "]" : " ...]";
        finish();
    }

private:
    std::string element(std::uint64_t i) const {
        const std::byte* p = data_ + i * type_.itemsize;
        // a 0-d array is printed as its scalar (unquoted), an array's elements as in a container
        return shape_.empty() ? format_value(type_, p) : container_element(type_, p);
    }

    void block(std::size_t dim, std::size_t indent) {
        out_ += '[';
        if (dim + 1 == shape_.size()) {
            row(shape_[dim], indent);
        } else {
            for (std::uint64_t i = 0; i < shape_[dim]; ++i) {
                if (i > 0) {
                    out_.append(shape_.size() - dim - 1, '\n');
                    out_.append(indent + 1, ' ');
                }
                block(dim + 1, indent + 1);
            }
        }
        out_ += ']';
        if (out_.size() > (1u << 16)) drain();
    }

    void row(std::uint64_t n, std::size_t indent) {
        std::size_t column = indent + 1;
        for (std::uint64_t i = 0; i < n; ++i) {
            std::string text = element(next_++);
            const std::size_t w = display_width(text);
            if (w < width_) text.insert(0, width_ - w, ' ');
            if (i > 0) {
                if (column + 1 + std::max(w, width_) + 1 > line_width) {
                    out_ += '\n';
                    out_.append(indent + 1, ' ');
                    column = indent + 1;
                } else {
                    out_ += ' ';
                    ++column;
                }
            }
            out_ += text;
            column += std::max(w, width_);
            if (out_.size() > (1u << 16)) drain();
        }
    }

    void drain() {
        std::fwrite(out_.data(), 1, out_.size(), stdout);
        out_.clear();
    }
    void finish() {
        out_ += '\n';
        drain();
    }

    const std::byte* data_;
    colsnap::dtype type_;
    std::vector<std::uint64_t> shape_;
    std::uint64_t limit_;
    std::size_t width_ = 0;
    std::uint64_t next_ = 0;
    std::string out_;
};

const member_entry& pick_member(const snapshot_source& src, const cat_options& opt) {
    if (!opt.member) {
        if (src.kind() == file_kind::npy) return src.members().front();
        throw usage_error("cat: " + escape_text(opt.file) +
                          " is an .npz: name a MEMBER (list them with colsnap ls)");
    }
    const member_entry* m = src.find(*opt.member);
    if (m == nullptr)
        throw colsnap::error(colsnap::errc::no_such_member, "no such member (see colsnap ls)",
                             opt.file, *opt.member, colsnap::error::no_offset);
    return *m;
}

} // namespace

int run_cat(const cat_options& opt) {
    // With --head, a stored member is opened as a view that reads nothing yet (no CRC pass over
    // the whole member), and only the printed values are copied out of it. A deflated member is
    // inflated whole (and CRC checked): libdeflate has no streaming path to stop early.
    colsnap::read_options ro;
    ro.check_crc = !opt.head;
    snapshot_source src = snapshot_source::open(opt.file, ro);
    const member_entry* mp = &pick_member(src, opt);
    const std::uint64_t total = mp->info.count();
    const bool partial = opt.head && *opt.head < total;
    const std::uint64_t shown = partial ? *opt.head : total;
    if (opt.head && !partial) { // everything is printed, so everything is read: check the CRC
        src = snapshot_source::open(opt.file);
        mp = &pick_member(src, opt);
    }
    const member_entry& m = *mp;
    // Native byte order, C order: the printing order is row-major whatever the stored order.
    const colsnap::array a = partial ? first_values(src.raw(m), shown) : src.native(m);

    std::string header = "# " + display_name(m.name) + ": dtype " + m.info.type.descr() +
                         ", shape " + format_shape(m.info.shape) + ", stored in " +
                         (m.info.fortran_order ? "Fortran" : "C") + " order; ";
    header += partial
                  ? "first " + std::to_string(shown) + " of " + std::to_string(total) +
                        " values in C order\n"
                  : std::to_string(total) + (total == 1 ? " value" : " values") + " in C order\n";
    std::fwrite(header.data(), 1, header.size(), stdout);

    array_printer printer(a, shown);
    if (partial) printer.flat();
    else printer.nested();
    return exit_ok;
}

} // namespace colsnap_cli
