// docs/FORMAT.md lists exactly the members a snapshot has, with their dtypes and shapes.

#include "support.hpp"

#include <colsnap/npz_reader.hpp>
#include <ecosim/snapshot.hpp>
#include <ecosim/tick.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace {

struct documented {
    std::string dtype;
    std::size_t ndim;
};

/// Rows of FORMAT.md's member table: | `table/column` | `dtype` | `shape` | meaning |
/// The first three backticked spans of a row are name, dtype and shape (a dtype such as `|u1`
/// contains a bar, so cells are not split on '|'). Plain string parsing: GCC 12's std::regex
/// warns under ASan.
/// Only the rows of the section headed `## <section>`.
std::vector<std::pair<std::string, documented>> parse_format_md(const std::string& section) {
    std::ifstream in(ECOSIM_FORMAT_MD);
    EXPECT_TRUE(in.good()) << "cannot read " << ECOSIM_FORMAT_MD;
    std::vector<std::pair<std::string, documented>> out;
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) inside = line == "## " + section;
        if (!inside || line.rfind("| `", 0) != 0) continue;
        std::vector<std::string> spans;
        std::size_t pos = 0;
        while (spans.size() < 3) {
            const auto a = line.find('`', pos);
            const auto b = a == std::string::npos ? a : line.find('`', a + 1);
            if (b == std::string::npos) break;
            spans.push_back(line.substr(a + 1, b - a - 1));
            pos = b + 1;
        }
        if (spans.size() < 3 || spans[0].find('/') == std::string::npos) continue; // config table
        const std::size_t ndim =
            spans[2] == "()" ? 0 : (spans[2].find(", 4") != std::string::npos ? 2 : 1);
        out.push_back({spans[0], {spans[1], ndim}});
    }
    return out;
}

} // namespace

TEST(FormatDoc, ListsEveryMemberWithItsDtypeAndShapeInOrder) {
    ecosim::world w = ecosim_test::small_world(500);
    ecosim::run_until(w, 5);
    const auto cols = ecosim::world_columns(w);
    const auto doc = parse_format_md("Members");
    ASSERT_EQ(doc.size(), cols.size()) << "FORMAT.md rows vs snapshot members";
    for (std::size_t i = 0; i < cols.size(); ++i) {
        EXPECT_EQ(doc[i].first, cols[i].name) << "row " << i;
        EXPECT_EQ(doc[i].second.dtype, cols[i].info.type.descr()) << cols[i].name;
        EXPECT_EQ(doc[i].second.ndim, cols[i].info.shape.size()) << cols[i].name;
    }
}

TEST(FormatDoc, ListsEveryMemberOfALogSegmentInOrder) {
    // the segments of a run: the root at tick 0 and the one of ticks 1..5
    test_common::temp_dir dir;
    ecosim::world w = ecosim_test::small_world(500);
    ecosim::snapshot_options so;
    so.durable = false;
    ecosim::snapshot(w, dir / "a.npz", so);
    ecosim::run_until(w, 5);
    ecosim::snapshot(w, dir / "b.npz", so);
    std::vector<std::filesystem::path> segments;
    (void)ecosim::load(dir / "b.npz", &segments);
    ASSERT_EQ(segments.size(), 2u);
    const auto doc = parse_format_md("Segment members");
    for (const auto& seg : segments) {
        const auto rd = colsnap::npz_reader::open(seg);
        ASSERT_EQ(doc.size(), rd.members().size()) << "FORMAT.md rows vs members of " << seg;
        for (std::size_t i = 0; i < doc.size(); ++i) {
            const auto& m = rd.members()[i];
            EXPECT_EQ(doc[i].first, m.name) << "row " << i;
            const colsnap::array a = rd.get(m.name);
            EXPECT_EQ(doc[i].second.dtype, a.type().descr()) << m.name;
            EXPECT_EQ(doc[i].second.ndim, a.shape().size()) << m.name;
        }
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

TEST(FormatDoc, SchemaTableEndsWithTheSchemaThisReleaseWrites) {
    // the "Schema versions" table: | 1 | ... |, ..., | N (current) | ... |, N = schema_version
    std::ifstream in(ECOSIM_FORMAT_MD);
    ASSERT_TRUE(in.good()) << "cannot read " << ECOSIM_FORMAT_MD;
    std::string line, current;
    std::uint32_t rows = 0;
    while (std::getline(in, line)) {
        if (line.size() < 3 || line.rfind("| ", 0) != 0 || line[2] < '0' || line[2] > '9') continue;
        ++rows;
        if (line.find("(current)") != std::string::npos) current = line;
    }
    EXPECT_EQ(rows, ecosim::schema_version) << "one row per schema";
    EXPECT_EQ(current.rfind("| " + std::to_string(ecosim::schema_version) + " (current) |", 0), 0u)
        << "current row: " << current;
}
