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
    {"b1", dtype_kind::boolean, 1},       {"i1", dtype_kind::signed_int, 1},
    {"i2", dtype_kind::signed_int, 2},    {"i4", dtype_kind::signed_int, 4},
    {"i8", dtype_kind::signed_int, 8},    {"u1", dtype_kind::unsigned_int, 1},
    {"u2", dtype_kind::unsigned_int, 2},  {"u4", dtype_kind::unsigned_int, 4},
    {"u8", dtype_kind::unsigned_int, 8},  {"f2", dtype_kind::floating, 2},
    {"f4", dtype_kind::floating, 4},      {"f8", dtype_kind::floating, 8},
    {"c8", dtype_kind::complex, 8},       {"c16", dtype_kind::complex, 16},
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
    for (const char* bad :
         {"<U3", "|S5", "V8", "|V8", "<M8[s]", "<m8[ns]", "<f16", "<c32", "<i3", "<i16", "<u16",
          "b1", "f4", "", "<", "<f", "<f4 ", " <f4", "<b2", "<c4", "|f1", "<f1", "<F4", "!f4",
          "<f04", "<f8\x01", "int32", "float64", "?", "<?", "<e", "|b"}) {
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
        (void)dtype::parse("<U3");
    } catch (const colsnap::error& e) {
        EXPECT_THAT(e.detail(), HasSubstr("'<U3'"));
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
