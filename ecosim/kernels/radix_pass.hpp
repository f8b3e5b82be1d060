#pragma once
/// @file radix_pass.hpp
/// @brief radix_pass(): one stable pass of an LSD radix sort, shared by the sorts of the tick
/// (next_event's events, food_grid's new overflow entries).

#include <cstddef>

namespace ecosim {

/// @brief Reorders @p v stably by byte_of(element) (0..255), through @p tmp (the two swap);
/// a pass in which every element has the same byte changes nothing and is skipped.
template <typename Column, typename ByteOf>
void radix_pass(Column& v, Column& tmp, ByteOf byte_of) {
    const std::size_t n = v.size();
    if (n < 2) return;
    std::size_t count[256] = {};
    for (const auto& e : v) ++count[byte_of(e)];
    if (count[byte_of(v[0])] == n) return;
    std::size_t at = 0;
    for (auto& c : count) {
        const std::size_t k = c;
        c = at;
        at += k;
    }
    tmp.resize(n);
    for (const auto& e : v) tmp[count[byte_of(e)]++] = e;
    v.swap(tmp);
}

} // namespace ecosim
