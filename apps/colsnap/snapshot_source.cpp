#include "snapshot_source.hpp"

#include "sigbus_guard.hpp"

namespace colsnap_cli {

std::string display_name(std::string_view name) {
    return name.empty() ? std::string("-") : escape_text(name);
}

snapshot_source snapshot_source::open(const std::filesystem::path& path,
                                      const colsnap::read_options& opt) {
    if (opt.access == colsnap::file_access::map) note_mapped_file(path);
    snapshot_source s(path, colsnap::array_file::open(path, opt));
    for (const colsnap::member_info& m : s.file_.members()) {
        member_entry e;
        e.name = m.name;
        e.info = m.npy.info;
        e.method = m.method;
        e.compressed_size = m.compressed_size;
        e.uncompressed_size = m.uncompressed_size;
        e.data_offset = m.method == colsnap::compression::stored ? m.array_offset() : m.data_offset;
        e.zero_copy = m.zero_copy();
        e.kind = m.kind;
        e.record = &m;
        s.members_.push_back(std::move(e));
    }
    return s;
}

const member_entry* snapshot_source::find(std::string_view name) const noexcept {
    const colsnap::member_info* m = file_.find(kind() == file_kind::npy && name == "-" ? "" : name);
    for (const member_entry& e : members_)
        if (e.record == m && m != nullptr) return &e;
    return nullptr;
}

colsnap::array snapshot_source::raw(const member_entry& m) const { return file_.raw(*m.record); }

colsnap::array snapshot_source::native(const member_entry& m) const { return raw(m).to_native_c(); }

colsnap::member_bytes snapshot_source::content(const member_entry& m) const {
    return file_.content(*m.record);
}

std::size_t snapshot_source::untyped() const noexcept {
    std::size_t n = 0;
    for (const member_entry& m : members_) n += m.kind != colsnap::member_kind::array;
    return n;
}

void snapshot_source::verify() const { file_.verify(); }

} // namespace colsnap_cli
