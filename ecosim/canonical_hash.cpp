/// @file canonical_hash.cpp
/// @brief canonical_hash(): a visitor of for_each_member (members.hpp) that borrows each member
/// as a colsnap column when it is already in canonical order, and otherwise hashes a copy with
/// the rows put in that order (canonical_hash.hpp lists the order of each member).

#include <colsnap/column.hpp>
#include <ecosim/canonical_hash.hpp>
#include <ecosim/error.hpp>
#include <ecosim/members.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ecosim {

log_parts logs_of(const world& w) { return {{&w.eaten}, {&w.born}, {&w.dead}, {&w.population}}; }

namespace {

/// A row's canonical key. Times are >= 0 and never -0 (next_event), so their IEEE bits order
/// like their values.
using row_key = std::pair<std::uint64_t, std::uint64_t>;
std::uint64_t bits_of(double t) noexcept { return std::bit_cast<std::uint64_t>(t); }

row_key key(const creature_table& t, std::size_t i) { return {t.id[i], 0}; }
row_key key(const food_table& t, std::size_t i) { return {t.id[i], 0}; }
row_key key(const spawner_table& t, std::size_t i) { return {t.id[i], 0}; }
row_key key(const event_table& t, std::size_t i) { return {bits_of(t.t[i]), t.creature_id[i]}; }
row_key key(const eaten_log& t, std::size_t i) { return {bits_of(t.t[i]), t.creature_id[i]}; }
row_key key(const born_log& t, std::size_t i) { return {bits_of(t.t[i]), t.parent_id[i]}; }
row_key key(const dead_log& t, std::size_t i) { return {bits_of(t.t[i]), t.creature_id[i]}; }
row_key key(const population_log& t, std::size_t i) { return {t.tick[i], 0}; }

/// Tables whose rows are a sequence (creature_free_ids: the order ids are handed out in) have
/// no key and keep their order.
template <typename Table>
concept keyed = requires(const Table& t) {
    key(t, std::size_t{0});
};

template <typename Table>
constexpr bool is_log = std::is_same_v<Table, eaten_log> || std::is_same_v<Table, born_log> ||
                        std::is_same_v<Table, dead_log> || std::is_same_v<Table, population_log>;

/// A value's bits as an unsigned integer of its size: a total order that tells apart exactly
/// the values whose bytes differ (what the hash sees), -0 from 0 and every NaN included.
template <typename T> auto bits_of_value(T v) noexcept {
    if constexpr (sizeof(T) == 1) return std::bit_cast<std::uint8_t>(v);
    else if constexpr (sizeof(T) == 4) return std::bit_cast<std::uint32_t>(v);
    else return std::bit_cast<std::uint64_t>(v);
}

/// Canonical order: by key, then (rows with equal keys) by their bits, column by column.
template <typename Table> bool row_less(const Table& t, std::size_t i, std::size_t j) {
    const row_key a = key(t, i), b = key(t, j);
    if (a != b) return a < b;
    int c = 0;
    Table::for_each_column([&](auto def) {
        const auto& col = t.*def.member;
        for (std::size_t k = 0; k < def.width && c == 0; ++k) {
            const auto x = bits_of_value(col[i * def.width + k]);
            const auto y = bits_of_value(col[j * def.width + k]);
            c = x < y ? -1 : y < x ? 1 : 0;
        }
    });
    return c < 0;
}

struct canonical_collector {
    std::vector<colsnap::column_ref> out;
    std::vector<std::shared_ptr<const void>> keep; ///< the copies that `out` borrows

    template <typename T> T& hold(T value) {
        const auto p = std::make_shared<T>(std::move(value));
        keep.push_back(p);
        return *p;
    }

    template <typename T>
    void borrow(const std::string& name, std::span<const T> v, std::size_t width) {
        if (width == 1) out.push_back(colsnap::column(name, v));
        else out.push_back(colsnap::column(name, v, {v.size() / width, width}));
    }

    /// The columns of @p tab, its rows in canonical order.
    template <typename Table> void put_table(const char* name, const Table& tab) {
        const std::size_t n = tab.size();
        bool in_order = true;
        if constexpr (keyed<Table>)
            for (std::size_t i = 1; i < n && in_order; ++i) in_order = !row_less(tab, i, i - 1);
        if (in_order) {
            Table::for_each_column([&](auto def) {
                using T = typename decltype(def)::value_type;
                borrow(std::string(name) + "/" + def.name, std::span<const T>(tab.*def.member),
                       def.width);
            });
            return;
        }
        if constexpr (keyed<Table>) {
            std::vector<std::size_t> order(n);
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::sort(order.begin(), order.end(),
                      [&](std::size_t a, std::size_t b) { return row_less(tab, a, b); });
            Table::for_each_column([&](auto def) {
                using T = typename decltype(def)::value_type;
                const auto& from = tab.*def.member;
                auto& to = hold(std::vector<T>(from.size()));
                for (std::size_t r = 0; r < n; ++r)
                    for (std::size_t k = 0; k < def.width; ++k)
                        to[r * def.width + k] = from[order[r] * def.width + k];
                borrow(std::string(name) + "/" + def.name, std::span<const T>(to), def.width);
            });
        }
    }

    /// A log: its parts taken together (logs_of), in canonical order.
    template <typename Log> void put_log(const char* name, const std::vector<const Log*>& parts) {
        if (parts.size() == 1) return put_table(name, *parts.front());
        auto& all = hold(Log{});
        for (const Log* p : parts)
            for (std::size_t i = 0; i < p->size(); ++i) all.push_row(*p, i);
        put_table(name, all);
    }

    // for_each_member's visitor interface
    template <typename Table> void table(const char* name, const Table& tab) {
        if constexpr (!is_log<Table>) put_table(name, tab); // the logs: from logs_of()
    }
    template <typename T> void column(const char* t, const char* c, const ::ecosim::column<T>& v) {
        const std::string_view table = t;
        const std::string name = std::string(t) + "/" + c;
        if (table == "creature_id_to_slot" || table == "food_id_to_slot") return; // slots
        if (table == "hungry" && !std::is_sorted(v.begin(), v.end())) {
            auto& sorted = hold(std::vector<T>(v.begin(), v.end()));
            std::sort(sorted.begin(), sorted.end());
            return borrow(name, std::span<const T>(sorted), 1);
        }
        borrow(name, std::span<const T>(v), 1); // ids in a sequence, or sorted already
    }
    void schema_version(const char* t, const char* c, const std::uint32_t& v) { scalar(t, c, v); }
    template <typename T> void scalar(const char* t, const char* c, const T& value) {
        out.push_back(colsnap::scalar(std::string(t) + "/" + c, value));
    }
    template <typename T> void config_value(const config_field<T>& f, const T& value) {
        scalar("config", f.name, value);
    }
};

} // namespace

colsnap::digest canonical_hash(const world& w) {
    canonical_collector c;
    for_each_member(w, c);
    const log_parts logs = logs_of(w);
    c.put_log("eaten", logs.eaten);
    c.put_log("born", logs.born);
    c.put_log("dead", logs.dead);
    c.put_log("population", logs.population);
    return colsnap::content_hash(c.out);
}

} // namespace ecosim
