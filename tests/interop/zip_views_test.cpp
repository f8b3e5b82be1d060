// The differential test of the zip reader: every archive of the hostile corpus and every crafted
// archive of tests/corrupt/make_corpus.py (readable.tsv: end records, directory entries, names
// numpy decodes as cp437, .npy content under other names, ...) is opened by colsnap and by numpy
// (np.load, CPython's zipfile underneath; tests/interop/zip_views.py). colsnap must see the same
// keys, in the same order, each reading the same zip member with the same bytes, or refuse the
// archive with one clear error line. The readable ones it must read; `colsnap copy` of each must
// give numpy the same keys and the same values.

#include "support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace {

using namespace colsnap_test;

const std::string make_corpus = COLSNAP_MAKE_CORPUS; // tests/corrupt/make_corpus.py
const std::string zip_views = COLSNAP_ZIP_VIEWS;     // tests/interop/zip_views.py

/// One key as numpy sees it (a line of zip_views.py's output).
struct numpy_key {
    std::string key, zip_name, kind, content_hex, array;
};
struct numpy_view {
    bool refused = false;
    std::string reason;
    std::vector<numpy_key> keys;
};

std::string unhex(const std::string& h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

std::string hex(std::span<const std::byte> b) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const std::byte x : b) {
        out.push_back(digits[std::to_integer<unsigned>(x) >> 4]);
        out.push_back(digits[std::to_integer<unsigned>(x) & 15]);
    }
    return out;
}

/// What numpy sees in every .npz of @p dir.
std::map<std::string, numpy_view> numpy_views(const fs::path& dir) {
    std::string out;
    const fs::path tsv = dir / "numpy_views.tsv";
    EXPECT_EQ(
        run(std::string(python) + " " + quote(zip_views) + " " + quote(dir) + " " + quote(tsv),
            out),
        0)
        << out;
    std::map<std::string, numpy_view> views;
    for (const auto& c : test_common::read_tsv(tsv, 6)) {
        numpy_view& v = views[c[0]];
        if (c[1] == "!") {
            v.refused = true;
            v.reason = c[5];
            continue;
        }
        v.keys.push_back({unhex(c[1]), unhex(c[2]), c[3], c[4], c[5]});
    }
    return views;
}

std::set<std::string> readable_files(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& c : test_common::read_tsv(dir / "readable.tsv", 2)) out.insert(c[0]);
    return out;
}

const temp_dir& corpus() {
    static temp_dir dir("zipviews");
    static const bool made = [] {
        std::string out;
        const int rc =
            run(std::string(python) + " " + quote(make_corpus) + " " + quote(dir.path()), out);
        if (rc != 0) std::cerr << "make_corpus.py failed:\n" << out;
        return rc == 0;
    }();
    if (!made) throw std::runtime_error("corpus generation failed");
    return dir;
}

/// colsnap's reading of @p path against numpy's; returns whether colsnap read it.
bool compare(const fs::path& path, const numpy_view& np) {
    const std::string file = path.filename().string();
    std::optional<colsnap::npz_reader> r;
    try {
        r.emplace(colsnap::npz_reader::open(path));
        r->verify();
    } catch (const colsnap::error& e) {
        // A refusal: one line naming the file, with its code.
        const std::string what = e.what();
        EXPECT_NE(what.find(path.string()), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        EXPECT_TRUE(what.ends_with("[" + std::string(colsnap::to_string(e.code())) + "]")) << what;
        return false;
    }
    EXPECT_FALSE(np.refused) << file << ": colsnap reads it, numpy refuses it (" << np.reason
                             << ")";
    if (np.refused) return true;
    const auto& ms = r->members();
    std::vector<std::string> ours, theirs;
    for (const auto& m : ms) ours.push_back(m.name);
    for (const auto& k : np.keys) theirs.push_back(k.key);
    EXPECT_EQ(ours, theirs) << file << ": keys differ";
    if (ours != theirs) return true;
    for (std::size_t i = 0; i < ms.size(); ++i) {
        const colsnap::member_info& m = ms[i];
        const numpy_key& k = np.keys[i];
        SCOPED_TRACE(file + ": key '" + k.key + "'");
        // numpy's z[key] and colsnap's find(key) read one zip member, with the same bytes.
        EXPECT_EQ(r->find(k.key), &m);
        EXPECT_EQ(m.zip_name, k.zip_name);
        EXPECT_EQ(hex(r->content(m).bytes), k.content_hex);
        if (m.kind == colsnap::member_kind::objects) {
            // colsnap keeps a pickle as bytes, never unpickling it: whether numpy's unpickler
            // accepts it (here even with allow_pickle=True) is no part of what colsnap reads.
            EXPECT_NE(k.kind, "bytes");
            continue;
        }
        EXPECT_NE(k.kind, "error") << "numpy cannot read a member colsnap reads";
        EXPECT_EQ(k.kind == "array", m.kind == colsnap::member_kind::array);
        EXPECT_EQ(m.kind == colsnap::member_kind::directory, m.zip_name.ends_with('/'));
        if (m.kind == colsnap::member_kind::array) {
            EXPECT_NO_THROW((void)r->get(k.key));
        }
    }
    return true;
}

TEST(ZipViews, ColsnapSeesWhatNumpySeesOrRefuses) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    const temp_dir& dir = corpus();
    const auto views = numpy_views(dir.path());
    const auto readable = readable_files(dir.path());
    ASSERT_GE(views.size(), 150u);
    ASSERT_GE(readable.size(), 10u);
    std::size_t read = 0, refused = 0;
    for (const auto& [file, np] : views) {
        const bool ours = compare(dir / file, np);
        (ours ? read : refused) += 1;
        if (readable.count(file)) {
            EXPECT_TRUE(ours) << file << ": numpy reads it, colsnap must";
        }
    }
    std::cout << "[ views    ] " << views.size() << " archives: colsnap reads " << read
              << " as numpy does, refuses " << refused << '\n';
}

// The archives numpy itself writes (np.savez, savez_compressed, odd names, positional arrays,
// tests/interop/numpy_side.py write-npz and write-kinds): every one read, as numpy reads it.
TEST(ZipViews, NumpyWrittenArchivesReadAsNumpyReadsThem) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    const temp_dir dir("zipviews-numpy");
    for (const char* what : {"write-npz", "write-kinds"}) {
        std::string out;
        ASSERT_EQ(run(std::string(python) + " " + quote(std::string(COLSNAP_NUMPY_SIDE)) + " " +
                          what + " " + quote(dir.path()),
                      out),
                  0)
            << out;
    }
    const auto views = numpy_views(dir.path());
    ASSERT_GE(views.size(), 3u);
    for (const auto& [file, np] : views) {
        EXPECT_FALSE(np.refused) << file << ": " << np.reason;
        EXPECT_TRUE(compare(dir / file, np)) << file << ": numpy reads it, colsnap must";
    }
}

#ifdef COLSNAP_CLI
// `colsnap copy` keeps every key numpy sees, and its value; the writer sets the UTF-8 flag only
// on UTF-8 names, so that numpy (and Java) can open the copy of a cp437 name.
TEST(ZipViews, CopyKeepsEveryKeyNumpySees) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    const temp_dir& dir = corpus();
    const auto views = numpy_views(dir.path());
    temp_dir copies("zipcopies");
    for (const std::string& file : readable_files(dir.path())) {
        std::string out;
        EXPECT_EQ(run(std::string(COLSNAP_CLI) + " copy " + quote(dir / file) + " " +
                          quote(copies / file),
                      out),
                  0)
            << file << ": " << out;
    }
    const auto copied = numpy_views(copies.path());
    for (const std::string& file : readable_files(dir.path())) {
        SCOPED_TRACE(file);
        const auto it = copied.find(file);
        ASSERT_NE(it, copied.end());
        const numpy_view& a = views.at(file);
        const numpy_view& b = it->second;
        ASSERT_FALSE(b.refused) << b.reason;
        ASSERT_EQ(a.keys.size(), b.keys.size());
        for (std::size_t i = 0; i < a.keys.size(); ++i) {
            EXPECT_EQ(a.keys[i].key, b.keys[i].key);
            EXPECT_EQ(a.keys[i].kind, b.keys[i].kind);
            // arrays may be rewritten (header spacing); their values and dtype may not change
            if (a.keys[i].kind == "array") EXPECT_EQ(a.keys[i].array, b.keys[i].array);
            else EXPECT_EQ(a.keys[i].content_hex, b.keys[i].content_hex);
        }
    }
    // ls names what a directory entry is.
    std::string out;
    ASSERT_EQ(run(std::string(COLSNAP_CLI) + " ls " + quote(dir / "view_zip_r_dirs.npz"), out), 0);
    EXPECT_NE(out.find("directory"), std::string::npos) << out;
}
#endif

} // namespace
