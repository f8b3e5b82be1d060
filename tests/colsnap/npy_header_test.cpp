// parse_npy_header / format_npy_header: numpy's exact output, the accepted literal subset, and
// one hand-made bad header per refusal (code, offset and message).

#include "test_util.hpp"

#include <colsnap/npy.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

using colsnap::array_info;
using colsnap::dtype;
using colsnap::errc;
using colsnap::format_npy_header;
using colsnap::limits;
using colsnap::parse_npy_header;
using ::testing::HasSubstr;

using test_util::info;

namespace {

/// A preamble around @p dict as numpy lays it out: magic, version, length, dict, spaces and
/// '\n' up to a multiple of 64 (unless @p pad is false: then the dict is the whole header).
std::vector<std::byte> npy(std::string_view dict, int major = 1, bool pad = true) {
    const std::size_t len_bytes = major == 1 ? 2 : 4;
    std::string h(dict);
    if (pad) {
        const std::size_t used = 8 + len_bytes + h.size() + 1;
        h.append(64 - used % 64, ' ');
        h += '\n';
    }
    std::string out = "\x93NUMPY";
    out += static_cast<char>(major);
    out += '\0';
    for (std::size_t i = 0; i < len_bytes; ++i)
        out += static_cast<char>((h.size() >> (8 * i)) & 0xff);
    out += h;
    return test_util::bytes_of(out);
}

std::vector<std::byte> raw(std::string_view s) { return test_util::bytes_of(s); }

constexpr const char* good_dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";

/// Expects parse_npy_header to throw @p code at @p offset with @p part in the detail.
void expect_refused(const std::vector<std::byte>& bytes, errc code, std::uint64_t offset,
                    std::string_view part, const limits& lim = {}) {
    try {
        const auto h = parse_npy_header(bytes, lim);
        ADD_FAILURE() << "accepted, shape " << h.info.shape_string();
    } catch (const colsnap::error& e) {
        EXPECT_EQ(colsnap::to_string(e.code()), colsnap::to_string(code)) << e.what();
        EXPECT_EQ(e.offset(), offset) << e.what();
        EXPECT_THAT(e.detail(), HasSubstr(std::string(part)));
    }
}

/// Offset of @p needle inside @p dict, as a byte offset in an npy(dict, major) preamble.
std::uint64_t at(std::string_view dict, std::string_view needle, int major = 1,
                 std::size_t nth = 0) {
    std::size_t pos = dict.find(needle);
    while (nth-- > 0) pos = dict.find(needle, pos + 1);
    EXPECT_NE(pos, std::string_view::npos) << needle;
    return (major == 1 ? 10 : 12) + pos;
}

std::string hex(std::string_view s) {
    static constexpr char d[] = "0123456789abcdef";
    std::string h;
    for (unsigned char c : s) {
        h += d[c >> 4];
        h += d[c & 15];
    }
    return h;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// format_npy_header

TEST(NpyHeader, FormatsLikeNpSave) {
    const std::string h = format_npy_header(info("<f4", {3}));
    const std::string want = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                             "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }" +
                             std::string(20, ' ') + std::string(40, ' ') + "\n";
    EXPECT_EQ(h, want);
    EXPECT_EQ(h.size(), 128u);
}

TEST(NpyHeader, FormatIsAMultipleOf64AndParsesBack) {
    const std::vector<std::vector<std::uint64_t>> shapes = {
        {},
        {0},
        {5},
        {2, 3},
        {3, 0},
        {2, 3, 4},
        {1, 1, 7},
        {std::uint64_t{1} << 40},
        {576460752303423487ull},
        std::vector<std::uint64_t>(64, 1)}; // (2^63 - 1) / 16 items
    for (const char* d : {"|b1", "<i8", ">u2", ">c16", "<f2"})
        for (const auto& s : shapes)
            for (const bool f : {false, true})
                for (const int major : {0, 1, 2, 3}) {
                    const array_info in = info(d, s, f);
                    const std::string h = format_npy_header(in, major);
                    SCOPED_TRACE(h);
                    EXPECT_EQ(h.size() % 64, 0u);
                    EXPECT_EQ(h.back(), '\n');
                    const auto back = parse_npy_header(test_util::bytes_of(h));
                    EXPECT_EQ(back.major, major == 0 ? 1 : major);
                    EXPECT_EQ(back.data_offset, h.size());
                    EXPECT_EQ(back.info.type, in.type);
                    EXPECT_EQ(back.info.shape, in.shape);
                    // numpy writes True only for arrays that are not C-contiguous as well
                    EXPECT_EQ(back.info.fortran_order, f && !in.is_c_contiguous());
                }
}

TEST(NpyHeader, FormatPadsAFullBlockWhenAlreadyAligned) {
    // numpy's padlen is 64 - (len % 64): a dict that would end exactly on a multiple of 64
    // still gets 64 bytes of padding. This one is 117 bytes + growth spaces: 10 + 117 + 1 = 128.
    const array_info in = info("<f8", {3, 100000000000000000ull, 1000000000000000000ull});
    const std::string h = format_npy_header(in);
    EXPECT_EQ(h.size(), 192u);
    EXPECT_EQ(h.substr(127), std::string(64, ' ') + "\n");
}

TEST(NpyHeader, FormatRefusesAVersionItCannotWrite) {
    EXPECT_THROW((void)format_npy_header(info("<f4", {3}), 4), colsnap::error);
    EXPECT_THROW((void)format_npy_header(info("<f4", {3}), -1), colsnap::error);
}

// Byte-for-byte against numpy 1.24 (np.save and np.lib.format.write_array with version=) over
// every dtype, both byte orders, C and Fortran order, 0-d, empty, 1-d, n-d and big shapes.
TEST(NpyHeader, FormatIsByteIdenticalToNumpy) {
    COLSNAP_REQUIRE_NUMPY();
    struct case_t {
        std::string descr;
        std::vector<std::uint64_t> shape;
        bool fortran;
        int version; // 0: np.save's choice
        bool real;   // np.save of a real array (else _write_array_header of the dict)
    };
    std::vector<case_t> cases;
    const char* codes[] = {"b1", "i1", "i2", "i4", "i8", "u1", "u2",
                           "u4", "u8", "f2", "f4", "f8", "c8", "c16"};
    const std::vector<std::vector<std::uint64_t>> small = {{},
                                                           {0},
                                                           {1},
                                                           {5},
                                                           {2, 3},
                                                           {3, 2, 4},
                                                           {0, 3},
                                                           {3, 0},
                                                           {1, 5},
                                                           {5, 1},
                                                           {7, 1, 3},
                                                           {1000000},
                                                           std::vector<std::uint64_t>(32, 1),
                                                           {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}};
    const std::vector<std::vector<std::uint64_t>> big = {
        {std::uint64_t{1} << 40},
        {9223372036854775807ull},
        {3, std::uint64_t{1} << 50},
        {std::uint64_t{1} << 50, 3},
        {123456789012ull, 5, 7},
        {3, 100000000000000000ull, 1000000000000000000ull}}; // lands on 64: a full pad block
    for (const char* c : codes) {
        const bool one = std::string_view(c).size() == 2 && c[1] == '1';
        for (const char* order : {"<", ">"}) {
            if (one && *order == '>') continue;
            const std::string descr = (one ? "|" : order) + std::string(c);
            for (const auto& s : small)
                for (const bool f : {false, true}) {
                    cases.push_back({descr, s, f, 0, true});
                    for (int v = 1; v <= 3; ++v) cases.push_back({descr, s, f, v, true});
                }
            // A dict is written as given: 'fortran_order': True only where numpy would say it.
            for (const auto& s : big)
                for (const bool f : {false, true})
                    if (!f || !info(descr.c_str(), s, true).is_c_contiguous())
                        cases.push_back({descr, s, f, 0, false});
        }
    }
    std::ostringstream py;
    py << "import io, numpy as np\n"
          "from numpy.lib import format as fm\n"
          "def real(d, s, f, v):\n"
          "    a = np.zeros(s, dtype=np.dtype(d), order='F' if f else 'C')\n"
          "    b = io.BytesIO()\n"
          "    if v == 0: np.save(b, a)\n"
          "    else: fm.write_array(b, a, version=(v, 0))\n"
          "    out = b.getvalue()\n"
          "    return out[:len(out) - a.nbytes]\n"
          "def header(d, s, f):\n"
          "    b = io.BytesIO()\n"
          "    fm._write_array_header(b, {'descr': d, 'fortran_order': f, 'shape': s}, None)\n"
          "    return b.getvalue()\n"
          "cases = [\n";
    for (const auto& c : cases) {
        py << "('" << c.descr << "', "
           << array_info{dtype::parse(c.descr), c.shape, false}.shape_string() << ", "
           << (c.fortran ? "True" : "False") << ", " << c.version << ", "
           << (c.real ? "True" : "False") << "),\n";
    }
    py << "]\n"
          "for d, s, f, v, r in cases:\n"
          "    print((real(d, s, f, v) if r else header(d, s, f)).hex())\n";
    const auto r = test_util::run_python(py.str());
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    std::size_t i = 0;
    for (std::string line; std::getline(lines, line); ++i) {
        ASSERT_LT(i, cases.size());
        const auto& c = cases[i];
        const std::string mine =
            format_npy_header(info(c.descr.c_str(), c.shape, c.fortran), c.version);
        EXPECT_EQ(hex(mine), line)
            << c.descr << " " << info(c.descr.c_str(), c.shape).shape_string()
            << (c.fortran ? " F" : " C") << " v" << c.version << "\n"
            << mine;
    }
    EXPECT_EQ(i, cases.size());
}

// ---------------------------------------------------------------------------------------------
// parse_npy_header: accepted forms

TEST(NpyHeader, ParsesNumpyHeader) {
    const auto h = parse_npy_header(npy(good_dict));
    EXPECT_EQ(h.major, 1);
    EXPECT_EQ(h.minor, 0);
    EXPECT_EQ(h.data_offset, 128u);
    EXPECT_EQ(h.info.type.descr(), "<f4");
    EXPECT_EQ(h.info.shape, std::vector<std::uint64_t>{3});
    EXPECT_FALSE(h.info.fortran_order);
}

TEST(NpyHeader, ParsesTheLiteralSubsetNumpyAccepts) {
    struct ok_case {
        const char* dict;
        const char* descr;
        std::vector<std::uint64_t> shape;
        bool fortran;
        int major = 1;
    };
    const ok_case cases[] = {
        {"{\"descr\": \">i8\", \"fortran_order\": True, \"shape\": (2, 3), }", ">i8", {2, 3}, true},
        {"{'shape': (4,), 'descr': '|u1', 'fortran_order': False}", "|u1", {4}, false},
        {"{'fortran_order':False,'shape':(),'descr':'<c16'}", "<c16", {}, false},
        {" \t{ 'descr' : '<f8' ,\n 'fortran_order' :\r\n False , 'shape' : ( 2 , 3 , ) , } \f",
         "<f8",
         {2, 3},
         false},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (3L, 4L), }", "<f8", {3, 4}, false},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (3L,), }", "<f8", {3}, false, 2},
        {"{u'descr': u'<i2', u'fortran_order': False, u'shape': (7,)}", "<i2", {7}, false},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (0, -0), }", "<f4", {0, 0}, false},
        // numpy's limit: the product of the non-zero axes times the item size fits in 63 bits
        {"{'descr': '=u2', 'fortran_order': False, 'shape': (4611686018427387903, 0), }",
         colsnap::native_order == colsnap::byte_order::little ? "<u2" : ">u2",
         {4611686018427387903ull, 0},
         false},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (0, 9223372036854775807), }",
         "|u1",
         {0, 9223372036854775807ull},
         false},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "<f4", {3}, false, 3},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.dict);
        const auto h = parse_npy_header(npy(c.dict, c.major));
        EXPECT_EQ(h.info.type.descr(), c.descr);
        EXPECT_EQ(h.info.shape, c.shape);
        EXPECT_EQ(h.info.fortran_order, c.fortran);
        EXPECT_EQ(h.major, c.major);
    }
}

TEST(NpyHeader, AcceptsUnpaddedHeaders) {
    // Old writers aligned to 16 bytes, others not at all: the data starts where header_len says.
    const auto bytes = npy(good_dict, 1, false);
    const auto h = parse_npy_header(bytes);
    EXPECT_EQ(h.data_offset, bytes.size());
    EXPECT_EQ(h.data_offset, 10 + std::string_view(good_dict).size());
}

TEST(NpyHeader, VersionsTwoAndThreeUseFourByteLengths) {
    for (int major : {2, 3}) {
        const auto h = parse_npy_header(npy(good_dict, major));
        EXPECT_EQ(h.major, major);
        EXPECT_EQ(h.data_offset % 64, 0u);
        EXPECT_EQ(h.info.shape, std::vector<std::uint64_t>{3});
    }
}

// ---------------------------------------------------------------------------------------------
// parse_npy_header: refusals, one hand-made header per rule

TEST(NpyHeader, RefusesBadMagic) {
    auto b = npy(good_dict);
    b[5] = std::byte{'X'};
    expect_refused(b, errc::bad_magic, 5, "expected the magic");
    expect_refused(raw("PK\x03\x04 this is a zip"), errc::bad_magic, 0, "not an .npy");
    expect_refused(raw("abc"), errc::bad_magic, 0, "byte 0 is 'a'");
    expect_refused(raw(std::string("\x93NUMP\x00", 6)), errc::bad_magic, 5, "'\\x00'");
}

TEST(NpyHeader, RefusesTruncatedPreambles) {
    expect_refused({}, errc::truncated, 0, "empty input");
    expect_refused(raw("\x93NU"), errc::truncated, 3, "cut off after 3 bytes");
    expect_refused(raw("\x93NUMPY"), errc::truncated, 6, "cut off after 6 bytes");
    expect_refused(raw(std::string("\x93NUMPY\x01\x00\x76", 9)), errc::truncated, 9,
                   "header length field is cut off");
    expect_refused(raw(std::string("\x93NUMPY\x02\x00\x76\x00\x00", 11)), errc::truncated, 11,
                   "header length field is cut off");
    auto b = npy(good_dict);
    b.resize(60);
    expect_refused(b, errc::truncated, 60, "header_len 118 but only 50 bytes follow");
    // Every strict prefix of a header is refused as truncated, never misread.
    const auto full = npy(good_dict);
    for (std::size_t n = 0; n < full.size(); ++n) {
        const std::vector<std::byte> cut(full.begin(), full.begin() + static_cast<long>(n));
        try {
            (void)parse_npy_header(cut);
            ADD_FAILURE() << n;
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), errc::truncated) << n << ": " << e.what();
        }
    }
}

TEST(NpyHeader, RefusesUnknownVersions) {
    auto b = npy(good_dict);
    b[6] = std::byte{4};
    expect_refused(b, errc::unsupported_version, 6, "version 4.0 (colsnap reads 1.0, 2.0 and 3.0)");
    b[6] = std::byte{0};
    expect_refused(b, errc::unsupported_version, 6, "version 0.0");
    b[6] = std::byte{1};
    b[7] = std::byte{1};
    expect_refused(b, errc::unsupported_version, 7, "version 1.1");
    b[6] = std::byte{0xff};
    b[7] = std::byte{0};
    expect_refused(b, errc::unsupported_version, 6, "version 255.0");
}

TEST(NpyHeader, RefusesHeadersLongerThanTheLimit) {
    // header_len is checked before anything is read or allocated from it.
    expect_refused(raw(std::string("\x93NUMPY\x02\x00\x70\x11\x01\x00{", 13)),
                   errc::header_too_large, 8, "header_len 70000 > limit 10000");
    expect_refused(raw(std::string("\x93NUMPY\x01\x00\xff\xff{", 11)), errc::header_too_large, 8,
                   "header_len 65535 > limit 10000");
    expect_refused(raw(std::string("\x93NUMPY\x03\x00\xff\xff\xff\xff", 12)),
                   errc::header_too_large, 8, "header_len 4294967295 > limit 10000");
    limits small;
    small.max_header_len = 100;
    expect_refused(npy(good_dict), errc::header_too_large, 8, "header_len 118 > limit 100", small);
    // numpy's own limit is inclusive: a 10000-byte header is fine.
    std::string dict = good_dict;
    const auto padded = npy(dict + std::string(10000 - dict.size() - 1, ' ') + "\n", 2, false);
    EXPECT_EQ(parse_npy_header(padded).data_offset, 12u + 10000u);
}

TEST(NpyHeader, RefusesSyntaxOutsideTheLiteralSubset) {
    struct bad_case {
        std::string dict;
        std::string where; // the offending text (its first occurrence)
        const char* detail;
        int major = 1;
        std::size_t nth = 0;
    };
    const std::string tail = "'fortran_order': False, 'shape': (3,), }";
    const bad_case cases[] = {
        {"['descr', '<f4']", "[", "the header must start with '{'"},
        {"__import__('os').system('rm -rf /')", "_", "the header must start with '{'"},
        {"", "", "the header must start with '{', found the end of the header"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,) 'x': 1}", "'x'",
         "expected ',' or '}' after a value, found '''"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'extra': 1}", "'extra'",
         "unexpected key 'extra'"},
        {"{'descr': '<f4', 'descr': '<f4', " + tail, "'descr'", "duplicate key 'descr'", 1, 1},
        {"{'descr': '<f4', 'fortran_order': True, " + tail, "'fortran_order'",
         "duplicate key 'fortran_order'", 1, 1},
        {"{'descr': '<f4', 'fortran_order': 1, 'shape': (3,), }", "1,",
         "'fortran_order' must be True or False, found '1'"},
        {"{'descr': '<f4', 'fortran_order': true, 'shape': (3,), }", "true",
         "'fortran_order' must be True or False"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3), }", "), }",
         "a one-element shape needs a trailing comma"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': [3], }", "[",
         "'shape' must be a tuple"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,,), }", ",)",
         "expected a non-negative integer in the shape"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3.0,), }", ".0",
         "expected ',' or ')' in the shape tuple"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (0x10,), }", "x10",
         "expected ',' or ')' after an integer"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (03,), }", "03", "leading zeros"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (+3,), }", "+3",
         "expected a non-negative integer"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3 4,), }", "4,",
         "expected ',' or ')' in the shape tuple"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3L,), }", "L",
         "only accepted in version 1.0 and 2.0", 3},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3l,), }", "l,",
         "expected ',' or ')' after an integer"},
        {"{'descr': '\\x3cf4', " + tail, "\\", "escape sequences"},
        {"{'descr': '<f4", "'<", "unterminated string"},
        {"{'descr': \"<f4', " + tail, "\"", "unterminated string"},
        {"{'descr': '''<f4''', " + tail, "'<", "expected ',' or '}' after a value"},
        {"{'descr': 5, " + tail, "5", "'descr' must be a quoted string"},
        {"{'descr': '<f4' '<f4', " + tail, "'<f4',", "expected ',' or '}' after a value"},
        {"{b'descr': '<f4', " + tail, "b'", "expected a quoted key"},
        {"{descr: '<f4', " + tail, "descr", "expected a quoted key"},
        {"{'descr' '<f4', " + tail, "'<f4'", "expected ':' after a key"},
        {"{'descr': '<f4', # comment\n" + tail, "#", "expected a quoted key"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }garbage", "garbage",
         "unexpected 'g' after the closing '}'"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }" + std::string(1, '\0'),
         std::string(1, '\0'), "unexpected '\\x00' after the closing '}'"},
        {"({'descr': '<f4', " + tail + ")", "(", "the header must start with '{'"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }}", "}", "after the closing '}'",
         1, 1},
        {"{,}", ",", "expected a quoted key"},
        {"{'descr': '<f4', ", "", "expected a quoted key, found the end of the header"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,)", "",
         "expected ',' or '}' after a value, found the end of the header"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3", "",
         "expected ',' or ')' in the shape tuple, found the end of the header"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,", "",
         "expected a non-negative integer in the shape, found the end of the header"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\xe9", "\xe9",
         "unexpected '\\xe9'"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.dict);
        // Unpadded, so that "the end of the header" is the end of the dict text.
        const auto bytes = npy(c.dict, c.major, false);
        const std::uint64_t off = c.where.empty() ? (c.major == 1 ? 10 : 12) + c.dict.size()
                                                  : at(c.dict, c.where, c.major, c.nth);
        expect_refused(bytes, errc::header_syntax, off, c.detail);
    }
}

TEST(NpyHeader, RefusesMissingKeys) {
    const std::string d1 = "{'descr': '<f4', 'fortran_order': False}";
    expect_refused(npy(d1, 1, false), errc::header_syntax, 10 + d1.size(), "no 'shape' key");
    const std::string d2 = "{'shape': (3,), 'fortran_order': False}";
    expect_refused(npy(d2, 1, false), errc::header_syntax, 10 + d2.size(), "no 'descr' key");
    const std::string d3 = "{'shape': (3,), 'descr': '<f4'}";
    expect_refused(npy(d3, 1, false), errc::header_syntax, 10 + d3.size(),
                   "no 'fortran_order' key");
    expect_refused(npy("{}", 1, false), errc::header_syntax, 12, "no 'descr' key");
}

TEST(NpyHeader, RefusesObjectDtypesAndTopLevelSubArrays) {
    const std::string tail = ", 'fortran_order': False, 'shape': (3,), }";
    struct bad_case {
        std::string descr;
        std::string where; // the error's offset: where this text starts in the descr
        const char* detail;
    };
    const bad_case cases[] = {
        {"'|O'", "'|O'", "object arrays refused: colsnap never unpickles"},
        {"'<O8'", "'<O8'", "object arrays refused: colsnap never unpickles"},
        {"'<f12'", "'<f12'", "unsupported dtype descr '<f12'"},
        {"[('o', '|O')]", "'|O'", "object arrays refused: colsnap never unpickles"},
        {"[('a', '<f4'), ('b', [('c', 'O')])]", "'O'",
         "object arrays refused: colsnap never unpickles"},
        {"[('o', '|O8', (2,))]", "'|O8'", "object arrays refused: colsnap never unpickles"},
        {"('<f4', (2,))", "('<f4'", "a sub-array descr at the top level"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.descr);
        const std::string dict = "{'descr': " + c.descr + tail;
        expect_refused(npy(dict), errc::unsupported_dtype, 10 + dict.find(c.where), c.detail);
    }
}

TEST(NpyHeader, RefusesNegativeAndOverflowingShapes) {
    const std::string head = "{'descr': '<f8', 'fortran_order': False, 'shape': ";
    struct bad_case {
        std::string shape;
        std::string where;
        const char* detail;
    };
    const bad_case cases[] = {
        {"(-1,)", "-1", "negative dimension -1"},
        {"(3, -5)", "-5", "negative dimension -5"},
        {"(99999999999999999999999,)", "9999", "does not fit in 64 bits"},
        {"(18446744073709551616,)", "1844", "does not fit in 64 bits"},
        {"(1152921504606846976,)", "(", "too big"},      // 2^60 * 8 bytes > 2^63 - 1
        {"(4294967296, 4294967296)", "(", "too big"},    // 2^64 items
        {"(9223372036854775807, 0)", "(", "too big"},    // numpy: 8 * (2^63 - 1) bytes
        {"(0, 4294967296, 4294967296)", "(", "too big"}, // numpy refuses this too
        {"(1048576, 1048576, 1048576)", "(", "overflows 63 bits"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.shape);
        const std::string dict = head + c.shape + ", }";
        expect_refused(npy(dict), errc::size_overflow, at(dict, c.where), c.detail);
    }
    // The largest shape numpy accepts: (2^63 - 1) / 8 doubles.
    const std::string ok = head + "(1152921504606846975,), }";
    EXPECT_EQ(parse_npy_header(npy(ok)).info.shape[0], 1152921504606846975ull);
}

TEST(NpyHeader, RefusesTooManyDimensions) {
    std::string shape = "(";
    for (int i = 0; i < 65; ++i) shape += "1, ";
    shape += ")";
    const std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    // the 65th "1": after "(" and 64 "1, "
    const std::uint64_t off = at(dict, "(1") + 1 + 64 * 3;
    expect_refused(npy(dict), errc::limit_exceeded, off, "more than 64 dimensions");

    limits two;
    two.max_dims = 2;
    const std::string d3 = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 3), }";
    expect_refused(npy(d3), errc::limit_exceeded, at(d3, "3)"), "more than 2 dimensions", two);
    const std::string d2 = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }";
    EXPECT_EQ(parse_npy_header(npy(d2), two).info.shape.size(), 2u);
}

TEST(NpyHeader, ErrorsFromEveryCodeCarryAnOffset) {
    // Spot check that what() shows the offset for a located header error.
    try {
        (void)parse_npy_header(npy("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }"));
        FAIL();
    } catch (const colsnap::error& e) {
        EXPECT_STREQ(e.what(), "at byte 20: object arrays refused: colsnap never unpickles "
                               "(descr '|O') [unsupported_dtype]");
    }
}

TEST(NpyHeader, SurvivesEverySingleByteMutation) {
    // Not a fuzzer, but every byte of a real header set to a handful of values must give a
    // clean result or a colsnap::error, never a crash or another exception.
    const std::string h = format_npy_header(info(">c16", {2, 3, 4}, true));
    const auto base = test_util::bytes_of(h);
    const unsigned char values[] = {0,   1,   '\'', '"', '(', ')',  ',',  ':',  '{',
                                    '}', '-', '9',  'L', ' ', '\n', 0x7f, 0x80, 0xff};
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < base.size(); ++i)
        for (const unsigned char v : values) {
            auto b = base;
            b[i] = std::byte{v};
            try {
                (void)parse_npy_header(b);
                ++accepted;
            } catch (const colsnap::error&) {}
        }
    EXPECT_GT(accepted, 0u);
}

// ---- list descrs (records) ---------------------------------------------------------------------

TEST(NpyHeader, ReadsRecordsAsNumpysDescrToDtype) {
    const std::string tail = ", 'fortran_order': False, 'shape': (3,), }";
    const std::string descr =
        "[('', '|V4'), (('T', 'a'), '<i4'), ('', '|V4'), ('b', '>f8', (2, 3)), ('n', [('p', "
        "'|u1'), ('q', '<U2', 2)]), ('', '|V4', (2,))]";
    const auto h = parse_npy_header(npy("{'descr': " + descr + tail));
    const colsnap::dtype& t = h.info.type;
    ASSERT_EQ(t.kind, colsnap::dtype_kind::structured);
    ASSERT_TRUE(t.fields);
    ASSERT_EQ(t.fields->size(), 3u); // padding is not a field
    EXPECT_EQ((*t.fields)[0].name, "a");
    EXPECT_EQ((*t.fields)[0].title, std::optional<std::string>("T"));
    EXPECT_EQ((*t.fields)[0].offset, 4u);
    EXPECT_EQ((*t.fields)[1].name, "b");
    EXPECT_EQ((*t.fields)[1].offset, 12u);
    EXPECT_EQ((*t.fields)[1].shape, (std::vector<std::uint64_t>{2, 3}));
    EXPECT_EQ((*t.fields)[2].offset, 60u);
    EXPECT_EQ((*t.fields)[2].type.itemsize, 17u);
    EXPECT_EQ((*(*t.fields)[2].type.fields)[1].shape, (std::vector<std::uint64_t>{2}));
    EXPECT_EQ(t.itemsize, 4u + 4 + 4 + 48 + 17 + 8);
    EXPECT_EQ(h.info.nbytes(), 3u * t.itemsize);
    // Printed back as numpy prints dtype.descr (an int sub-array shape becomes a tuple).
    EXPECT_EQ(t.descr(), "[('', '|V4'), (('T', 'a'), '<i4'), ('', '|V4'), ('b', '>f8', (2, 3)), "
                         "('n', [('p', '|u1'), ('q', '<U2', (2,))]), ('', '|V8')]");
    // Whitespace, trailing commas, double quotes and () as "no sub-array" are Python too.
    const auto h2 = parse_npy_header(
        npy("{'descr': [ ( \"x\" , '<f4' , ( ) , ) , ],'fortran_order': False, 'shape': (3,), }"));
    EXPECT_EQ(h2.info.type.descr(), "[('x', '<f4')]");
}

TEST(NpyHeader, RecordNamesInTheHeadersEncodingAndEscapes) {
    const std::string tail = ", 'fortran_order': False, 'shape': (3,), }";
    // Version 1.0 and 2.0 headers are latin-1: byte 0xe9 is U+00E9.
    const auto v1 = parse_npy_header(npy("{'descr': [('caf\xe9', '<f4')]" + tail, 1));
    EXPECT_EQ((*v1.info.type.fields)[0].name, "caf\xc3\xa9");
    // Version 3.0 headers are UTF-8.
    const auto v3 = parse_npy_header(npy("{'descr': [('\xe7\x94\x9f', '<f4')]" + tail, 3));
    EXPECT_EQ((*v3.info.type.fields)[0].name, "\xe7\x94\x9f");
    expect_refused(npy("{'descr': [('\xe7\x94', '<f4')]" + tail, 3), errc::header_syntax, 12 + 12,
                   "not valid UTF-8");
    // The escapes repr() writes.
    const auto e =
        parse_npy_header(npy("{'descr': [('a\\'b\\\\\\x01\\u00e9\\U0001f600\\t', '<f4')]" + tail));
    EXPECT_EQ((*e.info.type.fields)[0].name, "a'b\\\x01\xc3\xa9\xf0\x9f\x98\x80\t");
    expect_refused(npy("{'descr': [('a\\q', '<f4')]" + tail), errc::header_syntax, 24,
                   "unsupported escape");
    expect_refused(npy("{'descr': [('a\\ud800', '<f4')]" + tail), errc::header_syntax, 24,
                   "not a Unicode scalar value");
    expect_refused(npy("{'descr': [('a\\x4', '<f4')]" + tail), errc::header_syntax, 24,
                   "truncated escape");
}

TEST(NpyHeader, RefusesBadListDescrsAtTheirOffset) {
    const std::string tail = ", 'fortran_order': False, 'shape': (3,), }";
    struct bad_case {
        std::string descr;
        std::string where;
        errc code;
        const char* detail;
    };
    const bad_case cases[] = {
        {"[('x', '<f4')", "'fortran_order'", errc::header_syntax, "expected a field tuple"},
        {"[('x', '<f4') ('y', '<f4')]", "('y'", errc::header_syntax, "expected ',' or ']'"},
        {"[('x')]", ")]", errc::header_syntax, "expected ',' after a field name"},
        {"[('x', '<f4', (2,), 1)]", "1)]", errc::header_syntax, "expected ')' after a field"},
        {"[(1, '<f4')]", "1,", errc::header_syntax, "expected a quoted field name"},
        {"['x']", "'x'", errc::header_syntax, "expected a field tuple"},
        {"[('x', '<f4'), ('x', '<i4')]", "[('x'", errc::header_syntax, "already used"},
        {"[(('x', 'x'), '<f4')]", "[((", errc::header_syntax, "already used"},
        {"[('x', '<f4', (-2,))]", "-2", errc::header_syntax, "negative dimension"},
        {"[('x', '<U3x')]", "'<U3x'", errc::unsupported_dtype, "unsupported dtype descr"},
        {"[('x', '|S1', (65536, 32768))]", "('x'", errc::size_overflow, "over 2^31 - 1 bytes"},
        {"[('x', '|S1', (1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1))]",
         "1))]", errc::limit_exceeded, "more than 32 dimensions"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.descr);
        const std::string dict = "{'descr': " + c.descr + tail;
        expect_refused(npy(dict), c.code, 10 + dict.find(c.where, 10), c.detail);
    }
    // Nesting: Python's parser allows 200 open brackets; the dict's '{' is one of them.
    std::string deep = "'<f4'";
    for (int i = 0; i < 99; ++i) deep = "[('a', " + deep + ")]";
    std::string deeper = "[('a', " + deep + ")]";
    const std::string limit = "{'descr': " + deep + tail;
    EXPECT_EQ(parse_npy_header(npy(limit, 2)).info.type.itemsize, 4u); // 199 brackets
    const std::string over = "{'descr': " + deeper + tail;
    // The 201st bracket is the '(' of the 100th level.
    expect_refused(npy(over, 2), errc::limit_exceeded, 12 + 10 + 7 * 99 + 1,
                   "nests more than 200 brackets");
}

TEST(NpyHeader, WritesRecordHeadersAsNumpyDoes) {
    // Names past U+00FF need version 3.0 (UTF-8); latin-1 names stay in 1.0.
    colsnap::field f;
    f.name = "\xe7\x94\x9f";
    f.type = colsnap::dtype::parse("<f4");
    colsnap::array_info info{colsnap::dtype::record({f}, 4), {3}, false};
    std::string h = colsnap::format_npy_header(info);
    EXPECT_EQ(h[6], '\x03');
    EXPECT_NE(h.find("[('\xe7\x94\x9f', '<f4')]"), std::string::npos);
    EXPECT_THROW((void)colsnap::format_npy_header(info, 1), colsnap::error);
    f.name = "caf\xc3\xa9";
    info.type = colsnap::dtype::record({f}, 4);
    h = colsnap::format_npy_header(info);
    EXPECT_EQ(h[6], '\x01');
    EXPECT_NE(h.find("[('caf\xe9', '<f4')]"), std::string::npos);
    EXPECT_EQ(h.size() % 64, 0u);
    const auto back = parse_npy_header(test_util::bytes_of(h));
    EXPECT_EQ(back.info, info);
}

TEST(NpyHeader, ReadsNestedSubArraysAndNumpysPaddingRule) {
    const std::string tail = ", 'fortran_order': False, 'shape': (1,), }";
    // test_format.py's last record array: a field whose type is itself a sub-array.
    const std::string nested = "[('c', ('<f8', (5,)), (2,))]";
    const auto h = parse_npy_header(npy("{'descr': " + nested + tail));
    EXPECT_EQ(h.info.type.descr(), nested);
    EXPECT_EQ(h.info.type.itemsize, 80u);
    const colsnap::field& c = h.info.type.fields->front();
    EXPECT_EQ(c.type.kind, colsnap::dtype_kind::subarray);
    EXPECT_EQ(c.type.itemsize, 40u);
    EXPECT_EQ(c.shape, (std::vector<std::uint64_t>{2}));
    // descr_to_dtype drops a '' field whose dtype is np.void: V, and any sub-array.
    const auto pad = parse_npy_header(
        npy("{'descr': [('', '<f8', (2,)), ('', ('<f8', (1,))), ('', '<f8', ()), ('a', '<i4')]" +
            tail));
    ASSERT_EQ(pad.info.type.fields->size(), 2u);
    EXPECT_EQ(pad.info.type.descr(), "[('', '|V24'), ('', '<f8'), ('a', '<i4')]");
}
