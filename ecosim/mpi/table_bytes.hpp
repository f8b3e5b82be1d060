#pragma once
/// @file table_bytes.hpp
/// @brief A table's rows as bytes for a message (every column's values in turn, native byte
/// order: the ranks of one job share it) and back.

#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

namespace ecosim::mpi {

/// @brief Bytes of one row of @p Table (every column, times its width).
template <typename Table> std::size_t row_bytes() {
    std::size_t n = 0;
    Table::for_each_column(
        [&](auto def) { n += def.width * sizeof(typename decltype(def)::value_type); });
    return n;
}

/// @brief Appends the rows of @p t to @p out: column after column.
template <typename Table> void append_bytes(const Table& t, std::vector<std::byte>& out) {
    Table::for_each_column([&](auto def) {
        const auto& c = t.*def.member;
        const auto* b = reinterpret_cast<const std::byte*>(c.data());
        out.insert(out.end(), b, b + c.size() * sizeof(c[0]));
    });
}

/// @brief The table of the @p rows rows that append_bytes() wrote at the start of @p in.
template <typename Table> Table from_bytes(std::span<const std::byte> in, std::size_t rows) {
    Table t;
    std::size_t at = 0;
    Table::for_each_column([&](auto def) {
        auto& c = t.*def.member;
        c.resize(rows * def.width);
        const std::size_t n = c.size() * sizeof(c[0]);
        if (n != 0) std::memcpy(c.data(), in.data() + at, n);
        at += n;
    });
    return t;
}

} // namespace ecosim::mpi
