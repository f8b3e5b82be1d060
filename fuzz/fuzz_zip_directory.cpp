// libFuzzer target: npz_reader::from_memory on arbitrary bytes (EOCD, zip64 records, central
// directory, local headers, every member's .npy header). Only colsnap::error may come out; an
// accepted directory must describe members that lie inside the input and are found by name, and
// every typed member's .npy payload must fill its uncompressed size exactly. And it must be the
// directory numpy sees: each key is numpy's (the zip name without ".npy"), and numpy's lookup,
// modelled here apart from npz_reader::find (NpzFile.__getitem__: a zip name first, the last
// entry of that name as zipfile keeps it, then KEY.npy), reads that very member under its key;
// and the local header offsets are the ones zipfile computes (modelled below line by line from
// CPython 3.11's _EndRecData, _EndRecData64 and _RealGetContents: its end record, its zip64 end
// record, its "concat" shift), so that an accepted archive has numpy's members. scripts/fuzz
// seeds it with tests/corrupt/make_corpus.py's files, the crafted view_*.npz among them.

#include <colsnap/error.hpp>
#include <colsnap/npz_reader.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace {

const colsnap::member_info* numpy_lookup(const std::vector<colsnap::member_info>& ms,
                                         const std::string& key) {
    const colsnap::member_info* by_zip_name = nullptr;
    const colsnap::member_info* by_key = nullptr;
    for (const colsnap::member_info& m : ms) {
        if (m.zip_name == key) by_zip_name = &m;
        if (m.zip_name == key + ".npy") by_key = &m;
    }
    return by_zip_name != nullptr ? by_zip_name : by_key;
}

std::uint64_t le(const std::uint8_t* p, int n) {
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// The local header offsets zipfile finds, in directory order; false when it refuses the file.
bool zipfile_offsets(const std::uint8_t* d, std::size_t n, std::vector<std::uint64_t>& out) {
    constexpr std::uint64_t eocd = 0x06054b50, loc64 = 0x07064b50, eocd64 = 0x06064b50;
    if (n < 22) return false;
    // np.load: an .npz starts with PK\3\4 or PK\5\6.
    if (le(d, 4) != 0x04034b50 && le(d, 4) != eocd) return false;
    std::size_t pos = n - 22;
    if (le(d + pos, 4) != eocd || le(d + n - 2, 2) != 0) {
        const std::size_t lo = n > 65536 + 22 ? n - 65536 - 22 : 0;
        std::size_t p = n - 4 + 1;
        do {
            --p;
        } while (p > lo && le(d + p, 4) != eocd);
        if (le(d + p, 4) != eocd || p + 22 > n) return false;
        pos = p;
    }
    std::uint64_t size_cd = le(d + pos + 12, 4), off_cd = le(d + pos + 16, 4);
    bool z64 = false;
    if (pos >= 20 && le(d + pos - 20, 4) == loc64) {
        if (le(d + pos - 16, 4) != 0 || le(d + pos - 4, 4) > 1) return false;
        if (pos >= 76 && le(d + pos - 76, 4) == eocd64) {
            size_cd = le(d + pos - 76 + 40, 8);
            off_cd = le(d + pos - 76 + 48, 8);
            z64 = true;
        }
    }
    // concat = location - size_cd - offset_cd (- 76 with zip64), in Python's unbounded integers
    const __int128 concat = static_cast<__int128>(pos) - size_cd - off_cd - (z64 ? 76 : 0);
    const __int128 start = static_cast<__int128>(off_cd) + concat;
    if (start < 0 || start > static_cast<__int128>(n)) return false;
    const std::size_t at = static_cast<std::size_t>(start);
    const std::uint64_t avail = std::min<std::uint64_t>(size_cd, n - at); // fp.read(size_cd)
    std::uint64_t total = 0;
    while (total < size_cd) {
        if (avail - std::min(avail, total) < 46) return false; // "Truncated central directory"
        const std::uint8_t* c = d + at + total;
        if (le(c, 4) != 0x02014b50) return false;
        const std::uint64_t nl = le(c + 28, 2), xl = le(c + 30, 2), cl = le(c + 32, 2);
        // short reads of name, extra and comment are not errors to zipfile
        const std::uint64_t rest = avail - total - 46;
        std::uint64_t usize = le(c + 24, 4), csize = le(c + 20, 4), off = le(c + 42, 4);
        const std::uint8_t* x = c + 46 + std::min(rest, nl);
        std::uint64_t xlen = std::min(rest - std::min(rest, nl), xl);
        while (xlen >= 4) { // _decodeExtra
            const std::uint64_t tp = le(x, 2), ln = le(x + 2, 2);
            if (ln + 4 > xlen) return false;
            if (tp == 1) {
                const std::uint8_t* f = x + 4;
                std::uint64_t left = ln;
                auto take = [&](std::uint64_t& v) {
                    if (left < 8) return false;
                    v = le(f, 8);
                    f += 8;
                    left -= 8;
                    return true;
                };
                if ((usize == 0xFFFFFFFFu || usize == ~std::uint64_t{0}) && !take(usize))
                    return false;
                if (csize == 0xFFFFFFFFu && !take(csize)) return false;
                if (off == 0xFFFFFFFFu && !take(off)) return false;
            }
            x += 4 + ln;
            xlen -= 4 + ln;
        }
        const __int128 header = static_cast<__int128>(off) + concat;
        out.push_back(static_cast<std::uint64_t>(header));
        total += 46 + nl + xl + cl;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    try {
        const auto r = colsnap::npz_reader::from_memory(bytes, nullptr, "fuzz");
        std::vector<std::uint64_t> offsets;
        if (!zipfile_offsets(data, size, offsets) || offsets.size() != r.members().size())
            __builtin_trap();
        for (std::size_t k = 0; k < offsets.size(); ++k)
            if (offsets[k] != r.members()[k].header_offset) __builtin_trap();
        for (const colsnap::member_info& m : r.members()) {
            if (m.header_offset >= size || m.data_offset > size) __builtin_trap();
            if (m.compressed_size > size - m.data_offset) __builtin_trap();
            if (r.find(m.name) != &m || r.find(m.zip_name) != &m) __builtin_trap();
            const bool npy_name = m.zip_name.ends_with(".npy");
            if (m.name != (npy_name ? m.zip_name.substr(0, m.zip_name.size() - 4) : m.zip_name))
                __builtin_trap();
            if (numpy_lookup(r.members(), m.name) != &m) __builtin_trap();
            if (m.kind == colsnap::member_kind::directory && !m.zip_name.ends_with('/'))
                __builtin_trap();
            // a member colsnap cannot type (an object array, a file that is not .npy) has no
            // typed payload to measure; it is kept as bytes
            if (m.kind == colsnap::member_kind::array &&
                m.npy.data_offset + m.npy.info.nbytes() != m.uncompressed_size)
                __builtin_trap();
        }
    } catch (const colsnap::error&) {}
    return 0;
}
