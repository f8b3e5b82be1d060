// npy_appender::open on hostile files: every truncation of an appended file is refused with a
// colsnap::error and leaves the file as it was; every flip of a header byte is either refused
// (file unchanged) or opens a file that then reads back, in colsnap, exactly as the appender
// describes it (the header is the truth: bytes past the rows it counts are cut).
#include <colsnap/npy.hpp>
#include <colsnap/npy_appender.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::vector<char> slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::vector<char>& b) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(b.data(), static_cast<std::streamsize>(b.size()));
}

class AppendRefusals : public ::testing::Test {
protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "colsnap-append-corrupt-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        auto a = colsnap::npy_appender::create(dir_ / "good.npy", colsnap::dtype_of<std::int32_t>(),
                                               {3}, {.durable = false});
        std::vector<std::int32_t> v(15);
        for (int i = 0; i < 15; ++i) v[static_cast<std::size_t>(i)] = i * 7;
        a.append(std::span<const std::int32_t>(v));
        good_ = slurp(dir_ / "good.npy");
        ASSERT_EQ(good_.size(), 128u + 60u);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir_;
    std::vector<char> good_;
};

TEST_F(AppendRefusals, EveryTruncationIsRefusedAndLeavesTheFileAsItWas) {
    const fs::path f = dir_ / "cut.npy";
    for (std::size_t n = 0; n < good_.size(); ++n) {
        SCOPED_TRACE("cut to " + std::to_string(n) + " bytes");
        const std::vector<char> cut(good_.begin(), good_.begin() + static_cast<std::ptrdiff_t>(n));
        spit(f, cut);
        try {
            (void)colsnap::npy_appender::open(f, {.durable = false});
            ADD_FAILURE() << "opened";
        } catch (const colsnap::error& e) {
            EXPECT_EQ(e.file(), f.string()) << e.what();
            if (n >= 128) {
                EXPECT_EQ(e.code(), colsnap::errc::truncated) << e.what();
            }
        }
        EXPECT_EQ(slurp(f), cut) << "a refused file was changed";
    }
}

TEST_F(AppendRefusals, HeaderByteFlipsAreRefusedUnchangedOrOpenConsistently) {
    const fs::path f = dir_ / "flip.npy";
    unsigned refused = 0, opened = 0;
    for (std::size_t i = 0; i < 128; ++i) {
        for (const unsigned char x : {0x01, 0x10, 0x20, 0x80, 0xff}) {
            SCOPED_TRACE("byte " + std::to_string(i) + " ^ " + std::to_string(x));
            std::vector<char> b = good_;
            b[i] = static_cast<char>(static_cast<unsigned char>(b[i]) ^ x);
            spit(f, b);
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
                EXPECT_EQ(slurp(f), b) << "a refused file was changed: " << e.what();
            }
        }
    }
    EXPECT_GT(refused, 0u);
    RecordProperty("flips_refused", static_cast<int>(refused));
    RecordProperty("flips_opened", static_cast<int>(opened));
}

} // namespace
