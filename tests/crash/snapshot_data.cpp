#include "snapshot_data.hpp"

#include <algorithm>

namespace colsnap_crash {
namespace {

// splitmix64: a cheap, well-mixed function of (generation, column, row).
std::uint64_t mix(std::uint64_t x) noexcept {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

} // namespace

snapshot_data::snapshot_data(std::int64_t generation, std::uint64_t rows)
    : generation_(generation), pos_x_(rows), pos_y_(rows), mass_(rows), energy_(rows), id_(rows),
      age_(rows), species_(rows), alive_(rows) {
    const auto g = static_cast<std::uint64_t>(generation);
    const double shift = static_cast<double>(generation) * 0.25;
    for (std::uint64_t i = 0; i < rows; ++i) {
        const std::uint64_t r = mix((g << 40) ^ i);
        // Half the columns are noise (deflate barely shrinks them), half are smooth.
        pos_x_[i] = static_cast<double>(r >> 11) * 0x1p-53 * 1000.0 + shift;
        pos_y_[i] = static_cast<double>(i) * 0.001 + shift;
        mass_[i] = static_cast<double>(mix(r) >> 11) * 0x1p-53;
        energy_[i] = static_cast<float>(i % 1000) + static_cast<float>(generation);
        id_[i] = static_cast<std::int64_t>(i + g * rows);
        age_[i] = static_cast<std::int32_t>((i + g) % 5000);
        species_[i] = static_cast<std::uint16_t>(r % 37 + g);
        alive_[i] = static_cast<std::uint8_t>((r >> 17) & 1u);
    }
}

std::vector<colsnap::column_ref> snapshot_data::columns() const {
    using colsnap::column;
    std::vector<colsnap::column_ref> cols;
    cols.push_back(colsnap::scalar("meta/generation", generation_));
    cols.push_back(column<double>("creature/pos_x", pos_x_));
    cols.push_back(column<double>("creature/pos_y", pos_y_));
    cols.push_back(column<double>("creature/mass", mass_));
    cols.push_back(column<float>("creature/energy", energy_));
    cols.push_back(column<std::int64_t>("creature/id", id_));
    cols.push_back(column<std::int32_t>("creature/age", age_));
    cols.push_back(column<std::uint16_t>("creature/species", species_));
    cols.push_back(column<std::uint8_t>("creature/alive", alive_));
    return cols;
}

colsnap::digest snapshot_data::hash() const {
    const auto cols = columns();
    return colsnap::content_hash(cols);
}

std::uint64_t snapshot_data::payload_bytes() const noexcept {
    return pos_x_.size() * (3 * sizeof(double) + sizeof(float) + sizeof(std::int64_t) +
                            sizeof(std::int32_t) + sizeof(std::uint16_t) + sizeof(std::uint8_t));
}

std::int64_t read_generation(const std::filesystem::path& path, colsnap::digest* hash) {
    const colsnap::npz_reader r = colsnap::npz_reader::open(path);
    r.verify();
    colsnap::array a;
    const auto g = r.values<std::int64_t>("meta/generation", a);
    if (g.size() != 1)
        throw colsnap::error(colsnap::errc::invalid_argument, "meta/generation is not a scalar",
                             path.string(), "meta/generation", colsnap::error::no_offset);
    if (hash != nullptr) *hash = colsnap::content_hash(r);
    return g[0];
}

std::vector<std::string> temp_files(const std::filesystem::path& dir,
                                    const std::string& target_name) {
    std::vector<std::string> out;
    const std::string prefix = "." + target_name + ".colsnap-tmp.";
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (n.starts_with(prefix)) out.push_back(n);
    }
    std::sort(out.begin(), out.end());
    return out;
}

colsnap::write_options options_for(std::int64_t g, unsigned threads) {
    colsnap::write_options o;
    o.method = g % 6 == 5 ? colsnap::compression::deflate : colsnap::compression::stored;
    o.level = 1;
    o.durable = true;
    o.threads = threads;
    return o;
}

} // namespace colsnap_crash
