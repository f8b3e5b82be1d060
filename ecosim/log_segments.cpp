/// @file log_segments.cpp
/// @brief Segment files: writing the rows since the last segment, reading and checking a chain
/// of them (log_segments.hpp).

#include <colsnap/error.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>
#include <ecosim/error.hpp>
#include <ecosim/log_segments.hpp>
#include <ecosim/log_tables.hpp>
#include <ecosim/snapshot_visitors.hpp>
#include <ecosim/world.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <span>

namespace ecosim {

using detail::refuse;

namespace {

using detail::each_log;
using detail::logs_of;

std::array<std::uint8_t, 16> key_bytes(const colsnap::digest& d) {
    std::array<std::uint8_t, 16> b{};
    for (std::size_t k = 0; k < 8; ++k) {
        b[k] = static_cast<std::uint8_t>(d.high >> (56 - 8 * k));
        b[8 + k] = static_cast<std::uint8_t>(d.low >> (56 - 8 * k));
    }
    return b;
}

colsnap::digest key_of(std::span<const std::uint8_t> b) {
    colsnap::digest d;
    for (std::size_t k = 0; k < 8; ++k) {
        d.high = d.high << 8 | b[k];
        d.low = d.low << 8 | b[8 + k];
    }
    return d;
}

/// One segment as the walk back from the snapshot found it.
struct link {
    std::filesystem::path path;
    std::array<std::uint64_t, log_count> first_rows{};
    log_refs end{};
};

std::string name_of(const std::filesystem::path& p) { return p.filename().string(); }

} // namespace

std::string segment_name(std::uint64_t tick, const colsnap::digest& key) {
    char t[32];
    std::snprintf(t, sizeof t, "%06llu", static_cast<unsigned long long>(tick));
    return std::string("log_") + t + "_" + key.hex() + ".npz";
}

std::string segment_dir(const std::filesystem::path& file) {
    std::filesystem::path d = file.parent_path();
    if (d.empty()) d = ".";
    return std::filesystem::absolute(d).lexically_normal().string();
}

std::unique_ptr<const segment_plan> plan_segment(const world& w, const log_refs& now,
                                                 const std::filesystem::path& dir) {
    const std::string dkey = segment_dir(dir / "x");
    const segment_head& head = w.work.logs.head;
    bool extends = head.set && head.dir == dkey;
    for (std::size_t i = 0; extends && i < log_count; ++i)
        extends = head.refs[i].rows <= now[i].rows;
    if (extends && head.refs == now) return nullptr; // already on disk

    auto p = std::make_unique<segment_plan>();
    if (extends)
        for (std::size_t i = 0; i < log_count; ++i) p->first[i] = head.refs[i].rows;
    p->prev_tick = extends ? head.tick : 0;
    if (extends) p->prev_key = key_bytes(history_key(head.refs));

    std::vector<colsnap::column_ref>& cols = p->columns;
    each_log(logs_of(w), [&](std::size_t i, const char* name, const auto& t) {
        using Table = std::decay_t<decltype(t)>;
        Table::for_each_column([&](auto def) {
            using T = typename decltype(def)::value_type;
            const std::span<const T> all(t.*def.member);
            cols.push_back(colsnap::column(std::string(name) + "/" + def.name,
                                           all.subspan(p->first[i] * def.width)));
        });
    });
    p->head = segment_head{true, dkey, w.tick, now};
    cols.push_back(colsnap::scalar("meta/tick", w.tick));
    for (auto& c : ref_columns(p->head.refs)) cols.push_back(std::move(c)); // the plan's copy
    cols.push_back(colsnap::column("segment/first_rows", std::span<const std::uint64_t>(p->first)));
    cols.push_back(colsnap::scalar("segment/prev_tick", p->prev_tick));
    cols.push_back(colsnap::column("segment/prev_key", std::span<const std::uint8_t>(p->prev_key)));
    p->path = dir / segment_name(w.tick, history_key(now));
    return p;
}

segment_head write_segment(const world& w, const log_refs& now, const std::filesystem::path& dir,
                           const segment_write_options& opt) {
    const auto p = plan_segment(w, now, dir);
    if (!p) return w.work.logs.head;
    colsnap::write_options wo;
    wo.method = opt.compress ? colsnap::compression::deflate : colsnap::compression::stored;
    wo.durable = opt.durable;
    wo.threads = 1;
    colsnap::save_npz(p->path, p->columns, wo);
    return p->head;
}

namespace {

/// Opens segment @p path and reads where it begins and ends; checks that its end is (tick,
/// key) as its name says. @p by: the file that refers to it.
link read_link(const std::filesystem::path& path, std::uint64_t tick, const colsnap::digest& key,
               const std::string& by, std::optional<colsnap::npz_reader>& rd) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        refuse(path, "", "log segment missing (" + by + " continues it)");
    try {
        rd.emplace(colsnap::npz_reader::open(path));
    } catch (const colsnap::error& e) {
        // The path is said once (refuse names it) and the error has one code, ecosim's: colsnap's
        // own code goes into the words.
        std::string why;
        if (!e.member().empty()) why += "member " + e.member() + ": ";
        if (e.offset() != colsnap::error::no_offset)
            why += "at byte " + std::to_string(e.offset()) + ": ";
        refuse(path, "",
               "log segment unreadable: " + why + e.detail() + " (" +
                   std::string(colsnap::to_string(e.code())) + ")");
    }
    detail::loader ld{*rd, path, schema_version, {}, {}};
    link l;
    l.path = path;
    std::uint64_t t = 0;
    ld.scalar("meta", "tick", t);
    for (std::size_t i = 0; i < log_count; ++i) ld.log_ref(log_names[i], l.end[i]);
    column<std::uint64_t> first;
    ld.fixed("segment/first_rows", first, log_count);
    std::copy(first.begin(), first.end(), l.first_rows.begin());
    if (t != tick || history_key(l.end) != key)
        refuse(path, "meta/tick",
               "log segment does not match its name (renamed or altered): it ends at tick " +
                   std::to_string(t) + ", history " + history_key(l.end).hex());
    std::uint64_t before = 0, after = 0;
    for (std::size_t i = 0; i < log_count; ++i) {
        if (l.first_rows[i] > l.end[i].rows)
            refuse(path, "segment/first_rows",
                   std::string(log_names[i]) + " begins at row " + std::to_string(l.first_rows[i]) +
                       " after its end " + std::to_string(l.end[i].rows));
        before += l.first_rows[i];
        after += l.end[i].rows;
    }
    if (before == after) refuse(path, "segment/first_rows", "log segment holds no rows");
    return l;
}

} // namespace

std::vector<std::filesystem::path> read_segments(world& w, const std::filesystem::path& snapshot,
                                                 std::uint64_t tick, const log_refs& refs) {
    const std::filesystem::path dir = segment_dir(snapshot);
    std::vector<link> chain; // head first
    std::vector<std::optional<colsnap::npz_reader>> readers;
    std::uint64_t total = 0;
    for (const auto& r : refs) total += r.rows;
    if (total == 0) return {};

    std::uint64_t t = tick;
    colsnap::digest key = history_key(refs);
    std::string by = name_of(snapshot);
    for (;;) {
        readers.emplace_back();
        link l = read_link(dir / segment_name(t, key), t, key, by, readers.back());
        if (!chain.empty()) // it must end where the segment after it begins
            for (std::size_t i = 0; i < log_count; ++i)
                if (l.end[i].rows != chain.back().first_rows[i])
                    refuse(l.path, std::string("meta/") + log_names[i] + "_rows",
                           "ends at row " + std::to_string(l.end[i].rows) + " of " + log_names[i] +
                               ", but " + by + " begins at row " +
                               std::to_string(chain.back().first_rows[i]));
        const bool root = std::all_of(l.first_rows.begin(), l.first_rows.end(),
                                      [](std::uint64_t r) { return r == 0; });
        chain.push_back(std::move(l));
        if (root) break;
        detail::loader ld{*readers.back(), chain.back().path, schema_version, {}, {}};
        std::uint64_t prev_tick = 0;
        ld.scalar("segment", "prev_tick", prev_tick);
        column<std::uint8_t> prev_key;
        ld.fixed("segment/prev_key", prev_key, 16);
        t = prev_tick;
        key = key_of(prev_key);
        by = name_of(chain.back().path);
    }

    // root first: append each segment's rows and check them against the chain it records
    std::vector<std::filesystem::path> paths;
    for (std::size_t k = chain.size(); k-- > 0;) {
        const link& l = chain[k];
        const colsnap::npz_reader& rd = *readers[k];
        detail::loader ld{rd, l.path, schema_version, {}, {}};
        each_log(logs_of(w), [&](std::size_t i, const char* name, auto& log) {
            using Table = std::decay_t<decltype(log)>;
            Table part;
            ld.table(name, part);
            const std::uint64_t want = l.end[i].rows - l.first_rows[i];
            if (part.size() != want)
                refuse(l.path, std::string(name) + "/t",
                       "holds " + std::to_string(part.size()) + " rows, its chain says " +
                           std::to_string(want) + " (truncated or altered)");
            if (log.size() != l.first_rows[i])
                refuse(l.path, "segment/first_rows",
                       std::string(name) + " begins at row " + std::to_string(l.first_rows[i]) +
                           ", the segments before it hold " + std::to_string(log.size()));
            Table::for_each_column([&](auto def) {
                auto& to = log.*def.member;
                const auto& from = part.*def.member;
                to.insert(to.end(), from.begin(), from.end());
            });
        });
        // the rest of the members a segment has, then nothing else
        for (const char* m :
             {"meta/tick", "segment/first_rows", "segment/prev_tick", "segment/prev_key"})
            ld.seen.insert(m);
        for (const auto& c : ref_columns(l.end)) ld.seen.insert(c.name);
        for (const auto& m : rd.members())
            if (!ld.seen.contains(m.name)) refuse(l.path, m.name, "not part of a log segment");
        const log_refs& got = w.work.logs.chains.refs(w);
        for (std::size_t i = 0; i < log_count; ++i)
            if (got[i].chain != l.end[i].chain)
                refuse(l.path, std::string(log_names[i]) + "/t",
                       std::string("rows do not match the chain hash recorded for them ") +
                           "(the segment was altered, or its rows reordered)");
        paths.push_back(l.path);
    }
    if (w.work.logs.chains.refs(w) != refs)
        refuse(snapshot, "meta/eaten_chain", "the logs' segments do not end at this snapshot");
    w.work.logs.head = segment_head{true, dir.string(), tick, refs};
    return paths;
}

} // namespace ecosim
