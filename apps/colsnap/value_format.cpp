#include "value_format.hpp"

#include "datetime_format.hpp"
#include "half.hpp"

#include <colsnap/strings.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <complex>
#include <cstring>
#include <system_error>
#include <vector>

namespace colsnap_cli {
namespace {

/// Turns shortest scientific digits "d.ddde±XX" (from std::to_chars) into numpy's repr:
/// positional (always with a fraction, "1.0") or scientific with at least two exponent
/// digits ("1e+20", "1.5e-05").
std::string repr_from_scientific(std::string_view sci, bool fixed) {
    std::string_view sign;
    if (!sci.empty() && sci.front() == '-') {
        sign = "-";
        sci.remove_prefix(1);
    }
    const auto e = sci.find('e');
    const std::string_view mantissa = sci.substr(0, e);
    int exponent = 0;
    std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                    exponent);
    std::string digits;
    for (char c : mantissa)
        if (c != '.') digits += c;
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();

    std::string out(sign);
    if (fixed) {
        if (exponent < 0) {
            out += "0.";
            out.append(static_cast<std::size_t>(-exponent - 1), '0');
            out += digits;
        } else {
            const auto int_digits = static_cast<std::size_t>(exponent) + 1;
            if (digits.size() <= int_digits) {
                out += digits;
                out.append(int_digits - digits.size(), '0');
                out += ".0";
            } else {
                out += digits.substr(0, int_digits);
                out += '.';
                out += digits.substr(int_digits);
            }
        }
        return out;
    }
    out += digits.substr(0, 1);
    if (digits.size() > 1) {
        out += '.';
        out += digits.substr(1);
    }
    out += exponent < 0 ? "e-" : "e+";
    const int mag = exponent < 0 ? -exponent : exponent;
    if (mag < 10) out += '0';
    out += std::to_string(mag);
    return out;
}

std::string non_finite(double value) {
    if (std::isnan(value)) return "nan";
    return value < 0 ? "-inf" : "inf";
}

/// numpy (scalartypes.c) prints a float positionally when it is 0 or 1e-4 <= |x| < 1e16,
/// comparing the value itself: float32(0.0001) is just below 1e-4 and prints as "1e-04".
bool positional(long double value) {
    const long double a = std::fabs(value);
    return a == 0 || (a >= 1e-4L && a < 1e16L);
}

template <typename F> std::string shortest(F value) {
    if (!std::isfinite(value)) return non_finite(static_cast<double>(value));
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    return repr_from_scientific(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)),
                                positional(value));
}

/// numpy writes complex parts without a ".0" for whole numbers: (1+2j), (1.5-0j), (nan+nanj).
std::string complex_part(std::string text) {
    if (text.size() > 2 && text.ends_with(".0")) text.resize(text.size() - 2);
    return text;
}

template <typename F> void append_complex(std::string& out, F re, F im) {
    // numpy (scalartypes.c, like Python's complex repr): a +0 real part is left out, "-0.5j".
    if (re == 0 && !std::signbit(re)) {
        out += complex_part(shortest(im));
        out += 'j';
        return;
    }
    out += '(';
    out += complex_part(shortest(re));
    const std::string imag = complex_part(shortest(im));
    if (imag.front() != '-') out += '+';
    out += imag;
    out += "j)";
}

template <typename T> T load(const std::byte* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

/// Python's quote choice for a repr: ' unless the text holds ' and no ".
template <typename C> char quote_for(const C* p, std::size_t n) {
    bool single = false, dbl = false;
    for (std::size_t i = 0; i < n; ++i) {
        single = single || p[i] == C('\'');
        dbl = dbl || p[i] == C('"');
    }
    return single && !dbl ? '"' : '\'';
}

void append_hex(std::string& out, std::uint32_t v, int digits, bool upper = false) {
    const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i) out += hex[(v >> (4 * i)) & 15];
}

/// An escape Python's repr writes for @p c (quote, backslash, \t \n \r), or false.
bool append_simple_escape(std::string& out, std::uint32_t c, char quote) {
    switch (c) {
    case '\\': out += "\\\\"; return true;
    case '\t': out += "\\t"; return true;
    case '\n': out += "\\n"; return true;
    case '\r': out += "\\r"; return true;
    default: break;
    }
    if (c == static_cast<unsigned char>(quote)) {
        out += '\\';
        out += quote;
        return true;
    }
    return false;
}

/// numpy's S item: repr() of the bytes without their trailing NULs, b'...'.
void append_bytes(std::string& out, const std::byte* p, std::size_t n) {
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    while (n > 0 && b[n - 1] == 0) --n;
    const char quote = quote_for(b, n);
    out += 'b';
    out += quote;
    for (std::size_t i = 0; i < n; ++i) {
        if (append_simple_escape(out, b[i], quote)) continue;
        if (b[i] < 0x20 || b[i] >= 0x7f) {
            out += "\\x";
            append_hex(out, b[i], 2);
        } else {
            out += static_cast<char>(b[i]);
        }
    }
    out += quote;
}

/// numpy's V item: every byte as \xHH, b'...'.
void append_void(std::string& out, const std::byte* p, std::size_t n) {
    out += "b'";
    for (std::size_t i = 0; i < n; ++i) {
        out += "\\x";
        append_hex(out, static_cast<unsigned>(p[i]), 2, true);
    }
    out += '\'';
}

/// numpy's U item (native UCS-4): repr() of the str without its trailing NULs. Controls and
/// lone surrogates are escaped as Python escapes them; a code unit past U+10FFFF (which no str
/// can hold) is shown as <invalid UCS-4 0x...>, never replaced.
void append_unicode(std::string& out, const std::byte* p, std::size_t chars) {
    std::vector<std::uint32_t> u(chars);
    if (chars) std::memcpy(u.data(), p, chars * 4);
    while (!u.empty() && u.back() == 0) u.pop_back();
    const char quote = quote_for(u.data(), u.size());
    out += quote;
    for (const std::uint32_t c : u) {
        if (append_simple_escape(out, c, quote)) continue;
        if (c > 0x10ffff) {
            out += "<invalid UCS-4 0x";
            append_hex(out, c, 8);
            out += '>';
        } else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad) {
            out += "\\x";
            append_hex(out, c, 2);
        } else if (c >= 0xd800 && c <= 0xdfff) {
            out += "\\u";
            append_hex(out, c, 4);
        } else {
            colsnap::append_utf8(out, c);
        }
    }
    out += quote;
}

void append_record(std::string& out, const colsnap::dtype& type, const std::byte* p);

/// One field value inside a record, as numpy's void scalar str() formats it: with the array
/// formatters, so a whole float loses its trailing zero ("0.", "2.5") and a datetime (NaT
/// too, and a timedelta's NaT) is quoted (container_element).
std::string field_text(const colsnap::dtype& type, const std::byte* p) {
    std::string t = container_element(type, p);
    if (type.kind == colsnap::dtype_kind::floating && t.ends_with(".0")) t.pop_back();
    return t;
}

/// The items of a sub-array field as numpy nests them in lists, each right-aligned to the
/// widest: [ 3, -2], [[1, 2], [3, 4]].
void append_nested(std::string& out, const colsnap::dtype& type, const std::byte* p,
                   const std::vector<std::uint64_t>& shape) {
    std::uint64_t n = 1;
    for (const auto d : shape) n *= d;
    std::vector<std::string> items(n);
    std::size_t width = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        items[i] = field_text(type, p + i * type.itemsize);
        width = std::max(width, items[i].size());
    }
    std::uint64_t at = 0;
    auto level = [&](auto&& self, std::size_t dim) -> void {
        out += '[';
        for (std::uint64_t i = 0; i < shape[dim]; ++i) {
            if (i) out += ", ";
            if (dim + 1 < shape.size()) {
                self(self, dim + 1);
            } else {
                out.append(width - items[at].size(), ' ');
                out += items[at++];
            }
        }
        out += ']';
    };
    level(level, 0);
}

/// A record as numpy prints one: a tuple of its fields' values (titles left out).
void append_record(std::string& out, const colsnap::dtype& type, const std::byte* p) {
    out += '(';
    const auto& fields = *type.fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ", ";
        const colsnap::field& f = fields[i];
        if (f.shape.empty()) out += field_text(f.type, p + f.offset);
        else append_nested(out, f.type, p + f.offset, f.shape);
    }
    if (fields.size() == 1) out += ',';
    out += ')';
}

/// x86-64's 80-bit long double (numpy's f16, c32), where this machine's long double is it;
/// elsewhere the 16 bytes in hex.
std::string format_long_double(const std::byte* p) {
    if constexpr (colsnap::detail::long_double_is_f16) {
        return shortest(load<long double>(p));
    } else {
        std::string out = "0x";
        for (int i = 15; i >= 0; --i) append_hex(out, static_cast<unsigned>(p[i]), 2);
        return out;
    }
}

void append_long_complex(std::string& out, const std::byte* p) {
    if constexpr (colsnap::detail::long_double_is_f16) {
        append_complex(out, load<long double>(p), load<long double>(p + 16));
    } else {
        out += '(' + format_long_double(p) + ", " + format_long_double(p + 16) + ')';
    }
}

} // namespace

std::string format_double(double value) { return shortest(value); }
std::string format_float(float value) { return shortest(value); }

std::string format_half(std::uint16_t bits) {
    const float value = half_to_float(bits);
    if (!std::isfinite(value)) return non_finite(value);
    // The fewest significant digits (at most 5 for binary16) that convert back to these bits.
    char buf[64];
    for (int precision = 0; precision < 8; ++precision) {
        const auto r =
            std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific, precision);
        double back = 0;
        std::from_chars(buf, r.ptr, back);
        if (half_from_double(back) == bits || (value == 0 && back == 0))
            return repr_from_scientific(
                std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)), positional(value));
    }
    return shortest(value); // unreachable: 5 digits always suffice
}

void append_value(std::string& out, const colsnap::dtype& type, const std::byte* p) {
    using colsnap::dtype_kind;
    switch (type.kind) {
    case dtype_kind::boolean: out += load<std::uint8_t>(p) != 0 ? "True" : "False"; return;
    case dtype_kind::signed_int: {
        std::int64_t v = 0;
        switch (type.itemsize) {
        case 1: v = load<std::int8_t>(p); break;
        case 2: v = load<std::int16_t>(p); break;
        case 4: v = load<std::int32_t>(p); break;
        default: v = load<std::int64_t>(p); break;
        }
        out += std::to_string(v);
        return;
    }
    case dtype_kind::unsigned_int: {
        std::uint64_t v = 0;
        switch (type.itemsize) {
        case 1: v = load<std::uint8_t>(p); break;
        case 2: v = load<std::uint16_t>(p); break;
        case 4: v = load<std::uint32_t>(p); break;
        default: v = load<std::uint64_t>(p); break;
        }
        out += std::to_string(v);
        return;
    }
    case dtype_kind::floating:
        if (type.itemsize == 2) out += format_half(load<std::uint16_t>(p));
        else if (type.itemsize == 4) out += format_float(load<float>(p));
        else if (type.itemsize == 8) out += format_double(load<double>(p));
        else out += format_long_double(p);
        return;
    case dtype_kind::complex:
        if (type.itemsize == 8) append_complex(out, load<float>(p), load<float>(p + 4));
        else if (type.itemsize == 16) append_complex(out, load<double>(p), load<double>(p + 8));
        else append_long_complex(out, p);
        return;
    case dtype_kind::bytes: append_bytes(out, p, type.itemsize); return;
    case dtype_kind::unicode: append_unicode(out, p, type.itemsize / 4); return;
    case dtype_kind::opaque: append_void(out, p, type.itemsize); return;
    case dtype_kind::datetime: append_datetime(out, type, load<std::int64_t>(p)); return;
    case dtype_kind::timedelta: append_timedelta(out, load<std::int64_t>(p)); return;
    case dtype_kind::structured: append_record(out, type, p); return;
    case dtype_kind::subarray: {
        const colsnap::field& f = type.fields->front();
        append_nested(out, f.type, p, f.shape);
        return;
    }
    }
}

std::string format_value(const colsnap::dtype& type, const std::byte* p) {
    std::string out;
    append_value(out, type, p);
    return out;
}

std::string container_element(const colsnap::dtype& type, const std::byte* p) {
    std::string text = format_value(type, p);
    if (type.kind == colsnap::dtype_kind::datetime ||
        (type.kind == colsnap::dtype_kind::timedelta && text == "NaT"))
        return "'" + text + "'";
    return text;
}

namespace {

/// "TYPE[d1,d2]": a type and a sub-array shape (none: the type alone), nested types in full.
std::string compact_item(const colsnap::dtype& type, const std::vector<std::uint64_t>& shape) {
    std::string s = type.kind == colsnap::dtype_kind::subarray && type.fields
                        ? compact_item(type.fields->front().type, type.fields->front().shape)
                        : compact_dtype(type, std::string::npos);
    if (!shape.empty()) {
        s += '[';
        for (std::size_t i = 0; i < shape.size(); ++i) {
            if (i) s += ',';
            s += std::to_string(shape[i]);
        }
        s += ']';
    }
    return s;
}

} // namespace

std::string compact_dtype(const colsnap::dtype& type, std::size_t max_chars) {
    if (type.kind != colsnap::dtype_kind::structured || !type.fields) return type.descr();
    const auto& fields = *type.fields;
    std::vector<std::string> parts;
    parts.reserve(fields.size());
    for (const colsnap::field& f : fields)
        parts.push_back(f.name + ":" + compact_item(f.type, f.shape));
    std::string out = "{";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::size_t left = parts.size() - i - 1;
        // What the rest would cost if this field were the last one shown: ",+K}".
        const std::size_t tail = left ? 3 + std::to_string(left).size() : 1;
        if (i > 0 && out.size() + 1 + parts[i].size() + tail > max_chars) {
            out += ",+" + std::to_string(parts.size() - i) + "}";
            return out;
        }
        if (i) out += ',';
        out += parts[i];
    }
    return out + "}";
}

std::string format_shape(const std::vector<std::uint64_t>& shape) {
    std::string out = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) out += ", ";
        out += std::to_string(shape[i]);
    }
    if (shape.size() == 1) out += ',';
    out += ')';
    return out;
}

std::string format_index(const std::vector<std::uint64_t>& shape, std::uint64_t flat) {
    std::vector<std::uint64_t> index(shape.size());
    for (std::size_t i = shape.size(); i-- > 0;) {
        if (shape[i] == 0) break;
        index[i] = flat % shape[i];
        flat /= shape[i];
    }
    return format_shape(index);
}

} // namespace colsnap_cli
