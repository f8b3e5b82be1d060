/// @file snapshot.cpp
/// @brief world <-> colsnap columns. One visitor (for_each_member) defines the member list once;
/// saving, hashing and loading all walk it, so they cannot disagree.

#include <ecosim/snapshot.hpp>
#include <ecosim/systems/systems.hpp>

#include <colsnap/error.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <type_traits>
#include <utility>

namespace ecosim {

namespace {

/// Calls v.column(table, name, vector, min_schema, width) for every column (width 4 for the
/// 2-d region column, else 1) and v.scalar(table, name, value) for every scalar, in member order.
template <typename W, typename V> void for_each_member(W& w, V& v) {
    auto creature = [&v](const char* t, auto& c) {
        v.column(t, "id", c.id);
        v.column(t, "gen", c.gen);
        v.column(t, "pos_x", c.pos_x);
        v.column(t, "pos_y", c.pos_y);
        v.column(t, "vel_x", c.vel_x);
        v.column(t, "vel_y", c.vel_y);
        v.column(t, "energy", c.energy);
        v.column(t, "birth_t", c.birth_t);
        v.column(t, "hunger_buildup", c.hunger_buildup, 2);
    };
    creature("creature", w.creature);
    creature("creature_to_insert", w.creature_to_insert);
    v.column("creature_to_remove", "id", w.creature_to_remove);
    v.column("creature_free_ids", "id", w.creature_free.id);
    v.column("creature_free_ids", "gen", w.creature_free.gen);
    v.column("creature_id_to_slot", "slot", w.creature_id_to_slot);

    v.column("food", "id", w.food.id);
    v.column("food", "pos_x", w.food.pos_x);
    v.column("food", "pos_y", w.food.pos_y);
    v.column("food", "value", w.food.value);
    v.column("food_to_remove", "id", w.food_to_remove);
    v.column("food_free_ids", "id", w.food_free);
    v.column("food_id_to_slot", "slot", w.food_id_to_slot);

    v.column("food_spawner", "id", w.food_spawner.id);
    v.column("food_spawner", "region", w.food_spawner.region, 1, 4);
    v.column("food_spawner", "rate", w.food_spawner.rate);
    v.column("food_spawner", "carry", w.food_spawner.carry);

    v.column("pending_event", "t", w.pending_event.t);
    v.column("pending_event", "kind", w.pending_event.kind);
    v.column("pending_event", "creature_id", w.pending_event.creature_id);
    v.column("pending_event", "target_id", w.pending_event.target_id);

    v.column("hungry", "id", w.hungry);

    v.column("eaten", "t", w.eaten.t);
    v.column("eaten", "creature_id", w.eaten.creature_id);
    v.column("eaten", "food_id", w.eaten.food_id);
    v.column("eaten", "energy", w.eaten.energy);
    v.column("born", "t", w.born.t);
    v.column("born", "parent_id", w.born.parent_id);
    v.column("born", "child_a", w.born.child_a);
    v.column("born", "child_b", w.born.child_b);
    v.column("born", "energy", w.born.energy);
    v.column("dead", "t", w.dead.t);
    v.column("dead", "creature_id", w.dead.creature_id);
    v.column("dead", "energy", w.dead.energy);
    v.column("population", "tick", w.population.tick);
    v.column("population", "t", w.population.t);
    v.column("population", "creatures", w.population.creatures);
    v.column("population", "food", w.population.food);

    v.scalar("meta", "schema_version", w.schema);
    v.scalar("meta", "tick", w.tick);
    v.scalar("meta", "clock_us", w.clock_us);
    v.scalar("meta", "rng_key", w.rng_key);
    v.scalar("meta", "creature_next_id", w.creature_next_id);
    v.scalar("meta", "food_next_id", w.food_next_id);

#define ECOSIM_VISIT_CONFIG(type, name, def, doc) v.scalar("config", #name, w.cfg.name);
    ECOSIM_CONFIG_FIELDS(ECOSIM_VISIT_CONFIG)
#undef ECOSIM_VISIT_CONFIG
}

template <typename T> using column_of = column<T>; // the visitors have a member named column

std::string member_name(const char* table, const char* column) {
    return std::string(table) + "/" + column;
}

struct collector {
    std::vector<colsnap::column_ref> out;
    template <typename T>
    void column(const char* t, const char* c, const column_of<T>& v, std::uint32_t = 1,
                std::uint64_t width = 1) {
        const std::span<const T> s(v);
        if (width == 1) out.push_back(colsnap::column(member_name(t, c), s));
        else out.push_back(colsnap::column(member_name(t, c), s, {v.size() / width, width}));
    }
    template <typename T> void scalar(const char* t, const char* c, const T& value) {
        out.push_back(colsnap::scalar(member_name(t, c), value));
    }
};

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& member,
                         const std::string& what) {
    throw snapshot_error(path.string() + ": " + (member.empty() ? "" : "member " + member + ": ") +
                         what);
}

struct loader {
    const colsnap::npz_reader& rd;
    const std::filesystem::path& path;
    std::uint32_t schema;
    std::set<std::string> seen;
    std::map<std::string, std::uint64_t> table_rows; // first table column sets the length
    std::vector<std::pair<column_of<float>*, std::string>> zero_fill;

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
    void column(const char* t, const char* c, column_of<T>& v, std::uint32_t min_schema = 1,
                std::uint64_t width = 1) {
        const std::string name = member_name(t, c);
        if (schema < min_schema) {
            if constexpr (std::is_same_v<T, float>) zero_fill.emplace_back(&v, t);
            return;
        }
        const colsnap::array a = fetch(name, colsnap::dtype_of<T>());
        const auto& shape = a.shape();
        const bool ok = width == 1 ? shape.size() == 1 : shape.size() == 2 && shape[1] == width;
        if (!ok)
            refuse(path, name, "shape " + a.info().shape_string() +
                                   (width == 1 ? ", expected 1-d" : ", expected (n, 4)"));
        rows(t, name, shape[0]);
        const auto vals = a.values<T>();
        v.assign(vals.begin(), vals.end());
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
    if (opt.schema != 1 && opt.schema != schema_version)
        throw snapshot_error("snapshot: cannot write schema " + std::to_string(opt.schema));
    auto cols = world_columns(w);
    const std::uint32_t v1 = 1;
    if (opt.schema == 1) {
        std::erase_if(cols, [](const colsnap::column_ref& c) {
            return c.name.ends_with("/hunger_buildup");
        });
        for (auto& c : cols)
            if (c.name == "meta/schema_version") c = colsnap::scalar(c.name, v1);
    }
    colsnap::write_options wo;
    wo.method = opt.compress ? colsnap::compression::deflate : colsnap::compression::stored;
    wo.durable = opt.durable;
    wo.threads = 1; // one core for the simulator's process; the archive bytes do not depend on it
    colsnap::save_npz(path, cols, wo);
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
    loader ld{rd, path, version, {}, {}, {}};
    for_each_member(w, ld);
    for (auto& [vec, table] : ld.zero_fill) vec->assign(ld.table_rows[table], 0.0f);
    for (const auto& m : rd.members())
        if (!ld.seen.count(m.name)) refuse(path, m.name, "not part of schema " + std::to_string(version));
    w.schema = schema_version; // migrated
    reserve_headroom(w);
    try {
        check_invariants(w);
    } catch (const std::runtime_error& e) {
        refuse(path, "", e.what());
    }
    return w;
}

} // namespace ecosim
