#!/usr/bin/python3
"""Builds colsnap's hostile corpus: numpy-made .npy/.npz files, then byte surgery.

  make_corpus.py DIR

Writes DIR/<case files> and DIR/cases.tsv, one case per line, tab-separated:
  file  api  codes  member  description
api is "npy" (read_npy) or "npz" (npz_reader::open + verify + get of every member); codes is the
colsnap::errc (or, where the spec leaves a choice, the comma-separated set) that the refusal must
carry; member is the numpy key the message must name ("-" when the fault is not in one member).
Also writes DIR/base_stored.npz, base_deflate.npz, base.npy: valid files for truncation and
bit-flip tests; and DIR/readable.tsv (file  description): crafted archives that numpy (CPython's
zipfile) reads and colsnap must read the same way (tests/interop/zip_views_test.cpp compares).

The zip files are assembled here byte by byte (APPNOTE 6.3.x: 4.3.7 local header, 4.3.12
central directory, 4.3.14-16 zip64 end records, 4.3.16 EOCD, 4.5.3 zip64 extra field) so that
every field can be made to lie on purpose; members are .npy bytes numpy wrote.
"""
import io
import os
import struct
import sys
import zlib

import numpy as np

VICTIM = "victim/col"


def npy_bytes(a, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, a, version=version, allow_pickle=True)
    return buf.getvalue()


def npy_raw(header, payload=b"", version=(1, 0), pad=True, hlen=None, magic=b"\x93NUMPY"):
    """An .npy with header text/bytes @header, padded like numpy (spaces + newline to 64)."""
    if isinstance(header, str):
        header = header.encode("latin1")
    lenfmt = "<H" if version[0] == 1 else "<I"
    pre = 6 + 2 + struct.calcsize(lenfmt)
    if pad:
        total = pre + len(header) + 1
        header = header + b" " * ((64 - total % 64) % 64) + b"\n"
    n = len(header) if hlen is None else hlen
    return magic + bytes(version) + struct.pack(lenfmt, n) + header + payload


def dict_text(descr="'<f8'", fortran="False", shape="(3,)"):
    return "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)


F8_3 = np.array([1.5, -0.0, np.inf]).tobytes()

# ---------------------------------------------------------------- zip assembly
LH, CD, EOCD, Z64EOCD, Z64LOC = 0x04034B50, 0x02014B50, 0x06054B50, 0x06064B50, 0x07064B50
DOS_DATE = (1 << 5) | 1  # 1980-01-01


def deflate(data, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class Member:
    def __init__(self, name, payload, method=0, zip64=False, crc=None, usize=None, data=None,
                 flags=None):
        self.name = name if isinstance(name, bytes) else name.encode("utf-8")
        self.payload = payload
        self.method = method
        self.data = data if data is not None else (deflate(payload) if method == 8 else payload)
        self.crc = zlib.crc32(payload) if crc is None else crc
        self.usize = len(payload) if usize is None else usize
        self.csize = len(self.data)
        self.zip64 = zip64
        self.flags = flags if flags is not None else (0x800 if any(b > 127 for b in self.name) else 0)


def build_zip(members, zip64_end=False):
    """Returns (bytes, layout); layout has per-member 'lh', 'data', 'cd' offsets and the end records."""
    out = bytearray()
    lay = {"lh": [], "data": [], "cd": []}
    for m in members:
        lay["lh"].append(len(out))
        extra = b""
        cs, us = m.csize, m.usize
        if m.zip64:
            extra = struct.pack("<HHQQ", 1, 16, m.usize, m.csize)
            cs = us = 0xFFFFFFFF
        out += struct.pack("<IHHHHHIIIHH", LH, 45 if m.zip64 else 20, m.flags, m.method, 0,
                           DOS_DATE, m.crc, cs, us, len(m.name), len(extra))
        out += m.name + extra
        lay["data"].append(len(out))
        out += m.data
    cd_off = len(out)
    for m, lh in zip(members, lay["lh"]):
        lay["cd"].append(len(out))
        extra = b""
        cs, us = m.csize, m.usize
        if m.zip64:
            extra = struct.pack("<HHQQ", 1, 16, m.usize, m.csize)
            cs = us = 0xFFFFFFFF
        extra += getattr(m, "cd_extra", b"")
        out += struct.pack("<IHHHHHHIIIHHHHHII", CD, 0x031E, 45 if m.zip64 else 20, m.flags,
                           m.method, 0, DOS_DATE, m.crc, cs, us, len(m.name), len(extra), 0, 0, 0,
                           0o644 << 16, lh)
        out += m.name + extra
    cd_size = len(out) - cd_off
    n = len(members)
    if zip64_end:
        lay["z64eocd"] = len(out)
        out += struct.pack("<IQHHIIQQQQ", Z64EOCD, 44, 45, 45, 0, 0, n, n, cd_size, cd_off)
        lay["z64loc"] = len(out)
        out += struct.pack("<IIQI", Z64LOC, 0, lay["z64eocd"], 1)
    lay["eocd"] = len(out)
    if zip64_end:
        out += struct.pack("<IHHHHIIH", EOCD, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", EOCD, 0, 0, n, n, cd_size, cd_off, 0)
    lay["cd_off"], lay["cd_size"] = cd_off, cd_size
    return out, lay


def put(buf, fmt, off, *vals):
    struct.pack_into(fmt, buf, off, *vals)


# ---------------------------------------------------------------- the corpus
class Corpus:
    def __init__(self, d):
        self.dir = d
        self.rows = []
        self.readable = []

    def add(self, name, data, api, codes, member, desc):
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(bytes(data))
        self.rows.append("\t".join([name, api, codes, member, desc]))

    def add_readable(self, name, data, desc):
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(bytes(data))
        self.readable.append("\t".join([name, desc]))

    def save(self):
        with open(os.path.join(self.dir, "cases.tsv"), "w", encoding="utf-8") as f:
            f.write("\n".join(self.rows) + "\n")
        with open(os.path.join(self.dir, "readable.tsv"), "w", encoding="utf-8") as f:
            f.write("\n".join(self.readable) + "\n")


def ok_members():
    return [Member("ok/a.npy", npy_bytes(np.arange(10, dtype="<i4"))),
            Member("ok/b.npy", npy_bytes(np.linspace(0, 1, 7).astype(">f8")), method=8)]


def archive_with(victim, method=0, **kw):
    ms = ok_members()
    ms.insert(1, Member(VICTIM + ".npy", victim, method=method, **kw))
    return build_zip(ms)


def npy_cases(c):
    """Hostile .npy bytes: each as a .npy file, and as a stored and a deflated archive member."""
    good = npy_bytes(np.array([1.5, -0.0, np.inf]))
    obj = np.empty(3, dtype=object)
    obj[:] = [1, "a", None]
    many_dims = "(" + "1, " * 65 + ")"
    big_v2 = npy_raw(dict_text() + " " * 20000, F8_3, version=(2, 0))
    cases = [
        ("empty", b"", "truncated,bad_magic", "0 bytes"),
        ("magic_only", good[:8], "truncated", "magic and version, nothing else"),
        ("header_cut", good[:40], "truncated", "cut inside the header dict"),
        ("bad_magic", b"\x93NUMPZ" + good[6:], "bad_magic", "magic \\x93NUMPZ"),
        ("bad_magic_gif", b"GIF89a" + good[6:], "bad_magic", "a GIF signature"),
        ("version_4_0", good[:6] + b"\x04\x00" + good[8:], "unsupported_version", "version 4.0"),
        ("version_1_1", good[:6] + b"\x01\x01" + good[8:], "unsupported_version", "version 1.1"),
        ("version_0_0", good[:6] + b"\x00\x00" + good[8:], "unsupported_version", "version 0.0"),
        ("header_over_limit_v2", big_v2, "header_too_large", "20 kB header (numpy's cap: 10000)"),
        ("header_over_limit_v1", npy_raw(dict_text() + " " * 10100, F8_3), "header_too_large",
         "10 kB header in a 1.0 file"),
        ("header_len_past_eof", npy_raw(dict_text(), b"", hlen=9000, pad=True), "truncated",
         "header_len 9000 in a 128-byte file"),
        ("unterminated_dict", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), ",
                                      F8_3), "header_syntax", "dict without closing brace"),
        ("unterminated_string", npy_raw("{'descr': '<f8, 'fortran_order': False, 'shape': (3,), }",
                                        F8_3), "header_syntax", "string without closing quote"),
        ("unterminated_tuple", npy_raw(dict_text(shape="(3, "), F8_3), "header_syntax",
         "shape tuple never closed"),
        ("non_literal_import", npy_raw(dict_text(descr="__import__('os').system('true')"), F8_3),
         "header_syntax", "descr is __import__('os').system(...)"),
        ("non_literal_call_shape", npy_raw(dict_text(shape="(int('3'),)"), F8_3), "header_syntax",
         "shape holds a call"),
        ("non_literal_expr_shape", npy_raw(dict_text(shape="(1+2,)"), F8_3), "header_syntax",
         "shape holds an expression"),
        ("extra_key", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1, }",
                              F8_3), "header_syntax", "a fourth key"),
        ("missing_key", npy_raw("{'descr': '<f8', 'fortran_order': False, }", F8_3),
         "header_syntax", "no shape key"),
        ("duplicate_key", npy_raw("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, "
                                  "'shape': (3,), }", F8_3), "header_syntax", "descr twice"),
        ("fortran_not_bool", npy_raw(dict_text(fortran="0"), F8_3), "header_syntax",
         "fortran_order: 0"),
        ("shape_is_list", npy_raw(dict_text(shape="[3]"), F8_3), "header_syntax", "shape: [3]"),
        ("shape_float", npy_raw(dict_text(shape="(3.0,)"), F8_3), "header_syntax", "shape: (3.0,)"),
        ("not_a_dict", npy_raw("[1, 2, 3]", F8_3), "header_syntax", "header is a list"),
        ("empty_header", npy_raw("", F8_3), "header_syntax", "header is blank"),
        ("nul_in_header", npy_raw(dict_text().replace("'<f8'", "'<f\x008'"), F8_3),
         "header_syntax,unsupported_dtype", "NUL byte inside descr"),
        ("descr_f3", npy_raw(dict_text(descr="'<f3'"), F8_3), "unsupported_dtype", "descr <f3"),
        ("descr_unicode_zero", npy_raw(dict_text(descr="'<U0'"), b""), "unsupported_dtype",
         "descr <U0 (numpy's flexible size 0)"),
        ("descr_bytes_zero", npy_raw(dict_text(descr="'|S0'"), b""), "unsupported_dtype",
         "descr |S0"),
        ("descr_longdouble_12", npy_raw(dict_text(descr="'<f12'"), b"\0" * 36),
         "unsupported_dtype", "descr <f12 (a 32-bit platform's long double)"),
        ("descr_datetime_bad_unit", npy_raw(dict_text(descr="'<M8[B]'"), F8_3),
         "unsupported_dtype", "descr <M8[B] (business days, gone from numpy)"),
        ("descr_datetime_event", npy_raw(dict_text(descr="'<M8[ns/2]'"), F8_3),
         "unsupported_dtype", "descr <M8[ns/2] (the old event syntax)"),
        ("descr_unicode_short", npy_raw(dict_text(descr="'<U8'"), b"\0" * 95), "truncated",
         "descr <U8 x 3 with 95 of 96 bytes"),
        ("descr_record_object_field", npy_raw(dict_text(descr="[('a', '<f8'), ('o', '|O')]"),
                                              b"\0" * 48), "unsupported_dtype",
         "a record with an object field"),
        ("descr_record_duplicate", npy_raw(dict_text(descr="[('a', '<f8'), ('a', '<f8')]"),
                                           b"\0" * 48), "header_syntax",
         "a record naming a field twice"),
        ("descr_record_unclosed", npy_raw(dict_text(descr="[('a', '<f8')"), F8_3), "header_syntax",
         "a field list without its ']'"),
        ("descr_record_deep", npy_raw(dict_text(descr="[('a', " * 101 + "'<f8'" + ")]" * 101),
                                      F8_3, version=(2, 0)), "limit_exceeded",
         "a record nested past Python's 200 brackets"),
        ("descr_record_huge_subarray",
         npy_raw(dict_text(descr="[('a', '<f8', (65536, 65536))]"), F8_3), "size_overflow",
         "a field of 2**35 bytes"),
        ("descr_empty", npy_raw(dict_text(descr="''"), F8_3), "unsupported_dtype", "descr ''"),
        ("object_pickled", npy_bytes(obj), "unsupported_dtype",
         "object array numpy pickled (allow_pickle=True)"),
        ("shape_negative", npy_raw(dict_text(shape="(-1,)"), F8_3), "size_overflow", "shape (-1,)"),
        ("shape_negative_2d", npy_raw(dict_text(shape="(3, -2)"), F8_3), "size_overflow",
         "shape (3, -2)"),
        ("shape_product_overflow", npy_raw(dict_text(shape="(4611686018427387904, 4)"), F8_3),
         "size_overflow", "shape (2**62, 4)"),
        ("shape_nbytes_overflow", npy_raw(dict_text(shape="(2305843009213693952,)"), F8_3),
         "size_overflow", "shape (2**61,) of <f8: 2**64 bytes"),
        ("shape_dim_over_64_bits", npy_raw(dict_text(shape="(18446744073709551616,)"), F8_3),
         "size_overflow", "dim 2**64"),
        ("shape_dim_huge_literal", npy_raw(dict_text(shape="(" + "9" * 400 + ",)"), F8_3),
         "size_overflow", "a 400-digit dim"),
        ("shape_huge_short_payload", npy_raw(dict_text(shape="(1099511627776,)"), F8_3),
         "truncated", "shape (2**40,) of <f8 with 24 bytes"),
        ("shape_beyond_limit", npy_raw(dict_text(descr="'|u1'", shape="(1125899906842624,)"),
                                       F8_3), "limit_exceeded,truncated",
         "2**50 bytes declared (max_member_bytes is 2**44)"),
        ("too_many_dims", npy_raw(dict_text(shape=many_dims), F8_3[:8]), "limit_exceeded",
         "65 dims (limit 64)"),
        ("payload_short", npy_raw(dict_text(shape="(100,)"), b"\1" * 799), "truncated",
         "shape (100,) of <f8 with 799 bytes"),
        ("payload_long", npy_raw(dict_text(), F8_3 + b"\0"), "trailing_bytes",
         "shape (3,) of <f8 with 25 bytes"),
    ]
    for name, data, codes, desc in cases:
        c.add("npy_%s.npy" % name, data, "npy", codes, "-", desc)
        if not data.startswith(b"\x93NUMPY"):
            # numpy returns such a member as bytes (it checks the magic): get() refuses it.
            codes, desc = "unsupported_dtype", desc + ", listed as bytes as numpy does"
        z, _ = archive_with(data)
        c.add("npz_%s.npz" % name, z, "npz", codes, VICTIM, desc + " (stored member)")
        z, _ = archive_with(data, method=8)
        c.add("npzd_%s.npz" % name, z, "npz", codes, VICTIM, desc + " (deflated member)")


def zip_cases(c):
    victim = npy_bytes(np.arange(40, dtype="<f8").reshape(5, 8))
    z_stored, lay_s = archive_with(victim)
    z_defl, lay_d = archive_with(victim, method=8)
    n = 3  # members per archive
    V = 1  # victim index

    def case(name, data, codes, member, desc):
        c.add("zip_%s.npz" % name, data, "npz", codes, member, desc)

    def mod(base, fn):
        b = bytearray(base)
        fn(b)
        return b

    case("empty", b"", "not_a_zip,truncated", "-", "0-byte file")
    case("text", b"this is not a zip file\n" * 10, "not_a_zip", "-", "plain text")
    case("npy_as_npz", victim, "not_a_zip", "-", "an .npy, not an archive")
    case("eocd_cut", z_stored[:-10], "not_a_zip,truncated,zip_corrupt", "-", "EOCD cut short")

    # CRC
    payload_byte = lay_s["data"][V] + len(victim) - 3
    case("crc_stored_payload", mod(z_stored, lambda b: b.__setitem__(payload_byte, b[payload_byte] ^ 0x40)),
         "crc_mismatch", VICTIM, "one payload byte of a stored member flipped")
    bad_crc = zlib.crc32(victim) ^ 1

    def set_crc(lay):
        def f(b):
            put(b, "<I", lay["lh"][V] + 14, bad_crc)
            put(b, "<I", lay["cd"][V] + 16, bad_crc)
        return f
    case("crc_stored_field", mod(z_stored, set_crc(lay_s)), "crc_mismatch", VICTIM,
         "CRC fields of a stored member off by one bit")
    case("crc_deflate_field", mod(z_defl, set_crc(lay_d)), "crc_mismatch", VICTIM,
         "CRC fields of a deflate member off by one bit")

    # central directory / local header offsets
    size = len(z_stored)
    case("cd_offset_past_eof", mod(z_stored, lambda b: put(b, "<I", lay_s["eocd"] + 16, size + 100)),
         "zip_corrupt", "-", "EOCD central directory offset past the end")
    case("cd_size_past_eof", mod(z_stored, lambda b: put(b, "<I", lay_s["eocd"] + 12, 0x7FFFFFF0)),
         "zip_corrupt", "-", "EOCD central directory size 2 GiB")
    case("cd_offset_to_local", mod(z_stored, lambda b: put(b, "<I", lay_s["eocd"] + 16, 0)),
         "zip_corrupt", "-", "EOCD central directory offset points at a local header")
    case("cd_bad_signature", mod(z_stored, lambda b: put(b, "<I", lay_s["cd"][V], 0x02014B51)),
         "zip_corrupt", "-", "central directory entry signature wrong")
    case("cd_name_len_past_cd", mod(z_stored, lambda b: put(b, "<H", lay_s["cd"][V] + 28, 60000)),
         "zip_corrupt", "-", "central directory name length 60000")
    case("lh_offset_past_eof", mod(z_stored, lambda b: put(b, "<I", lay_s["cd"][V] + 42, size + 10)),
         "zip_corrupt", VICTIM, "local header offset past the end")
    case("lh_offset_into_cd", mod(z_stored, lambda b: put(b, "<I", lay_s["cd"][V] + 42, lay_s["cd_off"])),
         "zip_corrupt", VICTIM, "local header offset points into the central directory")
    case("lh_offset_near_eof", mod(z_stored, lambda b: put(b, "<I", lay_s["cd"][V] + 42, size - 4)),
         "zip_corrupt", VICTIM, "local header offset 4 bytes before the end")
    case("lh_bad_signature", mod(z_stored, lambda b: put(b, "<I", lay_s["lh"][V], 0x04034B55)),
         "zip_corrupt", VICTIM, "local header signature wrong")
    case("lh_name_differs", mod(z_stored, lambda b: b.__setitem__(lay_s["lh"][V] + 30, ord("V"))),
         "zip_corrupt", VICTIM, "local header name differs from the directory's")
    case("lh_extra_len_past_eof", mod(z_stored, lambda b: put(b, "<H", lay_s["lh"][V] + 28, 0xFFFF)),
         "zip_corrupt", VICTIM, "local header extra length runs past the end")

    # overlapping members
    inner = Member("inner.npy", npy_bytes(np.arange(6, dtype="<i2")))
    inner_zip, inner_lay = build_zip([inner])
    inner_rec = inner_zip[:inner_lay["cd_off"]]
    outer_payload = npy_bytes(np.frombuffer(inner_rec, dtype="u1"))
    outer = Member("outer.npy", outer_payload)
    z, lay = build_zip([outer])
    # Add a central directory entry for the local header hidden inside outer's data.
    inner_off = lay["data"][0] + len(outer_payload) - len(inner_rec)
    cd = bytearray(z[lay["cd_off"]:lay["eocd"]])
    cd += struct.pack("<IHHHHHHIIIHHHHHII", CD, 0x031E, 20, 0, 0, 0, DOS_DATE, inner.crc,
                      inner.csize, inner.usize, len(inner.name), 0, 0, 0, 0, 0, inner_off) + inner.name
    nested = z[:lay["cd_off"]] + cd + struct.pack("<IHHHHIIH", EOCD, 0, 0, 2, 2, len(cd),
                                                  lay["cd_off"], 0)
    case("overlap_nested", nested, "zip_corrupt", "-",
         "a member's local header and data lie inside another member's data")
    # Partial overlap: A's data runs 16 bytes into B's local header; all CRCs/sizes consistent.
    a_true = np.arange(20, dtype="u1")
    b_member = Member("b.npy", npy_bytes(np.arange(5, dtype="<i8")))
    a_pay_full = npy_bytes(np.zeros(len(a_true) + 16, dtype="u1"))
    a_phys = a_pay_full[:-16]
    a_member = Member("a.npy", a_phys)
    z, lay = build_zip([a_member, b_member])
    z = bytearray(z)
    real = bytes(z[lay["data"][0]:lay["data"][0] + len(a_pay_full)])
    crc = zlib.crc32(real)
    for off in (lay["lh"][0] + 14, lay["cd"][0] + 16):
        put(z, "<III", off, crc, len(a_pay_full), len(a_pay_full))
    case("overlap_partial", z, "zip_corrupt", "-",
         "a member's data runs 16 bytes into the next local header (sizes and CRC consistent)")
    # Two directory entries naming the same local header, same name.
    z, lay = build_zip([Member("x.npy", npy_bytes(np.arange(3, dtype="<i4")))])
    cd = z[lay["cd_off"]:lay["eocd"]] * 2
    twice = z[:lay["cd_off"]] + cd + struct.pack("<IHHHHIIH", EOCD, 0, 0, 2, 2, len(cd),
                                                 lay["cd_off"], 0)
    case("overlap_same_entry_twice", twice, "duplicate_member,zip_corrupt", "-",
         "the same directory entry twice")

    # sizes that lie
    prefix_len = len(victim)
    longer = victim + b"\x55" * 4096
    case("deflate_inflates_past_size", archive_with(
        victim, method=8, data=deflate(longer), crc=zlib.crc32(victim), usize=prefix_len)[0],
        "size_mismatch", VICTIM, "deflate stream inflates 4096 bytes past the declared size")
    short_npy = victim[:-16]
    case("deflate_inflates_short", archive_with(
        victim, method=8, data=deflate(short_npy), crc=zlib.crc32(victim))[0],
        "size_mismatch", VICTIM, "deflate stream inflates to 16 bytes less than declared")
    case("stored_csize_ne_usize", mod(z_stored, lambda b: (put(b, "<I", lay_s["cd"][V] + 24, len(victim) + 8),
                                                           put(b, "<I", lay_s["lh"][V] + 22, len(victim) + 8))),
         "zip_corrupt,size_mismatch", VICTIM, "stored member with uncompressed size != compressed size")
    for tag, declared, z64 in [("32", 0xFFFFFF00, False), ("zip64", 1 << 40, True)]:
        hdr = npy_raw(dict_text(descr="'|u1'", shape="(%d,)" % (declared - 128)))
        assert len(hdr) == 128
        tiny = deflate(hdr + b"\0" * 4096, 9)
        case("deflate_declares_huge_" + tag,
             archive_with(hdr, method=8, data=tiny, crc=zlib.crc32(hdr + b"\0" * 4096),
                          usize=declared, zip64=z64)[0],
             "size_mismatch,zip_corrupt,limit_exceeded", VICTIM,
             "deflate member declaring %d bytes, %d bytes of data" % (declared, len(tiny)))
    case("stored_declares_huge_zip64",
         archive_with(npy_raw(dict_text(descr="'|u1'", shape="(%d,)" % ((1 << 40) - 128))),
                      usize=1 << 40, zip64=True)[0],
         "zip_corrupt,size_mismatch,truncated", VICTIM, "stored member declaring 2**40 bytes")

    # duplicates
    dup = ok_members() + [Member("ok/a.npy", npy_bytes(np.arange(3, dtype="<i2")))]
    case("duplicate_names", build_zip(dup)[0], "duplicate_member", "ok/a", "two members named ok/a.npy")

    # unsupported features
    def flags(bit):
        def f(b):
            for off in (lay_s["lh"][V] + 6, lay_s["cd"][V] + 8):
                put(b, "<H", off, struct.unpack_from("<H", b, off)[0] | bit)
        return f
    case("encrypted_flag", mod(z_stored, flags(1)), "unsupported_zip", VICTIM, "encryption flag set")
    case("strong_encryption_flag", mod(z_stored, flags(0x41)), "unsupported_zip", VICTIM,
         "strong encryption flag set")
    for method, what in [(12, "bzip2"), (14, "lzma"), (99, "aes"), (1, "shrink")]:
        def m(b, method=method):
            put(b, "<H", lay_s["lh"][V] + 8, method)
            put(b, "<H", lay_s["cd"][V] + 10, method)
        case("method_" + what, mod(z_stored, m), "unsupported_zip", VICTIM,
             "compression method %d (%s)" % (method, what))

    # end of central directory lies
    e = lay_s["eocd"]
    case("eocd_count_plus_one", mod(z_stored, lambda b: put(b, "<HH", e + 8, n + 1, n + 1)),
         "zip_corrupt", "-", "EOCD counts one entry too many")
    case("eocd_count_minus_one", mod(z_stored, lambda b: put(b, "<HH", e + 8, n - 1, n - 1)),
         "zip_corrupt", "-", "EOCD counts one entry too few")
    case("eocd_count_zero", mod(z_stored, lambda b: put(b, "<HH", e + 8, 0, 0)),
         "zip_corrupt", "-", "EOCD counts no entries, directory is not empty")
    case("eocd_disk_counts_differ", mod(z_stored, lambda b: put(b, "<H", e + 8, n - 1)),
         "zip_corrupt,unsupported_zip", "-", "entries on this disk != total entries")
    case("eocd_multi_disk", mod(z_stored, lambda b: put(b, "<HH", e + 4, 1, 1)),
         "unsupported_zip", "-", "EOCD disk number 1 (multi-disk archive)")

    # zip64 end records and extra fields
    ms = ok_members()
    ms.insert(1, Member(VICTIM + ".npy", victim, zip64=True))
    z64, l64 = build_zip(ms, zip64_end=True)
    size = len(z64)
    loc, z6 = l64["z64loc"], l64["z64eocd"]
    case("z64_locator_past_eof", mod(z64, lambda b: put(b, "<Q", loc + 8, size + 1000)),
         "zip_corrupt", "-", "zip64 locator points past the end")
    case("z64_locator_to_garbage", mod(z64, lambda b: put(b, "<Q", loc + 8, 0)),
         "zip_corrupt", "-", "zip64 locator points at a local header")
    case("z64_locator_huge", mod(z64, lambda b: put(b, "<Q", loc + 8, 0xFFFFFFFFFFFFFFF0)),
         "zip_corrupt", "-", "zip64 locator offset near 2**64")
    case("z64_eocd_bad_signature", mod(z64, lambda b: put(b, "<I", z6, 0x06064B51)),
         "zip_corrupt", "-", "zip64 EOCD signature wrong")
    case("z64_cd_offset_past_eof", mod(z64, lambda b: put(b, "<Q", z6 + 48, 1 << 40)),
         "zip_corrupt", "-", "zip64 EOCD central directory offset 2**40")
    case("z64_cd_size_huge", mod(z64, lambda b: put(b, "<Q", z6 + 40, 1 << 62)),
         "zip_corrupt", "-", "zip64 EOCD central directory size 2**62")
    case("z64_cd_range_wraps", mod(z64, lambda b: put(b, "<QQ", z6 + 40, 0xFFFFFFFFFFFFFF00,
                                                      l64["cd_off"])),
         "zip_corrupt", "-", "zip64 central directory offset + size wraps around 2**64")
    case("z64_count_huge", mod(z64, lambda b: put(b, "<QQ", z6 + 24, 1 << 40, 1 << 40)),
         "zip_corrupt,limit_exceeded", "-", "zip64 EOCD counts 2**40 entries")
    case("z64_record_size_small", mod(z64, lambda b: put(b, "<Q", z6 + 4, 8)),
         "zip_corrupt", "-", "zip64 EOCD record size 8 (< 44)")
    cdv = l64["cd"][V]
    nlen = len(VICTIM + ".npy")
    case("z64_extra_missing", mod(z64, lambda b: put(b, "<HH", cdv + 46 + nlen, 0x9999, 16)),
         "zip_corrupt", VICTIM, "sizes 0xFFFFFFFF without a zip64 extra field")
    case("z64_extra_short", mod(z64, lambda b: put(b, "<HH", cdv + 46 + nlen, 1, 4)),
         "zip_corrupt", VICTIM, "zip64 extra field of 4 bytes")
    case("z64_extra_len_past_entry", mod(z64, lambda b: put(b, "<HH", cdv + 46 + nlen, 1, 60000)),
         "zip_corrupt", VICTIM, "zip64 extra field longer than the entry")
    case("z64_extra_csize_huge", mod(z64, lambda b: put(b, "<Q", cdv + 46 + nlen + 12, 1 << 62)),
         "zip_corrupt", VICTIM, "zip64 extra compressed size 2**62")

    # A deflate stream that is not deflate.
    junk = bytes((i * 37 + 11) & 0xFF for i in range(300))
    case("deflate_garbage", archive_with(victim, method=8, data=b"\xff" + junk)[0],
         "zip_corrupt,size_mismatch", VICTIM, "deflate data is not a deflate stream")


def eocd(n, cd_size, cd_off, comment_len=0):
    return struct.pack("<IHHHHIIH", EOCD, 0, 0, n, n, cd_size, cd_off, comment_len)


def numpy_view_cases(c):
    """Archives on which colsnap and numpy (CPython's zipfile) once saw different members, and
    archives numpy reads that colsnap once refused (issue 13, "The zip reader sees what numpy
    sees"). Refused ones go to cases.tsv, readable ones to readable.tsv."""
    obj = np.empty(2, dtype=object)
    obj[:] = ["pickled", None]
    a = npy_bytes(np.arange(4, dtype="<i4"))
    b = npy_bytes(np.arange(6, dtype="<f8") / 4)
    hidden = npy_bytes(obj)

    def case(name, data, codes, member, desc):
        c.add("view_%s.npz" % name, data, "npz", codes, member, desc)

    def readable(name, data, desc):
        c.add_readable("view_%s.npz" % name, data, desc)

    # A second EOCD signature inside the comment of the real one: zipfile takes the last one
    # (its comment length is not checked), which describes another directory.
    z, lay = build_zip([Member("x.npy", a), Member("p.npy", hidden)])
    cd_x = z[lay["cd"][0]:lay["cd"][1]]
    cd_p = z[lay["cd"][1]:lay["eocd"]]
    head = z[:lay["cd_off"]]
    cd1_off = len(head)
    fake_at = cd1_off + len(cd_x) + 22 + len(cd_p)
    comment = cd_p + eocd(1, len(cd_p), fake_at - len(cd_p), 0xFFFF)
    readable("eocd_in_comment", head + cd_x + eocd(1, len(cd_x), cd1_off, len(comment)) + comment,
             "a second EOCD (comment length 65535) in the comment of the real one, naming a "
             "pickled member the real directory leaves out")
    # bsdtar pads piped output to 10,240-byte blocks: zero bytes after the end record.
    z, _ = build_zip([Member("x.npy", a), Member("y.npy", b, method=8)])
    readable("bsdtar_padding", z + b"\0" * (-len(z) % 10240),
             "%d zero bytes after the end record (a 10,240-byte block)" % (-len(z) % 10240))
    readable("comment", z[:-2] + struct.pack("<H", 11) + b"hello world", "an archive comment")
    readable("comment_past_eof", z[:-2] + struct.pack("<H", 100),
             "EOCD comment length 100, no comment (zipfile does not check it)")
    # .npy content under a name without .npy (numpy loads it by its magic), text under x.npy.
    readable("npy_without_ext", build_zip([Member("data", a), Member("notes.npy", b"plain text\n"),
                                           Member("readme.txt", b"hello\n", method=8)])[0],
             "an .npy named 'data', text named 'notes.npy', a deflated readme.txt")
    # Directory entries, as zip -r and jar write them.
    readable("zip_r_dirs", build_zip([Member("sub/", b""), Member("sub/x.npy", a),
                                      Member("sub/deeper/", b""), Member("sub/deeper/y.npy", b)])[0],
             "directory entries sub/ and sub/deeper/ (zip -r)")
    jar_dir = Member("META-INF/", b"")
    z, lay = build_zip([jar_dir, Member("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n",
                                        method=8), Member("x.npy", a, method=8)])
    readable("jar_dirs", z, "META-INF/ and META-INF/MANIFEST.MF (jar)")
    # Names without the UTF-8 flag are cp437 to zipfile: numpy's key is 'café'.
    readable("cp437_name", build_zip([Member(b"caf\x82.npy", a, flags=0),
                                      Member("naïve.npy", b)])[0],
             "caf\\x82.npy without the UTF-8 flag (cp437: café), naïve.npy with it")
    readable("cp437_box", build_zip([Member(bytes(range(0x80, 0x100)) + b".npy", a, flags=0)])[0],
             "a name of every byte 0x80..0xFF without the UTF-8 flag")
    z, _ = build_zip([Member("x.npy", a), Member("big.npy", b, zip64=True)], zip64_end=True)
    readable("zip64_end", z, "zip64 end record, locator and extra field, all consistent")

    # Member lookup: numpy's z['a.npy'] reads zip member a.npy (key 'a') before a.npy.npy.
    case("shadowed_key", build_zip([Member("a.npy", a), Member("a.npy.npy", hidden)])[0],
         "duplicate_member", "a.npy", "members a.npy and a.npy.npy: z['a.npy'] reads a.npy")
    # A gap between the central directory and the end record: zipfile shifts every offset by it.
    z, lay = build_zip([Member("x.npy", a), Member("p.npy", hidden)])
    cd_x = bytearray(z[lay["cd"][0]:lay["cd"][1]])
    cd_p = bytearray(z[lay["cd"][1]:lay["eocd"]])
    assert len(cd_x) == len(cd_p)
    put(cd_p, "<I", 42, lay["lh"][1] - len(cd_p))  # zipfile adds the gap back
    put(cd_x, "<I", 42, lay["lh"][0])
    head = z[:lay["cd_off"]]
    case("cd_gap_hides_directory", head + cd_x + cd_p + eocd(1, len(cd_x), len(head)),
         "zip_corrupt", "-", "the end record names a directory that ends %d bytes before it; "
         "zipfile reads the one in the gap (a pickled member)" % len(cd_p))
    z, lay = build_zip([Member("x.npy", a)])
    case("cd_gap_zeros", z[:lay["eocd"]] + b"\0" * 16 + z[lay["eocd"]:], "zip_corrupt", "-",
         "16 zero bytes between the central directory and the end record")
    case("prefixed", b"#!/bin/sh\nexit 0\n" + z, "not_a_zip", "-",
         "bytes before the archive (a self-extractor): np.load does not take it for an .npz")
    # A zip64 locator that does not sit right before the zip64 end record it points at.
    z, lay = build_zip([Member("x.npy", a)], zip64_end=True)
    loc = lay["z64loc"]
    moved = bytearray(z[:loc] + b"\0" * 8 + z[loc:])
    case("z64_locator_not_adjacent", moved, "zip_corrupt", "-",
         "8 bytes between the zip64 end record and its locator (zipfile reads 56 bytes before "
         "the locator)")
    big = bytearray(z)
    put(big, "<Q", lay["z64eocd"] + 4, 52)
    case("z64_record_extensible", big, "zip_corrupt", "-",
         "zip64 end record declaring 8 bytes of extensible data it does not have")
    # Two zip64 extra fields: zipfile applies both in turn.
    twice = Member("x.npy", a, zip64=True)
    twice.cd_extra = struct.pack("<HHQQ", 1, 16, len(a) + 64, len(a) + 64)
    case("z64_extra_twice", build_zip([twice], zip64_end=True)[0], "zip_corrupt", "x.npy",
         "two zip64 extra fields in one directory entry")
    # Names zipfile cannot decode, or decodes differently in the two headers.
    case("name_nul", build_zip([Member(b"x.npy\0evil.npy", a)])[0], "zip_corrupt", "x.npy",
         "a NUL byte in the name (zipfile cuts the name there)")
    case("name_utf8_flag_invalid", build_zip([Member(b"caf\xff.npy", a, flags=0x800)])[0],
         "zip_corrupt", "-", "the UTF-8 flag on a name that is not UTF-8")
    z, lay = build_zip([Member("caf\u00e9.npy", a, flags=0)])
    z = bytearray(z)
    put(z, "<H", lay["lh"][0] + 6, 0x800)
    case("name_flags_differ", z, "zip_corrupt", "caf",
         "UTF-8 flag in the local header only: zipfile decodes the two names differently")
    # What zipfile refuses to read at all.
    z, lay = build_zip([Member("x.npy", a)])
    z = bytearray(z)
    put(z, "<H", lay["cd"][0] + 6, 64)
    case("extract_version_64", z, "unsupported_zip", "x.npy", "version needed to extract 6.4")
    z, lay = build_zip([Member("x.npy", a)])
    z = bytearray(z)
    for off in (lay["lh"][0] + 6, lay["cd"][0] + 8):
        put(z, "<H", off, 0x20)
    case("patched_flag", z, "unsupported_zip", "x", "compressed patched data (flag bit 5)")
    case("eocd_sig_cut", build_zip([Member("x.npy", a)])[0] + b"PK\5\6" + b"\0" * 10,
         "not_a_zip", "-", "an end-record signature 14 bytes before the end (zipfile: not a zip)")


def base_files(d):
    arrays = {
        "pos/x": np.linspace(-1, 1, 20),
        "ids": np.arange(12, dtype=">i4").reshape(3, 4).copy(order="F"),
        "alive": np.array([True, False, True]),
        "créature/π": np.array(1 + 2j, dtype="<c8"),
        "empty": np.zeros((2, 0), dtype="<u2"),
    }
    np.savez(os.path.join(d, "base_stored.npz"), **arrays)
    np.savez_compressed(os.path.join(d, "base_deflate.npz"), **arrays)
    np.save(os.path.join(d, "base.npy"), np.arange(24, dtype=">f4").reshape(2, 3, 4))


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    c = Corpus(d)
    npy_cases(c)
    zip_cases(c)
    numpy_view_cases(c)
    base_files(d)
    c.save()
    print("%d cases" % len(c.rows))


if __name__ == "__main__":
    main()
