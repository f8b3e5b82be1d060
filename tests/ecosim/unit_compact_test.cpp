// Stream compaction (kernels/compact.hpp): the AVX2 and AVX-512 versions, run at every level
// this CPU has, against the scalar ones, for every length up to a few vectors and keys that
// include NaN, -0 and infinities; none writes more than 16 entries past the last one kept.

#include <ecosim/isa.hpp>
#include <ecosim/kernels/compact.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace ecosim;

namespace {

constexpr std::uint32_t canary = 0xDEADBEEFu;

std::vector<isa> levels_here() {
    std::vector<isa> out{isa::baseline};
    if (best_isa() >= isa::v3) out.push_back(isa::v3);
    if (best_isa() >= isa::v4) out.push_back(isa::v4);
    return out;
}

std::size_t compact_at(isa level, const std::uint32_t* pass, std::size_t len, std::uint32_t i0,
                       std::uint32_t* out, std::size_t m) {
    if (level == isa::v4) return compact_avx512(pass, len, i0, out, m);
    if (level == isa::v3) return compact_avx2(pass, len, i0, out, m);
    return compact(pass, len, i0, out, m);
}

} // namespace

TEST(Compact, EveryLevelKeepsTheSameRowsInOrder) {
    std::mt19937 gen(3);
    for (const isa level : levels_here()) {
        for (std::size_t len = 0; len <= 40; ++len) {
            for (int trial = 0; trial < 50; ++trial) {
                std::vector<std::uint32_t> pass(len);
                for (auto& p : pass) p = (gen() % 3 == 0) ? gen() | 1u : 0u; // any nonzero keeps
                const std::size_t m0 = gen() % 5;
                std::vector<std::uint32_t> want(m0 + len + 16, canary), got(want);
                for (std::size_t k = 0; k < m0; ++k)
                    want[k] = got[k] = static_cast<std::uint32_t>(900 + k);
                const std::size_t mw = compact(pass.data(), len, 100, want.data(), m0);
                std::vector<std::uint32_t> room(got.size() + 32, canary);
                std::copy(got.begin(), got.end(), room.begin());
                const std::size_t mg = compact_at(level, pass.data(), len, 100, room.data(), m0);
                ASSERT_EQ(mg, mw) << to_string(level) << ", len " << len;
                for (std::size_t k = 0; k < mw; ++k)
                    ASSERT_EQ(room[k], want[k]) << to_string(level);
                for (std::size_t k = mw + 16; k < room.size(); ++k)
                    ASSERT_EQ(room[k], canary) << to_string(level) << ": wrote past the bound";
            }
        }
    }
}

TEST(Compact, SelectBelowMatchesTheScalarComparisonEvenForNaN) {
    const float nan = std::numeric_limits<float>::quiet_NaN(),
                inf = std::numeric_limits<float>::infinity();
    const float specials[] = {nan, -0.0f, 0.0f, inf, -inf, 30.0f, 29.999998f};
    std::mt19937 gen(5);
    std::uniform_real_distribution<float> energy(-10.0f, 120.0f);
    for (const isa level : levels_here()) {
        for (const float limit : {30.0f, nan, inf, -inf}) {
            for (std::size_t n = 0; n <= 40; ++n) {
                std::vector<float> key(n);
                std::vector<std::uint32_t> id(n);
                for (std::size_t i = 0; i < n; ++i) {
                    key[i] = gen() % 4 == 0 ? specials[gen() % 7] : energy(gen);
                    id[i] = static_cast<std::uint32_t>(1000 + i);
                }
                std::vector<std::uint32_t> want;
                for (std::size_t i = 0; i < n; ++i)
                    if (key[i] < limit) want.push_back(id[i]);
                std::vector<std::uint32_t> out(n + 16 + 32, canary);
                const std::size_t k =
                    select_ids_below(key.data(), id.data(), n, limit, out.data(), level);
                ASSERT_EQ(k, want.size()) << to_string(level) << ", n " << n << ", limit " << limit;
                for (std::size_t j = 0; j < k; ++j) ASSERT_EQ(out[j], want[j]) << to_string(level);
                for (std::size_t j = k + 16; j < out.size(); ++j)
                    ASSERT_EQ(out[j], canary) << to_string(level) << ": wrote past the bound";
            }
        }
    }
}
