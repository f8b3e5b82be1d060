// array_info, checked_nbytes, array (borrowed/owned, typed access, to_native_c); the
// conversion kernels themselves are in convert_test.cpp.

#include "test_util.hpp"

#include <colsnap/array.hpp>
// Internals under test (colsnap_internal in tests/colsnap/CMakeLists.txt gives <src/...>).
#include <src/array_internal.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <complex>
#include <cstring>
#include <numeric>
#include <random>

using colsnap::array;
using colsnap::array_info;
using colsnap::dtype;
using colsnap::errc;
using ::testing::HasSubstr;

using test_util::code_of;
using test_util::info;
using test_util::random_bytes;

namespace {

/// An array over caller-owned bytes, as the readers make them.
template <typename... A> array make_array(A&&... a) {
    return colsnap::detail::array_access::make(std::forward<A>(a)...);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// array_info

TEST(ArrayInfo, CountAndShapeString) {
    EXPECT_EQ(info("<f4", {}).count(), 1u);
    EXPECT_EQ(info("<f4", {}).shape_string(), "()");
    EXPECT_EQ(info("<f4", {5}).shape_string(), "(5,)");
    EXPECT_EQ(info("<f4", {2, 3}).shape_string(), "(2, 3)");
    EXPECT_EQ(info("<f4", {2, 3, 4}).shape_string(), "(2, 3, 4)");
    EXPECT_EQ(info("<f4", {1000000}).shape_string(), "(1000000,)");
    EXPECT_EQ(info("<f4", {2, 3, 4}).count(), 24u);
    EXPECT_EQ(info("<f4", {2, 0, 4}).count(), 0u);
    EXPECT_EQ(info("<f8", {2, 3}).nbytes(), 48u);
    EXPECT_EQ(info(">c16", {}).nbytes(), 16u);
}

TEST(ArrayInfo, CContiguityFollowsNumpyFlags) {
    EXPECT_TRUE(info("<f4", {2, 3}).is_c_contiguous());
    EXPECT_FALSE(info("<f4", {2, 3}, true).is_c_contiguous());
    EXPECT_TRUE(info("<f4", {}, true).is_c_contiguous());
    EXPECT_TRUE(info("<f4", {7}, true).is_c_contiguous());
    EXPECT_TRUE(info("<f4", {1, 7}, true).is_c_contiguous());
    EXPECT_TRUE(info("<f4", {7, 1, 1}, true).is_c_contiguous());
    EXPECT_TRUE(info("<f4", {0, 7}, true).is_c_contiguous()); // empty
    EXPECT_FALSE(info("<f4", {2, 1, 3}, true).is_c_contiguous());
}

TEST(ArrayInfo, CheckedNbytesUsesNumpysRule) {
    EXPECT_EQ(colsnap::checked_nbytes(info("<f8", {2, 3})), 48u);
    EXPECT_EQ(colsnap::checked_nbytes(info("<f8", {})), 8u);
    EXPECT_EQ(colsnap::checked_nbytes(info("<f8", {0, 5})), 0u);
    EXPECT_EQ(colsnap::checked_nbytes(info("|u1", {9223372036854775807ull})),
              9223372036854775807ull);
    EXPECT_EQ(colsnap::checked_nbytes(info("|u1", {9223372036854775807ull, 0})), 0u);
    for (const auto& s : std::vector<std::vector<std::uint64_t>>{
             {9223372036854775808ull},
             {std::uint64_t{1} << 62, 2},
             {std::uint64_t{1} << 32, std::uint64_t{1} << 32},
             {0, std::uint64_t{1} << 62, std::uint64_t{1} << 62},
             {18446744073709551615ull}}) {
        const auto in = info("|u1", s);
        try {
            (void)colsnap::checked_nbytes(in);
            ADD_FAILURE() << in.shape_string();
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.code(), errc::size_overflow);
            EXPECT_THAT(e.detail(), HasSubstr(in.shape_string()));
        }
    }
    EXPECT_EQ(code_of([] { (void)colsnap::checked_nbytes(info("<f8", {std::uint64_t{1} << 60})); }),
              errc::size_overflow);
}

// ---------------------------------------------------------------------------------------------
// array

TEST(Array, BorrowsBytesAndKeepsTheOwnerAlive) {
    auto owner = std::make_shared<std::vector<float>>(std::vector<float>{1, 2, 3, 4, 5, 6});
    std::weak_ptr<std::vector<float>> watch = owner;
    array a = make_array(colsnap::array_info{colsnap::dtype_of<float>(), {2, 3}, false},
                         std::as_bytes(std::span<const float>(*owner)), owner, true);
    owner.reset();
    EXPECT_FALSE(watch.expired());
    EXPECT_TRUE(a.borrowed());
    EXPECT_EQ(a.size(), 6u);
    EXPECT_EQ(a.shape(), (std::vector<std::uint64_t>{2, 3}));
    const auto v = a.values<float>();
    ASSERT_EQ(v.size(), 6u);
    EXPECT_EQ(v[5], 6.0f);
    a = array();
    EXPECT_TRUE(watch.expired());
}

TEST(Array, ConstructorChecksTheByteCount) {
    std::vector<std::byte> b(10);
    EXPECT_EQ(code_of([&] { make_array(info("<f4", {3}), b, nullptr, true); }),
              errc::invalid_argument);
    EXPECT_EQ(code_of([&] { make_array(info("<f4", {std::uint64_t{1} << 62}), b, nullptr, true); }),
              errc::size_overflow);
}

TEST(Array, AllocateGivesOwnedAlignedStorage) {
    for (const auto& s : std::vector<std::vector<std::uint64_t>>{{}, {0}, {3}, {1000, 3}}) {
        auto [a, out] = colsnap::detail::array_access::allocate(info("<c16", s));
        EXPECT_FALSE(a.borrowed());
        EXPECT_EQ(out.size(), a.info().nbytes());
        EXPECT_EQ(a.bytes().data(), out.data());
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(out.data()) % 64, 0u);
        std::memset(out.data(), 0x5a, out.size()); // writable, and ASan checks the extent
    }
    EXPECT_EQ(code_of([] {
                  (void)colsnap::detail::array_access::allocate(
                      info("<f8", {std::uint64_t{1} << 61}));
              }),
              errc::size_overflow);
}

TEST(Array, ValuesRefusesWrongTypeOrderAndAlignment) {
    const std::vector<std::int32_t> v{1, 2, 3, 4, 5, 6};
    const auto bytes = std::as_bytes(std::span<const std::int32_t>(v));
    const array a = make_array(colsnap::array_info{colsnap::dtype_of<std::int32_t>(), {6}, false},
                               bytes, nullptr, true);
    EXPECT_EQ(a.values<std::int32_t>()[2], 3);
    try {
        (void)a.values<std::uint32_t>();
        FAIL();
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), errc::type_mismatch);
        EXPECT_THAT(e.detail(), HasSubstr("holds <i4 but T is <u4"));
    }
    EXPECT_EQ(code_of([&] { (void)a.values<float>(); }), errc::type_mismatch);
    EXPECT_EQ(code_of([&] { (void)a.values<std::int64_t>(); }), errc::type_mismatch);

    const array big = make_array(info(">i4", {6}), bytes, nullptr, true);
    try {
        (void)big.values<std::int32_t>();
        FAIL();
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), errc::type_mismatch);
        EXPECT_THAT(e.detail(), HasSubstr("other byte order: call to_native_c() first"));
    }

    const array fortran = make_array(
        colsnap::array_info{colsnap::dtype_of<std::int32_t>(), {2, 3}, true}, bytes, nullptr, true);
    try {
        (void)fortran.values<std::int32_t>();
        FAIL();
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), errc::type_mismatch);
        EXPECT_THAT(e.detail(), HasSubstr("Fortran order"));
    }
    // Fortran-flagged but with at most one long axis: the bytes are C order, values() works.
    const array column = make_array(
        colsnap::array_info{colsnap::dtype_of<std::int32_t>(), {6, 1}, true}, bytes, nullptr, true);
    EXPECT_EQ(column.values<std::int32_t>()[5], 6);

    alignas(8) std::byte buf[8 * 5] = {};
    const array misaligned =
        make_array(colsnap::array_info{colsnap::dtype_of<double>(), {4}, false},
                   std::span<const std::byte>(buf + 1, 32), nullptr, true);
    try {
        (void)misaligned.values<double>();
        FAIL();
    } catch (const colsnap::error& e) {
        EXPECT_EQ(e.code(), errc::type_mismatch);
        EXPECT_THAT(e.detail(), HasSubstr("not aligned to 8 bytes"));
    }
    // to_native_c() fixes the alignment.
    EXPECT_EQ(misaligned.to_native_c().values<double>().size(), 4u);
}

TEST(Array, ToNativeCCopiesItemsNotAlignedToTheirSize) {
    // c16 at 8 mod 16: fine for alignof(std::complex<double>), but to_native_c() uses the same
    // rule as npz_reader::get() / member_info::zero_copy(): items aligned to their size.
    alignas(64) std::byte buf[8 + 32] = {};
    const array a =
        make_array(info("<c16", {2}), std::span<const std::byte>(buf + 8, 32), nullptr, true);
    if (colsnap::native_order == colsnap::byte_order::little) {
        EXPECT_EQ(a.values<std::complex<double>>().size(), 2u);
        const array c = a.to_native_c();
        EXPECT_FALSE(c.borrowed());
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(c.bytes().data()) % 64, 0u);
        const array aligned =
            make_array(info("<c16", {2}), std::span<const std::byte>(buf, 32), nullptr, true);
        EXPECT_EQ(aligned.to_native_c().bytes().data(), buf);
    }
}

TEST(Array, ToNativeCSharesWhenAlreadyNativeC) {
    const std::vector<double> v{1, 2, 3, 4};
    const array a = make_array(colsnap::array_info{colsnap::dtype_of<double>(), {2, 2}, false},
                               std::as_bytes(std::span<const double>(v)), nullptr, true);
    const array same = a.to_native_c();
    EXPECT_EQ(same.bytes().data(), a.bytes().data());
    EXPECT_TRUE(same.borrowed());

    // A Fortran flag on C-contiguous bytes is only relabelled.
    const array flagged = make_array(colsnap::array_info{colsnap::dtype_of<double>(), {4, 1}, true},
                                     std::as_bytes(std::span<const double>(v)), nullptr, true);
    const array relabelled = flagged.to_native_c();
    EXPECT_EQ(relabelled.bytes().data(), flagged.bytes().data());
    EXPECT_FALSE(relabelled.info().fortran_order);
}

TEST(Array, ToNativeCConvertsByteOrderAndFortranOrder) {
    // 2x3 int16 in big-endian Fortran order: columns (1,4), (2,5), (3,6).
    const std::uint8_t be_f[] = {0, 1, 0, 4, 0, 2, 0, 5, 0, 3, 0, 6};
    const array a = make_array(info(">i2", {2, 3}, true),
                               std::as_bytes(std::span<const std::uint8_t>(be_f)), nullptr, true);
    const array c = a.to_native_c();
    EXPECT_FALSE(c.borrowed());
    EXPECT_FALSE(c.info().fortran_order);
    EXPECT_EQ(c.type(), colsnap::dtype_of<std::int16_t>());
    const auto v = c.values<std::int16_t>();
    EXPECT_EQ(std::vector<std::int16_t>(v.begin(), v.end()),
              (std::vector<std::int16_t>{1, 2, 3, 4, 5, 6}));

    const std::vector<std::byte> empty;
    const array e = make_array(info(">f8", {0, 3}, true), empty, nullptr, true);
    const array ec = e.to_native_c();
    EXPECT_EQ(ec.type(), colsnap::dtype_of<double>());
    EXPECT_EQ(ec.values<double>().size(), 0u);
}

TEST(Array, ComplexHalvesAreSwappedSeparately) {
    const std::complex<float> z{1.5f, -2.25f};
    std::array<std::byte, 8> be{};
    std::memcpy(be.data(), &z, 8);
    std::reverse(be.begin(), be.begin() + 4);
    std::reverse(be.begin() + 4, be.end());
    const array a = make_array(info(">c8", {1}), be, nullptr, true);
    EXPECT_EQ(a.to_native_c().values<std::complex<float>>()[0], z);
}
