#include "world_data.hpp"

#include <algorithm>
#include <cstring>
#include <span>

namespace exhibit {
namespace {

/// xoshiro256** seeded by splitmix64: small, fast, and the same on every machine.
class rng {
public:
    explicit rng(std::uint64_t seed) {
        for (auto& s : state_) s = splitmix(seed);
    }
    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }
    /// Uniform in [0, 1) with 24 random bits (exact in a float).
    float unit_float() noexcept { return static_cast<float>(next() >> 40) * 0x1.0p-24f; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept {
        return (x << k) | (x >> (64 - k));
    }
    static std::uint64_t splitmix(std::uint64_t& x) noexcept {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t state_[4];
};

} // namespace

const std::vector<column_spec>& schema() {
    static const std::vector<column_spec> columns = {
        {"pos_x", "<f4", 4},  {"pos_y", "<f4", 4},   {"vel_x", "<f4", 4}, {"vel_y", "<f4", 4},
        {"energy", "<f4", 4}, {"birth_t", "<f8", 8}, {"id", "<u4", 4},    {"gen", "<u4", 4},
    };
    return columns;
}

std::size_t world_columns::bytes() const noexcept {
    std::size_t total = 0;
    for (const auto& c : refs()) total += c.bytes.size();
    return total;
}

std::size_t world_columns::largest_column_bytes() const noexcept {
    std::size_t largest = 0;
    for (const auto& c : refs()) largest = std::max(largest, c.bytes.size());
    return largest;
}

std::vector<colsnap::column_ref> world_columns::refs() const {
    using colsnap::column;
    return {
        column<float>("pos_x", pos_x),   column<float>("pos_y", pos_y),
        column<float>("vel_x", vel_x),   column<float>("vel_y", vel_y),
        column<float>("energy", energy), column<double>("birth_t", birth_t),
        column<std::uint32_t>("id", id), column<std::uint32_t>("gen", gen),
    };
}

world_columns make_world(std::size_t rows, std::uint64_t seed) {
    world_columns w;
    for (auto* v : {&w.pos_x, &w.pos_y, &w.vel_x, &w.vel_y, &w.energy}) v->resize(rows);
    w.birth_t.resize(rows);
    w.id.resize(rows);
    w.gen.resize(rows);
    rng r(seed);
    for (std::size_t i = 0; i < rows; ++i) {
        w.pos_x[i] = 1000.0f * r.unit_float();
        w.pos_y[i] = 1000.0f * r.unit_float();
        w.vel_x[i] = 2.0f * r.unit_float() - 1.0f;
        w.vel_y[i] = 2.0f * r.unit_float() - 1.0f;
        w.energy[i] = 100.0f * r.unit_float();
        w.birth_t[i] = static_cast<double>(r.next() % 100000) * 0.1;
        w.id[i] = static_cast<std::uint32_t>(i);
        w.gen[i] = static_cast<std::uint32_t>(r.next() % 16);
    }
    return w;
}

std::string first_difference(const world_columns& want,
                             const std::vector<std::span<const std::byte>>& got) {
    const auto cols = want.refs();
    for (std::size_t c = 0; c < cols.size(); ++c) {
        if (c >= got.size() || got[c].size() != cols[c].bytes.size() ||
            std::memcmp(got[c].data(), cols[c].bytes.data(), got[c].size()) != 0)
            return cols[c].name;
    }
    return "";
}

} // namespace exhibit
