// docs/FORMAT.md lists exactly the members a snapshot has, with their dtypes and shapes.

#include "support.hpp"

#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>

namespace {

struct documented {
    std::string dtype;
    std::size_t ndim;
};

/// Rows of FORMAT.md's member table: | `member` | `dtype` | shape | ... |
std::vector<std::pair<std::string, documented>> parse_format_md() {
    std::ifstream in(ECOSIM_FORMAT_MD);
    EXPECT_TRUE(in.good()) << "cannot read " << ECOSIM_FORMAT_MD;
    const std::regex row(R"(^\|\s*`([a-z_0-9]+/[a-z_0-9]+)`\s*\|\s*`([<>|][a-z][0-9]+)`\s*\|\s*([^|]*)\|)");
    std::vector<std::pair<std::string, documented>> out;
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, row)) continue;
        const std::string shape = m[3];
        std::size_t ndim = 1;
        if (shape.find("()") != std::string::npos) ndim = 0;
        else if (shape.find(',') != std::string::npos && shape.find("4") != std::string::npos) ndim = 2;
        out.push_back({m[1], {m[2], ndim}});
    }
    return out;
}

} // namespace

TEST(FormatDoc, ListsEveryMemberWithItsDtypeAndShapeInOrder) {
    ecosim::world w = ecosim_test::small_world(500);
    ecosim::run_until(w, 5);
    const auto cols = ecosim::world_columns(w);
    const auto doc = parse_format_md();
    ASSERT_EQ(doc.size(), cols.size()) << "FORMAT.md rows vs snapshot members";
    for (std::size_t i = 0; i < cols.size(); ++i) {
        EXPECT_EQ(doc[i].first, cols[i].name) << "row " << i;
        EXPECT_EQ(doc[i].second.dtype, cols[i].info.type.descr()) << cols[i].name;
        EXPECT_EQ(doc[i].second.ndim, cols[i].info.shape.size()) << cols[i].name;
    }
}

TEST(FormatDoc, MembersAreTableSlashColumnMetaOrConfig) {
    const ecosim::world w = ecosim_test::small_world(100);
    std::map<std::string, int> seen;
    for (const auto& c : ecosim::world_columns(w)) {
        EXPECT_EQ(++seen[c.name], 1) << "duplicate " << c.name;
        const auto slash = c.name.find('/');
        ASSERT_NE(slash, std::string::npos) << c.name;
        EXPECT_EQ(c.name.find('/', slash + 1), std::string::npos) << c.name;
        if (c.info.shape.empty()) {
            const std::string table = c.name.substr(0, slash);
            EXPECT_TRUE(table == "meta" || table == "config") << c.name << " is a scalar";
        }
    }
}
