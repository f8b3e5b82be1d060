#include "colsnap_ways.hpp"

#include <cstring>

namespace exhibit {

void write_npz(const std::filesystem::path& path, std::span<const colsnap::column_ref> columns,
               const colsnap::write_options& opt) {
    colsnap::save_npz(path, columns, opt);
}

std::vector<std::span<const std::byte>>
loaded_npz::spans(const std::vector<std::string>& wanted) const {
    std::vector<std::span<const std::byte>> out;
    for (const auto& w : wanted) {
        std::span<const std::byte> s;
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == w) s = columns[i].bytes();
        out.push_back(s);
    }
    return out;
}

namespace {

// Opens the archive (validating its directory) and lists the member names; the loaders
// below differ only in how they produce the columns.
loaded_npz open_npz(const std::filesystem::path& path, bool check_crc) {
    colsnap::read_options opt;
    opt.check_crc = check_crc;
    loaded_npz out;
    out.reader.emplace(colsnap::npz_reader::open(path, opt));
    for (const auto& m : out.reader->members()) out.names.push_back(m.name);
    return out;
}

} // namespace

loaded_npz load_npz(const std::filesystem::path& path, bool check_crc) {
    loaded_npz out = open_npz(path, check_crc);
    out.columns.reserve(out.names.size());
    for (const auto& name : out.names) out.columns.push_back(out.reader->get(name));
    return out;
}

loaded_npz load_npz_raw(const std::filesystem::path& path, bool check_crc) {
    loaded_npz out = open_npz(path, check_crc);
    out.columns.reserve(out.names.size());
    for (const auto& m : out.reader->members()) out.columns.push_back(out.reader->raw(m));
    return out;
}

loaded_npz load_npz_parallel(const std::filesystem::path& path, bool check_crc, unsigned threads) {
    loaded_npz out = open_npz(path, check_crc);
    out.columns = out.reader->get_all(threads); // the library inflates members on `threads` cores
    return out;
}

std::uint64_t view_one_column(const std::filesystem::path& path, const std::string& name) {
    colsnap::read_options opt;
    opt.check_crc = false;
    const auto reader = colsnap::npz_reader::open(path, opt);
    const colsnap::array a = reader.get(name);
    return a.size();
}

std::uint64_t fold(std::span<const std::byte> bytes) noexcept {
    std::uint64_t acc[4] = {0, 0, 0, 0};
    const std::byte* p = bytes.data();
    std::size_t n = bytes.size();
    while (n >= 32) {
        for (int k = 0; k < 4; ++k) {
            std::uint64_t w;
            std::memcpy(&w, p + 8 * k, 8);
            acc[k] ^= w;
        }
        p += 32;
        n -= 32;
    }
    std::uint64_t tail = 0;
    for (std::size_t i = 0; i < n; ++i) tail = (tail << 8) ^ static_cast<std::uint64_t>(p[i]);
    return acc[0] ^ acc[1] ^ acc[2] ^ acc[3] ^ tail;
}

std::uint64_t touch_all_columns(const std::filesystem::path& path) {
    colsnap::read_options opt;
    opt.check_crc = false;
    const auto reader = colsnap::npz_reader::open(path, opt);
    std::uint64_t acc = 0;
    for (const auto& m : reader.members()) acc ^= fold(reader.get(m.name).bytes());
    return acc;
}

} // namespace exhibit
