// dtype: parse/descr for every supported dtype, the refusals, and numpy's own spelling.

#include "test_util.hpp"

#include <colsnap/dtype.hpp>
#include <colsnap/error.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <complex>
#include <sstream>

using colsnap::byte_order;
using colsnap::dtype;
using colsnap::dtype_kind;
using colsnap::errc;
using ::testing::HasSubstr;

namespace {

struct type_case {
    const char* code; // "f4"
    dtype_kind kind;
    unsigned size;
};

const type_case all_types[] = {
    {"b1", dtype_kind::boolean, 1},      {"i1", dtype_kind::signed_int, 1},
    {"i2", dtype_kind::signed_int, 2},   {"i4", dtype_kind::signed_int, 4},
    {"i8", dtype_kind::signed_int, 8},   {"u1", dtype_kind::unsigned_int, 1},
    {"u2", dtype_kind::unsigned_int, 2}, {"u4", dtype_kind::unsigned_int, 4},
    {"u8", dtype_kind::unsigned_int, 8}, {"f2", dtype_kind::floating, 2},
    {"f4", dtype_kind::floating, 4},     {"f8", dtype_kind::floating, 8},
    {"c8", dtype_kind::complex, 8},      {"c16", dtype_kind::complex, 16},
};

const char native_char = colsnap::native_order == byte_order::little ? '<' : '>';

errc code_of(std::string_view descr) {
    try {
        (void)dtype::parse(descr);
    } catch (const colsnap::error& e) {
        return e.code();
    }
    return errc::io_error; // "no error" marker for the tests below
}

} // namespace

TEST(Dtype, EveryTypeParsesAndPrintsInBothOrders) {
    for (const auto& t : all_types) {
        for (const char order : {'<', '>', '|', '='}) {
            const std::string descr = std::string(1, order) + t.code;
            SCOPED_TRACE(descr);
            const dtype d = dtype::parse(descr);
            EXPECT_EQ(d.kind, t.kind);
            EXPECT_EQ(d.itemsize, t.size);
            std::string want;
            if (t.size == 1) {
                EXPECT_EQ(d.order, byte_order::not_applicable);
                want = std::string("|") + t.code;
            } else if (order == '<' || order == '>') {
                EXPECT_EQ(d.order, order == '<' ? byte_order::little : byte_order::big);
                want = descr;
            } else { // '=' and '|' on a multi-byte type mean this machine's order, as in numpy
                EXPECT_EQ(d.order, colsnap::native_order);
                want = std::string(1, native_char) + t.code;
            }
            EXPECT_EQ(d.descr(), want);
            EXPECT_EQ(dtype::parse(d.descr()), d); // descr() round-trips
        }
    }
}

TEST(Dtype, DescrSpellsAsNumpyDtypeStr) {
    EXPECT_EQ(dtype::parse("|b1").descr(), "|b1");
    EXPECT_EQ(dtype::parse("<f4").descr(), "<f4");
    EXPECT_EQ(dtype::parse(">c16").descr(), ">c16");
    EXPECT_EQ(dtype::parse("<u1").descr(), "|u1");
    EXPECT_EQ(dtype::parse(">b1").descr(), "|b1");
    EXPECT_EQ(dtype::parse("=i1").descr(), "|i1");
}

TEST(Dtype, NativeAndLittle) {
    const dtype big = dtype::parse(">f8");
    EXPECT_EQ(big.as_little().descr(), "<f8");
    EXPECT_EQ(big.as_native().order, colsnap::native_order);
    EXPECT_EQ(big.is_native(), colsnap::native_order == byte_order::big);
    const dtype byte = dtype::parse("|u1");
    EXPECT_TRUE(byte.is_native());
    EXPECT_EQ(byte.as_little(), byte);
    EXPECT_EQ(byte.as_native(), byte);
    EXPECT_EQ(dtype::parse(">c8").as_little().descr(), "<c8");
    EXPECT_EQ(dtype::parse("<c8").as_little().descr(), "<c8");
}

TEST(Dtype, DtypeOfCxxTypes) {
    const std::string n(1, native_char);
    EXPECT_EQ(colsnap::dtype_of<bool>().descr(), "|b1");
    EXPECT_EQ(colsnap::dtype_of<std::int8_t>().descr(), "|i1");
    EXPECT_EQ(colsnap::dtype_of<std::uint8_t>().descr(), "|u1");
    EXPECT_EQ(colsnap::dtype_of<std::int16_t>().descr(), n + "i2");
    EXPECT_EQ(colsnap::dtype_of<std::uint32_t>().descr(), n + "u4");
    EXPECT_EQ(colsnap::dtype_of<std::int64_t>().descr(), n + "i8");
    EXPECT_EQ(colsnap::dtype_of<colsnap::float16>().descr(), n + "f2");
    EXPECT_EQ(colsnap::dtype_of<float>().descr(), n + "f4");
    EXPECT_EQ(colsnap::dtype_of<const double>().descr(), n + "f8");
    EXPECT_EQ(colsnap::dtype_of<std::complex<float>>().descr(), n + "c8");
    EXPECT_EQ(colsnap::dtype_of<std::complex<double>>().descr(), n + "c16");
}

TEST(Dtype, RefusesEverythingElseNamingTheDescr) {
    for (const char* bad : {"<U0",
                            "|S0",
                            "V8",
                            "|V0",
                            "<M8[]",
                            "<m8[0s]",
                            "<f12",
                            "<c64",
                            "<i3",
                            "<i16",
                            "<u16",
                            "<M8[B]",
                            "<M8[ns/2]",
                            "<M4[s]",
                            "<M8[s",
                            "<M8s]",
                            "<M8[01s]",
                            "<U03",
                            "|S-1",
                            "|S99999999999",
                            "<U1000000000",
                            "<m8[2147483648s]",
                            "<M",
                            "<m",
                            "b1",
                            "f4",
                            "",
                            "<",
                            "<f",
                            "<f4 ",
                            " <f4",
                            "<b2",
                            "<c4",
                            "|f1",
                            "<f1",
                            "<F4",
                            "!f4",
                            "<f04",
                            "<f8\x01",
                            "int32",
                            "float64",
                            "?",
                            "<?",
                            "<e",
                            "|b"}) {
        SCOPED_TRACE(bad);
        try {
            (void)dtype::parse(bad);
            ADD_FAILURE() << "accepted";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), errc::unsupported_dtype);
            EXPECT_THAT(e.what(), HasSubstr("unsupported dtype descr"));
        }
    }
    try {
        (void)dtype::parse("<U0");
    } catch (const colsnap::error& e) {
        EXPECT_THAT(e.detail(), HasSubstr("'<U0'"));
    }
}

TEST(Dtype, RefusesObjectArraysExplicitly) {
    for (const char* bad : {"|O", "O", "<O", ">O8", "=O"}) {
        SCOPED_TRACE(bad);
        try {
            (void)dtype::parse(bad);
            ADD_FAILURE() << "accepted";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), errc::unsupported_dtype);
            EXPECT_THAT(e.detail(), HasSubstr("object arrays refused: colsnap never unpickles"));
        }
    }
}

TEST(Dtype, HostileDescrIsEscapedAndCutInMessages) {
    const std::string junk = std::string("<f\x00\xff", 4) + std::string(5000, 'x');
    try {
        (void)dtype::parse(junk);
        ADD_FAILURE();
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), errc::unsupported_dtype);
        EXPECT_THAT(e.detail(), HasSubstr("'<f\\x00\\xffxxx"));
        EXPECT_THAT(e.detail(), HasSubstr("(5004 bytes)"));
        EXPECT_LT(e.detail().size(), 200u);
    }
    EXPECT_EQ(code_of("<f\\x34"), errc::unsupported_dtype);
}

// numpy's dtype.str for every accepted spelling equals our descr().
TEST(Dtype, MatchesNumpyDtypeStr) {
    COLSNAP_REQUIRE_NUMPY();
    std::ostringstream code, want;
    code << "import numpy as np\nfor d in [";
    for (const auto& t : all_types)
        for (const char order : {'<', '>', '|', '='}) {
            const std::string descr = std::string(1, order) + t.code;
            code << "'" << descr << "',";
            want << dtype::parse(descr).descr() << "\n";
        }
    code << "]:\n    print(np.dtype(d).str)\n";
    const auto r = test_util::run_python(code.str());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, want.str());
}

// ---- the kinds beyond numbers: strings, bytes, void, datetimes, long double, records ----------

TEST(Dtype, StringsBytesVoidAndLongDoubleParseAndPrint) {
    struct text_case {
        const char* in;
        const char* out;
        dtype_kind kind;
        unsigned size;
        byte_order order;
    };
    const text_case cases[] = {
        {"|S5", "|S5", dtype_kind::bytes, 5, byte_order::not_applicable},
        {"<S1", "|S1", dtype_kind::bytes, 1, byte_order::not_applicable},
        {"|V16", "|V16", dtype_kind::opaque, 16, byte_order::not_applicable},
        {"<U3", "<U3", dtype_kind::unicode, 12, byte_order::little},
        {">U1", ">U1", dtype_kind::unicode, 4, byte_order::big},
        {"<U64", "<U64", dtype_kind::unicode, 256, byte_order::little},
        {"|S2147483647", "|S2147483647", dtype_kind::bytes, 2147483647u,
         byte_order::not_applicable},
        {"<f16", "<f16", dtype_kind::floating, 16, byte_order::little},
        {">c32", ">c32", dtype_kind::complex, 32, byte_order::big},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.in);
        const dtype d = dtype::parse(c.in);
        EXPECT_EQ(d.kind, c.kind);
        EXPECT_EQ(d.itemsize, c.size);
        EXPECT_EQ(d.order, c.order);
        EXPECT_EQ(d.descr(), c.out);
        EXPECT_EQ(d.str(), c.out);
        EXPECT_EQ(dtype::parse(d.descr()), d);
    }
    EXPECT_EQ(dtype::parse("|U2").order, colsnap::native_order);
    EXPECT_EQ(dtype::parse(">U2").as_little().descr(), "<U2");
    EXPECT_TRUE(dtype::parse(">S7").is_native()); // bytes have no order
}

TEST(Dtype, DatetimesWithEveryUnitAndMultiplier) {
    for (const char* unit : {"Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"})
        for (const char* kind : {"M8", "m8"})
            for (const char* order : {"<", ">"})
                for (const char* count : {"", "25", "2147483647"}) {
                    const std::string s = std::string(order) + kind + "[" + count + unit + "]";
                    SCOPED_TRACE(s);
                    const dtype d = dtype::parse(s);
                    EXPECT_EQ(d.kind,
                              kind[0] == 'M' ? dtype_kind::datetime : dtype_kind::timedelta);
                    EXPECT_EQ(d.itemsize, 8u);
                    EXPECT_EQ(d.unit_count, *count ? std::stoul(count) : 1u);
                    EXPECT_EQ(d.descr(), s);
                }
    EXPECT_EQ(dtype::parse("<M8[1s]").descr(), "<M8[s]"); // numpy drops a multiplier of 1
    EXPECT_EQ(dtype::parse("<M8").descr(), "<M8");        // generic
    EXPECT_EQ(dtype::parse("<M8").unit, colsnap::time_unit::generic);
    EXPECT_EQ(dtype::parse(">m8[us]").unit, colsnap::time_unit::microsecond);
    EXPECT_NE(dtype::parse("<M8[s]"), dtype::parse("<M8[2s]"));
    EXPECT_NE(dtype::parse("<M8[s]"), dtype::parse("<m8[s]"));
}

namespace {

colsnap::field make_field(std::string name, const char* type, std::uint32_t offset,
                          std::vector<std::uint64_t> shape = {}) {
    colsnap::field f;
    f.name = std::move(name);
    f.type = dtype::parse(type);
    f.offset = offset;
    f.shape = std::move(shape);
    return f;
}

} // namespace

TEST(Dtype, RecordDescrIsNumpysDescrWithPaddingTitlesAndSubArrays) {
    std::vector<colsnap::field> inner{make_field("p", "|u1", 0), make_field("q", "<U2", 1)};
    std::vector<colsnap::field> fs{make_field("x", "<f8", 0, {2, 3}), make_field("n", "|u1", 0)};
    fs[1].type = dtype::record(std::move(inner), 9);
    fs[1].offset = 48;
    const dtype r = dtype::record(fs, 57);
    EXPECT_EQ(r.descr(), "[('x', '<f8', (2, 3)), ('n', [('p', '|u1'), ('q', '<U2')])]");
    EXPECT_EQ(r.str(), "|V57");
    EXPECT_EQ(r.itemsize, 57u);

    auto a = make_field("a", "<i4", 4);
    a.title = "T";
    const dtype gaps = dtype::record({a, make_field("b", ">f8", 12)}, 24);
    EXPECT_EQ(gaps.descr(),
              "[('', '|V4'), (('T', 'a'), '<i4'), ('', '|V4'), ('b', '>f8'), ('', '|V4')]");
    EXPECT_FALSE(gaps.is_native() && colsnap::native_order == byte_order::little);
    EXPECT_EQ(gaps.as_little().descr(),
              "[('', '|V4'), (('T', 'a'), '<i4'), ('', '|V4'), ('b', '<f8'), ('', '|V4')]");
    EXPECT_EQ(gaps.as_little(), gaps.as_little());
    EXPECT_NE(gaps.as_little(), gaps);
    // Names as Python's repr() quotes them.
    const dtype names = dtype::record({make_field("a'b", "<i4", 0), make_field("c\"'\\", "<i4", 4),
                                       make_field("\xc3\xa9\x01", "<i4", 8)},
                                      12);
    EXPECT_EQ(names.descr(), "[(\"a'b\", '<i4'), ('c\"\\'\\\\', '<i4'), ('\xc3\xa9\\x01', '<i4')]");
}

TEST(Dtype, RecordRefusesOverlapsOverrunsAndDuplicateNames) {
    auto code_and_text = [](std::vector<colsnap::field> fs, std::uint32_t size, const char* part) {
        try {
            (void)dtype::record(std::move(fs), size);
            ADD_FAILURE() << "accepted";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), errc::invalid_argument);
            EXPECT_THAT(e.detail(), HasSubstr(part));
        }
    };
    code_and_text({make_field("a", "<i4", 0), make_field("b", "<i4", 2)}, 8, "overlaps");
    code_and_text({make_field("a", "<i4", 0), make_field("b", "<i4", 4)}, 7, "past the itemsize");
    code_and_text({make_field("a", "<i4", 0), make_field("a", "<i4", 4)}, 8, "already used");
    auto t = make_field("b", "<i4", 4);
    t.title = "a";
    code_and_text({make_field("a", "<i4", 0), t}, 8, "already used");
    code_and_text({make_field("\xff", "<i4", 0)}, 4, "not valid UTF-8");
    code_and_text({make_field("a", "<f8", 0, {1u << 20, 1u << 20})}, 8, "too big");
}

TEST(Dtype, LongDoubleIsF16WhereThePlatformMatches) {
    if constexpr (colsnap::detail::long_double_is_f16) {
        EXPECT_EQ(colsnap::dtype_of<long double>().descr(), "<f16");
        EXPECT_EQ(colsnap::dtype_of<std::complex<long double>>().descr(), "<c32");
    }
}

// numpy's dtype.str for the new kinds equals our descr(), and numpy's dtype.descr of records
// equals ours.
TEST(Dtype, NewKindsMatchNumpy) {
    COLSNAP_REQUIRE_NUMPY();
    const char* strs[] = {"|S5",     "<S3",      "|V7",     "<U3",     ">U1",
                          "|U2",     "<f16",     ">c32",    "<M8",     ">m8",
                          "<M8[ns]", "<M8[25s]", ">m8[us]", "<M8[1s]", "<m8[2147483647as]",
                          "<M8[Y]",  ">M8[W]"};
    std::ostringstream code, want;
    code << "import numpy as np\nfor d in [";
    for (const char* s : strs) {
        code << "'" << s << "',";
        want << dtype::parse(s).descr() << "\n";
    }
    code << "]:\n    print(np.dtype(d).str)\n";
    std::vector<colsnap::field> fs{make_field("x", "<f8", 0, {2, 3}), make_field("s", "|S3", 50)};
    fs[1].title = "t\xc3\xa9";
    const dtype r = dtype::record(fs, 64);
    code << "d = np.dtype({'names': ['x', 's'], 'formats': [('<f8', (2, 3)), '|S3'], 'titles': "
            "[None, 't\xc3\xa9'], 'offsets': [0, 50], 'itemsize': 64})\nprint(repr(d.descr))\n";
    want << r.descr() << "\n";
    const auto res = test_util::run_python(code.str());
    ASSERT_EQ(res.status, 0) << res.err;
    EXPECT_EQ(res.out, want.str());
}

TEST(Dtype, ChronoTypesAreDatetimesAndTimedeltasInTheirUnit) {
    using namespace std::chrono;
    using s25 = duration<std::int64_t, std::ratio<25>>;
    using ms2 = duration<std::int64_t, std::ratio<1, 500>>;
    using as = duration<std::int64_t, std::atto>;
    using wk = duration<std::int64_t, std::ratio<604800>>;
    using dd = duration<std::int64_t, std::ratio<86400>>;
    const std::string n(1, native_char);
    EXPECT_EQ(colsnap::dtype_of<nanoseconds>().descr(), n + "m8[ns]");
    EXPECT_EQ(colsnap::dtype_of<minutes>().descr(), n + "m8[m]");
    EXPECT_EQ(colsnap::dtype_of<s25>().descr(), n + "m8[25s]");
    EXPECT_EQ(colsnap::dtype_of<ms2>().descr(), n + "m8[2ms]");
    EXPECT_EQ(colsnap::dtype_of<as>().descr(), n + "m8[as]");
    EXPECT_EQ(colsnap::dtype_of<wk>().descr(), n + "m8[W]");
    EXPECT_EQ(colsnap::dtype_of<sys_time<microseconds>>().descr(), n + "M8[us]");
    EXPECT_EQ(colsnap::dtype_of<sys_time<dd>>().descr(), n + "M8[D]");
}
