/// @file snapshot.cpp
/// @brief world <-> colsnap columns. One visitor (for_each_member, members.hpp) defines the
/// member list once; saving, hashing and loading all walk it, so they cannot disagree. A column or
/// config field added after schema 1 carries its schema (table.hpp, config.hpp): it is left out
/// when an older schema is written, and filled with its default when an older snapshot is read
/// (the visitors: snapshot_visitors.hpp). From schema 3 the logs' rows are written once, into
/// segment files beside the snapshot (log_segments.hpp); the snapshot holds their refs.

#include <colsnap/error.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>
#include <ecosim/error.hpp>
#include <ecosim/log_segments.hpp>
#include <ecosim/members.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/snapshot_visitors.hpp>

#include <string>
#include <utility>

namespace ecosim {

using detail::collector;
using detail::loader;
using detail::refuse;

std::vector<colsnap::column_ref> world_columns(const world& w) {
    collector c;
    c.refs = &w.work.logs.chains.refs(w);
    for_each_member(w, c);
    return std::move(c.out);
}

colsnap::digest world_hash(const world& w) {
    const auto cols = world_columns(w);
    return colsnap::content_hash(cols);
}

snapshot_plan snapshot_files(const world& w, const std::filesystem::path& path,
                             const snapshot_options& opt) {
    if (opt.schema < 1 || opt.schema > schema_version)
        throw error(errc::invalid_argument, "meta/schema_version",
                    "cannot write schema " + std::to_string(opt.schema), path.string());
    snapshot_plan plan;
    collector c;
    c.written = opt.schema;
    if (opt.schema >= detail::segments_since) {
        c.refs = &w.work.logs.chains.refs(w);
        plan.segment = plan_segment(w, *c.refs, std::filesystem::path(segment_dir(path)));
    }
    for_each_member(w, c);
    plan.columns = std::move(c.out);
    return plan;
}

void snapshot_plan::segment_written(const world& w) const {
    if (segment) w.work.logs.head = segment->head;
}

std::size_t snapshot_plan::bytes() const {
    std::size_t n = 0;
    for (const auto& c : columns) n += c.bytes.size();
    if (segment)
        for (const auto& c : segment->columns) n += c.bytes.size();
    return n;
}

std::vector<colsnap::column_ref> snapshot_columns(const world& w, const std::filesystem::path& path,
                                                  const snapshot_options& opt) {
    // the rows since the last segment first: a snapshot never refers to a missing segment.
    // The head moves on once the segment is on disk: should the snapshot itself then fail,
    // the next segment chains to this one, which exists, so no row is written twice.
    snapshot_plan plan = snapshot_files(w, path, opt);
    if (plan.segment)
        colsnap::save_npz(plan.segment->path, plan.segment->columns, snapshot_write_options(opt));
    plan.segment_written(w);
    return std::move(plan.columns);
}

colsnap::write_options snapshot_write_options(const snapshot_options& opt) {
    colsnap::write_options wo;
    wo.method = opt.compress ? colsnap::compression::deflate : colsnap::compression::stored;
    wo.durable = opt.durable;
    wo.threads = 1; // one core for the simulator's process; the archive bytes do not depend on it
    return wo;
}

void snapshot(const world& w, const std::filesystem::path& path, const snapshot_options& opt) {
    colsnap::save_npz(path, snapshot_columns(w, path, opt), snapshot_write_options(opt));
}

world load(const std::filesystem::path& path, std::vector<std::filesystem::path>* segments) {
    const colsnap::npz_reader rd = colsnap::npz_reader::open(path);
    const std::string vname = "meta/schema_version";
    if (!rd.contains(vname)) refuse(path, vname, "missing: not an ecosim snapshot");
    std::uint32_t version = 0;
    {
        const colsnap::array a = rd.get(vname);
        if (a.type() != colsnap::dtype_of<std::uint32_t>() || !a.shape().empty())
            refuse(path, vname,
                   "expected a 0-d <u4, found " + a.type().descr() + " " + a.info().shape_string());
        version = a.values<std::uint32_t>()[0];
    }
    if (version > schema_version)
        refuse(path, vname,
               "schema_version " + std::to_string(version) +
                   " is newer than this ecosim understands (" + std::to_string(schema_version) +
                   ")");
    if (version < 1) refuse(path, vname, "schema_version 0 is not a valid version");

    world w; // built fully here and only returned when complete and valid
    loader ld{rd, path, version, {}, {}};
    for_each_member(w, ld);
    for (const auto& m : rd.members())
        if (!ld.seen.contains(m.name))
            refuse(path, m.name, "not part of schema " + std::to_string(version));
    if (version >= detail::segments_since) {
        auto files = read_segments(w, path, w.tick, ld.refs);
        if (segments) *segments = std::move(files);
    }
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
