// strings(): U and S items as UTF-8 (invalid UCS-4 reported, never replaced); encode_strings():
// UTF-8 values as numpy's U or S, as wide as the longest; numpy reads what we write.

#include "test_util.hpp"

#include <colsnap/colsnap.hpp>
#include <src/array_internal.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

using ::testing::HasSubstr;

namespace {

colsnap::array ucs4(const std::vector<char32_t>& units, std::uint32_t width) {
    colsnap::dtype t;
    t.kind = colsnap::dtype_kind::unicode;
    t.itemsize = width * 4;
    t.order = colsnap::native_order;
    auto [a, out] = colsnap::detail::array_access::allocate({t, {units.size() / width}, false});
    std::memcpy(out.data(), units.data(), out.size());
    return std::move(a);
}

} // namespace

TEST(Strings, UnicodeItemsAsUtf8WithoutTrailingNuls) {
    const auto a = ucs4({U'a', 0, 0, U'\u00e9', U'\u751f', 0x1f600, 0, 0, 0, U'x', U'z', 0}, 3);
    EXPECT_EQ(colsnap::strings(a),
              (std::vector<std::string>{"a", "\xc3\xa9\xe7\x94\x9f\xf0\x9f\x98\x80", "", "xz"}));
}

TEST(Strings, InvalidUcs4IsReportedWithItemAndCodeUnit) {
    for (const char32_t bad : {char32_t{0xd800}, char32_t{0xdfff}, char32_t{0x110000}}) {
        const auto a = ucs4({U'a', U'b', U'c', bad}, 2);
        try {
            (void)colsnap::strings(a);
            ADD_FAILURE() << "accepted " << static_cast<unsigned>(bad);
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), colsnap::errc::type_mismatch);
            EXPECT_THAT(e.detail(), HasSubstr("item 1"));
            EXPECT_THAT(e.detail(), HasSubstr("character 1"));
        }
    }
}

TEST(Strings, BytesItemsAndOtherDtypes) {
    const std::vector<std::string> in{"ab", std::string("a\0b", 3), ""};
    const colsnap::array s = colsnap::encode_strings(in, colsnap::dtype_kind::bytes);
    EXPECT_EQ(s.type().descr(), "|S3");
    EXPECT_EQ(colsnap::strings(s), in);
    const std::vector<double> d{1.0};
    auto [f, out] =
        colsnap::detail::array_access::allocate({colsnap::dtype_of<double>(), {1}, false});
    std::memcpy(out.data(), d.data(), 8);
    EXPECT_THROW((void)colsnap::strings(f), colsnap::error);
}

TEST(Strings, EncodeIsAsWideAsTheLongestAndNumpyReadsIt) {
    const std::vector<std::string> in{"a", "bb", "\xc3\xa9\xe7\x94\x9f\xf0\x9f\x98\x80", ""};
    const colsnap::array u = colsnap::encode_strings(in);
    EXPECT_EQ(u.type().kind, colsnap::dtype_kind::unicode);
    EXPECT_EQ(u.type().itemsize, 12u);
    EXPECT_EQ(colsnap::strings(u), in);
    EXPECT_THROW((void)colsnap::encode_strings(std::vector<std::string>{"\xff"}), colsnap::error);
    EXPECT_EQ(colsnap::encode_strings(std::vector<std::string>{}).type().itemsize, 4u); // <U1
    COLSNAP_REQUIRE_NUMPY();
    test_util::temp_dir dir;
    colsnap::write_npy(dir / "u.npy", u.info(), u.bytes());
    const auto r = test_util::run_python(
        "import numpy as np, sys\na = np.load(sys.argv[1])\nprint(a.dtype.str, a.tolist() == "
        "['a', 'bb', '\\u00e9\\u751f\\U0001f600', ''])",
        {(dir / "u.npy").string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, std::string(colsnap::native_order == colsnap::byte_order::little ? "<" : ">") +
                         "U3 True\n");
}
