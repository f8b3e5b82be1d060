// numpy's dtypes spelled as numpy's `dtype.str` (an order character, the kind's letters and a
// size or unit: "<f8", "|S5", "<U3", ">m8[25s]") and, for records, as `dtype.descr` prints
// (numpy/core/_internal.py _array_descr: fields in offset order, gaps as ('', '|Vn')).
// What each kind allows comes from the kind table (dtype_kinds.cpp).

#include "dtype_kinds.hpp"
#include "py_literal.hpp"

#include <colsnap/dtype.hpp>
#include <colsnap/error.hpp>

#include <algorithm>
#include <charconv>
#include <set>

namespace colsnap {

namespace {

using detail::kind_traits;
using detail::size_rule;
using detail::swap_rule;
using detail::traits_of;

constexpr std::uint64_t max_itemsize = 0x7fffffff; // numpy's itemsize is a C int

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
    const std::string_view body = descr.empty() || descr[0] == 'O' ? descr : descr.substr(1);
    if (body == "O" || body == "O8")
        throw error(errc::unsupported_dtype,
                    std::string(detail::object_refusal) + " (descr " + quoted(descr) + ")");
    throw error(errc::unsupported_dtype,
                "unsupported dtype descr " + quoted(descr) +
                    " (colsnap reads b1, i1-i8, u1-u8, f2-f16, c8-c32, Sn, Un, Vn, M8[unit], "
                    "m8[unit] and records)");
}

/// A decimal count without sign or leading zeros, 1 ..= @p max; nullopt otherwise.
std::optional<std::uint64_t> count_of(std::string_view s, std::uint64_t max) {
    if (s.empty() || s.size() > 19 || s[0] == '0') return std::nullopt;
    std::uint64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || v < 1 || v > max)
        return std::nullopt;
    return v;
}

bool has_order(const dtype& t) noexcept {
    const swap_rule s = traits_of(t.kind).swap;
    return s != swap_rule::none && s != swap_rule::fields && t.itemsize > 1;
}

char order_char(const dtype& t) noexcept {
    if (!has_order(t)) return '|';
    const byte_order o = t.order == byte_order::not_applicable ? native_order : t.order;
    return o == byte_order::little ? '<' : '>';
}

dtype with_order(const dtype& t, byte_order to) {
    if (t.kind == dtype_kind::structured || t.kind == dtype_kind::subarray) {
        if (!t.fields) return t;
        std::vector<field> fs = *t.fields;
        for (field& f : fs) f.type = with_order(f.type, to);
        dtype d = t;
        d.fields = std::make_shared<const std::vector<field>>(std::move(fs));
        return d;
    }
    dtype d = t;
    d.order = has_order(t) ? to : byte_order::not_applicable;
    return d;
}

std::string field_repr(const field& f) {
    // Appends only: GCC 12 warns (-Wrestrict, a false positive) on chains of string +.
    std::string s = "(";
    if (f.title) {
        s += '(';
        s += detail::py_repr(*f.title);
        s += ", ";
        s += detail::py_repr(f.name);
        s += ')';
    } else {
        s += detail::py_repr(f.name);
    }
    s += ", ";
    s += f.type.literal();
    if (!f.shape.empty()) {
        s += ", ";
        s += detail::py_tuple(f.shape);
    }
    s += ')';
    return s;
}

std::string padding_repr(std::uint64_t n) { return "('', '|V" + std::to_string(n) + "')"; }

} // namespace

std::uint64_t field::size() const noexcept {
    std::uint64_t n = type.itemsize;
    for (const auto d : shape) n *= d;
    return n;
}

std::string dtype::str() const {
    if (kind == dtype_kind::structured || kind == dtype_kind::subarray)
        return "|V" + std::to_string(itemsize);
    const kind_traits& k = traits_of(kind);
    std::string s(1, order_char(*this));
    s += k.code;
    switch (k.sizes) {
    case size_rule::listed:
    case size_rule::bytes: s += std::to_string(itemsize); break;
    case size_rule::chars: s += std::to_string(itemsize / 4); break;
    case size_rule::time:
        if (unit != time_unit::generic) {
            s += '[';
            if (unit_count != 1) s += std::to_string(unit_count);
            s += detail::unit_name(unit);
            s += ']';
        }
        break;
    case size_rule::record: break;
    }
    return s;
}

std::string dtype::literal() const {
    if (kind == dtype_kind::structured || kind == dtype_kind::subarray) return descr();
    std::string s = "'";
    s += str();
    s += '\'';
    return s;
}

std::string dtype::descr() const {
    if (kind == dtype_kind::subarray) {
        if (!fields || fields->size() != 1) return str();
        const field& f = fields->front();
        std::string s = "(";
        s += f.type.literal();
        s += ", ";
        s += detail::py_tuple(f.shape);
        s += ')';
        return s;
    }
    if (kind != dtype_kind::structured) return str();
    std::string s = "[";
    std::uint64_t at = 0;
    auto item = [&](const std::string& t) {
        if (s.size() > 1) s += ", ";
        s += t;
    };
    if (fields)
        for (const field& f : *fields) {
            if (f.offset > at) item(padding_repr(f.offset - at));
            item(field_repr(f));
            at = f.offset + f.size();
        }
    if (itemsize > at) item(padding_repr(itemsize - at));
    return s + "]";
}

dtype dtype::parse(std::string_view descr) {
    if (descr.size() < 2) refuse(descr);
    byte_order order{};
    switch (descr[0]) {
    case '<': order = byte_order::little; break;
    case '>': order = byte_order::big; break;
    // numpy reads '|' on a multi-byte type (and '=') as this machine's order.
    case '|':
    case '=': order = native_order; break;
    default: refuse(descr);
    }
    const std::string_view body = descr.substr(1);
    const kind_traits* k = detail::find_kind(body);
    if (!k) refuse(descr);
    const std::string_view rest = body.substr(k->code.size());
    dtype d;
    d.kind = k->kind;
    switch (k->sizes) {
    case size_rule::listed: {
        const auto n = count_of(rest, 32);
        if (!n || std::find(k->listed.begin(), k->listed.end(), *n) == k->listed.end())
            refuse(descr);
        d.itemsize = static_cast<std::uint32_t>(*n);
        break;
    }
    case size_rule::bytes:
    case size_rule::chars: {
        const std::uint64_t per = k->sizes == size_rule::chars ? 4 : 1;
        const auto n = count_of(rest, max_itemsize / per);
        if (!n) refuse(descr);
        d.itemsize = static_cast<std::uint32_t>(*n * per);
        break;
    }
    case size_rule::time: {
        d.itemsize = 8;
        if (rest.empty()) break;
        if (rest.size() < 3 || rest.front() != '[' || rest.back() != ']') refuse(descr);
        const std::string_view inner = rest.substr(1, rest.size() - 2);
        std::size_t digits = 0;
        while (digits < inner.size() && inner[digits] >= '0' && inner[digits] <= '9') ++digits;
        if (!detail::parse_unit(inner.substr(digits), d.unit)) refuse(descr);
        if (digits) {
            const auto n = count_of(inner.substr(0, digits), 0x7fffffff);
            if (!n) refuse(descr);
            d.unit_count = static_cast<std::uint32_t>(*n);
        }
        break;
    }
    case size_rule::record: refuse(descr);
    }
    d.order = has_order(d) ? order : byte_order::not_applicable;
    return d;
}

dtype dtype::record(std::vector<field> fields, std::uint32_t itemsize) {
    auto bad = [](const std::string& what) -> error {
        return {errc::invalid_argument, "record dtype: " + what};
    };
    if (itemsize > max_itemsize) throw bad("itemsize " + std::to_string(itemsize) + " > 2^31 - 1");
    std::set<std::string_view> names;
    std::uint64_t at = 0;
    for (const field& f : fields) {
        const std::string shown = detail::py_repr(f.name);
        if (!detail::decode_utf8(f.name) || (f.title && !detail::decode_utf8(*f.title)))
            throw bad("a field name or title is not valid UTF-8");
        if (!names.insert(f.name).second || (f.title && !names.insert(*f.title).second))
            throw bad("field " + shown + ": name already used as a name or title");
        std::uint64_t n = f.type.itemsize;
        for (const auto d : f.shape)
            if (__builtin_mul_overflow(n, d, &n) || n > max_itemsize)
                throw bad("field " + shown + ": sub-array too big");
        if (f.offset < at)
            throw bad("field " + shown + " at byte " + std::to_string(f.offset) +
                      " overlaps the field before it (ends at " + std::to_string(at) + ")");
        at = f.offset + n;
        if (at > itemsize)
            throw bad("field " + shown + " ends at byte " + std::to_string(at) +
                      ", past the itemsize " + std::to_string(itemsize));
    }
    dtype d;
    d.kind = dtype_kind::structured;
    d.itemsize = itemsize;
    d.order = byte_order::not_applicable;
    d.fields = std::make_shared<const std::vector<field>>(std::move(fields));
    return d;
}

dtype dtype::sub_array(dtype base, std::vector<std::uint64_t> shape) {
    std::uint64_t n = base.itemsize;
    for (const auto d : shape)
        if (__builtin_mul_overflow(n, d, &n) || n > max_itemsize)
            throw error(errc::invalid_argument, "sub-array dtype: over 2^31 - 1 bytes");
    field f;
    f.type = std::move(base);
    f.shape = std::move(shape);
    dtype d;
    d.kind = dtype_kind::subarray;
    d.itemsize = static_cast<std::uint32_t>(n);
    d.fields = std::make_shared<const std::vector<field>>(std::vector<field>{std::move(f)});
    return d;
}

std::uint32_t dtype::alignment() const noexcept {
    switch (traits_of(kind).swap) {
    case swap_rule::whole:
    case swap_rule::halves: return itemsize;
    case swap_rule::ucs4: return 4;
    case swap_rule::none:
    case swap_rule::fields: return 1;
    }
    return 1;
}

bool dtype::is_native() const noexcept {
    if (kind == dtype_kind::structured || kind == dtype_kind::subarray) {
        if (fields)
            for (const field& f : *fields)
                if (!f.type.is_native()) return false;
        return true;
    }
    return !has_order(*this) || order == native_order;
}

dtype dtype::as_native() const { return with_order(*this, native_order); }

dtype dtype::as_little() const { return with_order(*this, byte_order::little); }

bool operator==(const dtype& a, const dtype& b) {
    if (a.kind != b.kind || a.itemsize != b.itemsize || a.order != b.order || a.unit != b.unit ||
        a.unit_count != b.unit_count)
        return false;
    if (a.fields == b.fields) return true;
    const std::size_t na = a.fields ? a.fields->size() : 0, nb = b.fields ? b.fields->size() : 0;
    return na == nb && (na == 0 || *a.fields == *b.fields);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> padding_bytes(const dtype& type) {
    return detail::padding_of(type);
}

} // namespace colsnap
