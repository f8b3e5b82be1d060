// The hostile corpus: files numpy wrote, then damaged on purpose (tests/corrupt/make_corpus.py),
// every truncation of valid archives, and random byte flips. Each must be refused with the
// specific colsnap::errc and a message naming the file (and the member, where there is one),
// without crashing, without any exception other than colsnap::error, and without allocating
// more than the file justifies (operator new is tracked: alloc_tracker.cpp).

#include "alloc_tracker.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include <test_files.hpp>
#include <test_process.hpp>

namespace {

using namespace colsnap_test; // alloc_tracker.hpp
using namespace test_common;

const std::string generator = COLSNAP_MAKE_CORPUS;   // tests/corrupt/make_corpus.py
const std::string regressions = COLSNAP_REGRESSIONS; // tests/corrupt/regressions/

/// No hostile file here is larger than 1 MB; nothing in reading one may allocate 64 MiB at once.
constexpr std::size_t max_single_allocation = std::size_t{64} << 20;

struct outcome {
    bool accepted = false;
    bool colsnap_error = false;
    colsnap::errc code{};
    std::string what, file, member, other;
};

outcome attempt(const std::function<void()>& f) {
    outcome o;
    try {
        f();
        o.accepted = true;
    } catch (const colsnap::error& e) {
        o.colsnap_error = true;
        o.code = e.code();
        o.what = e.what();
        o.file = e.file();
        o.member = e.member();
    } catch (const std::exception& e) {
        o.other = std::string("std::exception: ") + e.what();
    } catch (...) {
        o.other = "an exception that is not a std::exception";
    }
    return o;
}

/// Everything a caller can ask of an archive: the directory (open), every member, every CRC.
void load_all(const colsnap::npz_reader& r) {
    r.verify();
    for (const auto& m : r.members()) {
        const colsnap::array raw = r.raw(m);
        const colsnap::array got = r.get(m.name);
        (void)raw.bytes();
        (void)got.bytes();
    }
}

void load_npy_file(const fs::path& p) { (void)colsnap::read_npy(p).to_native_c(); }

std::shared_ptr<std::vector<std::byte>> exact_copy(std::span<const std::byte> b) {
    // Exactly b.size() bytes on the heap, so that ASan sees any read past the end.
    return std::make_shared<std::vector<std::byte>>(b.begin(), b.end());
}

std::set<std::string> parse_codes(const std::string& s) {
    auto v = split(s, ',');
    return {v.begin(), v.end()};
}

std::string codes_text(const std::set<std::string>& s) {
    std::string o;
    for (const auto& c : s) o += (o.empty() ? "" : "|") + c;
    return o;
}

/// Checks one refusal: a colsnap::error, one of @p codes, naming @p label and @p member.
void expect_refusal(const outcome& o, const std::set<std::string>& codes, const std::string& label,
                    const std::string& member) {
    if (o.accepted) {
        ADD_FAILURE() << "accepted; want " << codes_text(codes);
        return;
    }
    if (!o.colsnap_error) {
        ADD_FAILURE() << "threw " << o.other << " instead of colsnap::error";
        return;
    }
    const std::string got(colsnap::to_string(o.code));
    EXPECT_TRUE(codes.count(got)) << "code " << got << ", want " << codes_text(codes)
                                  << "\n  what(): " << o.what;
    if (!label.empty()) {
        EXPECT_NE(o.what.find(label), std::string::npos)
            << "what() does not name the file: " << o.what;
        EXPECT_NE(o.file.find(label), std::string::npos) << "file() is '" << o.file << "'";
    }
    if (member != "-") {
        EXPECT_NE(o.what.find(member), std::string::npos)
            << "what() does not name member " << member << ": " << o.what;
        EXPECT_NE(o.member.find(member), std::string::npos) << "member() is '" << o.member << "'";
    }
}

/// Failed assertions so far in the running test (to tell which corpus cases failed).
int failed_assertions() {
    const ::testing::TestResult* r =
        ::testing::UnitTest::GetInstance()->current_test_info()->result();
    int n = 0;
    for (int i = 0; i < r->total_part_count(); ++i) n += r->GetTestPartResult(i).failed();
    return n;
}

struct corpus_case {
    std::string file, api, member, desc;
    std::set<std::string> codes;
};

/// Generates the corpus once per process into a scratch directory.
const temp_dir& corpus_dir() {
    static const temp_dir dir("corrupt");
    static const bool made = [] {
        std::string out;
        int rc = run(std::string(python) + " " + quote(generator) + " " + quote(dir.path()), out);
        if (rc != 0) std::cerr << "make_corpus.py failed:\n" << out;
        return rc == 0;
    }();
    if (!made) throw std::runtime_error("corpus generation failed");
    return dir;
}

std::vector<corpus_case> read_cases(const fs::path& dir) {
    std::vector<corpus_case> out;
    for (const auto& c : read_tsv(dir / "cases.tsv", 5))
        out.push_back({c[0], c[1], c[3], c[4], parse_codes(c[2])});
    return out;
}

TEST(HostileCorpus, EveryCaseIsRefusedWithItsCodeFileAndMember) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    const temp_dir& dir = corpus_dir();
    const auto cases = read_cases(dir.path());
    ASSERT_GE(cases.size(), 150u);
    std::map<std::string, int> by_code;
    std::vector<std::string> wrong;
    for (const auto& c : cases) {
        const int failures_before = failed_assertions();
        SCOPED_TRACE(c.file + " (" + c.desc + ")");
        const fs::path path = dir / c.file;
        const auto bytes = read_file(path);

        // 1. From the file (mmap), which must name the file.
        reset_largest_allocation();
        outcome o = attempt([&] {
            if (c.api == "npy") load_npy_file(path);
            else load_all(colsnap::npz_reader::open(path));
        });
        expect_refusal(o, c.codes, c.file, c.member);
        EXPECT_LE(largest_allocation(), max_single_allocation)
            << "allocated " << largest_allocation() << " bytes at once for a " << bytes.size()
            << "-byte file";
        if (o.colsnap_error) ++by_code[std::string(colsnap::to_string(o.code))];

        // 2. From memory (exactly sized buffer), labelled: same code, label named.
        const auto mem = exact_copy(bytes);
        const std::string label = "mem:" + c.file;
        reset_largest_allocation();
        o = attempt([&] {
            if (c.api == "npy") (void)colsnap::parse_npy(*mem, mem).to_native_c();
            else load_all(colsnap::npz_reader::from_memory(*mem, mem, label));
        });
        expect_refusal(o, c.codes, c.api == "npy" ? "" : label, c.member);
        EXPECT_LE(largest_allocation(), max_single_allocation);
        if (failed_assertions() != failures_before) wrong.push_back(c.file);
    }
    std::cout << "[ corpus   ] " << cases.size() - wrong.size() << " of " << cases.size()
              << " hostile files refused as specified; codes:";
    for (const auto& [code, n] : by_code) std::cout << ' ' << code << '=' << n;
    std::cout << '\n';
    for (const auto& w : wrong) std::cout << "[ corpus   ] NOT AS SPECIFIED: " << w << '\n';
}

TEST(HostileCorpus, HeaderParserAloneRefusesEveryHostileNpyHeader) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    const temp_dir& dir = corpus_dir();
    int n = 0;
    for (const auto& c : read_cases(dir.path())) {
        if (c.api != "npy") continue;
        // Only the header faults: payload-size faults are not the header parser's to see.
        if (c.codes.count("truncated") || c.codes.count("trailing_bytes")) continue;
        SCOPED_TRACE(c.file + " (" + c.desc + ")");
        const auto mem = exact_copy(read_file(dir / c.file));
        reset_largest_allocation();
        const outcome o = attempt([&] { (void)colsnap::parse_npy_header(*mem); });
        expect_refusal(o, c.codes, "", "-");
        EXPECT_LE(largest_allocation(), max_single_allocation);
        ++n;
    }
    EXPECT_GE(n, 35);
}

TEST(HostileCorpus, EveryTruncationOfValidFilesIsRefused) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    const temp_dir& dir = corpus_dir();
    std::size_t lengths = 0;
    for (const char* name : {"base_stored.npz", "base_deflate.npz"}) {
        const auto full = read_file(dir / name);
        ASSERT_GT(full.size(), 500u);
        {
            // Sanity: the untruncated archive loads.
            const auto mem = exact_copy(full);
            const outcome o =
                attempt([&] { load_all(colsnap::npz_reader::from_memory(*mem, mem, name)); });
            ASSERT_TRUE(o.accepted) << name << " itself is refused: " << o.what << o.other;
        }
        for (std::size_t len = 0; len < full.size(); ++len) {
            SCOPED_TRACE(std::string(name) + " cut to " + std::to_string(len) + " bytes");
            const auto mem = exact_copy(std::span(full).first(len));
            const std::string label = std::string("cut:") + name;
            const outcome o =
                attempt([&] { load_all(colsnap::npz_reader::from_memory(*mem, mem, label)); });
            expect_refusal(o, {"not_a_zip", "truncated", "zip_corrupt"}, label, "-");
            ++lengths;
            if (::testing::Test::HasFailure()) return; // one length is enough to diagnose
        }
    }
    const auto npy = read_file(dir / "base.npy");
    for (std::size_t len = 0; len < npy.size(); ++len) {
        SCOPED_TRACE("base.npy cut to " + std::to_string(len) + " bytes");
        const auto mem = exact_copy(std::span(npy).first(len));
        const outcome o = attempt([&] { (void)colsnap::parse_npy(*mem, mem).to_native_c(); });
        if (len < 6) expect_refusal(o, {"truncated", "bad_magic"}, "", "-");
        else expect_refusal(o, {"truncated"}, "", "-");
        ++lengths;
        if (::testing::Test::HasFailure()) return;
    }
    std::cout << "[ truncate ] " << lengths << " truncated files refused\n";
}

/// What an accepted file holds, to compare a mutated one against.
struct content {
    std::vector<std::string> names;
    std::vector<colsnap::array_info> infos;
    std::vector<std::vector<std::byte>> bytes;
    friend bool operator==(const content&, const content&) = default;
};

content read_content(const colsnap::npz_reader& r) {
    content c;
    r.verify();
    for (const auto& m : r.members()) {
        c.names.push_back(m.name);
        const colsnap::array a = r.get(m.name);
        c.infos.push_back(a.info());
        c.bytes.emplace_back(a.bytes().begin(), a.bytes().end());
    }
    return c;
}

content read_npy_content(const std::shared_ptr<std::vector<std::byte>>& mem) {
    const colsnap::array a = colsnap::parse_npy(*mem, mem).to_native_c();
    content c;
    c.infos.push_back(a.info());
    c.bytes.emplace_back(a.bytes().begin(), a.bytes().end());
    return c;
}

int bitflip_iterations() {
    const char* e = std::getenv("COLSNAP_BITFLIP_ITERATIONS");
    return e ? std::atoi(e) : 20000;
}

TEST(HostileCorpus, RandomByteFlipsLoadEqualOrThrowColsnapError) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    const temp_dir& dir = corpus_dir();
    std::mt19937_64 rng(0xC0115AA9);
    const int iterations = bitflip_iterations();
    for (const char* name : {"base_stored.npz", "base_deflate.npz", "base.npy"}) {
        const bool is_npy = std::string(name).ends_with(".npy");
        const auto full = read_file(dir / name);
        const auto orig_mem = exact_copy(full);
        content original;
        ASSERT_NO_THROW(original = is_npy ? read_npy_content(orig_mem)
                                          : read_content(colsnap::npz_reader::from_memory(
                                                *orig_mem, orig_mem, name)));
        std::map<std::string, int> tally;
        for (int i = 0; i < iterations; ++i) {
            auto mem = exact_copy(full);
            const int flips = 1 + static_cast<int>(rng() % 4);
            std::string where;
            for (int f = 0; f < flips; ++f) {
                const std::size_t pos = rng() % mem->size();
                const auto x = static_cast<std::byte>(1 + rng() % 255);
                (*mem)[pos] ^= x;
                where.append(" ").append(std::to_string(pos)).append("^");
                where.append(std::to_string(static_cast<int>(x)));
            }
            SCOPED_TRACE(std::string(name) + " iteration " + std::to_string(i) +
                         ", flips:" + where);
            content got;
            const std::string label = std::string("flip:") + name;
            const outcome o = attempt([&] {
                got = is_npy ? read_npy_content(mem)
                             : read_content(colsnap::npz_reader::from_memory(*mem, mem, label));
            });
            if (o.accepted && is_npy) {
                // A bare .npy has no checksum: a flipped payload byte is a different valid
                // array. It must still be self-consistent.
                ASSERT_EQ(got.infos.size(), 1u);
                EXPECT_EQ(got.bytes[0].size(), got.infos[0].nbytes());
                ++tally[got == original ? "accepted, equal" : "accepted, other valid array"];
            } else if (o.accepted) {
                // Every byte of an archive member is covered by its CRC-32 or checked against
                // the directory: a damaged archive either loads the same arrays or is refused.
                EXPECT_TRUE(got == original) << "accepted a damaged archive with different content";
                ++tally["accepted, equal"];
            } else if (o.colsnap_error) {
                if (!is_npy) {
                    EXPECT_NE(o.what.find(label), std::string::npos) << "no file in: " << o.what;
                }
                ++tally[std::string(colsnap::to_string(o.code))];
            } else {
                ADD_FAILURE() << "threw " << o.other;
            }
            if (::testing::Test::HasFailure()) return;
        }
        std::cout << "[ bitflip  ] " << name << ": " << iterations << " mutants:";
        for (const auto& [k, n] : tally) std::cout << ' ' << k << '=' << n;
        std::cout << '\n';
    }
}

/// An archive whose one member is named @p name (written as a same-length placeholder, then
/// renamed in both headers) and whose data fails its CRC: reading it must throw crc_mismatch.
std::shared_ptr<std::vector<std::byte>> archive_named(const std::string& name) {
    const temp_dir dir("names");
    const std::string placeholder(name.size(), 'Q');
    const std::vector<std::int32_t> v = {1, 2, 3, 4};
    const std::vector<colsnap::column_ref> cols = {
        colsnap::column(placeholder, std::span<const std::int32_t>(v))};
    colsnap::save_npz(dir / "n.npz", cols, {.durable = false});
    auto mem = exact_copy(read_file(dir.path() / "n.npz"));
    auto* bytes = reinterpret_cast<char*>(mem->data());
    std::string_view all(bytes, mem->size());
    int renamed = 0;
    for (auto at = all.find(placeholder + ".npy"); at != std::string_view::npos;
         at = all.find(placeholder + ".npy", at + 1)) {
        std::memcpy(bytes + at, name.data(), name.size());
        ++renamed;
    }
    EXPECT_EQ(renamed, 2);                                   // local header and central directory
    bytes[mem->size() - 22 - 46 - name.size() - 4 - 1] ^= 1; // the payload's last byte: CRC fails
    return mem;
}

// A member name is bytes from the file: what() must carry all of it, escaped, on one line, so
// that the reason, offset and code after it are not lost (a NUL used to end the message there).
// A name without the UTF-8 flag is cp437 (as zipfile decodes it): 0xFF is U+00A0. A NUL is
// refused while the directory is read (zipfile would cut the name there), under the zip name.
TEST(HostileNames, ErrorMessagesEscapeMemberNames) {
    using namespace std::string_literals;
    const struct {
        std::string name, shown, member;
        colsnap::errc code;
    } cases[] = {
        {"a\0b"s, "a\\x00b.npy", "a\0b.npy"s, colsnap::errc::zip_corrupt},
        {"two\nlines", "two\\x0alines", "two\nlines", colsnap::errc::crc_mismatch},
        {"esc\x1b[31mred", "esc\\x1b[31mred", "esc\x1b[31mred", colsnap::errc::crc_mismatch},
        {"not\xffutf8", "not\u00a0utf8", "not\u00a0utf8", colsnap::errc::crc_mismatch},
        {"back\\slash", "back\\\\slash", "back\\slash", colsnap::errc::crc_mismatch},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.shown);
        const auto mem = archive_named(c.name);
        const outcome o =
            attempt([&] { load_all(colsnap::npz_reader::from_memory(*mem, mem, "f.npz")); });
        ASSERT_TRUE(o.colsnap_error) << o.other;
        const std::string code(colsnap::to_string(c.code));
        EXPECT_EQ(o.code, c.code) << o.what;
        EXPECT_EQ(o.member, c.member); // the accessor keeps the bytes
        EXPECT_TRUE(o.what.starts_with("f.npz: member " + c.shown + ": at byte ")) << o.what;
        EXPECT_TRUE(o.what.ends_with("[" + code + "]")) << o.what;
        EXPECT_EQ(o.what.find('\n'), std::string::npos) << o.what;
    }
}

// The allocation bound above is only evidence if the tracker sees allocations (under ASan too).
TEST(AllocTracker, SeesLargeAllocations) {
    reset_largest_allocation();
    void* p = ::operator new (std::size_t{100} << 20); // a direct call: never elided
    ::operator delete(p);
    EXPECT_GE(largest_allocation(), std::size_t{100} << 20);
    reset_largest_allocation();
    EXPECT_LT(largest_allocation(), std::size_t{1} << 20);
}

/// Inputs found by the fuzzers (fuzz/) that once crashed or misbehaved: each must now be refused
/// with a colsnap::error (or load), through both the archive reader and the .npy parser.
TEST(FuzzRegressions, EveryFoundInputIsHandled) {
    if (!fs::is_directory(regressions)) GTEST_SKIP() << "no regression inputs yet";
    int n = 0;
    for (const auto& entry : fs::directory_iterator(regressions)) {
        if (!entry.is_regular_file()) continue;
        SCOPED_TRACE(entry.path().filename().string());
        const auto mem = exact_copy(read_file(entry.path()));
        for (int api = 0; api < 3; ++api) {
            const outcome o = attempt([&] {
                if (api == 0) (void)colsnap::parse_npy_header(*mem);
                else if (api == 1) (void)colsnap::parse_npy(*mem, mem).to_native_c();
                else load_all(colsnap::npz_reader::from_memory(*mem, mem, "regression"));
            });
            EXPECT_TRUE(o.accepted || o.colsnap_error) << "threw " << o.other;
        }
        ++n;
    }
    std::cout << "[ regress  ] " << n << " fuzz-found inputs handled\n";
}

} // namespace
