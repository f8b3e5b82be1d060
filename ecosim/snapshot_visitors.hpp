#pragma once
/// @file snapshot_visitors.hpp
/// @brief The two visitors of for_each_member (members.hpp) that snapshot.cpp walks: collector
/// borrows every member as a colsnap column (saving, hashing), loader reads and checks them.
/// Both honour each column's and config field's `since`: a member added after the schema
/// written is left out, one added after the schema read gets its fill (the migration). A log
/// is its rows in schemas 1 and 2, and its row count and chain hash (meta/<log>_rows,
/// meta/<log>_chain) from schema 3 on, the rows being in segment files (log_segments.hpp).
/// Internal to ecosim (and its tests).

#include <colsnap/column.hpp>
#include <colsnap/npz_reader.hpp>
#include <ecosim/error.hpp>
#include <ecosim/log_chain.hpp>
#include <ecosim/world.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ecosim::detail {

template <typename T> using column_of = column<T>; // the visitors have a member named column

inline std::string member_name(const char* table, const char* column) {
    return std::string(table) + "/" + column;
}

/// The schema whose snapshots hold the logs as refs to segments, not as rows.
inline constexpr std::uint32_t segments_since = 3;

/// The index of log @p name in a log_refs.
inline std::size_t log_index(const char* name) {
    for (std::size_t i = 0; i < log_count; ++i)
        if (std::string_view(log_names[i]) == name) return i;
    return log_count;
}

struct collector {
    std::uint32_t written = ::ecosim::schema_version; ///< the schema written
    const log_refs* refs = nullptr; ///< the logs' refs, for a schema with segments
    std::vector<colsnap::column_ref> out;
    template <typename T>
    void column(const char* t, const char* c, const column_of<T>& v, std::uint64_t width = 1) {
        const std::span<const T> s(v);
        if (width == 1) out.push_back(colsnap::column(member_name(t, c), s));
        else out.push_back(colsnap::column(member_name(t, c), s, {v.size() / width, width}));
    }
    template <typename Table> void table(const char* t, const Table& tab) {
        Table::for_each_column([&](auto def) {
            if (def.since <= written) column(t, def.name, tab.*def.member, def.width);
        });
    }
    /// A log: its rows (schemas 1, 2), or its row count and chain (segments).
    template <typename Table> void log(const char* t, const Table& tab) {
        if (written < segments_since) return table(t, tab);
        const log_ref& r = (*refs)[log_index(t)];
        out.push_back(colsnap::scalar(member_name("meta", t) + "_rows", r.rows));
        out.push_back(colsnap::column(member_name("meta", t) + "_chain",
                                      std::span<const std::uint8_t>(r.chain)));
    }
    void schema_version(const char* t, const char* c, const std::uint32_t& /*version*/) {
        // a column_ref borrows its value: every writable version lives in static storage
        static constexpr auto versions = [] {
            std::array<std::uint32_t, ::ecosim::schema_version + 1> v{};
            for (std::uint32_t i = 0; i < v.size(); ++i) v[i] = i;
            return v;
        }();
        out.push_back(colsnap::scalar(member_name(t, c), versions[written]));
    }
    template <typename T> void scalar(const char* t, const char* c, const T& value) {
        out.push_back(colsnap::scalar(member_name(t, c), value));
    }
    /// A config field added after the written schema is left out.
    template <typename T> void config_value(const config_field<T>& f, const T& value) {
        if (f.since <= written) scalar("config", f.name, value);
    }
};

[[noreturn]] inline void refuse(const std::filesystem::path& path, const std::string& member,
                                const std::string& what) {
    throw error(errc::invalid_snapshot, member, what, path.string());
}

struct loader {
    const colsnap::npz_reader& rd;
    const std::filesystem::path& path;
    std::uint32_t schema;
    std::set<std::string> seen;
    std::map<std::string, std::uint64_t> table_rows; // first table column sets the length
    log_refs refs{}; // what a schema with segments holds of each log (log())

    colsnap::array fetch(const std::string& name, const colsnap::dtype& want) {
        seen.insert(name);
        if (!rd.contains(name))
            refuse(path, name, "missing (schema " + std::to_string(schema) + ")");
        colsnap::array a = rd.get(name);
        if (a.type() != want)
            refuse(path, name, "dtype " + a.type().descr() + ", expected " + want.descr());
        return a;
    }
    void rows(const char* table, const std::string& name, std::uint64_t n) {
        auto [it, fresh] = table_rows.emplace(table, n);
        if (!fresh && it->second != n)
            refuse(path, name,
                   "has " + std::to_string(n) + " rows, other columns of table '" + table +
                       "' have " + std::to_string(it->second));
    }
    template <typename T>
    void column(const char* t, const char* c, column_of<T>& v, std::uint64_t width = 1) {
        const std::string name = member_name(t, c);
        const colsnap::array a = fetch(name, colsnap::dtype_of<T>());
        const auto& shape = a.shape();
        const bool ok = width == 1 ? shape.size() == 1 : shape.size() == 2 && shape[1] == width;
        if (!ok)
            refuse(path, name,
                   "shape " + a.info().shape_string() + ", expected " +
                       (width == 1 ? std::string("1-d") : "(n, " + std::to_string(width) + ")"));
        rows(t, name, shape[0]);
        const auto vals = a.values<T>();
        v.assign(vals.begin(), vals.end());
    }
    /// The columns of a table; those added after the file's schema get their fill value in
    /// every row (the migration).
    template <typename Table> void table(const char* t, Table& tab) {
        Table::for_each_column([&](auto def) {
            if (def.since <= schema) column(t, def.name, tab.*def.member, def.width);
        });
        Table::for_each_column([&](auto def) {
            if (def.since > schema) (tab.*def.member).assign(table_rows[t] * def.width, def.fill);
        });
    }
    /// A 1-d member of exactly @p n values.
    template <typename T> void fixed(const std::string& name, column_of<T>& v, std::uint64_t n) {
        const colsnap::array a = fetch(name, colsnap::dtype_of<T>());
        if (a.shape() != std::vector<std::uint64_t>{n})
            refuse(path, name,
                   "shape " + a.info().shape_string() + ", expected (" + std::to_string(n) + ",)");
        const auto vals = a.values<T>();
        v.assign(vals.begin(), vals.end());
    }
    /// meta/<log>_rows and meta/<log>_chain.
    void log_ref(const char* t, ::ecosim::log_ref& r) {
        scalar("meta", (std::string(t) + "_rows").c_str(), r.rows);
        column_of<std::uint8_t> c;
        fixed(member_name("meta", t) + "_chain", c, r.chain.size());
        std::copy(c.begin(), c.end(), r.chain.begin());
    }
    /// A log: its rows (schemas 1, 2), or its refs (segments; the rows are read by load()).
    template <typename Table> void log(const char* t, Table& tab) {
        if (schema < segments_since) return table(t, tab);
        log_ref(t, refs[log_index(t)]);
    }
    void schema_version(const char* t, const char* c,
                        std::uint32_t& /*version*/) { // read first, by load()
        seen.insert(member_name(t, c));
    }
    template <typename T> void scalar(const char* t, const char* c, T& value) {
        const std::string name = member_name(t, c);
        const colsnap::array a = fetch(name, colsnap::dtype_of<T>());
        if (!a.shape().empty())
            refuse(path, name, "shape " + a.info().shape_string() + ", expected a 0-d scalar");
        value = a.values<T>()[0];
    }
    /// A config field added after the file's schema gets its default (the migration).
    template <typename T> void config_value(const config_field<T>& f, T& value) {
        if (f.since <= schema) scalar("config", f.name, value);
        else value = f.fill;
    }
};

} // namespace ecosim::detail
