// column() and scalar(): any contiguous range of T becomes a borrowed column of T's dtype.

#include <colsnap/column.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace {

template <typename R>
concept columnable = requires(R&& r) {
    colsnap::column("x", std::forward<R>(r));
};

// Containers must be lvalues (the column borrows them); spans may be temporaries.
static_assert(columnable<std::vector<float>&>);
static_assert(columnable<const std::vector<float>&>);
static_assert(columnable<std::span<float>>);
static_assert(columnable<std::span<const float>>);
static_assert(columnable<std::array<double, 3>&>);
static_assert(!columnable<std::vector<float>>, "a temporary vector would dangle");
static_assert(!columnable<std::vector<float>&&>, "a temporary vector would dangle");

template <typename R>
void expect_borrows(R&& values, const void* data, std::size_t n, colsnap::dtype want) {
    const colsnap::column_ref c = colsnap::column("x", std::forward<R>(values));
    EXPECT_EQ(c.name, "x");
    EXPECT_EQ(c.info.type, want);
    EXPECT_EQ(c.info.shape, std::vector<std::uint64_t>{n});
    EXPECT_FALSE(c.info.fortran_order);
    EXPECT_EQ(static_cast<const void*>(c.bytes.data()), data);
    EXPECT_EQ(c.bytes.size(), n * want.itemsize);
}

TEST(Column, AcceptsAnyContiguousRangeOfT) {
    std::vector<float> v = {1, 2, 3};
    const std::vector<float>& cv = v;
    std::array<std::int16_t, 4> a = {1, 2, 3, 4};
    const auto f4 = colsnap::dtype_of<float>();
    expect_borrows(v, v.data(), 3, f4);
    expect_borrows(cv, v.data(), 3, f4);
    expect_borrows(std::span(v), v.data(), 3, f4);
    expect_borrows(std::span<const float>(v), v.data(), 3, f4);
    expect_borrows(a, a.data(), 4, colsnap::dtype_of<std::int16_t>());
}

TEST(Column, ShapeDefaultsToOneAxisAndCanBeGiven) {
    std::vector<std::uint32_t> v(6);
    EXPECT_EQ(colsnap::column("g", v, {2, 3}).info.shape, (std::vector<std::uint64_t>{2, 3}));
    const double t = 2.5;
    const colsnap::column_ref s = colsnap::scalar("t", t);
    EXPECT_TRUE(s.info.shape.empty());
    EXPECT_EQ(s.bytes.size(), sizeof t);
}

} // namespace
