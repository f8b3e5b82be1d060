// The .npy preamble: magic, version, header length and the header dict.
//
// Reference: numpy/lib/format.py (numpy 1.24) and NEP 1. The preamble is
//   "\x93NUMPY" major minor, header_len (u16 LE for 1.0; u32 LE for 2.0 and 3.0),
//   header_len bytes: repr() of a dict with the keys 'descr', 'fortran_order', 'shape',
//   padded with spaces and a final '\n' so that the data starts at a multiple of 64.
// numpy reads the dict with ast.literal_eval; we parse the small literal subset that a writer of
// numeric arrays produces, by hand, and refuse anything else.

#include <colsnap/npy.hpp>

#include <cstring>
#include <optional>

namespace colsnap {

namespace {

constexpr char magic_prefix[] = "\x93NUMPY";
constexpr std::size_t magic_len = 6;
constexpr std::size_t growth_axis_max_digits = 21; // numpy's GROWTH_AXIS_MAX_DIGITS
constexpr std::size_t array_align = 64;            // numpy's ARRAY_ALIGN

/// One byte for an error message: 'x', or \xNN for anything not printable.
std::string show_byte(unsigned char c) {
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static constexpr char hex[] = "0123456789abcdef";
    return std::string("'\\x") + hex[c >> 4] + hex[c & 15] + "'";
}

/// Strict recursive-descent parser of the header dict. Positions are offsets into the whole
/// input span, so every error carries the offset of the byte that broke the rule.
class dict_parser {
public:
    dict_parser(const unsigned char* data, std::size_t begin, std::size_t end, int major,
                const limits& lim)
        : p_(data), pos_(begin), end_(end), major_(major), lim_(lim) {}

    array_info parse() {
        skip_ws();
        expect('{', "the header must start with '{'");
        skip_ws();
        if (peek() != '}') {
            for (;;) {
                entry();
                skip_ws();
                if (peek() == ',') {
                    ++pos_;
                    skip_ws();
                    if (peek() == '}') break; // trailing comma
                    continue;
                }
                if (peek() == '}') break;
                fail_here("expected ',' or '}' after a value");
            }
        }
        ++pos_; // '}'
        skip_ws();
        if (pos_ != end_)
            fail(errc::header_syntax, pos_,
                 "unexpected " + show_byte(p_[pos_]) + " after the closing '}' of the header dict");
        return finish();
    }

private:
    struct dim_token {
        std::uint64_t value;
        bool negative;
        std::size_t offset;
    };

    [[noreturn]] static void fail(errc code, std::size_t offset, std::string detail) {
        throw error(code, std::move(detail), offset);
    }
    [[noreturn]] void fail_here(const std::string& what) const {
        fail(errc::header_syntax, pos_,
             what + ", found " + (pos_ < end_ ? show_byte(p_[pos_]) : "the end of the header"));
    }

    int peek() const noexcept { return pos_ < end_ ? p_[pos_] : -1; }

    // Python's tokenizer ignores these between tokens inside brackets.
    void skip_ws() noexcept {
        while (pos_ < end_ &&
               (p_[pos_] == ' ' || p_[pos_] == '\t' || p_[pos_] == '\n' || p_[pos_] == '\r' ||
                p_[pos_] == '\f'))
            ++pos_;
    }

    void expect(char c, const char* what) {
        if (peek() != static_cast<unsigned char>(c)) fail_here(what);
        ++pos_;
    }

    static bool is_ident(int c) noexcept {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    }

    /// A single- or double-quoted string without escapes (an optional u prefix, as Python 2
    /// unicode literals had). Returns its raw bytes.
    std::string string_literal(const char* what) {
        if (peek() == 'u' || peek() == 'U') {
            if (pos_ + 1 < end_ && (p_[pos_ + 1] == '\'' || p_[pos_ + 1] == '"')) ++pos_;
        }
        const int q = peek();
        if (q != '\'' && q != '"') fail_here(what);
        const std::size_t start = pos_++;
        const std::size_t first = pos_;
        while (pos_ < end_ && p_[pos_] != q) {
            if (p_[pos_] == '\\')
                fail(errc::header_syntax, pos_,
                     "escape sequences in header strings are not supported");
            if (p_[pos_] == '\n' || p_[pos_] == '\r')
                fail(errc::header_syntax, start, "unterminated string in the header dict");
            ++pos_;
        }
        if (pos_ >= end_) fail(errc::header_syntax, start, "unterminated string in the header dict");
        std::string s(reinterpret_cast<const char*>(p_ + first), pos_ - first);
        ++pos_; // closing quote
        return s;
    }

    void entry() {
        const std::size_t key_at = pos_ + ((peek() == 'u' || peek() == 'U') ? 1 : 0);
        const std::string key = string_literal("expected a quoted key");
        skip_ws();
        expect(':', "expected ':' after a key");
        skip_ws();
        if (key == "descr") {
            if (descr_) fail(errc::header_syntax, key_at, "duplicate key 'descr'");
            descr_value();
        } else if (key == "fortran_order") {
            if (fortran_) fail(errc::header_syntax, key_at, "duplicate key 'fortran_order'");
            fortran_value();
        } else if (key == "shape") {
            if (shape_) fail(errc::header_syntax, key_at, "duplicate key 'shape'");
            shape_value();
        } else {
            std::string shown;
            for (unsigned char c : key.substr(0, 40))
                shown += (c >= 0x20 && c < 0x7f) ? std::string(1, static_cast<char>(c))
                                                 : show_byte(c);
            fail(errc::header_syntax, key_at,
                 "unexpected key '" + shown +
                     "' (an .npy header has exactly 'descr', 'fortran_order' and 'shape')");
        }
    }

    void descr_value() {
        const int c = peek();
        if (c == '[' || c == '(') {
            if (has_object_field())
                fail(errc::unsupported_dtype, pos_,
                     "object arrays refused: colsnap never unpickles (a structured descr with "
                     "an object field)");
            fail(errc::unsupported_dtype, pos_,
                 c == '[' ? "structured dtypes (a list descr) are not supported"
                          : "sub-array dtypes (a tuple descr) are not supported");
        }
        descr_at_ = pos_;
        descr_ = string_literal("'descr' must be a quoted string such as '<f8'");
    }

    /// Scans the bracketed descr at pos_ (without consuming it) for a string that spells an
    /// object type ('O', '|O', '<O8', ...), so that such a header is refused as what it is.
    bool has_object_field() const noexcept {
        int depth = 0;
        for (std::size_t i = pos_; i < end_; ++i) {
            const unsigned char c = p_[i];
            if (c == '[' || c == '(') ++depth;
            else if (c == ']' || c == ')') {
                if (--depth == 0) return false;
            } else if (c == '\'' || c == '"') {
                const std::size_t first = ++i;
                while (i < end_ && p_[i] != c) ++i;
                std::string_view str(reinterpret_cast<const char*>(p_ + first), i - first);
                if (!str.empty() && (str[0] == '<' || str[0] == '>' || str[0] == '|' || str[0] == '='))
                    str.remove_prefix(1);
                if (str == "O" || str == "O8") return true;
            }
        }
        return false;
    }

    void fortran_value() {
        const std::size_t at = pos_;
        std::size_t n = 0;
        while (is_ident(peek())) ++pos_, ++n;
        const std::string_view word(reinterpret_cast<const char*>(p_ + at), n);
        if (word == "True") fortran_ = true;
        else if (word == "False") fortran_ = false;
        else {
            pos_ = at;
            fail_here("'fortran_order' must be True or False");
        }
    }

    void shape_value() {
        shape_at_ = pos_;
        expect('(', "'shape' must be a tuple such as (3,) or (2, 3)");
        shape_.emplace();
        skip_ws();
        bool trailing_comma = false;
        while (peek() != ')') {
            if (shape_->size() >= lim_.max_dims)
                fail(errc::limit_exceeded, pos_,
                     "the shape has more than " + std::to_string(lim_.max_dims) + " dimensions");
            shape_->push_back(integer());
            skip_ws();
            trailing_comma = false;
            if (peek() == ',') {
                ++pos_;
                trailing_comma = true;
                skip_ws();
            } else if (peek() != ')') {
                fail_here("expected ',' or ')' in the shape tuple");
            }
        }
        // "(3)" is the int 3 in Python, not a tuple: numpy refuses it too.
        if (shape_->size() == 1 && !trailing_comma)
            fail_here("a one-element shape needs a trailing comma, as in (3,)");
        ++pos_; // ')'
    }

    dim_token integer() {
        const std::size_t at = pos_;
        bool negative = false;
        if (peek() == '-') {
            negative = true;
            ++pos_;
        }
        const std::size_t digits_at = pos_;
        if (peek() < '0' || peek() > '9') fail_here("expected a non-negative integer in the shape");
        std::uint64_t v = 0;
        bool overflow = false;
        while (peek() >= '0' && peek() <= '9') {
            const unsigned d = static_cast<unsigned>(p_[pos_] - '0');
            overflow |= __builtin_mul_overflow(v, std::uint64_t{10}, &v);
            overflow |= __builtin_add_overflow(v, std::uint64_t{d}, &v);
            ++pos_;
        }
        if (pos_ - digits_at > 1 && p_[digits_at] == '0')
            fail(errc::header_syntax, digits_at,
                 "integers with leading zeros are not valid Python literals");
        // Python 2 wrote longs as "3L"; numpy strips that suffix for version 1.0 and 2.0 files.
        if (peek() == 'L') {
            if (major_ >= 3)
                fail(errc::header_syntax, pos_,
                     "the Python 2 'L' suffix is only accepted in version 1.0 and 2.0 headers");
            ++pos_;
        }
        if (is_ident(peek())) fail_here("expected ',' or ')' after an integer");
        if (overflow)
            fail(errc::size_overflow, at,
                 "dimension " +
                     std::string(reinterpret_cast<const char*>(p_ + at), std::min<std::size_t>(pos_ - at, 40)) +
                     " does not fit in 64 bits");
        return {v, negative, at};
    }

    array_info finish() {
        if (!descr_) fail(errc::header_syntax, end_, "the header dict has no 'descr' key");
        if (!fortran_) fail(errc::header_syntax, end_, "the header dict has no 'fortran_order' key");
        if (!shape_) fail(errc::header_syntax, end_, "the header dict has no 'shape' key");
        array_info info;
        try {
            info.type = dtype::parse(*descr_);
        } catch (const error& e) {
            throw error(e.code(), e.detail(), descr_at_);
        }
        info.fortran_order = *fortran_;
        info.shape.reserve(shape_->size());
        for (const auto& d : *shape_) {
            if (d.negative && d.value != 0)
                fail(errc::size_overflow, d.offset,
                     "negative dimension -" + std::to_string(d.value) + " in the shape");
            info.shape.push_back(d.value);
        }
        try {
            (void)checked_nbytes(info);
        } catch (const error& e) {
            throw error(e.code(), e.detail(), shape_at_);
        }
        return info;
    }

    const unsigned char* p_;
    std::size_t pos_, end_;
    int major_;
    const limits& lim_;
    std::optional<std::string> descr_;
    std::optional<bool> fortran_;
    std::optional<std::vector<dim_token>> shape_;
    std::size_t descr_at_ = 0, shape_at_ = 0;
};

} // namespace

npy_header parse_npy_header(std::span<const std::byte> bytes, const limits& lim) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();

    for (std::size_t i = 0; i < magic_len && i < n; ++i)
        if (p[i] != static_cast<unsigned char>(magic_prefix[i]))
            throw error(errc::bad_magic,
                        "not an .npy: expected the magic \"\\x93NUMPY\", byte " +
                            std::to_string(i) + " is " + show_byte(p[i]),
                        i);
    if (n < magic_len + 2)
        throw error(errc::truncated,
                    n == 0 ? std::string("empty input: no .npy preamble")
                           : "the .npy preamble is cut off after " + std::to_string(n) +
                                 " bytes (magic and version need 8)",
                    n);

    const unsigned major = p[6], minor = p[7];
    if (major < 1 || major > 3)
        throw error(errc::unsupported_version,
                    ".npy version " + std::to_string(major) + "." + std::to_string(minor) +
                        " (colsnap reads 1.0, 2.0 and 3.0)",
                    6);
    if (minor != 0)
        throw error(errc::unsupported_version,
                    ".npy version " + std::to_string(major) + "." + std::to_string(minor) +
                        " (colsnap reads 1.0, 2.0 and 3.0)",
                    7);

    const std::size_t len_bytes = major == 1 ? 2 : 4;
    const std::size_t prefix = magic_len + 2 + len_bytes;
    if (n < prefix)
        throw error(errc::truncated,
                    "the .npy header length field is cut off (" + std::to_string(n) +
                        " of " + std::to_string(prefix) + " preamble bytes)",
                    n);
    std::uint32_t header_len = p[8] | (std::uint32_t{p[9]} << 8);
    if (len_bytes == 4) header_len |= (std::uint32_t{p[10]} << 16) | (std::uint32_t{p[11]} << 24);

    // numpy compares the decoded header's length in characters; ours is all ASCII, where bytes
    // and characters agree (a header with other characters is refused anyway).
    if (header_len > lim.max_header_len)
        throw error(errc::header_too_large,
                    "header_len " + std::to_string(header_len) + " > limit " +
                        std::to_string(lim.max_header_len),
                    8);
    if (n - prefix < header_len)
        throw error(errc::truncated,
                    "the header dict is cut off: header_len " + std::to_string(header_len) +
                        " but only " + std::to_string(n - prefix) + " bytes follow the preamble",
                    n);

    npy_header h;
    h.major = static_cast<std::uint8_t>(major);
    h.minor = 0;
    h.data_offset = prefix + header_len;
    h.info = dict_parser(p, prefix, prefix + header_len, static_cast<int>(major), lim).parse();
    return h;
}

std::string format_npy_header(const array_info& info, int major) {
    if (major < 0 || major > 3)
        throw error(errc::invalid_argument,
                    "format_npy_header: version " + std::to_string(major) +
                        ".0 requested (1, 2, 3, or 0 to choose as numpy does)");
    // numpy writes fortran_order True only for arrays that are not C-contiguous as well.
    const bool fortran = info.fortran_order && !info.is_c_contiguous();

    std::string dict;
    dict.reserve(128 + info.shape.size() * 22);
    dict += "{'descr': '";
    dict += info.type.descr();
    dict += "', 'fortran_order': ";
    dict += fortran ? "True" : "False";
    dict += ", 'shape': ";
    dict += info.shape_string();
    dict += ", }";
    // Spare room so that the axis that grows on append can get longer in place.
    if (!info.shape.empty()) {
        const std::size_t digits =
            std::to_string(fortran ? info.shape.back() : info.shape.front()).size();
        if (digits < growth_axis_max_digits) dict.append(growth_axis_max_digits - digits, ' ');
    }

    const std::size_t hlen = dict.size() + 1; // + the final '\n'
    auto wrap = [&](unsigned version) -> std::optional<std::string> {
        const std::size_t len_bytes = version == 1 ? 2 : 4;
        // numpy pads by a full ARRAY_ALIGN when the preamble is already aligned.
        const std::size_t pad = array_align - (magic_len + 2 + len_bytes + hlen) % array_align;
        const std::uint64_t total = hlen + pad;
        if (total > (version == 1 ? 0xffffu : 0xffffffffu)) return std::nullopt;
        std::string out;
        out.reserve(magic_len + 2 + len_bytes + total);
        out.append(magic_prefix, magic_len);
        out += static_cast<char>(version);
        out += '\0';
        for (std::size_t i = 0; i < len_bytes; ++i)
            out += static_cast<char>((total >> (8 * i)) & 0xff);
        out += dict;
        out.append(pad, ' ');
        out += '\n';
        return out;
    };
    if (major == 0) {
        if (auto v1 = wrap(1)) return std::move(*v1);
        major = 2; // the dict is ASCII, so numpy never needs 3.0 (utf-8) for it
    }
    if (auto out = wrap(static_cast<unsigned>(major))) return std::move(*out);
    throw error(errc::invalid_argument,
                "format_npy_header: a header of " + std::to_string(hlen) +
                    " bytes does not fit in version " + std::to_string(major) + ".0");
}

} // namespace colsnap
