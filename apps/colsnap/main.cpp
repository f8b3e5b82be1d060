// colsnap: inspect, check, copy, print, hash and compare numpy .npy/.npz files.
// This file only parses the command line (CLI11) and maps outcomes to exit codes:
// 0 ok, 1 invalid input / different / any error on input, 2 usage (and, for diff, any error:
// diff(1) keeps 1 for "different").

#include "../common/print_error.hpp"
#include "../common/whole_number.hpp"
#include "commands.hpp"
#include "sigbus_guard.hpp"
#include "snapshot_source.hpp"

#include <colsnap/error.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <functional>
#include <string>

#ifndef COLSNAP_VERSION_STRING
#define COLSNAP_VERSION_STRING "unknown"
#endif

namespace colsnap_cli {

void print_error(std::string_view what) { apps_common::print_error("colsnap", what); }

namespace {

constexpr const char* tool_description =
    "colsnap " COLSNAP_VERSION_STRING " - inspect, check, copy, print, hash and compare numpy\n"
    ".npy/.npz files.\n"
    "Exit status: 0 ok, 1 invalid input or any error on input, 2 usage error. diff, as\n"
    "diff(1): 0 identical, 1 different, 2 it could not compare (usage or input error).\n"
    "Errors are one line on stderr: \"colsnap: FILE: member M: at byte O: REASON [code]\".";

int parse_and_run(int argc, char** argv) {
    CLI::App app{tool_description, "colsnap"};
    app.set_version_flag("--version", "colsnap " COLSNAP_VERSION_STRING);
    app.require_subcommand(1);
    app.fallthrough(false);
    std::function<int()> run;

    ls_options ls;
    auto* ls_cmd = app.add_subcommand(
        "ls", "List members: dtype, shape, order, compression, sizes, offset, zero-copy, name");
    ls_cmd->footer(
        "List the members of an .npz (or the array of an .npy), one line each after a\n"
        "header line: DTYPE SHAPE ORDER METHOD COMPRESSED UNCOMPRESSED OFFSET ZERO_COPY\n"
        "NAME. ORDER is C or F; METHOD stored or deflate; sizes are bytes of the member's\n"
        ".npy (header + payload) in the file and once inflated; OFFSET is where the array\n"
        "payload starts in the file (for deflate: where the deflate stream starts);\n"
        "ZERO_COPY says whether a reader can use the mapped bytes as they are. NAME comes\n"
        "last (it may contain spaces); an .npy's single array is named \"-\". A record\n"
        "dtype is shown as its fields, {x:<f8,pos:{p:|u1,q:>i2}[2]}, cut to 48 characters\n"
        "({x:<f8,y:<f4,+6}: 6 more fields); --full adds a line \"  dtype: DESCR\" under its\n"
        "row with numpy's whole dtype.descr (offsets, gaps and titles included).");
    ls_cmd->add_option("FILE", ls.file, "an .npz or .npy file")->required();
    ls_cmd->add_flag("--full", ls.full,
                     "under a record member's row, its whole dtype as numpy's dtype.descr");
    ls_cmd->callback([&] { run = [&] { return run_ls(ls); }; });

    verify_options verify;
    auto* verify_cmd = app.add_subcommand("verify", "Check structure, every header and every CRC");
    verify_cmd->footer(
        "Check a file completely: zip structure, every .npy header and every CRC-32\n"
        "(.npz); header and payload size (.npy). Prints \"ok: FILE: N members, B bytes\",\n"
        "or exits 1 with the reason.");
    verify_cmd->add_option("FILE", verify.file, "an .npz or .npy file")->required();
    verify_cmd->callback([&] { run = [&] { return run_verify(verify); }; });

    copy_options copy;
    int deflate_level = -1;
    bool stored = false;
    auto* copy_cmd = app.add_subcommand(
        "copy", "Rewrite IN as OUT losslessly and atomically, optionally (re)compressed");
    copy_cmd->footer(
        "Rewrite IN as OUT without changing any value: .npz -> .npz (each member keeps\n"
        "its name, position, dtype, byte order and C/Fortran order), .npy -> .npy. By\n"
        "default each member keeps its compression (deflated members are re-deflated at\n"
        "level 6, numpy's); --stored stores all members (payloads 64-byte aligned, so\n"
        "native C-order members map zero-copy), --deflate deflates all. Every CRC is\n"
        "checked while reading. The content hash is unchanged. OUT is written to a temporary\n"
        "file and renamed over OUT only when complete: on any error OUT does not appear\n"
        "and an existing OUT is left untouched. OUT may be IN itself (rewrite in place):\n"
        "IN is read into memory before the new file is written, then the rename replaces it.");
    copy_cmd->add_option("IN", copy.in, "the .npz or .npy to read")->required();
    copy_cmd->add_option("OUT", copy.out, "the file to write (same format as IN)")->required();
    auto* deflate_opt =
        copy_cmd
            ->add_option("--deflate", deflate_level,
                         "deflate every member (.npz only) at LEVEL 0..12 (libdeflate; default 6,\n"
                         "numpy's zlib level). --deflate 3 and --deflate=3 are the same; a bare\n"
                         "--deflate takes the next word as LEVEL when it is a number")
            ->expected(0, 1)
            ->option_text("[LEVEL]")
            ->check(apps_common::whole_number(0, 12));
    auto* stored_opt = copy_cmd->add_flag("--stored", stored,
                                          "store every member uncompressed (not with --deflate)");
    copy_cmd->callback([&] {
        if (deflate_opt->count() > 0 && stored_opt->count() > 0)
            throw usage_error("copy: --deflate and --stored exclude each other");
        if (deflate_opt->count() > 0) {
            copy.method = copy_method::deflate;
            copy.level = deflate_level < 0 ? 6 : deflate_level;
        } else if (stored) {
            copy.method = copy_method::stored;
        }
        run = [&] { return run_copy(copy); };
    });

    cat_options cat;
    std::string cat_member;
    std::uint64_t cat_head = 0;
    auto* cat_cmd = app.add_subcommand("cat", "Print the values of one member, numpy style");
    cat_cmd->footer(
        "Print the values of one member, numpy style: a comment line with name, dtype,\n"
        "shape and memory order, then the values in C (row-major) order, nested in\n"
        "brackets by dimension. Integers in decimal, floats with the fewest digits that\n"
        "read back exactly (float16 included), complex as (re+imj), bool as True/False.\n"
        "With --head N, only the first N values in C order, as a flat list; of a\n"
        "stored member only those values are read, so its CRC is not checked then\n"
        "(colsnap verify checks it); a deflated member is inflated whole.");
    cat_cmd->add_option("FILE", cat.file, "an .npz or .npy file")->required();
    auto* member_opt =
        cat_cmd->add_option("MEMBER", cat_member,
                            "member of the .npz (numpy's key, or its zip name); optional\n"
                            "for an .npy");
    auto* head_opt = cat_cmd->add_option("--head", cat_head, "print only the first N values")
                         ->type_name("N")
                         ->check(apps_common::whole_number(0));
    cat_cmd->callback([&] {
        if (member_opt->count() > 0) cat.member = cat_member;
        if (head_opt->count() > 0) cat.head = cat_head;
        run = [&] { return run_cat(cat); };
    });

    hash_options hash;
    auto* hash_cmd = app.add_subcommand(
        "hash", "Print the content hash of each FILE (sha256sum format), or --check a list");
    hash_cmd->footer(
        "Print the content hash of each FILE as \"HEX  FILE\" (32 hex digits, like\n"
        "sha256sum): XXH3-128 over the members in name order, each as name, dtype,\n"
        "shape and little-endian C-order bytes. It does not change with stored/deflate,\n"
        "byte order or C/Fortran order, so `colsnap copy` keeps it. An .npy hashes as\n"
        "one member named \"\". Exits 1 if any FILE fails (the others are still hashed).\n"
        "With --check, each FILE is such a list (\"-\": standard input): every listed\n"
        "file is hashed again and reported \"NAME: OK\" or \"NAME: FAILED\", as\n"
        "sha256sum -c does; exits 1 if any listed file fails or any line is malformed.");
    hash_cmd->add_option("FILE", hash.files, ".npz or .npy files (with --check: hash lists)")
        ->required();
    hash_cmd->add_flag("-c,--check", hash.check,
                       "read \"HEX  FILE\" lines from FILE and check them");
    hash_cmd->callback([&] { run = [&] { return run_hash(hash); }; });

    diff_options diff;
    auto* diff_cmd = app.add_subcommand(
        "diff", "Compare two files: members only on one side, dtype/shape/value differences");
    diff_cmd->footer(
        "Compare the contents of two files: members only in A or only in B, dtype or\n"
        "shape differences, and for same-shaped members the number of differing\n"
        "elements with the first differing index and both values. Values are compared\n"
        "bit for bit in native byte order and C order, so byte order, C/Fortran order\n"
        "and stored/deflate are not differences (they are reported as notes). The last\n"
        "line says how many common members differ. Exits 0 when the contents are\n"
        "identical, 1 when they differ, 2 when they cannot be compared (a file is\n"
        "missing or invalid, or the command line is wrong), as diff(1) does.");
    diff_cmd->add_option("A", diff.a, "an .npz or .npy file")->required();
    diff_cmd->add_option("B", diff.b, "an .npz or .npy file")->required();
    diff_cmd->callback([&] {
        run = [&] {
            install_sigbus_guard(exit_usage); // a file that shrinks under diff: 2, not 1
            try {
                return run_diff(diff);
            } catch (const usage_error&) {
                throw;
            } catch (const std::exception& e) {
                print_error(e.what()); // could not compare: 2, so that 1 always means "different"
                return exit_usage;
            }
        };
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e); // --help, --version
        std::string what = e.what();
        if (argc == 1) what = "no command given (commands: ls, verify, copy, cat, hash, diff)";
        else if (app.get_subcommands().empty() && argv[1][0] != '-')
            what = std::string("unknown command '") + argv[1] +
                   "' (commands: ls, verify, copy, "
                   "cat, hash, diff)";
        print_error("usage: " + what + " (see colsnap --help)");
        return exit_usage;
    }
    return run ? run() : exit_usage;
}

} // namespace
} // namespace colsnap_cli

int main(int argc, char** argv) {
    using namespace colsnap_cli;
    install_sigbus_guard();
    try {
        return parse_and_run(argc, argv);
    } catch (const usage_error& e) {
        print_error(std::string("usage: ") + e.what() + " (see colsnap --help)");
        return exit_usage;
    } catch (const std::exception& e) {
        print_error(e.what());
        return exit_invalid;
    } catch (...) {
        print_error("unknown error");
        return exit_invalid;
    }
}
