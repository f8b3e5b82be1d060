/// @file snapshot.cpp
/// @brief world <-> colsnap columns. One visitor (for_each_member, members.hpp) defines the
/// member list once; saving, hashing and loading all walk it, so they cannot disagree. A column
/// added after schema 1 carries its schema (table.hpp): it is left out when an older schema is
/// written, and filled with its default when an older snapshot is read.

#include <ecosim/error.hpp>
#include <ecosim/members.hpp>
#include <ecosim/snapshot.hpp>

#include <colsnap/error.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <set>
#include <type_traits>
#include <utility>

namespace ecosim {

namespace {

template <typename T> using column_of = column<T>; // the visitors have a member named column

std::string member_name(const char* table, const char* column) {
    return std::string(table) + "/" + column;
}

struct collector {
    std::uint32_t written = ::ecosim::schema_version; ///< the schema written
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
    void schema_version(const char* t, const char* c, const std::uint32_t&) {
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
};

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& member,
                         const std::string& what) {
    throw error(errc::invalid_snapshot, member, what, path.string());
}

struct loader {
    const colsnap::npz_reader& rd;
    const std::filesystem::path& path;
    std::uint32_t schema;
    std::set<std::string> seen;
    std::map<std::string, std::uint64_t> table_rows; // first table column sets the length

    colsnap::array fetch(const std::string& name, const colsnap::dtype& want) {
        seen.insert(name);
        if (!rd.contains(name)) refuse(path, name, "missing (schema " + std::to_string(schema) + ")");
        colsnap::array a = rd.get(name);
        if (a.type() != want)
            refuse(path, name, "dtype " + a.type().descr() + ", expected " + want.descr());
        return a;
    }
    void rows(const char* table, const std::string& name, std::uint64_t n) {
        auto [it, fresh] = table_rows.emplace(table, n);
        if (!fresh && it->second != n)
            refuse(path, name, "has " + std::to_string(n) + " rows, other columns of table '" +
                                   table + "' have " + std::to_string(it->second));
    }
    template <typename T>
    void column(const char* t, const char* c, column_of<T>& v, std::uint64_t width = 1) {
        const std::string name = member_name(t, c);
        const colsnap::array a = fetch(name, colsnap::dtype_of<T>());
        const auto& shape = a.shape();
        const bool ok = width == 1 ? shape.size() == 1 : shape.size() == 2 && shape[1] == width;
        if (!ok)
            refuse(path, name, "shape " + a.info().shape_string() + ", expected " +
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
    void schema_version(const char* t, const char* c, std::uint32_t&) { // read first, by load()
        seen.insert(member_name(t, c));
    }
    template <typename T> void scalar(const char* t, const char* c, T& value) {
        const std::string name = member_name(t, c);
        const colsnap::array a = fetch(name, colsnap::dtype_of<T>());
        if (!a.shape().empty())
            refuse(path, name, "shape " + a.info().shape_string() + ", expected a 0-d scalar");
        value = a.values<T>()[0];
    }
};

} // namespace

std::vector<colsnap::column_ref> world_columns(const world& w) {
    collector c;
    for_each_member(w, c);
    return std::move(c.out);
}

colsnap::digest world_hash(const world& w) {
    const auto cols = world_columns(w);
    return colsnap::content_hash(cols);
}

void snapshot(const world& w, const std::filesystem::path& path, const snapshot_options& opt) {
    if (opt.schema < 1 || opt.schema > schema_version)
        throw error(errc::invalid_argument, "meta/schema_version",
                    "cannot write schema " + std::to_string(opt.schema), path.string());
    collector c;
    c.written = opt.schema;
    for_each_member(w, c);
    colsnap::write_options wo;
    wo.method = opt.compress ? colsnap::compression::deflate : colsnap::compression::stored;
    wo.durable = opt.durable;
    wo.threads = 1; // one core for the simulator's process; the archive bytes do not depend on it
    colsnap::save_npz(path, c.out, wo);
}

world load(const std::filesystem::path& path) {
    const colsnap::npz_reader rd = colsnap::npz_reader::open(path);
    const std::string vname = "meta/schema_version";
    if (!rd.contains(vname)) refuse(path, vname, "missing: not an ecosim snapshot");
    std::uint32_t version = 0;
    {
        const colsnap::array a = rd.get(vname);
        if (a.type() != colsnap::dtype_of<std::uint32_t>() || !a.shape().empty())
            refuse(path, vname, "expected a 0-d <u4, found " + a.type().descr() + " " +
                                    a.info().shape_string());
        version = a.values<std::uint32_t>()[0];
    }
    if (version > schema_version)
        refuse(path, vname, "schema_version " + std::to_string(version) +
                                " is newer than this ecosim understands (" +
                                std::to_string(schema_version) + ")");
    if (version < 1) refuse(path, vname, "schema_version 0 is not a valid version");

    world w; // built fully here and only returned when complete and valid
    loader ld{rd, path, version, {}, {}};
    for_each_member(w, ld);
    for (const auto& m : rd.members())
        if (!ld.seen.count(m.name)) refuse(path, m.name, "not part of schema " + std::to_string(version));
    w.schema = schema_version; // migrated
    reserve_headroom(w);
    try {
        check_invariants(w);
    } catch (const error& e) {
        throw e.in_file(path.string());
    }
    return w;
}

} // namespace ecosim
