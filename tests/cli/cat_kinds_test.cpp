// colsnap cat of the kinds beyond numbers, against numpy's own text of each element:
// datetime64 in ISO 8601 at every unit and multiplier, timedelta64 counts, NaT, S and V as
// bytes literals, U as str literals, long double with its shortest digits, records as tuples.

#include "cli_harness.hpp"

#include <gtest/gtest.h>

using namespace cli_test;

namespace {

/// numpy writes DIR/k.npz (1-d members) and DIR/NAME.txt (numpy's text of each element, one
/// per line) for every member; colsnap cat must print the same elements.
void expect_cat_matches_numpy(const temp_dir& dir, const std::vector<std::string>& names,
                              bool whole_lines) {
    for (const std::string& name : names) {
        SCOPED_TRACE(name);
        const run_result r = run_colsnap({"cat", (dir / "k.npz").string(), name});
        ASSERT_EQ(r.code, 0) << r.err;
        const std::vector<std::string> expected = lines(read_text(dir / (name + ".txt")));
        std::vector<std::string> got;
        if (whole_lines) { // 0-d members: the one element is the line after the comment
            const auto all = lines(r.out);
            ASSERT_EQ(all.size(), 2u) << r.out;
            got.push_back(all[1]);
        } else {
            got = parse_cat(r.out).values;
        }
        ASSERT_EQ(got.size(), expected.size()) << r.out;
        for (std::size_t i = 0; i < got.size(); ++i)
            EXPECT_EQ(got[i], expected[i]) << "element " << i;
    }
}

} // namespace

TEST(cli_cat_kinds, datetimes_timedeltas_and_nat_print_as_numpy_does) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
d = sys.argv[1]
rng = np.random.default_rng(5)
arrays = {}
big = np.iinfo(np.int64).max
for unit in ['Y', 'W', 'D', 'h', 'm', 's', 'ms', 'us', 'ns', 'ps', 'fs', 'as', '25s', '1000ms', '7D']:
    ints = np.concatenate([[0, -1, 1, 1234567, -987654321, np.iinfo(np.int64).min, big],
                           rng.integers(-2**62, 2**62, 20)]).astype('<i8')
    arrays['M8_' + unit] = ints.view('<M8[%s]' % unit)
    arrays['m8_' + unit] = ints.view('<m8[%s]' % unit)
    arrays['M8be_' + unit] = ints.astype('>i8').view('>M8[%s]' % unit)
# Months: numpy's own year arithmetic overflows differently past +-2**59 months.
arrays['M8_M'] = np.array([0, -1, 11, 12, -13, 1234567, -2**40, np.iinfo(np.int64).min],
                          dtype='<i8').view('<M8[M]')
np.savez(d + '/k.npz', **arrays)
for k, v in arrays.items():
    # numpy quotes the datetimes of an array, and a timedelta's NaT: ['2021-03-04T05:06:07' 'NaT']
    text = ["'%s'" % x if k.startswith('M8') else ("'NaT'" if np.isnat(x) else str(x.astype('<i8')))
            for x in v]
    with open(d + '/' + k + '.txt', 'w') as f:
        f.write('\n'.join(text) + '\n')
print(' '.join(arrays))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    expect_cat_matches_numpy(dir, words(py.out), false);
}

TEST(cli_cat_kinds, strings_bytes_void_long_double_and_records_print_as_numpy_does) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
d = sys.argv[1]
one = {}
one['S'] = np.array(b"it's\x00\x01\xff\\", dtype='|S8')
one['S_quotes'] = np.array(b'a\'b"', dtype='|S4')
one['U'] = np.array('caf\xe9 \u751f\U0001f600\t\n\x7f\'', dtype='<U12')
one['U_surrogate'] = np.array('a\ud800', dtype='<U2')
one['V'] = np.frombuffer(b'\x00a\xff\x10', dtype='|V4').reshape(())
one['f16'] = np.array(1, dtype='<f16') / 3
one['c32'] = (np.array(1 + 2j, dtype='<c32') / 3)
rec = np.zeros((), dtype=[('x', '<i4', (2,)), ('y', '<f8'), ('s', '|S2'), ('n', [('p', '|u1')]),
                          ('u', '<U3'), ('t', '<M8[s]')])
rec['x'] = [3, -2]; rec['y'] = 2.5; rec['s'] = b'ab'; rec['n']['p'] = 7; rec['u'] = 'h\xe9'
rec['t'] = np.datetime64('2024-02-29T12:34:56')
one['record'] = rec
one['record1'] = np.zeros((), dtype=[('only', '<f4')])
one['record_be'] = rec.astype(rec.dtype.newbyteorder('>'))
rec_nat = rec.copy()
rec_nat['t'] = np.datetime64('NaT')
one['record_nat'] = rec_nat
# numpy quotes a timedelta's NaT inside a record too, and pads a sub-array's items to the quoted
# width: ('NaT', 3, ['NaT',     0])
rec_td = np.zeros((), dtype=[('a', '<m8[s]'), ('b', '<m8[s]'), ('c', '<m8[s]', (2,))])
rec_td['a'] = np.timedelta64('NaT'); rec_td['b'] = 3; rec_td['c'][0] = np.timedelta64('NaT')
one['record_td_nat'] = rec_td
one['U_be'] = np.array('caf\xe9 \u751f', dtype='>U6')
np.savez(d + '/k.npz', **one)
for k, v in one.items():
    if v.dtype.kind == 'U':
        text = repr(str(v))
    elif v.dtype.kind in 'SV' and v.dtype.names is None:
        text = repr(v)[len('array('):].split(', dtype=')[0]
    elif v.dtype.names is not None:
        text = str(v[()])
    else:
        text = repr(v[()])
    with open(d + '/' + k + '.txt', 'w') as f:
        f.write(text + '\n')
print(' '.join(one))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    expect_cat_matches_numpy(dir, words(py.out), true);
}

// The layout of a whole small array, exactly as numpy's str() prints it: strings and bytes are
// not padded (and a non-ASCII character counts once), datetimes are quoted and padded, numbers
// right-aligned to a common width.
TEST(cli_cat_kinds, small_arrays_print_exactly_as_numpy_str) {
    if (!have_numpy()) GTEST_SKIP() << "numpy not available";
    temp_dir dir;
    const run_result py = python(R"(
d = sys.argv[1]
arrays = {
    'u': np.array(['a', 'bb\xe9', '']),
    'u2d': np.array([['a', 'bbb'], ['cc', 'd']]),
    's': np.array([b'a', b'bbb', b'']),
    'dt': np.array(['2021-03-04T05:06:07', 'NaT'], dtype='M8[s]'),
    'td': np.array([1, -250, 'NaT'], dtype='m8[ms]'),
    'i': np.array([1, -250, 7], dtype='<i8'),
}
np.savez(d + '/k.npz', **arrays)
for k, v in arrays.items():
    with open(d + '/' + k + '.txt', 'w', encoding='utf-8') as f:
        f.write(str(v) + '\n')
print(' '.join(arrays))
)",
                                 dir.path());
    ASSERT_EQ(py.code, 0) << py.err;
    for (const std::string& name : words(py.out)) {
        SCOPED_TRACE(name);
        const run_result r = run_colsnap({"cat", (dir / "k.npz").string(), name});
        ASSERT_EQ(r.code, 0) << r.err;
        const std::string body = r.out.substr(r.out.find('\n') + 1); // after the comment line
        EXPECT_EQ(body, read_text(dir / (name + ".txt")));
    }
}
