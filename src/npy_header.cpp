// The .npy preamble: magic, version, header length and the header dict.
//
// Reference: numpy/lib/format.py (numpy 1.24) and NEP 1. The preamble is
//   "\x93NUMPY" major minor, header_len (u16 LE for 1.0; u32 LE for 2.0 and 3.0),
//   header_len bytes: repr() of a dict with the keys 'descr', 'fortran_order', 'shape',
//   padded with spaces and a final '\n' so that the data starts at a multiple of 64.
// numpy reads the dict with ast.literal_eval; we parse the small literal subset that a writer of
// numeric arrays produces, by hand, and refuse anything else.

#include "py_literal.hpp"

#include <colsnap/npy.hpp>

#include <cstring>
#include <optional>

namespace colsnap {

namespace {

constexpr char magic_prefix[] = "\x93NUMPY";
constexpr std::size_t magic_len = 6;
constexpr std::size_t growth_axis_max_digits = 21; // numpy's GROWTH_AXIS_MAX_DIGITS
constexpr std::size_t array_align = 64;            // numpy's ARRAY_ALIGN
constexpr int max_nesting = 200;                   // CPython's tokenizer MAXLEVEL
constexpr std::size_t max_sub_dims = 32;           // numpy's NPY_MAXDIMS
constexpr std::uint64_t max_itemsize = 0x7fffffff; // numpy's itemsize is a C int

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
        while (pos_ < end_ && (p_[pos_] == ' ' || p_[pos_] == '\t' || p_[pos_] == '\n' ||
                               p_[pos_] == '\r' || p_[pos_] == '\f'))
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
        if (pos_ >= end_)
            fail(errc::header_syntax, start, "unterminated string in the header dict");
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
            if (descr_ || record_) fail(errc::header_syntax, key_at, "duplicate key 'descr'");
            descr_value();
        } else if (key == "fortran_order") {
            if (fortran_) fail(errc::header_syntax, key_at, "duplicate key 'fortran_order'");
            fortran_value();
        } else if (key == "shape") {
            if (shape_) fail(errc::header_syntax, key_at, "duplicate key 'shape'");
            shape_value();
        } else {
            std::string shown;
            for (const char ch : key.substr(0, 40)) {
                const auto c = static_cast<unsigned char>(ch);
                shown += (c >= 0x20 && c < 0x7f) ? std::string(1, ch) : show_byte(c);
            }
            fail(errc::header_syntax, key_at,
                 "unexpected key '" + shown +
                     "' (an .npy header has exactly 'descr', 'fortran_order' and 'shape')");
        }
    }

    void descr_value() {
        const int c = peek();
        if (c == '[') {
            record_ = record_descr(2); // inside '{' and '['
            return;
        }
        if (c == '(')
            fail(errc::unsupported_dtype, pos_,
                 "a sub-array descr at the top level (a tuple) is not supported (np.save "
                 "never writes one: it moves the sub-array into the shape)");
        descr_at_ = pos_;
        descr_ =
            string_literal("'descr' must be a quoted string such as '<f8' or a list of fields");
    }

    // ---- list descrs (numpy/lib/format.py descr_to_dtype) ----------------------------------

    /// A field list: [(name, descr[, shape]), ...]. A nameless V field is padding, as numpy's
    /// descr_to_dtype reads it: it only moves the offset of the next field. @p depth counts the
    /// open brackets, this one and the dict's included; Python's parser allows 200.
    dtype record_descr(int depth) {
        const std::size_t at = pos_;
        nest(depth);
        ++pos_; // '['
        std::vector<field> fields;
        std::uint64_t offset = 0;
        skip_ws();
        while (peek() != ']') {
            field_entry(depth + 1, fields, offset);
            skip_ws();
            if (peek() == ',') {
                ++pos_;
                skip_ws();
            } else if (peek() != ']') {
                fail_here("expected ',' or ']' in the field list");
            }
        }
        ++pos_; // ']'
        try {
            return dtype::record(std::move(fields), static_cast<std::uint32_t>(offset));
        } catch (const error& e) {
            throw error(errc::header_syntax, e.detail(), at);
        }
    }

    void nest(int depth) const {
        if (depth > max_nesting)
            fail(errc::limit_exceeded, pos_,
                 "the descr nests more than " + std::to_string(max_nesting) +
                     " brackets (Python's parser stops there)");
    }

    void field_entry(int depth, std::vector<field>& fields, std::uint64_t& offset) {
        const std::size_t at = pos_;
        nest(depth);
        expect('(', "expected a field tuple such as ('x', '<f8')");
        skip_ws();
        field f;
        bool named_tuple = false;
        if (peek() == '(') { // (title, name)
            nest(depth + 1);
            named_tuple = true;
            ++pos_;
            skip_ws();
            f.title = name_literal();
            skip_ws();
            expect(',', "expected ',' between a field's title and name");
            skip_ws();
            f.name = name_literal();
            skip_ws();
            if (peek() == ',') ++pos_, skip_ws();
            expect(')', "expected ')' after a field's (title, name)");
        } else {
            f.name = name_literal();
        }
        skip_ws();
        expect(',', "expected ',' after a field name");
        skip_ws();
        f.type = field_type(depth + 1);
        skip_ws();
        if (peek() == ',') {
            ++pos_;
            skip_ws();
            if (peek() != ')') {
                f.shape = sub_shape(depth + 1);
                skip_ws();
                if (peek() == ',') ++pos_, skip_ws();
            }
        }
        expect(')', "expected ')' after a field");
        std::uint64_t size = f.type.itemsize;
        for (const auto d : f.shape)
            if (__builtin_mul_overflow(size, d, &size) || size > max_itemsize)
                fail(errc::size_overflow, at, "the field's sub-array is over 2^31 - 1 bytes");
        // numpy's test: a '' name and a dtype whose type is np.void without names, which a
        // sub-array of anything is too.
        const bool padding = !named_tuple && f.name.empty() &&
                             (f.type.kind == dtype_kind::opaque ||
                              f.type.kind == dtype_kind::subarray || !f.shape.empty());
        if (!padding) {
            f.offset = static_cast<std::uint32_t>(offset);
            fields.push_back(std::move(f));
        }
        offset += size;
        if (offset > max_itemsize)
            fail(errc::size_overflow, at, "the record is over 2^31 - 1 bytes");
    }

    /// A field's type: a descr string, a field list, or a sub-array tuple (descr, shape), as
    /// numpy writes a field whose type is itself a sub-array: ('c', ('<f8', (5,)), (2,)).
    dtype field_type(int depth) {
        if (peek() == '[') return record_descr(depth);
        if (peek() == '(') {
            const std::size_t at = pos_;
            nest(depth);
            ++pos_;
            skip_ws();
            dtype base = field_type(depth + 1);
            skip_ws();
            expect(',', "expected ',' after a sub-array's descr");
            skip_ws();
            std::vector<std::uint64_t> shape = sub_shape(depth + 1);
            skip_ws();
            if (peek() == ',') ++pos_, skip_ws();
            expect(')', "expected ')' after a sub-array's shape");
            try {
                return dtype::sub_array(std::move(base), std::move(shape));
            } catch (const error& e) {
                throw error(errc::size_overflow, e.detail(), at);
            }
        }
        const std::size_t type_at = pos_;
        const std::string s = string_literal("expected a field's descr such as '<f8'");
        try {
            return dtype::parse(s);
        } catch (const error& e) {
            throw error(e.code(), e.detail(), type_at);
        }
    }

    /// A sub-array shape: an int or a tuple of ints (numpy reads 3 as (3,); () is no sub-array).
    std::vector<std::uint64_t> sub_shape(int depth) {
        std::vector<std::uint64_t> dims;
        auto dim = [&] {
            const dim_token d = integer();
            if (d.negative && d.value != 0)
                fail(errc::header_syntax, d.offset, "negative dimension in a field's sub-array");
            if (dims.size() >= max_sub_dims)
                fail(errc::limit_exceeded, d.offset,
                     "a field's sub-array has more than " + std::to_string(max_sub_dims) +
                         " dimensions");
            dims.push_back(d.value);
        };
        if (peek() != '(') {
            dim();
            return dims;
        }
        nest(depth);
        ++pos_;
        skip_ws();
        while (peek() != ')') {
            dim();
            skip_ws();
            if (peek() == ',') ++pos_, skip_ws();
            else if (peek() != ')') fail_here("expected ',' or ')' in a field's sub-array shape");
        }
        ++pos_;
        return dims;
    }

    /// A field name or title: a string whose escapes (as repr() writes them) are decoded, in
    /// the header's encoding (latin-1 before version 3.0, UTF-8 in 3.0); returned as UTF-8.
    std::string name_literal() {
        if ((peek() == 'u' || peek() == 'U') && pos_ + 1 < end_ &&
            (p_[pos_ + 1] == '\'' || p_[pos_ + 1] == '"'))
            ++pos_;
        const int q = peek();
        if (q != '\'' && q != '"') fail_here("expected a quoted field name");
        const std::size_t start = pos_++;
        std::string out;
        while (pos_ < end_ && p_[pos_] != q) {
            const unsigned char c = p_[pos_];
            if (c == '\n' || c == '\r')
                fail(errc::header_syntax, start, "unterminated string in the header dict");
            if (c != '\\') {
                if (major_ >= 3 || c < 0x80) out += static_cast<char>(c);
                else detail::append_utf8(out, c);
                ++pos_;
                continue;
            }
            const std::size_t esc = pos_++;
            const int e = peek();
            std::size_t hex = 0;
            switch (e) {
            case '\\':
            case '\'':
            case '"':
                out += static_cast<char>(e);
                ++pos_;
                continue;
            case 'n':
                out += '\n';
                ++pos_;
                continue;
            case 'r':
                out += '\r';
                ++pos_;
                continue;
            case 't':
                out += '\t';
                ++pos_;
                continue;
            case 'x': hex = 2; break;
            case 'u': hex = 4; break;
            case 'U': hex = 8; break;
            default:
                fail(errc::header_syntax, esc,
                     "unsupported escape in a field name (colsnap reads the escapes repr() "
                     "writes: \\\\ \\' \\\" \\n \\r \\t \\xNN \\uNNNN \\UNNNNNNNN)");
            }
            ++pos_;
            char32_t cp = 0;
            for (std::size_t i = 0; i < hex; ++i, ++pos_) {
                const int h = peek();
                const int v = h >= '0' && h <= '9'   ? h - '0'
                              : h >= 'a' && h <= 'f' ? h - 'a' + 10
                              : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                     : -1;
                if (v < 0) fail(errc::header_syntax, esc, "truncated escape in a field name");
                cp = (cp << 4) | static_cast<char32_t>(v);
            }
            if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                fail(errc::header_syntax, esc,
                     "a field name escape is not a Unicode scalar value (UTF-8 cannot hold it)");
            detail::append_utf8(out, cp);
        }
        if (pos_ >= end_)
            fail(errc::header_syntax, start, "unterminated string in the header dict");
        ++pos_; // closing quote
        if (!detail::decode_utf8(out))
            fail(errc::header_syntax, start,
                 "a field name is not valid UTF-8 (version 3.0 header)");
        return out;
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
            const auto d = static_cast<unsigned>(p_[pos_] - '0');
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
                     std::string(reinterpret_cast<const char*>(p_ + at),
                                 std::min<std::size_t>(pos_ - at, 40)) +
                     " does not fit in 64 bits");
        return {v, negative, at};
    }

    array_info finish() {
        if (!descr_ && !record_)
            fail(errc::header_syntax, end_, "the header dict has no 'descr' key");
        if (!fortran_)
            fail(errc::header_syntax, end_, "the header dict has no 'fortran_order' key");
        if (!shape_) fail(errc::header_syntax, end_, "the header dict has no 'shape' key");
        array_info info;
        if (record_) {
            info.type = std::move(*record_);
        } else {
            try {
                info.type = dtype::parse(*descr_);
            } catch (const error& e) {
                throw error(e.code(), e.detail(), descr_at_);
            }
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
    std::optional<dtype> record_;
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
                        R"(not an .npy: expected the magic "\x93NUMPY", byte )" +
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
                    "the .npy header length field is cut off (" + std::to_string(n) + " of " +
                        std::to_string(prefix) + " preamble bytes)",
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

    // numpy writes dtype.descr for records and dtype.str otherwise (format.dtype_to_descr),
    // through repr(): a quoted str, or the list of field tuples.
    std::string text;
    text.reserve(128 + info.shape.size() * 22);
    text += "{'descr': ";
    text += info.type.literal();
    text += ", 'fortran_order': ";
    text += fortran ? "True" : "False";
    text += ", 'shape': ";
    text += info.shape_string();
    text += ", }";
    // Spare room so that the axis that grows on append can get longer in place.
    if (!info.shape.empty()) {
        const std::size_t digits =
            std::to_string(fortran ? info.shape.back() : info.shape.front()).size();
        if (digits < growth_axis_max_digits) text.append(growth_axis_max_digits - digits, ' ');
    }
    // The text is UTF-8 (field names may be anything). Versions 1.0 and 2.0 hold it in latin-1,
    // so numpy moves to 3.0 (UTF-8) when a character is past U+00FF.
    const std::u32string chars = detail::decode_utf8(text).value_or(std::u32string{});
    bool latin1 = true;
    for (const char32_t c : chars) latin1 = latin1 && c <= 0xff;
    std::string dict;
    if (latin1 && chars.size() != text.size()) {
        dict.reserve(chars.size());
        for (const char32_t c : chars) dict += static_cast<char>(c);
    } else {
        dict = std::move(text);
    }
    if (!latin1 && (major == 1 || major == 2))
        throw error(
            errc::invalid_argument,
            "format_npy_header: a field name holds a character past U+00FF, which version " +
                std::to_string(major) + ".0 (latin-1) cannot hold: use 3.0");

    const std::size_t hlen = dict.size() + 1; // + the final '\n'
    auto wrap = [&](unsigned version) -> std::optional<std::string> {
        if (version < 3 && !latin1) return std::nullopt;
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
        if (auto v2 = wrap(2)) return std::move(*v2);
        major = 3;
    }
    if (auto out = wrap(static_cast<unsigned>(major))) return std::move(*out);
    throw error(errc::invalid_argument, "format_npy_header: a header of " + std::to_string(hlen) +
                                            " bytes does not fit in version " +
                                            std::to_string(major) + ".0");
}

} // namespace colsnap
