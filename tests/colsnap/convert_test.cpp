// The conversion kernels (src/convert.cpp): byte swaps of every width, in place or not, and
// Fortran -> C order, checked against a naive reference.

#include "test_util.hpp"

// Internals under test (colsnap_internal in tests/colsnap/CMakeLists.txt gives <src/...>).
#include <src/convert.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

using colsnap::array_info;
using colsnap::dtype;
using colsnap::errc;

using test_util::code_of;
using test_util::info;
using test_util::random_bytes;

namespace {

/// Naive reference: item i of the C-order result, read from a Fortran/C layout and swapped.
std::vector<std::byte> reference_native_c(const array_info& in, std::span<const std::byte> src) {
    const std::size_t size = in.type.itemsize;
    const std::size_t n = in.count();
    const std::size_t nd = in.shape.size();
    std::vector<std::byte> out(n * size);
    std::vector<std::uint64_t> idx(nd, 0);
    for (std::size_t c = 0; c < n; ++c) {
        // C-order index -> multi-index -> source linear index in the source's order
        std::size_t rem = c;
        for (std::size_t a = nd; a-- > 0;) {
            idx[a] = rem % in.shape[a];
            rem /= in.shape[a];
        }
        std::size_t s = 0;
        if (in.fortran_order) {
            for (std::size_t a = nd; a-- > 0;) s = s * in.shape[a] + idx[a];
        } else {
            for (std::size_t a = 0; a < nd; ++a) s = s * in.shape[a] + idx[a];
        }
        std::memcpy(out.data() + c * size, src.data() + s * size, size);
        if (!in.type.is_native()) {
            const std::size_t w = in.type.kind == colsnap::dtype_kind::complex ? size / 2 : size;
            for (std::size_t h = 0; h < size; h += w)
                std::reverse(out.begin() + static_cast<long>(c * size + h),
                             out.begin() + static_cast<long>(c * size + h + w));
        }
    }
    return out;
}

const char* const all_descrs[] = {"|b1", "|i1", "|u1", "<i2", ">i2", "<u2",  ">u2", "<i4", ">i4",
                                  "<u4", ">u4", "<i8", ">i8", "<u8", ">u8",  "<f2", ">f2", "<f4",
                                  ">f4", "<f8", ">f8", "<c8", ">c8", "<c16", ">c16"};

} // namespace

TEST(Convert, ByteswapCopyEveryWidthAndInPlace) {
    for (const char* d : all_descrs) {
        SCOPED_TRACE(d);
        const dtype t = dtype::parse(d);
        for (const std::size_t n : {0u, 1u, 3u, 17u, 1000u}) {
            const auto src = random_bytes(n * t.itemsize, static_cast<unsigned>(n));
            std::vector<std::byte> dst(src.size());
            colsnap::detail::byteswap_copy(src.data(), dst.data(), n, t);
            // reference: force a swap whatever the machine
            auto want = src;
            const std::size_t w =
                t.kind == colsnap::dtype_kind::complex ? t.itemsize / 2u : t.itemsize;
            if (t.itemsize > 1)
                for (std::size_t i = 0; i < want.size(); i += w)
                    std::reverse(want.begin() + static_cast<long>(i),
                                 want.begin() + static_cast<long>(i + w));
            EXPECT_EQ(dst, want);
            auto in_place = src;
            colsnap::detail::byteswap_copy(in_place.data(), in_place.data(), n, t);
            EXPECT_EQ(in_place, want);
        }
    }
}

TEST(Convert, FortranToCMatchesTheReference) {
    const std::vector<std::vector<std::uint64_t>> shapes = {
        {},           {0},       {1},       {5},           {2, 3},          {3, 2},
        {1, 7},       {7, 1},    {0, 4},    {4, 0},        {2, 3, 4},       {4, 1, 3},
        {3, 5, 1, 2}, {1, 1, 1}, {70, 33},  {33, 70},      {2, 3, 2, 3, 2}, {129, 3, 5},
        {5, 200},     {1000, 2}, {2, 1000}, {17, 1, 19, 1}};
    for (const char* d : all_descrs)
        for (const auto& s : shapes)
            for (const bool f : {false, true}) {
                const auto in = info(d, s, f);
                SCOPED_TRACE(std::string(d) + " " + in.shape_string() + (f ? " F" : " C"));
                const auto src = random_bytes(in.nbytes(), static_cast<unsigned>(in.nbytes()));
                std::vector<std::byte> dst(src.size());
                colsnap::detail::to_native_c_order(in, src, dst);
                EXPECT_EQ(dst, reference_native_c(in, src));
            }
}

TEST(Convert, ToNativeCOrderChecksSizes) {
    std::vector<std::byte> a(24), b(23);
    EXPECT_EQ(code_of([&] { colsnap::detail::to_native_c_order(info("<f8", {3}), a, b); }),
              errc::invalid_argument);
    EXPECT_EQ(code_of([&] { colsnap::detail::to_native_c_order(info("<f8", {3}), b, a); }),
              errc::invalid_argument);
}

TEST(Convert, LargeFortranArraysCrossBlockBoundaries) {
    // Big enough for many row blocks and odd remainders, every item size.
    for (const char* d : {"|u1", ">i2", "<f4", ">f8", ">c16"}) {
        const auto in = info(d, {1001, 3, 77}, true);
        SCOPED_TRACE(d);
        const auto src = random_bytes(in.nbytes(), 99);
        std::vector<std::byte> dst(src.size());
        colsnap::detail::to_native_c_order(in, src, dst);
        EXPECT_EQ(dst, reference_native_c(in, src));
    }
}
