#include "creature_rows.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace exhibit {

void build_creatures(const world_columns& w, std::vector<creature>& out) {
    const std::size_t n = w.rows();
    out.clear();
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(creature{w.pos_x[i], w.pos_y[i], w.vel_x[i], w.vel_y[i], w.energy[i],
                               w.birth_t[i], w.id[i], w.gen[i]});
}

void write_creatures_json(const std::filesystem::path& path, const std::vector<creature>& rows) {
    nlohmann::json doc = nlohmann::json::array();
    for (const creature& c : rows) {
        doc.push_back({{"pos_x", c.pos_x},
                       {"pos_y", c.pos_y},
                       {"vel_x", c.vel_x},
                       {"vel_y", c.vel_y},
                       {"energy", c.energy},
                       {"birth_t", c.birth_t},
                       {"id", c.id},
                       {"gen", c.gen}});
    }
    const std::string text = doc.dump();
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    f.close();
    if (!f) throw std::runtime_error("cannot write " + path.string());
}

void read_creatures_json(const std::filesystem::path& path, std::vector<creature>& out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot open " + path.string());
    const std::string text{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
    const nlohmann::json doc = nlohmann::json::parse(text);
    out.clear();
    out.reserve(doc.size());
    for (const auto& o : doc) {
        out.push_back(creature{o.at("pos_x").get<float>(), o.at("pos_y").get<float>(),
                               o.at("vel_x").get<float>(), o.at("vel_y").get<float>(),
                               o.at("energy").get<float>(), o.at("birth_t").get<double>(),
                               o.at("id").get<std::uint32_t>(), o.at("gen").get<std::uint32_t>()});
    }
}

bool same_rows(const world_columns& w, const std::vector<creature>& rows) {
    if (rows.size() != w.rows()) return false;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const creature want{w.pos_x[i],  w.pos_y[i],   w.vel_x[i], w.vel_y[i],
                            w.energy[i], w.birth_t[i], w.id[i],    w.gen[i]};
        if (!(rows[i] == want)) return false;
    }
    return true;
}

} // namespace exhibit
