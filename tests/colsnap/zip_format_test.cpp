// The writer's zip records and the layout plan (src/zip_format.cpp): plan_layout() places every
// member exactly where npz_writer writes it, from names, methods and sizes alone.

#include "test_util.hpp"

#include <colsnap/colsnap.hpp>
// Internals under test (colsnap_internal in tests/colsnap/CMakeLists.txt gives <src/...>).
#include <src/zip_format.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace zip = colsnap::detail::zip;

namespace {

/// The plan of what @p r holds (its members' names, methods and sizes only) against where the
/// writer put them.
void expect_plan_matches(const colsnap::npz_reader& r) {
    std::vector<zip::entry> members;
    for (const colsnap::member_info& m : r.members())
        members.push_back({m.zip_name, static_cast<std::uint16_t>(m.method), 0, m.compressed_size,
                           m.uncompressed_size, 0});
    const zip::layout_plan plan = zip::plan_layout(members);
    ASSERT_EQ(plan.entries.size(), r.members().size());
    for (std::size_t i = 0; i < plan.entries.size(); ++i) {
        EXPECT_EQ(plan.entries[i].offset, r.members()[i].header_offset) << r.members()[i].name;
        EXPECT_EQ(plan.entries[i].offset +
                      zip::local_header_layout(plan.entries[i], members[i].method == 0).size,
                  r.members()[i].data_offset)
            << r.members()[i].name;
    }
    EXPECT_EQ(plan.size, r.file_size());
}

TEST(ZipLayout, PlanPlacesEveryMemberWhereTheWriterDoes) {
    test_util::temp_dir dir;
    std::vector<std::vector<std::uint8_t>> data;
    colsnap::npz_writer w(dir / "w.npz", {.durable = false});
    // Names of every length mod 64 (so every alignment pad, including the < 4 bytes case that
    // takes a whole extra block), non-ASCII names, and both methods interleaved.
    for (std::size_t i = 0; i < 140; ++i) {
        data.emplace_back(i * 37 % 1000, static_cast<std::uint8_t>(i));
        std::string name =
            i % 5 == 0 ? "\xc3\xa9/" : "m/"; // += only: GCC 12 warns falsely (-Wrestrict) on +
        name += std::string(i % 64, 'x');
        name += std::to_string(i);
        w.add(colsnap::column(name, data.back()),
              i % 3 == 0 ? colsnap::compression::deflate : colsnap::compression::stored, 6);
    }
    w.commit();
    expect_plan_matches(colsnap::npz_reader::open(dir / "w.npz"));
}

TEST(ZipLayout, PlanCountsTheZip64EndRecords) {
    test_util::temp_dir dir;
    const std::uint8_t one = 1;
    std::vector<colsnap::column_ref> cols;
    for (int i = 0; i < 65536; ++i) {
        std::string name = "m"; // += only: GCC 12 warns falsely (-Wrestrict) on "m" + std::string
        name += std::to_string(i);
        cols.push_back(colsnap::scalar(std::move(name), one));
    }
    colsnap::save_npz(dir / "many.npz", cols, {.durable = false});
    expect_plan_matches(colsnap::npz_reader::open(dir / "many.npz"));
}

TEST(ZipLayout, LocalHeaderIsAsLongAsItsLayoutSays) {
    for (const std::uint64_t usize :
         {std::uint64_t{100}, std::uint64_t{0xFFFFFFFF}, std::uint64_t{1} << 33})
        for (std::uint64_t offset = 0; offset < 200; offset += 7)
            for (const bool align : {false, true}) {
                const zip::entry e{"name.npy", 0, 0, usize, usize, offset};
                const zip::local_layout l = zip::local_header_layout(e, align);
                EXPECT_EQ(zip::local_header(e, 0, align).size(), l.size);
                EXPECT_EQ(l.zip64, usize >= 0xFFFFFFFF);
                if (align) EXPECT_EQ((offset + l.size) % zip::member_alignment, 0u) << offset;
                else EXPECT_EQ(l.pad, 0u);
            }
}

} // namespace
