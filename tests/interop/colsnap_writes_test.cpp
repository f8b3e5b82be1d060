// colsnap writes, numpy reads: every dtype, byte order, memory order and 0-d/empty/3-d shape, as
// .npy (byte-identical to np.save's, loadable with mmap_mode='r') and as .npz (stored, deflate at
// levels 0/1/6/9/12, mixed, save_npz in parallel), unicode and 200-character names, 70,000
// members. numpy (tests/interop/numpy_side.py check) compares the bytes it loads with the bytes
// colsnap was given, and parses the zip local headers itself to check 64-byte alignment.
// Also: the same arrays always give byte-identical archives.

#include "support.hpp"

#include <colsnap/colsnap.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

namespace {

using namespace colsnap_test;
using colsnap::byte_order;
using colsnap::compression;
using colsnap::dtype;
using colsnap::dtype_kind;

const std::string side = COLSNAP_NUMPY_SIDE;

struct variant {
    char kind; ///< numpy kind letter: b i u f c
    int size;
    char order; ///< '<' '>' '|'
    dtype type() const {
        dtype_kind k = kind == 'b'   ? dtype_kind::boolean
                       : kind == 'i' ? dtype_kind::signed_int
                       : kind == 'u' ? dtype_kind::unsigned_int
                       : kind == 'f' ? dtype_kind::floating
                                     : dtype_kind::complex;
        byte_order o = order == '<'   ? byte_order::little
                       : order == '>' ? byte_order::big
                                      : byte_order::not_applicable;
        return dtype{k, static_cast<std::uint8_t>(size), o};
    }
    /// numpy's descr, spelled here independently of colsnap's dtype::descr().
    std::string descr() const { return std::string(1, order) + kind + std::to_string(size); }
    std::string tag() const {
        return std::string(1, kind) + std::to_string(size) +
               (order == '<'   ? "le"
                : order == '>' ? "be"
                               : "na");
    }
};

std::vector<variant> all_variants() {
    std::vector<variant> v{{'b', 1, '|'}, {'i', 1, '|'}, {'u', 1, '|'}};
    for (auto [k, s] : std::vector<std::pair<char, int>>{{'i', 2},
                                                         {'u', 2},
                                                         {'i', 4},
                                                         {'u', 4},
                                                         {'i', 8},
                                                         {'u', 8},
                                                         {'f', 2},
                                                         {'f', 4},
                                                         {'f', 8},
                                                         {'c', 8},
                                                         {'c', 16}})
        for (char o : {'<', '>'}) v.push_back({k, s, o});
    return v;
}

struct shape_case {
    std::vector<std::uint64_t> shape;
    bool fortran;
};
const std::vector<shape_case> shapes = {{{}, false},    {{0}, false},        {{2, 0, 3}, false},
                                        {{7}, false},   {{2, 3, 4}, false},  {{2, 3, 4}, true},
                                        {{5, 4}, true}, {{3, 1, 2, 2}, true}};

/// Bit patterns that must survive untouched: NaN payloads, signalling NaN, -NaN, -0.0, +-inf,
/// the smallest subnormal, the largest finite value.
std::vector<std::uint64_t> specials(char kind, int component) {
    if (kind == 'f' || kind == 'c') {
        if (component == 2) return {0x7e00, 0x7c01, 0xfe01, 0x8000, 0x7c00, 0xfc00, 0x0001, 0x7bff};
        if (component == 4)
            return {0x7fc00123, 0x7f800001, 0xffc00000, 0x80000000,
                    0x7f800000, 0xff800000, 0x00000001, 0x7f7fffff};
        return {0x7ff8000000000123, 0x7ff0000000000001, 0xfff8000000000000, 0x8000000000000000,
                0x7ff0000000000000, 0xfff0000000000000, 0x0000000000000001, 0x7fefffffffffffff};
    }
    const std::uint64_t top = std::uint64_t{1} << (8 * component - 1);
    const std::uint64_t all = component == 8 ? ~std::uint64_t{0} : (top << 1) - 1;
    return {top, top - 1, 0, all, 1}; // signed: min, max, 0, -1, 1 (unsigned: the same bits)
}

/// count items of @p v in the file's byte order: random bits with the special patterns first.
std::vector<std::byte> make_bytes(const variant& v, std::uint64_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::byte> out(count * static_cast<std::uint64_t>(v.size));
    if (v.kind == 'b') {
        for (auto& b : out) b = static_cast<std::byte>(rng() & 1);
        return out;
    }
    for (auto& b : out) b = static_cast<std::byte>(rng() & 0xff);
    const int comp = v.kind == 'c' ? v.size / 2 : v.size;
    const auto sp = specials(v.kind, comp);
    const std::size_t ncomp = out.size() / static_cast<std::size_t>(comp);
    for (std::size_t i = 0; i < std::min(sp.size(), ncomp); ++i) {
        for (int b = 0; b < comp; ++b) {
            auto byte = static_cast<std::byte>((sp[i] >> (8 * b)) & 0xff);
            int pos = v.order == '>' ? comp - 1 - b : b;
            out[i * static_cast<std::size_t>(comp) + static_cast<std::size_t>(pos)] = byte;
        }
    }
    return out;
}

/// The arrays of one test run: columns plus the bytes they borrow, and ours.tsv / expect.bin.
struct corpus {
    std::vector<std::unique_ptr<std::vector<std::byte>>> buffers;
    std::vector<colsnap::column_ref> columns;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> spans; // in expect.bin, per column
    std::vector<std::byte> blob;

    void add(std::string name, const variant& v, const shape_case& s, std::uint64_t seed) {
        std::uint64_t count = 1;
        for (auto d : s.shape) count *= d;
        buffers.push_back(std::make_unique<std::vector<std::byte>>(make_bytes(v, count, seed)));
        const auto& b = *buffers.back();
        columns.push_back({std::move(name), colsnap::array_info{v.type(), s.shape, s.fortran}, b});
        spans.emplace_back(blob.size(), b.size());
        blob.insert(blob.end(), b.begin(), b.end());
    }
};

std::string descr_of(const colsnap::column_ref& c) {
    // Independent of dtype::descr(): built from the enum fields.
    const auto& t = c.info.type;
    char o = t.order == byte_order::little ? '<' : t.order == byte_order::big ? '>' : '|';
    char k = t.kind == dtype_kind::boolean        ? 'b'
             : t.kind == dtype_kind::signed_int   ? 'i'
             : t.kind == dtype_kind::unsigned_int ? 'u'
             : t.kind == dtype_kind::floating     ? 'f'
                                                  : 'c';
    return std::string(1, o) + k + std::to_string(t.itemsize);
}

class manifest_writer {
public:
    explicit manifest_writer(const fs::path& p) : f_(p, std::ios::binary) {}
    void add(const std::string& file, const std::string& key, const corpus& c, std::size_t i,
             const std::string& extra) {
        const auto& col = c.columns[i];
        f_ << file << '\t' << key << '\t' << descr_of(col) << '\t'
           << (col.info.fortran_order ? 1 : 0) << '\t' << shape_text(col.info.shape) << '\t'
           << c.spans[i].first << '\t' << c.spans[i].second << "\t0\t0\t" << extra << '\n';
    }

private:
    std::ofstream f_;
};

const std::vector<std::string> odd_names = {
    "créature/π",
    "生物/位置",
    "emoji😀/ünïcødé",
    std::string(200, 'a'),
    [] {
        std::string s;
        for (int i = 0; i < 200; ++i) s += "é";
        return s;
    }(),
    "deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/"
    "deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/"
    "deep/deep/deep/leaf",
    "with space and 'quote'"};

corpus make_corpus() {
    corpus c;
    std::uint64_t seed = 1;
    for (const auto& v : all_variants())
        for (const auto& s : shapes) {
            std::string shape_name;
            for (auto d : s.shape) {
                if (!shape_name.empty()) shape_name += 'x';
                shape_name += std::to_string(d);
            }
            c.add(v.tag() + "/" + (shape_name.empty() ? "scalar" : shape_name) +
                      (s.fortran ? "_F" : ""),
                  v, s, ++seed);
        }
    for (const auto& n : odd_names) c.add(n, {'f', 8, '<'}, {{3}, false}, ++seed);
    c.add("big/i4", {'i', 4, '<'}, {{100000}, false}, ++seed);
    return c;
}

void numpy_checks(const temp_dir& dir) {
    std::string out;
    int rc = run(std::string(python) + " " + quote(side) + " check " + quote(dir.path()), out);
    EXPECT_EQ(rc, 0) << "numpy disagrees with what colsnap wrote:\n" << out;
    std::cout << "[ numpy    ] " << out;
}

/// colsnap's own view of the alignment promise: stored data and payload 64-byte aligned, and
/// native C-order stored members are handed out zero-copy.
void check_alignment(const fs::path& path) {
    SCOPED_TRACE(path.filename().string());
    const auto reader = colsnap::npz_reader::open(path);
    for (const auto& m : reader.members()) {
        if (m.method != compression::stored) continue;
        EXPECT_EQ(m.data_offset % 64, 0u) << m.name;
        EXPECT_EQ(m.array_offset() % 64, 0u) << m.name;
        EXPECT_EQ(m.array_offset(), m.data_offset + m.npy.data_offset) << m.name;
        const bool native_c = m.npy.info.type.is_native() && m.npy.info.is_c_contiguous();
        if (native_c && m.npy.info.nbytes() > 0) {
            EXPECT_TRUE(m.zero_copy()) << m.name;
            EXPECT_TRUE(reader.get(m.name).borrowed()) << m.name;
        }
    }
}

TEST(ColsnapWritesNumpyReads, NpyEveryDtypeByteOrderShapeMmapAndNpSaveIdentity) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    temp_dir dir("interop-ours-npy");
    const corpus c = make_corpus();
    {
        manifest_writer mf(dir / "ours.tsv");
        for (std::size_t i = 0; i < c.columns.size(); ++i) {
            const auto& col = c.columns[i];
            std::string file = "npy_" + std::to_string(i) + ".npy";
            try {
                colsnap::write_npy(dir / file, col.info, col.bytes, {.durable = false});
            } catch (const colsnap::error& e) {
                ADD_FAILURE() << "write_npy(" << col.name << "): " << e.what();
                continue;
            }
            mf.add(file, "-", c, i, "mmap");
        }
    }
    write_file(dir / "expect.bin", c.blob);
    numpy_checks(dir);
}

TEST(ColsnapWritesNumpyReads, NpzStoredDeflateLevelsMixedAndParallel) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    temp_dir dir("interop-ours-npz");
    const corpus c = make_corpus();
    {
        manifest_writer mf(dir / "ours.tsv");
        auto all_into = [&](const std::string& file, const std::string& extra) {
            for (std::size_t i = 0; i < c.columns.size(); ++i)
                mf.add(file, c.columns[i].name, c, i, extra);
        };
        try {
            {
                colsnap::npz_writer w(dir / "stored.npz",
                                      {.method = compression::stored, .durable = false});
                for (const auto& col : c.columns) w.add(col);
                w.commit();
                all_into("stored.npz", "stored");
            }
            for (int level : {0, 1, 6, 9, 12}) {
                std::string file = "deflate" + std::to_string(level) + ".npz";
                colsnap::npz_writer w(
                    dir / file, {.method = compression::deflate, .level = level, .durable = false});
                for (const auto& col : c.columns) w.add(col);
                w.commit();
                all_into(file, "deflate");
            }
            {
                colsnap::npz_writer w(dir / "mixed.npz", {.durable = false});
                for (std::size_t i = 0; i < c.columns.size(); ++i)
                    w.add(c.columns[i], i % 2 ? compression::deflate : compression::stored,
                          static_cast<int>(i % 13));
                w.commit();
                all_into("mixed.npz", "mixed");
            }
            colsnap::save_npz(
                dir / "parallel.npz", c.columns,
                {.method = compression::deflate, .level = 6, .durable = false, .threads = 2});
            all_into("parallel.npz", "deflate");
            colsnap::save_npz(dir / "parallel_stored.npz", c.columns,
                              {.method = compression::stored, .durable = false, .threads = 2});
            all_into("parallel_stored.npz", "stored");
        } catch (const colsnap::error& e) {
            FAIL() << "colsnap failed to write: " << e.what();
        }
    }
    write_file(dir / "expect.bin", c.blob);
    for (const char* f : {"stored.npz", "mixed.npz", "parallel_stored.npz"}) {
        try {
            check_alignment(dir / f);
        } catch (const colsnap::error& e) {
            ADD_FAILURE() << "colsnap cannot read back " << f << ": " << e.what();
        }
    }
    // Our reader reads back what we wrote, equal to what we were given.
    try {
        const auto r = colsnap::npz_reader::open(dir / "deflate9.npz");
        r.verify();
        for (std::size_t i = 0; i < c.columns.size(); ++i)
            EXPECT_EQ(first_diff(r.raw(c.columns[i].name).bytes(), c.columns[i].bytes), -1)
                << c.columns[i].name;
    } catch (const colsnap::error& e) {
        ADD_FAILURE() << "colsnap cannot read back deflate9.npz: " << e.what();
    }
    numpy_checks(dir);
}

TEST(ColsnapWritesNumpyReads, SeventyThousandMembersZip64) {
    if (!have_numpy()) GTEST_SKIP() << python << " cannot import numpy";
    constexpr int n = 70000;
    temp_dir dir("interop-ours-many");
    std::vector<std::array<std::int64_t, 2>> values(n);
    const fs::path path = dir / "ours_many.npz";
    try {
        colsnap::npz_writer w(path, {.durable = false});
        for (int i = 0; i < n; ++i) {
            values[static_cast<std::size_t>(i)] = {std::int64_t{i} * 7919, -i};
            char name[16];
            std::snprintf(name, sizeof name, "m%06d", i);
            w.add(colsnap::column<std::int64_t>(name, values[static_cast<std::size_t>(i)]));
        }
        w.commit();
        const auto r = colsnap::npz_reader::open(path);
        EXPECT_EQ(r.members().size(), static_cast<std::size_t>(n));
    } catch (const colsnap::error& e) {
        FAIL() << e.what();
    }
    std::string out;
    int rc = run(std::string(python) + " " + quote(side) + " check-many " + quote(path) + " " +
                     std::to_string(n),
                 out);
    EXPECT_EQ(rc, 0) << "numpy cannot load colsnap's 70,000-member archive:\n" << out;
    std::cout << "[ numpy    ] " << out;
}

TEST(ColsnapWrites, SameArraysGiveByteIdenticalArchives) {
    temp_dir dir("interop-repro");
    const corpus c = make_corpus();
    auto write = [&](const std::string& name, compression method, int how) {
        const fs::path p = dir / name;
        colsnap::write_options opt{.method = method, .level = 6, .durable = false, .threads = 2};
        if (how == 0) {
            colsnap::npz_writer w(p, opt);
            for (const auto& col : c.columns) w.add(col);
            w.commit();
        } else {
            colsnap::save_npz(p, c.columns, opt);
        }
        return read_file(p);
    };
    try {
        for (auto method : {compression::stored, compression::deflate}) {
            SCOPED_TRACE(method == compression::stored ? "stored" : "deflate");
            const auto a = write("a.npz", method, 0);
            const auto b = write("other_name.npz", method, 0);
            const auto p1 = write("p1.npz", method, 1);
            const auto p2 = write("p2.npz", method, 1);
            ASSERT_GT(a.size(), 100000u);
            EXPECT_EQ(first_diff(a, b), -1) << "npz_writer is not reproducible";
            EXPECT_EQ(first_diff(p1, p2), -1) << "save_npz (2 threads) is not reproducible";
            EXPECT_EQ(first_diff(a, p1), -1) << "save_npz differs from npz_writer";
        }
    } catch (const colsnap::error& e) {
        FAIL() << e.what();
    }
}

} // namespace
