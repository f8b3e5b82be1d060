#include "snapshot_source.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <system_error>

namespace colsnap_cli {

std::string escape_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c == '\\') out += "\\\\";
        else if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        } else out += c;
    }
    return out;
}

std::string display_name(std::string_view name) {
    return name.empty() ? std::string("-") : escape_text(name);
}

file_kind sniff_kind(const std::filesystem::path& path) {
    // Only regular files are read here: opening or reading a FIFO or device could block. The
    // library refuses anything else with a message naming the path.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return path.extension() == ".npy" ? file_kind::npy : file_kind::npz;
    std::array<char, 6> magic{};
    std::ifstream in(path, std::ios::binary);
    if (in && in.read(magic.data(), magic.size()) && in.gcount() == 6) {
        if (std::string_view(magic.data(), 6) == "\x93NUMPY") return file_kind::npy;
        if (magic[0] == 'P' && magic[1] == 'K') return file_kind::npz;
    }
    return path.extension() == ".npy" ? file_kind::npy : file_kind::npz;
}

snapshot_source snapshot_source::open(const std::filesystem::path& path) {
    snapshot_source s;
    s.path_ = path;
    s.kind_ = sniff_kind(path);
    if (s.kind_ == file_kind::npz) {
        s.npz_.emplace(colsnap::npz_reader::open(path));
        s.file_size_ = s.npz_->file_size();
        for (const colsnap::member_info& m : s.npz_->members()) {
            member_entry e;
            e.name = m.name;
            e.info = m.npy.info;
            e.method = m.method;
            e.compressed_size = m.compressed_size;
            e.uncompressed_size = m.uncompressed_size;
            e.data_offset = m.method == colsnap::compression::stored ? m.array_offset()
                                                                     : m.data_offset;
            e.zero_copy = m.zero_copy();
            e.kind = m.kind;
            e.zip = &m;
            s.members_.push_back(std::move(e));
        }
    } else {
        s.npy_ = colsnap::read_npy(path);
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        if (ec)
            throw colsnap::error(colsnap::errc::io_error, "cannot stat: " + ec.message(),
                                 path.string(), "", colsnap::error::no_offset);
        s.file_size_ = size;
        const colsnap::array_info& info = s.npy_.info();
        member_entry e;
        e.info = info;
        e.compressed_size = e.uncompressed_size = size;
        // read_npy refuses trailing bytes, so the payload is the last nbytes of the file.
        e.data_offset = size - s.npy_.bytes().size();
        e.zero_copy = s.npy_.borrowed() && info.type.is_native() && info.is_c_contiguous() &&
                      e.data_offset % info.type.itemsize == 0;
        s.members_.push_back(std::move(e));
    }
    return s;
}

const member_entry* snapshot_source::find(std::string_view name) const noexcept {
    if (kind_ == file_kind::npy)
        return name.empty() || name == "-" ? &members_.front() : nullptr;
    const colsnap::member_info* m = npz_->find(name);
    if (m == nullptr) return nullptr;
    for (const member_entry& e : members_)
        if (e.zip == m) return &e;
    return nullptr;
}

colsnap::array snapshot_source::raw(const member_entry& m) const {
    return kind_ == file_kind::npz ? npz_->raw(*m.zip) : npy_;
}

colsnap::array snapshot_source::native(const member_entry& m) const {
    return raw(m).to_native_c();
}

colsnap::member_bytes snapshot_source::content(const member_entry& m) const {
    if (kind_ == file_kind::npz) return npz_->content(*m.zip);
    // An .npy file's content is the file: read_npy mapped all of it, the payload is its tail.
    const auto payload = npy_.bytes();
    return {{payload.data() - m.data_offset, m.data_offset + payload.size()}, nullptr};
}

std::size_t snapshot_source::untyped() const noexcept {
    std::size_t n = 0;
    for (const member_entry& m : members_) n += m.kind != colsnap::member_kind::array;
    return n;
}

void snapshot_source::verify() const {
    if (kind_ == file_kind::npz) npz_->verify();
}

} // namespace colsnap_cli
