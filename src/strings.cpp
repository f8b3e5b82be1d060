// numpy's U (UCS-4 code units, NUL-padded) and S (NUL-padded bytes) items to and from UTF-8.
// numpy's str of a U item drops trailing NULs (numpy/core/src/multiarray/scalarapi.c), and so
// do we; NULs inside an item are kept.

#include "array_internal.hpp"
#include "py_literal.hpp"

#include <colsnap/strings.hpp>

#include <algorithm>
#include <cstring>

namespace colsnap {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

std::vector<std::string> strings(const array& a) {
    const dtype& t = a.type();
    if (t.kind != dtype_kind::unicode && t.kind != dtype_kind::bytes)
        throw error(errc::type_mismatch,
                    "strings(): the array holds " + t.descr() + ", not U (str) or S (bytes)");
    const array c = a.to_native_c();
    const std::byte* p = c.bytes().data();
    std::vector<std::string> out;
    out.reserve(c.size());
    for (std::uint64_t i = 0; i < c.size(); ++i, p += t.itemsize) {
        if (t.kind == dtype_kind::bytes) {
            std::size_t n = t.itemsize;
            while (n > 0 && p[n - 1] == std::byte{0}) --n;
            out.emplace_back(reinterpret_cast<const char*>(p), n);
            continue;
        }
        std::size_t n = t.itemsize / 4;
        std::vector<char32_t> units(n);
        std::memcpy(units.data(), p, n * 4);
        while (n > 0 && units[n - 1] == 0) --n;
        std::string s;
        s.reserve(n);
        for (std::size_t k = 0; k < n; ++k) {
            const char32_t u = units[k];
            if (u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff)) {
                static constexpr char hex[] = "0123456789abcdef";
                std::string code = "0x";
                for (int d = 7; d >= 0; --d) code += hex[(u >> (4 * d)) & 15];
                throw error(errc::type_mismatch,
                            "strings(): item " + std::to_string(i) + " holds code unit " + code +
                                " at character " + std::to_string(k) +
                                ", not a Unicode scalar value (UTF-8 cannot hold it)");
            }
            detail::append_utf8(s, u);
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace colsnap

namespace colsnap {

array encode_strings(std::span<const std::string> values, dtype_kind kind) {
    if (kind != dtype_kind::unicode && kind != dtype_kind::bytes)
        throw error(errc::invalid_argument,
                    "encode_strings: kind must be unicode (U) or bytes (S)");
    std::vector<std::u32string> chars;
    std::size_t width = 1;
    if (kind == dtype_kind::unicode) {
        chars.reserve(values.size());
        for (std::size_t i = 0; i < values.size(); ++i) {
            auto cps = detail::decode_utf8(values[i]);
            if (!cps)
                throw error(errc::invalid_argument,
                            "encode_strings: value " + std::to_string(i) + " is not valid UTF-8");
            width = std::max(width, cps->size());
            chars.push_back(std::move(*cps));
        }
    } else {
        for (const std::string& v : values) width = std::max(width, v.size());
    }
    const std::uint64_t per = kind == dtype_kind::unicode ? 4 : 1;
    if (width * per > 0x7fffffff)
        throw error(errc::invalid_argument, "encode_strings: a value is over 2^31 - 1 bytes");
    dtype t;
    t.kind = kind;
    t.itemsize = static_cast<std::uint32_t>(width * per);
    t.order = kind == dtype_kind::unicode ? native_order : byte_order::not_applicable;
    auto [a, out] = detail::array_access::allocate(array_info{t, {values.size()}, false});
    std::fill(out.begin(), out.end(), std::byte{0});
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::byte* d = out.data() + i * t.itemsize;
        if (kind == dtype_kind::unicode) std::memcpy(d, chars[i].data(), chars[i].size() * 4);
        else std::memcpy(d, values[i].data(), values[i].size());
    }
    return std::move(a);
}

} // namespace colsnap
