#!/usr/bin/python3
"""numpy's side of the colsnap interop tests (numpy is the reference implementation).

  numpy_side.py write-npy DIR    numpy writes .npy files (np.save, write_array v1/v2/v3)
  numpy_side.py write-npz DIR    numpy writes .npz archives (savez, savez_compressed, odd names)
  numpy_side.py write-many DIR N numpy writes one archive of N tiny members (zip64 when N > 65535)
  numpy_side.py write-kinds DIR  np.save of test_format.py's basic and record arrays and of every
                                 other kind (S, U, V, M8/m8, f16/c32, records), both byte orders
  numpy_side.py check DIR        numpy loads the files colsnap wrote (DIR/ours.tsv) and compares
  numpy_side.py check-many FILE N numpy loads an N-member archive colsnap wrote

Manifest (DIR/manifest.tsv for numpy-written files, DIR/ours.tsv for colsnap-written ones), one
array per line, UTF-8, tab-separated:
  file  key  descr  fortran(0|1)  shape  raw_off  raw_len  native_off  native_len  extra
descr is the header's descr as Python prints it (dtype.str, or repr(dtype.descr) for records).
shape is "-" for 0-d, else dims joined by ",". raw_* locate in DIR/expect.bin the array's bytes
exactly as the file holds them (its byte order, its memory order); native_* locate the same array
little-endian (this machine's order) in C order. key is "-" for a .npy. extra: version "1.0" etc.
for a .npy, "stored"/"deflate" for an archive member.

Values are built from raw bit patterns (NaN payloads, signalling NaNs, -0.0, +-inf, subnormals,
extreme integers) so that every comparison is bit for bit, never through float arithmetic.
"""
import io
import os
import struct
import sys
import zipfile

import numpy as np

# ---------------------------------------------------------------- values
KINDS = ["b1", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8", "c8", "c16"]

SPECIAL_BITS = {
    2: [0x7e00, 0x7c01, 0xfe01, 0x8000, 0x7c00, 0xfc00, 0x0001, 0x7bff, 0x3c00, 0x0000],
    4: [0x7fc00123, 0x7f800001, 0xffc00000, 0x80000000, 0x7f800000, 0xff800000,
        0x00000001, 0x7f7fffff, 0x3f800000, 0x00000000],
    8: [0x7ff8000000000123, 0x7ff0000000000001, 0xfff8000000000000, 0x8000000000000000,
        0x7ff0000000000000, 0xfff0000000000000, 0x0000000000000001, 0x7fefffffffffffff,
        0x3ff0000000000000, 0x0000000000000000],
}


def uint_of(size):
    return {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}[size]


def bits_for(kind, count, seed):
    """count logical elements of kind as little-endian unsigned bits (C order, flat)."""
    rng = np.random.default_rng(seed)
    if kind == "b1":
        return (rng.integers(0, 2, count, dtype=np.uint8)).astype("<u1")
    if kind[0] == "c":
        half = int(kind[1:]) // 2
        return bits_for("f%d" % half, 2 * count, seed)
    size = int(kind[1:])
    u = uint_of(size)
    out = rng.integers(0, np.iinfo(u).max, count, dtype=u, endpoint=True).astype("<u%d" % size)
    if kind[0] == "f":
        specials = SPECIAL_BITS[size]
    elif kind[0] == "i":
        m = 1 << (8 * size - 1)
        specials = [m, m - 1, 0, (1 << (8 * size)) - 1, 1]  # min, max, 0, -1, 1
    else:
        specials = [0, (1 << (8 * size)) - 1, 1, 1 << (8 * size - 1)]
    n = min(len(specials), count)
    out[:n] = np.array(specials[:n], dtype="<u%d" % size)
    return out


def make_array(kind, order, shape, fortran, seed):
    """Returns (array as numpy holds it, native little-endian C-order bytes)."""
    count = int(np.prod(shape)) if len(shape) else 1
    bits = bits_for(kind, count, seed)
    native = bits.tobytes()
    if kind[0] == "c":
        half = int(kind[1:]) // 2
        comp = bits.view("<u%d" % half)
    else:
        comp = bits
    if order == ">":
        comp = comp.byteswap()
    descr = (order if kind[1:] != "1" else "|") + kind
    a = np.frombuffer(comp.tobytes(), dtype=np.dtype(descr)).reshape(shape).copy()
    if fortran:
        a = np.asfortranarray(a)
        assert a.flags.f_contiguous and not a.flags.c_contiguous
    return a, native


def orders_for(kind):
    return ["|"] if kind[1:] == "1" else ["<", ">"]


def shape_text(shape):
    return "-" if len(shape) == 0 else ",".join(str(d) for d in shape)


class Manifest:
    def __init__(self, directory, name="manifest.tsv"):
        self.dir = directory
        self.lines = []
        self.blob = bytearray()

    def put(self, b):
        off = len(self.blob)
        self.blob += b
        return off, len(b)

    def add(self, file, key, a, native, extra):
        fortran = a.flags.f_contiguous and not a.flags.c_contiguous
        raw = a.tobytes(order="F" if fortran else "C")
        ro, rl = self.put(raw)
        no, nl = self.put(native)
        descr = np.lib.format.dtype_to_descr(a.dtype)
        self.lines.append("\t".join([file, key, descr if isinstance(descr, str) else repr(descr),
                                     "1" if fortran else "0",
                                     shape_text(a.shape), str(ro), str(rl), str(no), str(nl),
                                     extra]))

    def save(self):
        with open(os.path.join(self.dir, "manifest.tsv"), "w", encoding="utf-8") as f:
            f.write("\n".join(self.lines) + "\n")
        with open(os.path.join(self.dir, "expect.bin"), "wb") as f:
            f.write(self.blob)


SHAPES = [((), False), ((0,), False), ((2, 0, 3), False), ((7,), False),
          ((2, 3, 4), False), ((2, 3, 4), True), ((5, 4), True)]


def all_variants():
    for kind in KINDS:
        for order in orders_for(kind):
            yield kind, order


# ---------------------------------------------------------------- numpy writes
def write_npy(d):
    m = Manifest(d)
    seed = 1
    for kind, order in all_variants():
        tag = kind + {"<": "le", ">": "be", "|": "na"}[order]
        for shape, fortran in SHAPES:
            seed += 1
            a, native = make_array(kind, order, shape, fortran, seed)
            name = "%s_%s%s.npy" % (tag, "x".join(map(str, shape)) or "scalar",
                                    "_F" if fortran else "")
            np.save(os.path.join(d, name), a)
            m.add(name, "-", a, native, "save")
        for version in [(1, 0), (2, 0), (3, 0)]:
            for shape, fortran in [((2, 3, 4), False), ((3, 2, 2), True), ((), False)]:
                seed += 1
                a, native = make_array(kind, order, shape, fortran, seed)
                name = "%s_v%d_%s%s.npy" % (tag, version[0], "x".join(map(str, shape)) or "scalar",
                                           "_F" if fortran else "")
                with open(os.path.join(d, name), "wb") as f:
                    np.lib.format.write_array(f, a, version=version)
                m.add(name, "-", a, native, "%d.0" % version[0])
    m.save()


UNICODE_NAMES = ["créature/π", "生物/位置", "emoji😀/ünïcødé", "a" * 200, "é" * 200,
                 "deep/" * 39 + "leaf", "with space and 'quote'", "arr_9"]


def write_npz(d):
    m = Manifest(d)
    seed = 1000
    arrays = {}
    for kind, order in all_variants():
        tag = kind + {"<": "le", ">": "be", "|": "na"}[order]
        for shape, fortran in SHAPES:
            seed += 1
            a, native = make_array(kind, order, shape, fortran, seed)
            key = "%s/%s%s" % (tag, "x".join(map(str, shape)) or "scalar", "_F" if fortran else "")
            arrays[key] = (a, native)
    for i, name in enumerate(UNICODE_NAMES):
        a, native = make_array("f8", "<", (3,), False, 5000 + i)
        arrays[name] = (a, native)
    # A big-ish member so that deflate spans several blocks.
    big, big_native = make_array("i4", "<", (100000,), False, 7)
    arrays["big/i4"] = (big, big_native)
    for fname, saver, method in [("numpy_stored.npz", np.savez, "stored"),
                                 ("numpy_deflate.npz", np.savez_compressed, "deflate")]:
        saver(os.path.join(d, fname), **{k: v[0] for k, v in arrays.items()})
        for k, (a, native) in arrays.items():
            m.add(fname, k, a, native, method)
    # Positional arrays: numpy names them arr_0, arr_1, ...
    pos = [make_array("u2", ">", (4, 5), True, 9001), make_array("c16", "<", (3,), False, 9002)]
    np.savez(os.path.join(d, "numpy_positional.npz"), *[p[0] for p in pos])
    for i, (a, native) in enumerate(pos):
        m.add("numpy_positional.npz", "arr_%d" % i, a, native, "stored")
    # Written through an unseekable stream: zipfile then uses data descriptors (flag bit 3)
    # and puts zero sizes/CRC in the local headers.
    dd_arrays = {"dd/a": make_array("f4", ">", (6, 7), False, 9100),
                 "dd/b": make_array("i8", "<", (2, 3, 4), True, 9101)}

    class Unseekable(io.RawIOBase):
        def __init__(self, f):
            self.f = f

        def writable(self):
            return True

        def write(self, b):
            return self.f.write(b)

    for fname, comp in [("stream_stored.npz", zipfile.ZIP_STORED),
                        ("stream_deflate.npz", zipfile.ZIP_DEFLATED)]:
        with open(os.path.join(d, fname), "wb") as raw:
            with zipfile.ZipFile(Unseekable(raw), "w", compression=comp) as z:
                for k, (a, native) in dd_arrays.items():
                    with z.open(k + ".npy", "w", force_zip64=False) as mf:
                        np.lib.format.write_array(mf, a)
        with zipfile.ZipFile(os.path.join(d, fname)) as z:
            assert all(zi.flag_bits & 8 for zi in z.infolist()), "expected data descriptors"
        for k, (a, native) in dd_arrays.items():
            m.add(fname, k, a, native, "stored" if comp == zipfile.ZIP_STORED else "deflate")
    m.save()


def many_value(i):
    return np.array([i * 7919, -i], dtype="<i8")


def write_many(d, n):
    path = os.path.join(d, "numpy_many.npz")
    # np.savez collects kwargs; zipfile switches to zip64 end records above 65535 entries.
    np.savez(path, **{"m%06d" % i: many_value(i) for i in range(n)})
    with open(path, "rb") as f:
        data = f.read()
    assert (n <= 0xFFFF) or data.rfind(b"PK\x06\x06") >= 0, "numpy did not write a zip64 EOCD"


# ---------------------------------------------------------------- the kinds beyond numbers
TEST_FORMAT = "/usr/lib/python3/dist-packages/numpy/lib/tests/test_format.py"


def test_format_arrays():
    """basic_arrays and record_arrays of numpy's own test_format.py (its module text from
    '# Generate some basic arrays' up to the first class, run as is; object arrays are left out)."""
    with open(TEST_FORMAT, encoding="utf-8") as f:
        text = f.read()
    start, end = text.index("# Generate some basic arrays"), text.index("#BytesIO that reads")
    scope = {"np": np}
    exec(text[start:end], scope)
    basic = [a for a in scope["basic_arrays"] if a.dtype != object]
    return basic, scope["record_arrays"]


def native_of(a):
    """a's bytes little-endian in C order: each swapped item (numpy's byteswap swaps each field
    and each half of a complex). Records go field by field into zeros, so their padding (which
    numpy's copies leave as whatever memory held) is zero: the C++ side zeroes it too."""
    if a.dtype.names is not None:
        out = np.zeros(a.shape, dtype=a.dtype.newbyteorder("<"))
        for name in a.dtype.names:
            out[name] = a[name]
        return out.tobytes()
    c = np.ascontiguousarray(a)
    return c.byteswap().tobytes() if a.dtype.byteorder == ">" else c.tobytes()


def raw_array(descr, shape, payload, fortran=False):
    """An array of descr whose bytes are payload (C order), in Fortran order if asked."""
    a = np.frombuffer(payload, dtype=np.dtype(descr)).reshape(shape).copy()
    return np.asfortranarray(a) if fortran else a


def kind_arrays():
    """(tag, array) for every kind beyond test_format.py's, both byte orders, C and F order."""
    rng = np.random.default_rng(13)
    out = []
    out.append(("b1_F", np.asfortranarray(rng.integers(0, 2, (3, 5)).astype("|b1"))))
    out.append(("S4", np.array([b"a", b"bb\x00c", b"", b"\xff\x01zz"], dtype="|S4")))
    out.append(("S3_F", np.asfortranarray(np.array([[b"ab", b"c"], [b"", b"xyz"], [b"q", b"\x00"]],
                                                   dtype="|S3"))))
    for o in "<>":
        tag = {"<": "le", ">": "be"}[o]
        out.append(("U3" + tag, np.array(["a", "\xe9\u751f\U0001f600", "", "xyz"], dtype=o + "U3")))
        out.append(("U2" + tag + "_F", np.asfortranarray(
            np.array([["ab", "c"], ["", "\u00ff"], ["q", "zz"]], dtype=o + "U2"))))
        for kind in "Mm":
            for unit in ["", "[Y]", "[M]", "[W]", "[D]", "[h]", "[m]", "[s]", "[ms]", "[us]", "[ns]",
                         "[ps]", "[fs]", "[as]", "[25s]", "[1000ms]"]:
                ints = np.array([0, 1, -1, np.iinfo(np.int64).min, np.iinfo(np.int64).max, 1234567],
                                dtype="<i8")
                descr = o + kind + "8" + unit
                a = raw_array(descr, (6,), ints.astype(o + "i8").tobytes())
                out.append(("%s8%s%s" % (kind, unit.strip("[]") or "generic", tag), a))
            out.append((kind + "8ns" + tag + "_F",
                        raw_array(o + kind + "8[ns]", (3, 4), rng.integers(
                            -2**63, 2**63 - 1, 12, dtype=np.int64).astype(o + "i8").tobytes(), True)))
        # x86-64 long double: 10 bytes of value and 6 of padding, kept bit for bit.
        for descr, n in [("f16", 5), ("c32", 3)]:
            payload = rng.integers(0, 256, n * int(descr[1:]), dtype=np.uint8).tobytes()
            out.append((descr + tag, raw_array(o + descr, (n,), payload)))
            out.append((descr + tag + "_F", raw_array(o + descr, (2, 3), rng.integers(
                0, 256, 6 * int(descr[1:]), dtype=np.uint8).tobytes(), True)))
        # Records: titles, gaps, explicit offsets and itemsize, nesting, sub-arrays.
        gappy = np.dtype({"names": ["a", "b", "c"], "formats": [o + "i4", o + "f8", "|S3"],
                          "offsets": [4, 12, 21], "titles": ["Title A", None, None],
                          "itemsize": 32})
        a = np.zeros((2, 3), dtype=gappy)
        a["a"] = np.arange(6).reshape(2, 3)
        a["b"] = np.linspace(-1, 1, 6).reshape(2, 3)
        a["c"] = b"xy"
        out.append(("rec_gaps" + tag, a))
        out.append(("rec_gaps" + tag + "_F", np.asfortranarray(a)))
        nested = np.dtype([("id", o + "u8"), ("pos", o + "f4", (3,)),
                           ("tag", [("name", o + "U4"), ("when", o + "M8[ms]"), ("pad", "|V3")]),
                           ("grid", o + "i2", (2, 3)), ("flag", "|b1")])
        b = np.zeros(4, dtype=nested)
        b["id"] = [1, 2**63, 3, 4]
        b["pos"] = rng.random((4, 3), dtype=np.float32)
        b["tag"]["name"] = ["x", "\xe9\xe9", "", "abcd"]
        b["tag"]["when"] = np.array([0, -1, 10**12, np.iinfo(np.int64).min]).astype("M8[ms]")
        b["grid"] = np.arange(24).reshape(4, 2, 3)
        b["flag"] = [True, False, True, True]
        out.append(("rec_nested" + tag, b))
        mixed = np.dtype([("le", "<i4"), ("be", ">i4"), ("c", o + "c8"), ("u", ">U1")])
        out.append(("rec_mixed" + tag, np.array([(1, 2, 3 + 4j, "z"), (-1, -2, -3j, "\xe9")],
                                                dtype=mixed)))
    # Names in the header's encodings: latin-1 stays version 1.0, past U+00FF needs 3.0.
    out.append(("rec_latin1", np.zeros(3, dtype=[("caf\xe9", "<f4"), ("a'b", "<i2")])))
    out.append(("rec_utf8", np.zeros(2, dtype=[("\u751f\u7269", "<f4"), ("\U0001f600", "|u1")])))
    out.append(("rec_escapes", np.zeros(2, dtype=[("a\\b", "<f4"), ("c\"'", "|u1"),
                                                 ("\x01\t", "|i1")])))
    out.append(("rec_empty_shape", np.zeros((0, 3), dtype=[("x", "<f8"), ("y", "|S2")])))
    out.append(("rec_scalar", np.zeros((), dtype=[("x", "<f8"), ("y", "|S2")])))
    out.append(("V5", np.frombuffer(bytes(range(15)), dtype="|V5").copy()))
    return out


def write_kinds(d):
    import warnings
    warnings.filterwarnings("ignore", "Stored array in format")
    m = Manifest(d)
    basic, records = test_format_arrays()
    named = [("basic%03d" % i, a) for i, a in enumerate(basic)]
    named += [("record%d" % i, a) for i, a in enumerate(records)]
    named += kind_arrays()
    for tag, a in named:
        name = tag + ".npy"
        np.save(os.path.join(d, name), a)
        m.add(name, "-", a, native_of(a), "save")
    m.save()


# ---------------------------------------------------------------- colsnap writes, numpy reads
class Checker:
    def __init__(self):
        self.failures = []
        self.checks = 0

    def expect(self, cond, what):
        self.checks += 1
        if not cond:
            self.failures.append(what)


def local_data_offsets(path):
    """{zip name: (method, offset of member data)} from the local headers, parsed by hand."""
    out = {}
    with open(path, "rb") as f:
        data = f.read()
    with zipfile.ZipFile(path) as z:
        for zi in z.infolist():
            off = zi.header_offset
            sig, _ver, _flag, method, _t, _d, _crc, _cs, _us, nlen, elen = struct.unpack_from(
                "<IHHHHHIIIHH", data, off)
            assert sig == 0x04034B50, "bad local header signature at %d" % off
            name = data[off + 30:off + 30 + nlen]
            out[zi.filename] = (method, off + 30 + nlen + elen, name)
    return out, data


def check(d):
    c = Checker()
    with open(os.path.join(d, "expect.bin"), "rb") as f:
        blob = f.read()
    with open(os.path.join(d, "ours.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    archives = {}
    for file, key, descr, fortran, shape, ro, rl, _no, _nl, extra in rows:
        path = os.path.join(d, file)
        where = "%s[%s]" % (file, key)
        want_shape = () if shape == "-" else tuple(int(x) for x in shape.split(","))
        raw = blob[int(ro):int(ro) + int(rl)]
        if key == "-":
            a = np.load(path)
            with open(path, "rb") as f:
                ours = f.read()
            buf = io.BytesIO()
            np.save(buf, a)
            c.expect(buf.getvalue() == ours, "%s: not byte-identical to np.save's output" % where)
            if extra == "mmap":
                mm = np.load(path, mmap_mode="r")
                c.expect(isinstance(mm, np.memmap), "%s: mmap_mode='r' gave no memmap" % where)
                c.expect(mm.tobytes(order="A") == a.tobytes(order="A"),
                         "%s: memmap bytes differ" % where)
        else:
            if file not in archives:
                archives[file] = np.load(path)
            z = archives[file]
            if key not in z.files:
                c.expect(False, "%s: numpy does not see the member (has %d)" % (where, len(z.files)))
                continue
            a = z[key]
        is_f = a.flags.f_contiguous and not a.flags.c_contiguous
        c.expect(a.dtype.str == descr, "%s: dtype %s, want %s" % (where, a.dtype.str, descr))
        c.expect(a.shape == want_shape, "%s: shape %r, want %r" % (where, a.shape, want_shape))
        c.expect(is_f == (fortran == "1"), "%s: fortran %r, want %s" % (where, is_f, fortran))
        got = a.tobytes(order="F" if is_f else "C")
        c.expect(got == raw, "%s: %d bytes differ from what colsnap was given" % (where, len(raw)))
    # Zip-level checks on our archives: 64-byte alignment of stored data, names, clean zip.
    for file, z in archives.items():
        path = os.path.join(d, file)
        offs, data = local_data_offsets(path)
        with zipfile.ZipFile(path) as zf:
            c.expect(zf.testzip() is None, "%s: zipfile.testzip found a bad member" % file)
            for zi in zf.infolist():
                method, off, lname = offs[zi.filename]
                c.expect(lname.decode("utf-8") == zi.filename,
                         "%s: local name %r != central %r" % (file, lname, zi.filename))
                c.expect(zi.date_time == (1980, 1, 1, 0, 0, 0),
                         "%s[%s]: timestamp %r" % (file, zi.filename, zi.date_time))
                if method == 0:
                    c.expect(off % 64 == 0, "%s[%s]: stored data at %d, not 64-aligned"
                             % (file, zi.filename, off))
                    # The array payload after the .npy header must be aligned as well.
                    hl = (struct.unpack_from("<H", data, off + 8)[0] + 10 if data[off + 6] == 1
                          else struct.unpack_from("<I", data, off + 8)[0] + 12)
                    c.expect((off + hl) % 64 == 0, "%s[%s]: payload at %d, not 64-aligned"
                             % (file, zi.filename, off + hl))
        z.close()
    report(c)


def check_many(path, n):
    c = Checker()
    with np.load(path) as z:
        c.expect(len(z.files) == n, "%s: numpy sees %d members, want %d" % (path, len(z.files), n))
        want_names = ["m%06d" % i for i in range(n)]
        c.expect(z.files == want_names, "%s: member names/order differ" % path)
        # NpzFile.__getitem__ looks keys up in a list (O(n) each, hours for 70,000 members), so
        # read every member the way it does internally (zip member -> format.read_array), and
        # go through z[key] itself for a sample.
        for i in range(n):
            with z.zip.open("m%06d.npy" % i) as f:
                a = np.lib.format.read_array(f)
            if a.dtype.str != "<i8" or a.tobytes() != many_value(i).tobytes():
                c.expect(False, "%s: member %d differs" % (path, i))
                break
        c.checks += n
        for i in list(range(0, n, 997)) + [n - 1]:
            a = z["m%06d" % i]
            c.expect(a.tobytes() == many_value(i).tobytes(), "%s: z[m%06d] differs" % (path, i))
    with open(path, "rb") as f:
        data = f.read()
    c.expect(data.rfind(b"PK\x06\x06") >= 0, "%s: no zip64 end of central directory" % path)
    report(c)


def report(c):
    for f in c.failures[:50]:
        print("FAIL", f)
    print("numpy checked %d properties, %d failed" % (c.checks, len(c.failures)))
    sys.exit(1 if c.failures else 0)


def main():
    cmd = sys.argv[1]
    if cmd == "write-npy":
        write_npy(sys.argv[2])
    elif cmd == "write-npz":
        write_npz(sys.argv[2])
    elif cmd == "write-kinds":
        write_kinds(sys.argv[2])
    elif cmd == "write-many":
        write_many(sys.argv[2], int(sys.argv[3]))
    elif cmd == "check":
        check(sys.argv[2])
    elif cmd == "check-many":
        check_many(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
