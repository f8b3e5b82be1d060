// Python literal text (repr of str and of int tuples) and the two encodings of .npy headers.
// Reference: CPython 3.11 Objects/unicodeobject.c (unicode_repr, Py_UNICODE_ISPRINTABLE).

#include "py_literal.hpp"

namespace colsnap::detail {

namespace {

/// Python's str.isprintable() for one character: false for the categories Cc, Cf, Cs, Co,
/// Cn, Zl, Zp and Zs other than ' '. Exact up to U+00FF; past it, the format characters,
/// separators, surrogates, private use and noncharacters a name could hold.
bool printable(char32_t c) {
    if (c < 0x20 || c == 0x7f) return false;
    if (c < 0x7f) return true;
    if (c <= 0xa0 || c == 0xad) return false; // C1 controls, NBSP (Zs), soft hyphen (Cf)
    if (c <= 0xff) return true;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
        (c >= 0x205f && c <= 0x206f) || c == 0x3000 || c == 0xfeff || c == 0x061c || c == 0x180e ||
        (c >= 0xfff9 && c <= 0xfffb))
        return false;
    if ((c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe ||
        c >= 0xe0000)
        return false;
    return true;
}

void append_hex(std::string& out, char32_t c, int digits) {
    static constexpr char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i) out += hex[(c >> (4 * i)) & 15];
}

} // namespace

std::optional<std::u32string> decode_utf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (b0 < 0x80) {
            out += b0;
            ++i;
            continue;
        }
        std::size_t n = 0;
        char32_t cp = 0, min = 0;
        if ((b0 & 0xe0) == 0xc0) n = 1, cp = b0 & 0x1fu, min = 0x80;
        else if ((b0 & 0xf0) == 0xe0) n = 2, cp = b0 & 0x0fu, min = 0x800;
        else if ((b0 & 0xf8) == 0xf0) n = 3, cp = b0 & 0x07u, min = 0x10000;
        else return std::nullopt;
        if (s.size() - i <= n) return std::nullopt;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xc0) != 0x80) return std::nullopt;
            cp = (cp << 6) | (b & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
        out += cp;
        i += n + 1;
    }
    return out;
}

std::string latin1_to_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) append_utf8(out, static_cast<unsigned char>(c));
    return out;
}

std::string py_repr(std::string_view s) {
    const std::u32string cps = decode_utf8(s).value_or(std::u32string{});
    // unicode_repr: single quotes, unless the text holds ' and no ".
    const bool has_single = s.find('\'') != std::string_view::npos,
               has_double = s.find('"') != std::string_view::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    std::string out(1, quote);
    for (const char32_t c : cps) {
        if (c == static_cast<char32_t>(quote) || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (printable(c)) {
            append_utf8(out, c);
        } else if (c <= 0xff) {
            out += "\\x";
            append_hex(out, c, 2);
        } else if (c <= 0xffff) {
            out += "\\u";
            append_hex(out, c, 4);
        } else {
            out += "\\U";
            append_hex(out, c, 8);
        }
    }
    out += quote;
    return out;
}

std::string py_tuple(std::span<const std::uint64_t> dims) {
    std::string s = "(";
    for (std::size_t i = 0; i < dims.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(dims[i]);
    }
    if (dims.size() == 1) s += ',';
    return s + ")";
}

} // namespace colsnap::detail
