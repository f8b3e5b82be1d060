// colsnap cat: values in C order, numpy's text for each element, the shape stated.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace cli_test;

namespace {

template <typename T> std::vector<T> parse_as(const std::vector<std::string>& tokens) {
    std::vector<T> out;
    for (const std::string& t : tokens) {
        if constexpr (std::is_same_v<T, double>) out.push_back(std::strtod(t.c_str(), nullptr));
        else if constexpr (std::is_same_v<T, float>) out.push_back(std::strtof(t.c_str(), nullptr));
        else if constexpr (std::is_signed_v<T>) out.push_back(static_cast<T>(std::stoll(t)));
        else out.push_back(static_cast<T>(std::stoull(t)));
    }
    return out;
}

template <typename T> bool same_bits(T a, T b) { return std::memcmp(&a, &b, sizeof a) == 0; }

} // namespace

TEST(cli_cat, integers_of_every_width_print_exactly) {
    temp_dir dir;
    const std::vector<std::int8_t> i1{-128, 0, 127};
    const std::vector<std::uint64_t> u8{0, 1, std::numeric_limits<std::uint64_t>::max()};
    const std::vector<std::int64_t> i8{std::numeric_limits<std::int64_t>::min(), -1, 42};
    const auto path = dir / "ints.npz";
    colsnap::npz_writer w(path);
    w.add(colsnap::column<std::int8_t>("i1", i1));
    w.add(colsnap::column<std::uint64_t>("u8", u8));
    w.add(colsnap::column<std::int64_t>("i8", i8));
    w.commit();

    run_result r = run_colsnap({"cat", path.string(), "i1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(parse_cat(r.out).values, (std::vector<std::string>{"-128", "0", "127"}));
    r = run_colsnap({"cat", path.string(), "u8"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(parse_as<std::uint64_t>(parse_cat(r.out).values), u8);
    r = run_colsnap({"cat", path.string(), "i8.npy"}); // the zip name works too
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(parse_as<std::int64_t>(parse_cat(r.out).values), i8);
}

TEST(cli_cat, floats_print_digits_that_read_back_to_the_same_bits) {
    temp_dir dir;
    std::mt19937_64 rng(7);
    std::vector<double> f8{0.1,     -0.0, 1e-300,        5e-324, 1.7976931348623157e308,
                           1.0 / 3, 1e16, 123456789.125, -2.5e-5};
    std::vector<float> f4{0.1f, 3.4028235e38f, 1e-45f, -7.0f, 16777217.0f};
    for (int i = 0; i < 2000; ++i) {
        const std::uint64_t bits = rng();
        double d;
        std::memcpy(&d, &bits, 8);
        if (std::isfinite(d)) f8.push_back(d);
        const auto bits32 = static_cast<std::uint32_t>(bits >> 32);
        float f;
        std::memcpy(&f, &bits32, 4);
        if (std::isfinite(f)) f4.push_back(f);
    }
    const auto path = dir / "floats.npz";
    colsnap::npz_writer w(path);
    w.add(colsnap::column<double>("f8", f8));
    w.add(colsnap::column<float>("f4", f4), colsnap::compression::deflate, 6);
    w.commit();

    run_result r = run_colsnap({"cat", path.string(), "f8"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<double> d = parse_as<double>(parse_cat(r.out).values);
    ASSERT_EQ(d.size(), f8.size());
    for (std::size_t i = 0; i < d.size(); ++i)
        EXPECT_TRUE(same_bits(d[i], f8[i])) << i << " " << f8[i];
    r = run_colsnap({"cat", path.string(), "f4"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<float> f = parse_as<float>(parse_cat(r.out).values);
    ASSERT_EQ(f.size(), f4.size());
    for (std::size_t i = 0; i < f.size(); ++i)
        EXPECT_TRUE(same_bits(f[i], f4[i])) << i << " " << f4[i];
}

TEST(cli_cat, every_element_reads_as_numpy_writes_it) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    // numpy's str() of each scalar is the reference text (shortest round-trip digits, Python's
    // positional/scientific switch, (re+imj), True/False), float16 included.
    const run_result py = python(R"(
rng = np.random.default_rng(3)
h = np.concatenate([np.frombuffer(rng.bytes(2 * 3000), dtype='<f2'),
                    np.array([0.1, 65504, 6e-8, -0.0, 1e-4, 9.5e-5, np.inf, -np.inf], dtype='<f2')])
h = h[~np.isnan(h)]
arrays = dict(
    f2=h,
    f4=np.concatenate([np.frombuffer(rng.bytes(4 * 2000), dtype='>f4'),
                       np.array([1e16, 1e15, 1e-5, 0.0001, 123.0], dtype='>f4')]),
    f8=np.array([1e16, 9999999999999998.0, 1e-4, 9.99e-5, 0.5, 100.0, 1e22, -1e-7, np.nan]),
    c8=np.array([1+2j, -0.5j, 1.5-0j, complex(np.inf, np.nan), 1e20+1e-20j], dtype='<c8'),
    c16=np.array([0.1+0.2j, -1-1j], dtype='>c16'),
    b=np.array([True, False]),
    u2=np.array([0, 65535], dtype='>u2'),
)
arrays['f4'] = arrays['f4'][np.isfinite(arrays['f4'])]
np.savez_compressed(sys.argv[1] + '/t.npz', **arrays)
for k, v in arrays.items():
    with open(sys.argv[1] + '/' + k + '.txt', 'w') as f:
        f.write(' '.join(str(x) for x in v))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    for (const char* name : {"f2", "f4", "f8", "c8", "c16", "b", "u2"}) {
        SCOPED_TRACE(name);
        const run_result r = run_colsnap({"cat", (dir / "t.npz").string(), name});
        ASSERT_EQ(r.code, 0) << r.err;
        const std::vector<std::string> expected =
            words(read_text(dir / (std::string(name) + ".txt")));
        const std::vector<std::string> got = parse_cat(r.out).values;
        ASSERT_EQ(got.size(), expected.size());
        std::size_t mismatches = 0;
        for (std::size_t i = 0; i < got.size(); ++i)
            if (got[i] != expected[i] && ++mismatches <= 5)
                ADD_FAILURE() << "element " << i << ": colsnap " << got[i] << ", numpy "
                              << expected[i];
        EXPECT_EQ(mismatches, 0u);
    }
}

TEST(cli_cat, n_d_arrays_print_row_major_with_the_shape_stated) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
a = np.arange(24, dtype='<i4').reshape(2, 3, 4)
np.savez(sys.argv[1] + '/n.npz', c=a, f=np.asfortranarray(a), big=a.astype('>i8'))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    std::vector<std::string> expected;
    for (int i = 0; i < 24; ++i) expected.push_back(std::to_string(i));
    for (const char* name : {"c", "f", "big"}) {
        SCOPED_TRACE(name);
        const run_result r = run_colsnap({"cat", (dir / "n.npz").string(), name});
        ASSERT_EQ(r.code, 0) << r.err;
        const cat_output c = parse_cat(r.out);
        EXPECT_EQ(c.values, expected); // C order whatever the stored order
        EXPECT_NE(c.comment.find("(2, 3, 4)"), std::string::npos) << c.comment;
        EXPECT_NE(c.comment.find(std::string(name) == "f" ? "Fortran" : " C order"),
                  std::string::npos)
            << c.comment;
        EXPECT_NE(c.comment.find("24 values"), std::string::npos) << c.comment;
        // Nesting as numpy prints it: rows of 4, a blank line between the two 3x4 blocks.
        const std::vector<std::string> body = lines(r.out.substr(r.out.find('\n') + 1));
        ASSERT_EQ(body.size(), 7u) << r.out;
        EXPECT_EQ(body[0], "[[[ 0  1  2  3]");
        EXPECT_EQ(body[2], "  [ 8  9 10 11]]");
        EXPECT_EQ(body[3], "");
        EXPECT_EQ(body[6], "  [20 21 22 23]]]");
    }
}

TEST(cli_cat, head_prints_the_first_values_in_c_order) {
    temp_dir dir;
    std::vector<std::uint32_t> v(1000);
    for (std::uint32_t i = 0; i < v.size(); ++i) v[i] = i * 3;
    const auto path = dir / "h.npz";
    colsnap::npz_writer w(path);
    w.add(colsnap::column<std::uint32_t>("m", v, {10, 100}));
    w.commit();
    run_result r = run_colsnap({"cat", path.string(), "m", "--head", "5"});
    ASSERT_EQ(r.code, 0) << r.err;
    const cat_output c = parse_cat(r.out);
    EXPECT_EQ(c.values, (std::vector<std::string>{"0", "3", "6", "9", "12"}));
    EXPECT_TRUE(c.truncated);
    EXPECT_NE(c.comment.find("first 5 of 1000"), std::string::npos) << c.comment;
    EXPECT_NE(c.comment.find("(10, 100)"), std::string::npos) << c.comment;
    // --head beyond the size prints everything.
    r = run_colsnap({"cat", path.string(), "m", "--head=5000"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(parse_as<std::uint32_t>(parse_cat(r.out).values), v);
    EXPECT_FALSE(parse_cat(r.out).truncated);
    // --head 0 prints an empty list; the comment line says none of the 1000 is shown.
    r = run_colsnap({"cat", path.string(), "m", "--head", "0"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(lines(r.out).size(), 2u) << r.out;
    EXPECT_EQ(lines(r.out).at(1), "[]") << r.out;
    EXPECT_NE(lines(r.out).at(0).find("first 0 of 1000"), std::string::npos) << r.out;
}

TEST(cli_cat, scalars_empty_arrays_and_npy_files) {
    temp_dir dir;
    const double pi = 3.25;
    const std::vector<std::int16_t> none;
    const auto path = dir / "s.npz";
    colsnap::npz_writer w(path);
    w.add(colsnap::scalar("pi", pi));
    w.add(colsnap::column<std::int16_t>("none", none, {0, 4}));
    w.commit();
    run_result r = run_colsnap({"cat", path.string(), "pi"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(parse_cat(r.out).values, (std::vector<std::string>{"3.25"}));
    EXPECT_NE(parse_cat(r.out).comment.find("shape ()"), std::string::npos) << r.out;
    r = run_colsnap({"cat", path.string(), "none"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(lines(r.out).at(1), "[]");

    const std::vector<std::uint8_t> bytes{1, 2, 250};
    const auto npy = dir / "b.npy";
    colsnap::write_npy<std::uint8_t>(npy, bytes);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"cat", npy.string()}, {"cat", npy.string(), "-"}}) {
        r = run_colsnap(args);
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_EQ(parse_cat(r.out).values, (std::vector<std::string>{"1", "2", "250"}));
    }
}

TEST(cli_cat, a_missing_member_is_an_error_and_a_missing_argument_is_usage) {
    temp_dir dir;
    const std::vector<int> v{1};
    const auto path = dir / "x.npz";
    colsnap::save_npz(path, std::vector<colsnap::column_ref>{colsnap::column<int>("v", v)});
    run_result r = run_colsnap({"cat", path.string(), "nope"});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
    EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no_such_member"), std::string::npos) << r.err;
    r = run_colsnap({"cat", path.string()}); // an .npz needs MEMBER
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
    r = run_colsnap({"cat", path.string(), "v", "--head", "-1"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
}

// --head reads only the values it prints: on a 256 MiB member numpy wrote (unaligned, so a full
// read would also copy it) the peak RSS stays near that of a tiny file, where a CRC pass alone
// would fault in all 256 MiB of the mapping.
TEST(cli_cat, head_reads_only_the_values_it_prints) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
np.savez(sys.argv[1] + '/big.npz', a=np.arange(2**25, dtype='<f8'))
np.savez(sys.argv[1] + '/small.npz', a=np.arange(8, dtype='<f8'))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    const run_result small = run_colsnap({"cat", (dir / "small.npz").string(), "a", "--head", "3"});
    const run_result big = run_colsnap({"cat", (dir / "big.npz").string(), "a", "--head", "3"});
    ASSERT_EQ(big.code, 0) << big.err;
    EXPECT_EQ(parse_cat(big.out).values, (std::vector<std::string>{"0.0", "1.0", "2.0"}));
    EXPECT_NE(parse_cat(big.out).comment.find("first 3 of 33554432"), std::string::npos);
    EXPECT_LT(big.max_rss_kib, small.max_rss_kib + 32 * 1024)
        << "peak RSS " << big.max_rss_kib << " KiB vs " << small.max_rss_kib << " KiB";
}

// The values --head copies out one by one are the first ones of the full print, for Fortran
// order, foreign byte order and complex members, stored and deflated.
TEST(cli_cat, head_of_fortran_and_foreign_members_matches_the_full_print) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
a = np.arange(60, dtype='<i4').reshape(3, 4, 5)
arrays = dict(f=np.asfortranarray(a), fbig=np.asfortranarray(a.astype('>f8')),
              c=(a + 1j * a).astype('>c16'), f2=np.asfortranarray(a[0].astype('<i2')))
np.savez(sys.argv[1] + '/s.npz', **arrays)
np.savez_compressed(sys.argv[1] + '/d.npz', **arrays)
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    for (const char* file : {"s.npz", "d.npz"})
        for (const char* name : {"f", "fbig", "c", "f2"}) {
            SCOPED_TRACE(std::string(file) + " " + name);
            const auto path = (dir / file).string();
            const run_result full = run_colsnap({"cat", path, name});
            ASSERT_EQ(full.code, 0) << full.err;
            const std::vector<std::string> all = parse_cat(full.out).values;
            for (std::size_t k : {1u, 7u, 19u}) {
                const run_result r = run_colsnap({"cat", path, name, "--head", std::to_string(k)});
                ASSERT_EQ(r.code, 0) << r.err;
                const std::vector<std::string> head = parse_cat(r.out).values;
                EXPECT_EQ(head, std::vector<std::string>(all.begin(),
                                                         all.begin() + static_cast<long>(k)));
            }
        }
}
