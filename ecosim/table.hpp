#pragma once
/// @file table.hpp
/// @brief A table is a struct of equal-length columns declared once, by an X-macro list
/// (like config.hpp's): ECOSIM_TABLE_BODY turns the list into the columns, a `row` struct (one
/// value per column, defaulted to the column's fill value) and a static for_each_column(f)
/// that calls f(column_def) for each column in order. Everything that walks the columns (clear,
/// reserve, push_row, swap_remove, the spatial sort's scatter, the invariants, the snapshot
/// member list and its migrations) is written once here or in its visitor, over that list.
///
/// A list entry is X(type, name, since, width, rule, fill, doc):
///   since  the snapshot schema that added the column: a snapshot of an older schema gets
///          `fill` in every row (the migration), and writing an older schema leaves it out;
///   width  values per row (4 for food_spawner/region, else 1);
///   rule   what a value must satisfy on load and in check_invariants (value_rule).

#include <ecosim/column.hpp>

#include <cstddef>
#include <cstdint>

namespace ecosim {

/// @brief Marks "no row" in an id_to_slot map.
inline constexpr std::uint32_t no_slot = 0xFFFFFFFFu;

/// @brief What every value of a column must be (floating-point columns; integer columns are
/// checked by the structural invariants).
enum class value_rule : std::uint8_t {
    any,         ///< no constraint
    finite,      ///< not NaN, not infinite
    nonnegative, ///< finite and >= 0
    fraction,    ///< finite, in [0, 1)
};

/// @brief One column of @p Table: where it is, its name, and its since/width/rule/fill.
template <typename Table, typename T, std::size_t Width> struct column_def {
    using value_type = T;
    static constexpr std::size_t width = Width;
    column<T> Table::*member;
    T Table::row::*field;
    const char* name;
    std::uint32_t since;
    value_rule rule;
    T fill;
};

#define ECOSIM_COLUMN_MEMBER(type, name, since, width, rule, fill, doc) column<type> name; ///< doc
#define ECOSIM_ROW_MEMBER(type, name, since, width, rule, fill, doc) type name = fill;
#define ECOSIM_COLUMN_DEF(type, name, since, width, rule, fill, doc)                               \
    f(::ecosim::column_def<table, type, width>{&table::name, &table::row::name, #name, since,      \
                                               ::ecosim::value_rule::rule, fill});

// NOLINTBEGIN(bugprone-macro-parentheses): self names a type, COLUMNS an X-macro
/// @brief The members of a table struct named @p self whose columns are listed by @p COLUMNS;
/// @p first is its first column (of width 1), which gives the row count.
#define ECOSIM_TABLE_BODY(self, COLUMNS, first)                                                    \
    COLUMNS(ECOSIM_COLUMN_MEMBER)                                                                  \
    /** @brief One row: a value per column, each defaulting to its column's fill. */               \
    struct row {                                                                                   \
        COLUMNS(ECOSIM_ROW_MEMBER)                                                                 \
    };                                                                                             \
    /** @brief f(column_def) for every column, in declaration (and snapshot) order. */             \
    template <typename F> static void for_each_column(F&& f) {                                     \
        using table = self;                                                                        \
        COLUMNS(ECOSIM_COLUMN_DEF)                                                                 \
    }                                                                                              \
    std::size_t size() const noexcept { return first.size(); }                                     \
    void clear() { ::ecosim::table_clear(*this); }                                                 \
    void reserve(std::size_t n) { ::ecosim::table_reserve(*this, n); }                             \
    /** @brief Appends row @p i of @p src. */                                                      \
    void push_row(const self& src, std::size_t i) { ::ecosim::table_push_row(*this, src, i); }     \
    /** @brief Appends @p r (a template only so that tables with a wide column compile). */        \
    template <typename Row = row> void push(const Row& r) { ::ecosim::table_push(*this, r); }      \
    /** @brief Moves the last row into @p slot and drops the last row. */                          \
    void swap_remove(std::size_t slot) { ::ecosim::table_swap_remove(*this, slot); }
// NOLINTEND(bugprone-macro-parentheses)

template <typename Table> void table_clear(Table& t) {
    Table::for_each_column([&](auto def) { (t.*def.member).clear(); });
}

template <typename Table> void table_reserve(Table& t, std::size_t n) {
    Table::for_each_column([&](auto def) { (t.*def.member).reserve(n * def.width); });
}

template <typename Table> void table_push_row(Table& t, const Table& src, std::size_t i) {
    Table::for_each_column([&](auto def) {
        const auto& from = src.*def.member;
        for (std::size_t k = 0; k < def.width; ++k)
            (t.*def.member).push_back(from[i * def.width + k]);
    });
}

template <typename Table> void table_push(Table& t, const typename Table::row& r) {
    Table::for_each_column([&](auto def) {
        static_assert(decltype(def)::width == 1,
                      "a table with a wide column is not filled by rows");
        (t.*def.member).push_back(r.*def.field);
    });
}

template <typename Table> void table_swap_remove(Table& t, std::size_t slot) {
    Table::for_each_column([&](auto def) {
        auto& c = t.*def.member;
        if constexpr (decltype(def)::width == 1) {
            c[slot] = c.back();
            c.pop_back();
            return;
        }
        const std::size_t last = c.size() - def.width;
        for (std::size_t k = 0; k < def.width; ++k) c[slot * def.width + k] = c[last + k];
        c.resize(last);
    });
}

/// @brief Appends row @p i of @p from to @p to, keeping @p id_to_slot exact.
template <typename Table>
void push_row_id(Table& to, column<std::uint32_t>& id_to_slot, const Table& from, std::size_t i) {
    id_to_slot[from.id[i]] = static_cast<std::uint32_t>(to.size());
    to.push_row(from, i);
}

/// @brief Swap-removes the row of @p id (at @p slot) from @p t, keeping @p id_to_slot exact: the
/// row moved into the slot gets its entry rewritten, the removed id maps to no_slot.
template <typename Table>
void swap_remove_id(Table& t, column<std::uint32_t>& id_to_slot, std::uint32_t id,
                    std::uint32_t slot) {
    const std::uint32_t last_id = t.id.back();
    t.swap_remove(slot);
    if (last_id != id) id_to_slot[last_id] = slot;
    id_to_slot[id] = no_slot;
}

} // namespace ecosim
