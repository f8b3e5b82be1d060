// numpy's numeric dtypes, spelled as numpy's descr ("dtype.str"): an order character
// ('<', '>', '|', '='), a kind character and the item size in bytes.

#include <colsnap/dtype.hpp>
#include <colsnap/error.hpp>

namespace colsnap {

namespace {

/// A descr quoted for an error message: printable ASCII as is, other bytes as \xNN, long
/// strings cut (a hostile header may hold a 10,000-byte descr).
std::string quoted(std::string_view s) {
    constexpr std::size_t max_shown = 48;
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < max_shown; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
            out += static_cast<char>(c);
        } else {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out += '\'';
    if (s.size() > max_shown) out += "... (" + std::to_string(s.size()) + " bytes)";
    return out;
}

[[noreturn]] void refuse(std::string_view descr) {
    // numpy spells object arrays 'O' (with any order prefix, optionally 'O8'): these hold
    // pickled Python objects, which a reader of untrusted files must never load.
    if (descr.size() >= 2 && descr.size() <= 3 && descr[1] == 'O' &&
        (descr.size() == 2 || descr[2] == '8'))
        throw error(errc::unsupported_dtype,
                    "object arrays refused: colsnap never unpickles (descr " + quoted(descr) + ")");
    if (descr.size() == 1 && descr[0] == 'O')
        throw error(errc::unsupported_dtype,
                    "object arrays refused: colsnap never unpickles (descr " + quoted(descr) + ")");
    throw error(errc::unsupported_dtype,
                "unsupported dtype descr " + quoted(descr) +
                    " (colsnap reads b1, i1-i8, u1-u8, f2, f4, f8, c8, c16)");
}

} // namespace

std::string dtype::descr() const {
    std::string s;
    s.reserve(4);
    s += itemsize == 1                   ? '|'
         : order == byte_order::big      ? '>'
         : order == byte_order::little   ? '<'
                                         : (native_order == byte_order::little ? '<' : '>');
    switch (kind) {
    case dtype_kind::boolean: s += 'b'; break;
    case dtype_kind::signed_int: s += 'i'; break;
    case dtype_kind::unsigned_int: s += 'u'; break;
    case dtype_kind::floating: s += 'f'; break;
    case dtype_kind::complex: s += 'c'; break;
    }
    s += std::to_string(itemsize);
    return s;
}

dtype dtype::parse(std::string_view descr) {
    if (descr.size() < 3 || descr.size() > 4) refuse(descr);
    byte_order order{};
    switch (descr[0]) {
    case '<': order = byte_order::little; break;
    case '>': order = byte_order::big; break;
    // numpy reads '|' on a multi-byte type (and '=') as this machine's order.
    case '|':
    case '=': order = native_order; break;
    default: refuse(descr);
    }
    dtype_kind kind{};
    switch (descr[1]) {
    case 'b': kind = dtype_kind::boolean; break;
    case 'i': kind = dtype_kind::signed_int; break;
    case 'u': kind = dtype_kind::unsigned_int; break;
    case 'f': kind = dtype_kind::floating; break;
    case 'c': kind = dtype_kind::complex; break;
    default: refuse(descr);
    }
    const std::string_view size = descr.substr(2);
    unsigned n = 0;
    if (size == "1") n = 1;
    else if (size == "2") n = 2;
    else if (size == "4") n = 4;
    else if (size == "8") n = 8;
    else if (size == "16") n = 16;
    else refuse(descr);

    bool ok = false;
    switch (kind) {
    case dtype_kind::boolean: ok = n == 1; break;
    case dtype_kind::signed_int:
    case dtype_kind::unsigned_int: ok = n <= 8; break;
    case dtype_kind::floating: ok = n >= 2 && n <= 8; break;
    case dtype_kind::complex: ok = n == 8 || n == 16; break;
    }
    if (!ok) refuse(descr);
    return dtype{kind, static_cast<std::uint8_t>(n), n == 1 ? byte_order::not_applicable : order};
}

dtype dtype::as_native() const noexcept {
    dtype d = *this;
    d.order = itemsize == 1 ? byte_order::not_applicable : native_order;
    return d;
}

dtype dtype::as_little() const noexcept {
    dtype d = *this;
    d.order = itemsize == 1 ? byte_order::not_applicable : byte_order::little;
    return d;
}

} // namespace colsnap
