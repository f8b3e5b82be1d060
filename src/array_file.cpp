// array_file: one mapping of an .npy or .npz, told apart by its magic bytes, seen as members.

#include "posix_file.hpp"

#include <colsnap/array_file.hpp>
#include <colsnap/npy.hpp>

namespace colsnap {

file_kind sniff_kind(std::span<const std::byte> head, const std::filesystem::path& path) {
    const std::string_view magic(reinterpret_cast<const char*>(head.data()),
                                 std::min<std::size_t>(head.size(), 6));
    if (magic == "\x93NUMPY") return file_kind::npy;
    if (magic.starts_with("PK")) return file_kind::npz;
    return path.extension() == ".npy" ? file_kind::npy : file_kind::npz;
}

array_file array_file::open(const std::filesystem::path& path, const read_options& opt) {
    array_file f;
    f.label_ = path.string();
    auto map = detail::mapped_file::open(path, opt.access);
    const auto bytes = map->bytes();
    f.file_size_ = bytes.size();
    f.kind_ = sniff_kind(bytes, path);
    if (f.kind_ == file_kind::npz) {
        f.npz_.emplace(npz_reader::from_memory(bytes, std::move(map), f.label_, opt));
        return f;
    }
    try {
        f.npy_ = parse_npy(bytes, map, opt.lim);
        f.npy_file_ = {bytes, map};
        member_info m;
        m.npy = parse_npy_header(bytes, opt.lim);
        m.compressed_size = m.uncompressed_size = bytes.size();
        f.npy_member_.push_back(std::move(m));
    } catch (error& e) {
        e.locate(f.label_, {});
        throw;
    }
    return f;
}

const std::vector<member_info>& array_file::members() const noexcept {
    return npz_ ? npz_->members() : npy_member_;
}

const member_info* array_file::find(std::string_view name) const noexcept {
    if (npz_) return npz_->find(name);
    return name.empty() ? &npy_member_.front() : nullptr;
}

array array_file::raw(const member_info& m) const { return npz_ ? npz_->raw(m) : npy_; }

member_bytes array_file::content(const member_info& m) const {
    return npz_ ? npz_->content(m) : npy_file_;
}

void array_file::verify() const {
    if (npz_) npz_->verify();
}

} // namespace colsnap
