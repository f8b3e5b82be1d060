#include "value_format.hpp"

#include "half.hpp"

#include <charconv>
#include <cmath>
#include <complex>
#include <cstring>
#include <system_error>

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

/// Kinds without a printer of their own yet: their bytes in hex, as "0x0102ff".
void append_raw(std::string& out, const std::byte* p, std::size_t n) {
    static constexpr char hex[] = "0123456789abcdef";
    out += "0x";
    for (std::size_t i = 0; i < n; ++i) {
        const auto b = static_cast<unsigned>(p[i]);
        out += hex[b >> 4];
        out += hex[b & 15];
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
        const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific,
                                     precision);
        double back = 0;
        std::from_chars(buf, r.ptr, back);
        if (half_from_double(back) == bits || (value == 0 && back == 0))
            return repr_from_scientific(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)),
                                        positional(value));
    }
    return shortest(value); // unreachable: 5 digits always suffice
}

void append_value(std::string& out, const colsnap::dtype& type, const std::byte* p) {
    using colsnap::dtype_kind;
    switch (type.kind) {
    case dtype_kind::boolean:
        out += load<std::uint8_t>(p) != 0 ? "True" : "False";
        return;
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
        else out += format_double(load<double>(p));
        return;
    case dtype_kind::complex:
        if (type.itemsize == 8) append_complex(out, load<float>(p), load<float>(p + 4));
        else append_complex(out, load<double>(p), load<double>(p + 8));
        return;
    case dtype_kind::bytes:
    case dtype_kind::unicode:
    case dtype_kind::opaque:
    case dtype_kind::datetime:
    case dtype_kind::timedelta:
    case dtype_kind::structured:
    case dtype_kind::subarray: append_raw(out, p, type.itemsize); return;
    }
}

std::string format_value(const colsnap::dtype& type, const std::byte* p) {
    std::string out;
    append_value(out, type, p);
    return out;
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
