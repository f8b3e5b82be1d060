// colsnap::error: message layout, locate(), to_string(errc).

#include <colsnap/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

using colsnap::errc;
using colsnap::error;

TEST(Error, MessageLeavesOutUnknownParts) {
    EXPECT_STREQ(error(errc::truncated, "payload cut off").what(), "payload cut off [truncated]");
    EXPECT_STREQ(error(errc::bad_magic, "not an .npy", 3).what(),
                 "at byte 3: not an .npy [bad_magic]");
    EXPECT_STREQ(error(errc::crc_mismatch, "crc differs", "w.npz", "creature/pos_x", 1234).what(),
                 "w.npz: member creature/pos_x: at byte 1234: crc differs [crc_mismatch]");
    EXPECT_STREQ(error(errc::io_error, "open: No such file", "x.npy", "", error::no_offset).what(),
                 "x.npy: open: No such file [io_error]");
    EXPECT_STREQ(error(errc::no_such_member, "absent", "", "m", error::no_offset).what(),
                 "member m: absent [no_such_member]");
}

TEST(Error, Accessors) {
    const error e(errc::header_syntax, "expected ':'", "a.npz", "b", 17);
    EXPECT_EQ(e.code(), errc::header_syntax);
    EXPECT_EQ(e.detail(), "expected ':'");
    EXPECT_EQ(e.file(), "a.npz");
    EXPECT_EQ(e.member(), "b");
    EXPECT_EQ(e.offset(), 17u);
    EXPECT_EQ(error(errc::io_error, "x").offset(), error::no_offset);
}

TEST(Error, LocateFillsEmptyPartsAndShiftsKnownOffset) {
    error e(errc::header_syntax, "bad dict", 12);
    e.locate("w.npz", "pos_x", 1000);
    EXPECT_EQ(e.file(), "w.npz");
    EXPECT_EQ(e.member(), "pos_x");
    EXPECT_EQ(e.offset(), 1012u);
    EXPECT_STREQ(e.what(), "w.npz: member pos_x: at byte 1012: bad dict [header_syntax]");

    // Parts already known are kept; an unknown offset stays unknown.
    e.locate("other.npz", "other", 5);
    EXPECT_EQ(e.file(), "w.npz");
    EXPECT_EQ(e.member(), "pos_x");
    EXPECT_EQ(e.offset(), 1017u);

    error f(errc::truncated, "short");
    f.locate("f.npy", "", 64);
    EXPECT_EQ(f.offset(), error::no_offset);
    EXPECT_STREQ(f.what(), "f.npy: short [truncated]");
}

TEST(Error, IsARuntimeError) {
    try {
        throw error(errc::limit_exceeded, "too many");
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "too many [limit_exceeded]");
    }
}

TEST(Error, EveryCodeHasADistinctName) {
    std::set<std::string> names;
    for (int c = 0; c <= static_cast<int>(errc::invalid_argument); ++c) {
        const auto name = std::string(colsnap::to_string(static_cast<errc>(c)));
        EXPECT_FALSE(name.empty());
        EXPECT_NE(name, "unknown_error") << c;
        names.insert(name);
    }
    EXPECT_EQ(names.size(), static_cast<std::size_t>(errc::invalid_argument) + 1);
    EXPECT_EQ(colsnap::to_string(errc::crc_mismatch), "crc_mismatch");
    EXPECT_EQ(colsnap::to_string(errc::size_overflow), "size_overflow");
}

// Names come from files: what() is one C string on one line whatever bytes they hold.
TEST(Error, MessageEscapesWhatNamesHold) {
    using namespace std::string_literals;
    EXPECT_EQ(std::string(error(errc::crc_mismatch, "crc differs", "f.npz", "a\0b"s, 7).what()),
              "f.npz: member a\\x00b: at byte 7: crc differs [crc_mismatch]");
    EXPECT_STREQ(
        error(errc::zip_corrupt, "bad", "dir\n/f.npz", "x\ty\x7f", error::no_offset).what(),
        "dir\\x0a/f.npz: member x\\x09y\\x7f: bad [zip_corrupt]");
    // '\' is escaped in names (so they read back unambiguously), malformed UTF-8 as \xNN;
    // well-formed UTF-8 stays as it is.
    EXPECT_STREQ(
        error(errc::truncated, "cut", "", "a\\b\xff\xc3(caf\xc3\xa9", error::no_offset).what(),
        "member a\\\\b\\xff\\xc3(caf\xc3\xa9: cut [truncated]");
    // Details keep their own escapes ("\x93NUMPY") but lose control characters.
    EXPECT_STREQ(error(errc::bad_magic, "magic \"\\x93NUMPY\"\nnext").what(),
                 "magic \"\\x93NUMPY\"\\x0anext [bad_magic]");
    // The accessors give the raw bytes.
    EXPECT_EQ(error(errc::truncated, "cut", "", "a\0b"s, 0).member(), "a\0b"s);
}
