// Exit codes and error lines common to every command: usage (2), bad input paths (1), help
// and version (0).

#include "cli_harness.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cli_test;

namespace {

/// Every command that reads FILE, with FILE as its input (copy and diff get a good second path).
std::vector<std::vector<std::string>>
every_command_on(const std::string& file, const std::string& good, const std::string& out) {
    return {{"ls", file},        {"verify", file},     {"cat", file, "x"},  {"hash", file},
            {"copy", file, out}, {"diff", file, good}, {"diff", good, file}};
}

std::filesystem::path write_good(const temp_dir& dir) {
    static const std::vector<std::int32_t> x{1, 2, 3};
    const auto path = dir / "good.npz";
    colsnap::save_npz(path,
                      std::vector<colsnap::column_ref>{colsnap::column<std::int32_t>("x", x)});
    return path;
}

/// Input errors exit 1, except diff's, which exit 2 (1 is its "different").
void expect_input_error(const std::vector<std::vector<std::string>>& cases, const std::string& file,
                        bool as_nobody = false) {
    for (const auto& args : cases) {
        SCOPED_TRACE(args[0] + " " + file);
        const run_result r = run_colsnap(args, as_nobody);
        EXPECT_EQ(r.code, args[0] == "diff" ? 2 : 1) << r.out << r.err;
        EXPECT_TRUE(one_error_line(r.err)) << r.err;
        EXPECT_NE(r.err.find(file), std::string::npos) << "the error names the file: " << r.err;
    }
}

} // namespace

TEST(cli_errors, an_empty_file_is_an_input_error_for_every_command) {
    temp_dir dir;
    const auto good = write_good(dir);
    for (const char* name : {"empty.npz", "empty.npy", "empty"}) {
        const auto file = dir / name;
        write_text(file, "");
        expect_input_error(every_command_on(file.string(), good.string(), (dir / "o").string()),
                           file.string());
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "o"));
}

TEST(cli_errors, a_directory_is_an_input_error_for_every_command) {
    temp_dir dir;
    const auto good = write_good(dir);
    const auto sub = dir / "sub.npz";
    std::filesystem::create_directory(sub);
    expect_input_error(every_command_on(sub.string(), good.string(), (dir / "o.npz").string()),
                       sub.string());
}

TEST(cli_errors, a_missing_path_is_an_input_error_for_every_command) {
    temp_dir dir;
    const auto good = write_good(dir);
    for (const auto& file : {dir / "missing.npz", good / "not-a-dir.npy"}) {
        expect_input_error(every_command_on(file.string(), good.string(), (dir / "o.npz").string()),
                           file.string());
    }
}

TEST(cli_errors, an_unreadable_file_is_an_input_error_for_every_command) {
    temp_dir dir;
    const auto good = write_good(dir);
    const auto locked = dir / "locked.npz";
    std::filesystem::copy_file(good, locked);
    ASSERT_EQ(chmod(locked.c_str(), 0), 0);
    // As root, permissions do not apply: the tool then runs as nobody (uid 65534), who can
    // traverse the directory and read good.npz but not locked.npz.
    const bool as_nobody = geteuid() == 0;
    if (as_nobody) {
        ASSERT_EQ(chmod(dir.path().c_str(), 0777), 0);
        ASSERT_EQ(chmod(good.c_str(), 0644), 0);
        if (run_colsnap({"ls", good.string()}, true).code != 0)
            GTEST_SKIP() << "the colsnap binary is not usable by uid 65534";
    }
    expect_input_error(every_command_on(locked.string(), good.string(), (dir / "o.npz").string()),
                       locked.string(), as_nobody);
}

TEST(cli_errors, a_fifo_is_refused_without_blocking) {
    temp_dir dir;
    const auto good = write_good(dir);
    const auto fifo = dir / "pipe.npz";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
    // Hold a writer open so that opening for reading returns; reading would then block.
    const int writer = open(fifo.c_str(), O_RDWR | O_NONBLOCK);
    ASSERT_GE(writer, 0);
    expect_input_error(every_command_on(fifo.string(), good.string(), (dir / "o.npz").string()),
                       fifo.string());
    close(writer);
}

TEST(cli_errors, garbage_is_an_input_error_for_every_command) {
    temp_dir dir;
    const auto good = write_good(dir);
    for (const char* name : {"junk.npz", "junk.npy", "PKjunk"}) {
        const auto file = dir / name;
        write_text(file, std::string(name) + std::string(300, '\x01'));
        expect_input_error(every_command_on(file.string(), good.string(), (dir / "o.npz").string()),
                           file.string());
    }
}

TEST(cli_errors, bad_command_lines_exit_2_with_one_line) {
    temp_dir dir;
    const auto good = write_good(dir).string();
    const std::vector<std::vector<std::string>> cases{
        {},
        {"frobnicate", good},
        {"ls"},
        {"ls", good, "extra"},
        {"ls", "--bogus", good},
        {"verify"},
        {"cat"},
        {"cat", good, "x", "--head"},
        {"cat", good, "x", "--head", "many"},
        {"hash"},
        {"diff", good},
        {"copy"},
        {"--bogus"},
    };
    for (const auto& args : cases) {
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        SCOPED_TRACE(joined);
        const run_result r = run_colsnap(args);
        EXPECT_EQ(r.code, 2) << r.out << r.err;
        EXPECT_TRUE(one_error_line(r.err)) << r.err;
        EXPECT_EQ(r.out, "");
    }
}

TEST(cli_errors, help_and_version_exit_0) {
    run_result r = run_colsnap({"--help"});
    EXPECT_EQ(r.code, 0) << r.err;
    for (const char* command : {"ls", "verify", "copy", "cat", "hash", "diff"})
        EXPECT_NE(r.out.find(std::string("  ") + command), std::string::npos) << command;
    for (const char* command : {"ls", "verify", "copy", "cat", "hash", "diff"}) {
        r = run_colsnap({command, "--help"});
        EXPECT_EQ(r.code, 0) << command << r.err;
        EXPECT_NE(r.out.find(std::string("colsnap ") + command), std::string::npos) << r.out;
    }
    r = run_colsnap({"copy", "--help"});
    EXPECT_NE(r.out.find("--deflate"), std::string::npos);
    EXPECT_NE(r.out.find("--stored"), std::string::npos);
    r = run_colsnap({"--version"});
    EXPECT_EQ(r.code, 0);
    EXPECT_TRUE(r.out.starts_with("colsnap ")) << r.out;
    EXPECT_EQ(lines(r.out).size(), 1u);
}

// A bad number names the option, what it takes and what it got, on one line: no CLI11 range
// with a 309-digit double.
TEST(cli_errors, bad_numbers_say_what_was_expected_and_what_was_given) {
    temp_dir dir;
    const auto good = write_good(dir).string();
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"cat", good, "x", "--head", "-1"},
         "--head: expected a whole number, 0 or more; got '-1'"},
        {{"cat", good, "x", "--head", "abc"},
         "--head: expected a whole number, 0 or more; got 'abc'"},
        {{"cat", good, "x", "--head", "2.5"}, "got '2.5'"},
        {{"cat", good, "x", "--head", "99999999999999999999"},
         "--head: expected at most 18446744073709551615; got '99999999999999999999'"},
        {{"copy", good, (dir / "o.npz").string(), "--deflate=13"},
         "--deflate: expected a whole number, from 0 to 12; got '13'"},
    };
    for (const auto& [args, message] : cases) {
        SCOPED_TRACE(args.back());
        const run_result r = run_colsnap(args);
        EXPECT_EQ(r.code, 2) << r.err;
        EXPECT_TRUE(one_error_line(r.err)) << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
        EXPECT_LT(r.err.size(), 160u) << r.err;
        EXPECT_EQ(r.out, "");
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "o.npz"));
}

// copy --help: "--deflate [LEVEL]" with its range in words, no CLI11 residue; and both
// spellings it documents do the same thing.
TEST(cli_errors, copy_help_is_clean_and_true) {
    const run_result r = run_colsnap({"copy", "--help"});
    ASSERT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("--deflate [LEVEL]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--deflate 3 and --deflate=3 are the same"), std::string::npos) << r.out;
    for (const char* residue : {"[=LEVEL]", ":INT", "INT in", "Excludes", "=6"})
        EXPECT_EQ(r.out.find(residue), std::string::npos) << residue << "\n" << r.out;

    temp_dir dir;
    std::vector<std::int32_t> x(5000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<std::int32_t>(i % 97);
    const auto in = dir / "in.npz";
    colsnap::save_npz(in, std::vector<colsnap::column_ref>{colsnap::column<std::int32_t>("x", x)});
    const auto spaced = dir / "spaced.npz", joined = dir / "joined.npz", bare = dir / "bare.npz";
    ASSERT_EQ(run_colsnap({"copy", in.string(), spaced.string(), "--deflate", "1"}).code, 0);
    ASSERT_EQ(run_colsnap({"copy", in.string(), joined.string(), "--deflate=1"}).code, 0);
    ASSERT_EQ(run_colsnap({"copy", "--deflate", in.string(), bare.string()}).code, 0);
    EXPECT_EQ(read_text(spaced), read_text(joined));
    EXPECT_NE(read_text(spaced), read_text(bare)) << "a bare --deflate is level 6, not 1";
    const run_result both =
        run_colsnap({"copy", in.string(), bare.string(), "--deflate", "--stored"});
    EXPECT_EQ(both.code, 2);
    EXPECT_TRUE(one_error_line(both.err)) << both.err;
}

// colsnap::error::what() escapes the names it holds (a NUL as \x00); the CLI's one-line printer
// escapes control characters only, so the name reads as the library wrote it, not as "\\x00".
TEST(cli_errors, a_nul_in_a_member_name_is_printed_escaped_once) {
    const temp_dir dir;
    const std::vector<std::int32_t> x{1, 2, 3, 4};
    const auto path = dir / "nul.npz";
    colsnap::save_npz(path,
                      std::vector<colsnap::column_ref>{colsnap::column<std::int32_t>("aQb", x)},
                      {.durable = false});
    std::string bytes = read_text(path);
    int renamed = 0;
    for (auto at = bytes.find("aQb.npy"); at != std::string::npos;
         at = bytes.find("aQb.npy", at + 1)) {
        bytes[at + 1] = '\0';
        ++renamed;
    }
    ASSERT_EQ(renamed, 2);                          // local header and central directory
    bytes[bytes.size() - 22 - 46 - 7 - 4 - 1] ^= 1; // the payload's last byte: its CRC fails
    write_text(path, bytes);
    const run_result r = run_colsnap({"verify", path.string()});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
    EXPECT_NE(r.err.find("member a\\x00b"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("\\\\x00"), std::string::npos) << "escaped twice: " << r.err;
    // zipfile would cut the name at the NUL: the reader refuses it, and says so after the name
    EXPECT_NE(r.err.find("NUL byte at byte 1"), std::string::npos)
        << "the reason survives: " << r.err;
    EXPECT_NE(r.err.find("[zip_corrupt]"), std::string::npos) << r.err;
}
