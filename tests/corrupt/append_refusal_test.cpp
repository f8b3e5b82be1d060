// npy_appender::open on hostile files: every truncation of an appended file is refused with a
// colsnap::error and leaves the file as it was; every flip of a header byte is either refused
// (file unchanged) or opens a file that then reads back, in colsnap, exactly as the appender
// describes it (the header is the truth: bytes past the rows it counts are cut).
#include <colsnap/npy.hpp>
#include <colsnap/npy_appender.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <test_files.hpp>

namespace {

namespace fs = std::filesystem;

using test_common::read_text;
using test_common::write_text;

class AppendRefusals : public ::testing::Test {
protected:
    void SetUp() override {
        auto a = colsnap::npy_appender::create(dir_ / "good.npy", colsnap::dtype_of<std::int32_t>(),
                                               {3}, {.durable = false});
        std::vector<std::int32_t> v(15);
        for (int i = 0; i < 15; ++i) v[static_cast<std::size_t>(i)] = i * 7;
        a.append(std::span<const std::int32_t>(v));
        good_ = read_text(dir_ / "good.npy");
        ASSERT_EQ(good_.size(), 128u + 60u);
    }
    test_common::temp_dir dir_{"append-corrupt"};
    std::string good_;
};

TEST_F(AppendRefusals, EveryTruncationIsRefusedAndLeavesTheFileAsItWas) {
    const fs::path f = dir_ / "cut.npy";
    for (std::size_t n = 0; n < good_.size(); ++n) {
        SCOPED_TRACE("cut to " + std::to_string(n) + " bytes");
        const std::string cut(good_.begin(), good_.begin() + static_cast<std::ptrdiff_t>(n));
        write_text(f, cut);
        try {
            (void)colsnap::npy_appender::open(f, {.durable = false});
            ADD_FAILURE() << "opened";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.file(), f.string()) << e.what();
            if (n >= 128) {
                EXPECT_EQ(e.code(), colsnap::errc::truncated) << e.what();
            }
        }
        EXPECT_EQ(read_text(f), cut) << "a refused file was changed";
    }
}

TEST_F(AppendRefusals, HeaderByteFlipsAreRefusedUnchangedOrOpenConsistently) {
    const fs::path f = dir_ / "flip.npy";
    unsigned refused = 0, opened = 0;
    for (std::size_t i = 0; i < 128; ++i) {
        for (const unsigned char x : {0x01, 0x10, 0x20, 0x80, 0xff}) {
            SCOPED_TRACE("byte " + std::to_string(i) + " ^ " + std::to_string(x));
            std::string b = good_;
            b[i] = static_cast<char>(static_cast<unsigned char>(b[i]) ^ x);
            write_text(f, b);
            try {
                auto a = colsnap::npy_appender::open(f, {.durable = false});
                ++opened;
                // Whatever it accepted, the file now holds exactly what the header counts.
                EXPECT_EQ(fs::file_size(f), a.data_offset() + a.info().nbytes());
                const colsnap::array arr = colsnap::read_npy(f);
                EXPECT_EQ(arr.info(), a.info());
            } catch (const colsnap::error& e) {
                ++refused;
                EXPECT_EQ(e.file(), f.string()) << e.what();
                EXPECT_EQ(read_text(f), b) << "a refused file was changed: " << e.what();
            }
        }
    }
    EXPECT_GT(refused, 0u);
    RecordProperty("flips_refused", static_cast<int>(refused));
    RecordProperty("flips_opened", static_cast<int>(opened));
}

} // namespace
