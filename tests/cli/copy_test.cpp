// colsnap copy: lossless (same content hash; numpy loads equal arrays with the same dtype and
// memory order), compression as asked, atomic (no OUT on failure, an existing OUT untouched).

#include "cli_harness.hpp"

#include <gtest/gtest.h>

using namespace cli_test;

namespace {

std::string hash_of(const std::filesystem::path& p) {
    const run_result r = run_colsnap({"hash", p.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    const std::vector<std::string> w = words(r.out);
    EXPECT_EQ(w.size(), 2u) << r.out;
    return w.empty() ? "" : w[0];
}

std::vector<std::string> methods(const std::filesystem::path& p) {
    const run_result r = run_colsnap({"ls", p.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::string> out;
    for (const ls_row& row : parse_ls(r.out)) out.push_back(row.method);
    return out;
}

/// One stored and one deflated member, written by the library.
std::filesystem::path write_mixed(const temp_dir& dir) {
    static const std::vector<std::int32_t> a{3, 1, 4, 1, 5, 9, 2, 6};
    static const std::vector<double> b{2.5, -1.0, 1e300, 0.1, 7, 8};
    const auto path = dir / "in.npz";
    colsnap::npz_writer w(path);
    w.add(colsnap::column<std::int32_t>("a", a));
    w.add(colsnap::column<double>("b", b, {3, 2}), colsnap::compression::deflate, 6);
    w.commit();
    return path;
}

/// numpy files with foreign byte order, Fortran order, float16, complex, bool, 0-d, empty.
void write_numpy_zoo(const temp_dir& dir) {
    const run_result py = python(R"(
d = sys.argv[1]
arrays = dict(
    big=np.arange(24, dtype='>i4').reshape(2, 3, 4),
    fort=np.asfortranarray(np.linspace(0, 1, 12, dtype='<f8').reshape(3, 4)),
    bigfort=np.asfortranarray(np.arange(6, dtype='>u2').reshape(2, 3)),
    half=np.array([0.1, -2.5, 65504, np.inf], dtype='<f2'),
    cplx=np.array([1+2j, -0.5j], dtype='>c8'),
    flags=np.array([True, False, True]),
    zero_d=np.array(3.25),
    empty=np.zeros((0, 5), dtype='<i8'),
)
np.savez_compressed(d + '/zoo_deflate.npz', **arrays)
np.savez(d + '/zoo_stored.npz', **arrays)
np.save(d + '/big.npy', np.asfortranarray(np.arange(20, dtype='>f4').reshape(4, 5)))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
}

/// numpy's view: same keys, and per key equal values, dtype (byte order included), shape and
/// memory order. Returns the python run (code 0 = equal).
run_result numpy_equal(const std::filesystem::path& a, const std::filesystem::path& b) {
    return python(R"(
def load(p):
    if p.endswith('.npy'):
        return {'': np.load(p)}
    with np.load(p) as f:
        return {k: f[k] for k in f.files}
a, b = load(sys.argv[1]), load(sys.argv[2])
assert sorted(a) == sorted(b), (sorted(a), sorted(b))
for k in a:
    x, y = a[k], b[k]
    assert x.dtype.str == y.dtype.str, (k, x.dtype.str, y.dtype.str)
    assert x.shape == y.shape, (k, x.shape, y.shape)
    assert x.flags.f_contiguous == y.flags.f_contiguous, k
    assert x.flags.c_contiguous == y.flags.c_contiguous, k
    assert np.array_equal(x, y, equal_nan=(x.dtype.kind in 'fc')), k
print('equal', len(a))
)",
                  std::vector<std::string>{a.string(), b.string()});
}

} // namespace

TEST(cli_copy, default_keeps_each_members_compression_and_the_hash) {
    temp_dir dir;
    const auto in = write_mixed(dir);
    const auto out = dir / "out.npz";
    const run_result r = run_colsnap({"copy", in.string(), out.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(methods(out), (std::vector<std::string>{"stored", "deflate"}));
    EXPECT_EQ(hash_of(out), hash_of(in));
    EXPECT_EQ(run_colsnap({"diff", in.string(), out.string()}).code, 0);
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"in.npz", "out.npz"})) << "no temp left";
}

TEST(cli_copy, stored_and_deflate_rewrite_every_member_and_keep_the_hash) {
    temp_dir dir;
    const auto in = write_mixed(dir);
    const auto stored = dir / "stored.npz", deflated = dir / "deflated.npz";
    ASSERT_EQ(run_colsnap({"copy", in.string(), stored.string(), "--stored"}).code, 0);
    ASSERT_EQ(run_colsnap({"copy", in.string(), deflated.string(), "--deflate=9"}).code, 0);
    EXPECT_EQ(methods(stored), (std::vector<std::string>{"stored", "stored"}));
    EXPECT_EQ(methods(deflated), (std::vector<std::string>{"deflate", "deflate"}));
    EXPECT_EQ(hash_of(stored), hash_of(in));
    EXPECT_EQ(hash_of(deflated), hash_of(in));
    // Bare --deflate takes the default level.
    const auto bare = dir / "bare.npz";
    ASSERT_EQ(run_colsnap({"copy", in.string(), bare.string(), "--deflate"}).code, 0);
    EXPECT_EQ(methods(bare), (std::vector<std::string>{"deflate", "deflate"}));
    EXPECT_EQ(hash_of(bare), hash_of(in));
}

TEST(cli_copy, numpy_loads_the_copies_equal_with_dtype_and_order_kept) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    write_numpy_zoo(dir);
    for (const char* src : {"zoo_deflate.npz", "zoo_stored.npz"}) {
        for (const char* flag : {"--stored", "--deflate=1", ""}) {
            SCOPED_TRACE(std::string(src) + " " + flag);
            const auto out = dir / "copy.npz";
            std::vector<std::string> args{"copy", (dir / src).string(), out.string()};
            if (*flag) args.push_back(flag);
            const run_result r = run_colsnap(args);
            ASSERT_EQ(r.code, 0) << r.err;
            EXPECT_EQ(hash_of(out), hash_of(dir / src));
            const run_result py = numpy_equal(dir / src, out);
            EXPECT_EQ(py.code, 0) << py.err;
            EXPECT_EQ(py.out, "equal 8\n");
            // A stored copy has every payload 64-byte aligned.
            if (std::string(flag) == "--stored") {
                for (const ls_row& row : parse_ls(run_colsnap({"ls", out.string()}).out)) {
                    EXPECT_EQ(row.offset % 64, 0u) << row.name;
                }
            }
        }
    }
}

TEST(cli_copy, an_npy_copies_to_an_equal_npy) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    write_numpy_zoo(dir);
    const auto out = dir / "copy.npy";
    const run_result r = run_colsnap({"copy", (dir / "big.npy").string(), out.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(hash_of(out), hash_of(dir / "big.npy"));
    const run_result py = numpy_equal(dir / "big.npy", out);
    EXPECT_EQ(py.code, 0) << py.err;
    // Our .npy writer emits np.save's header byte for byte, so the copy is the same file.
    EXPECT_EQ(read_text(out), read_text(dir / "big.npy"));
}

TEST(cli_copy, a_corrupt_input_leaves_no_output_behind) {
    temp_dir dir;
    const auto in = write_mixed(dir);
    const colsnap::npz_reader reader = colsnap::npz_reader::open(in);
    const colsnap::member_info& a = reader.members()[0];
    std::string bytes = read_text(in);
    bytes.at(a.array_offset() + 3) ^= 0x01; // stored payload: the CRC no longer matches
    write_text(in, bytes);

    const auto out = dir / "out.npz";
    const run_result r = run_colsnap({"copy", in.string(), out.string(), "--deflate"});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
    EXPECT_NE(r.err.find("crc_mismatch"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"in.npz"})) << "no temp file left";
}

TEST(cli_copy, a_failed_copy_keeps_an_existing_output_intact) {
    temp_dir dir;
    const auto in = write_mixed(dir);
    const colsnap::npz_reader reader = colsnap::npz_reader::open(in);
    // Corrupt the last member (deflated), so the first is already written when copy fails.
    const colsnap::member_info& b = reader.members()[1];
    std::string bytes = read_text(in);
    bytes.at(b.data_offset + b.compressed_size / 2) ^= 0x10;
    write_text(in, bytes);

    const auto out = dir / "out.npz";
    const std::string precious = "precious bytes, not an archive";
    write_text(out, precious);
    const run_result r = run_colsnap({"copy", in.string(), out.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
    EXPECT_EQ(read_text(out), precious);
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"in.npz", "out.npz"})) << "no temp file left";
}

TEST(cli_copy, in_place_rewrite_is_safe) {
    temp_dir dir;
    const auto in = write_mixed(dir);
    const std::string before = hash_of(in);
    const run_result r = run_colsnap({"copy", in.string(), in.string(), "--deflate=12"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(methods(in), (std::vector<std::string>{"deflate", "deflate"}));
    EXPECT_EQ(hash_of(in), before);
    EXPECT_EQ(run_colsnap({"verify", in.string()}).code, 0);
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"in.npz"}));
}

TEST(cli_copy, usage_errors_exit_2_and_write_nothing) {
    temp_dir dir;
    const auto in = write_mixed(dir);
    const std::vector<double> v{1, 2};
    const auto npy = dir / "v.npy";
    colsnap::write_npy<double>(npy, v);
    const std::vector<std::vector<std::string>> cases{
        {"copy", in.string(), (dir / "o.npz").string(), "--deflate=13"},
        {"copy", in.string(), (dir / "o.npz").string(), "--deflate=x"},
        {"copy", in.string(), (dir / "o.npz").string(), "--stored", "--deflate"},
        {"copy", in.string()},
        {"copy", in.string(), (dir / "o.npy").string()},  // no conversion npz -> npy
        {"copy", npy.string(), (dir / "o.npz").string()}, // nor npy -> npz
        {"copy", npy.string(), (dir / "o.npy").string(), "--deflate"},
    };
    for (const auto& args : cases) {
        const run_result r = run_colsnap(args);
        EXPECT_EQ(r.code, 2) << args.back() << ": " << r.err;
        EXPECT_TRUE(one_error_line(r.err)) << r.err;
    }
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"in.npz", "v.npy"}));
}

TEST(cli_copy, an_unwritable_destination_is_an_error) {
    temp_dir dir;
    const auto in = write_mixed(dir);
    const run_result r = run_colsnap({"copy", in.string(), (dir / "no/such/dir/out.npz").string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(one_error_line(r.err)) << r.err;
}
