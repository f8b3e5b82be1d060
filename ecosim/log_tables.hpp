#pragma once
/// @file log_tables.hpp
/// @brief The four append-only logs of a world as one tuple, in log_names order (log_chain.hpp):
/// what the chain hashes and the segment files walk. Internal to ecosim.

#include <ecosim/log_chain.hpp>
#include <ecosim/world.hpp>

#include <cstddef>
#include <tuple>
#include <utility>

namespace ecosim::detail {

inline auto logs_of(const world& w) { return std::tie(w.eaten, w.born, w.dead, w.population); }
inline auto logs_of(world& w) { return std::tie(w.eaten, w.born, w.dead, w.population); }
static_assert(std::tuple_size_v<decltype(logs_of(std::declval<const world&>()))> == log_count,
              "one log_names entry per log");

/// @brief f(index, name, log) for each log of a tuple from logs_of, in order.
template <typename Tuple, typename F> void each_log(Tuple&& logs, F&& f) {
    std::apply(
        [&](auto&... t) {
            std::size_t i = 0;
            ((f(i, log_names[i], t), ++i), ...);
        },
        logs);
}

} // namespace ecosim::detail
