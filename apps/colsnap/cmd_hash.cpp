// colsnap hash FILE...: content hash of each file, sha256sum style; --check LIST... checks
// "HEX  FILE" lines as sha256sum -c does.

#include "commands.hpp"
#include "snapshot_source.hpp"

#include <colsnap/hash.hpp>

#include <cctype>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

namespace colsnap_cli {
namespace {

constexpr std::size_t hex_digits = 32; // XXH3-128

void put(std::FILE* f, const std::string& line) { std::fwrite(line.data(), 1, line.size(), f); }

/// Undoes escape_text (\n, \t, \r, \\, \xNN), so that a name printed by `hash` reads back.
std::string unescape_text(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\' || i + 1 == text.size()) {
            out += text[i];
            continue;
        }
        const char c = text[++i];
        if (c == 'n') out += '\n';
        else if (c == 't') out += '\t';
        else if (c == 'r') out += '\r';
        else if (c == 'x' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else out += c;
    }
    return out;
}

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

void check_list(const std::string& list, std::istream& in, check_counts& n) {
    std::uint64_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        const auto entry = parse_line(line);
        if (!entry) {
            print_error(escape_text(list) + ": line " + std::to_string(line_no) +
                        ": not a \"HEX  FILE\" line (32 hex digits, two spaces, a file name)");
            ++n.malformed;
            continue;
        }
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
}

int run_check(const hash_options& opt) {
    check_counts n;
    for (const std::string& list : opt.files) {
        if (list == "-") {
            check_list("standard input", std::cin, n);
            continue;
        }
        std::ifstream in(list);
        if (!in) {
            print_error(escape_text(list) + ": cannot open the hash list");
            ++n.unreadable;
            continue;
        }
        check_list(list, in, n);
    }
    std::fflush(stdout);
    const auto warn = [](std::uint64_t count, const char* one, const char* many) {
        if (count > 0) print_error("WARNING: " + std::to_string(count) + " " + (count == 1 ? one : many));
    };
    warn(n.malformed, "line is improperly formatted", "lines are improperly formatted");
    warn(n.unreadable, "listed file could not be read", "listed files could not be read");
    warn(n.mismatched, "computed hash did NOT match", "computed hashes did NOT match");
    return n.mismatched + n.unreadable + n.malformed == 0 ? exit_ok : exit_invalid;
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
