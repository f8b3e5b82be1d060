// colsnap hash FILE...: content hash of each file, sha256sum style; --check LIST... checks
// "HEX  FILE" lines as sha256sum -c does.

#include "commands.hpp"
#include "snapshot_source.hpp"

#include <colsnap/hash.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

namespace colsnap_cli {
namespace {

constexpr std::size_t hex_digits = 32; // XXH3-128

void put(std::FILE* f, const std::string& line) { std::fwrite(line.data(), 1, line.size(), f); }

/// "HEX  FILE" (or "HEX *FILE"): the expected hex and the file, or nothing if malformed.
std::optional<std::pair<std::string, std::string>> parse_line(const std::string& line) {
    if (line.size() < hex_digits + 3) return std::nullopt;
    const std::string hex = line.substr(0, hex_digits);
    if (hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
    if (line[hex_digits] != ' ' || (line[hex_digits + 1] != ' ' && line[hex_digits + 1] != '*'))
        return std::nullopt;
    std::string lower = hex;
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    return std::pair{lower, unescape_text(std::string_view(line).substr(hex_digits + 2))};
}

struct check_counts {
    std::uint64_t mismatched = 0, unreadable = 0, malformed = 0;
};

/// Checks every line of one list; returns how many lines were well formed.
std::uint64_t check_list(const std::string& list, std::istream& in, check_counts& n) {
    std::uint64_t line_no = 0, well_formed = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (line.ends_with('\r')) line.pop_back(); // a list written on Windows
        const auto entry = parse_line(line);
        if (!entry) {
            print_error(list + ": line " + std::to_string(line_no) +
                        ": not a \"HEX  FILE\" line (32 hex digits, two spaces, a file name)");
            ++n.malformed;
            continue;
        }
        ++well_formed;
        const auto& [want, file] = *entry;
        try {
            const bool ok = colsnap::hash_file(file).hex() == want;
            put(stdout, escape_text(file) + (ok ? ": OK\n" : ": FAILED\n"));
            if (!ok) ++n.mismatched;
        } catch (const std::exception& e) {
            std::fflush(stdout);
            print_error(e.what());
            put(stdout, escape_text(file) + ": FAILED open or read\n");
            ++n.unreadable;
        }
    }
    return well_formed;
}

/// One list: a list that cannot be read, or has no well-formed line, fails on its own line
/// (as sha256sum -c: "LIST: No such file or directory", "LIST: no properly formatted checksum
/// lines found"), without counting its lines in the warnings.
bool check_one_list(const std::string& list, check_counts& n) {
    // print_error escapes the name.
    const std::string shown = list == "-" ? "standard input" : list;
    std::ifstream file;
    std::istream* in = &std::cin;
    if (list != "-") {
        std::error_code ec;
        if (std::filesystem::is_directory(list, ec)) {
            print_error(shown + ": " + std::strerror(EISDIR));
            return false;
        }
        errno = 0;
        file.open(list);
        if (!file) {
            print_error(shown + ": " + std::strerror(errno != 0 ? errno : EIO));
            return false;
        }
        in = &file;
    }
    const std::uint64_t malformed_before = n.malformed;
    if (check_list(shown, *in, n) == 0) {
        n.malformed = malformed_before;
        print_error(shown + ": no properly formatted checksum lines found");
        return false;
    }
    return true;
}

int run_check(const hash_options& opt) {
    check_counts n;
    bool lists_ok = true;
    for (const std::string& list : opt.files) lists_ok = check_one_list(list, n) && lists_ok;
    std::fflush(stdout);
    const auto warn = [](std::uint64_t count, const char* one, const char* many) {
        if (count > 0)
            print_error("WARNING: " + std::to_string(count) + " " + (count == 1 ? one : many));
    };
    warn(n.malformed, "line is improperly formatted", "lines are improperly formatted");
    warn(n.unreadable, "listed file could not be read", "listed files could not be read");
    warn(n.mismatched, "computed hash did NOT match", "computed hashes did NOT match");
    return lists_ok && n.mismatched + n.unreadable + n.malformed == 0 ? exit_ok : exit_invalid;
}

} // namespace

int run_hash(const hash_options& opt) {
    if (opt.check) return run_check(opt);
    int status = exit_ok;
    for (const std::string& file : opt.files) {
        try {
            const colsnap::digest d = colsnap::hash_file(file, colsnap::file_access::read);
            put(stdout, d.hex() + "  " + escape_text(file) + "\n");
        } catch (const std::exception& e) {
            // Report and go on with the other files, as sha256sum does.
            print_error(e.what());
            status = exit_invalid;
        }
    }
    return status;
}

} // namespace colsnap_cli
