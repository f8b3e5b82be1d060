// .npz reader: validates the zip container (APPNOTE 4.3) completely at open, then serves
// members zero-copy (stored) or inflated with libdeflate (deflate), CRC-checked.
#include "array_internal.hpp"
#include "dtype_kinds.hpp"
#include "member_name.hpp"
#include "posix_file.hpp"
#include "zip_format.hpp"

#include <colsnap/npz_reader.hpp>

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <numeric>
#include <thread>

namespace colsnap {
namespace {

using namespace detail::zip;

struct located {
    std::string_view file;
    std::string_view member;
    [[noreturn]] void fail(errc code, std::string detail, std::uint64_t offset) const {
        throw error(code, std::move(detail), std::string(file), std::string(member), offset);
    }
};

// The central directory fields of one entry, after zip64 resolution.
struct central_entry {
    std::uint64_t record_offset = 0;
    std::uint16_t flags = 0, method = 0;
    std::uint32_t crc = 0;
    std::uint64_t csize = 0, usize = 0, local_offset = 0;
    std::uint32_t disk = 0;
    std::string name;
};

struct end_records {
    std::uint64_t entries = 0, cd_size = 0, cd_offset = 0;
    std::uint64_t end_of_cd_limit = 0; // where the central directory must end by
};

// Which end record counts, and where the zip64 end record sits, are decided exactly as CPython's
// zipfile (numpy's reader) decides them, so that both see one set of members: the last 22 bytes
// when they are an EOCD without a comment, else the last EOCD signature in the last 64 KiB + 22
// bytes (bytes after the record and its comment are allowed: bsdtar pads to 10,240-byte blocks);
// a zip64 locator right before it, the zip64 end record right before the locator. The central
// directory must end exactly where those end records begin (zipfile would otherwise shift every
// offset by the gap, reading the members of another directory).
end_records find_end_records(std::span<const std::byte> b, const located& at) {
    const std::uint64_t n = b.size();
    if (n == 0) at.fail(errc::not_a_zip, "empty file", 0);
    if (n < eocd_size)
        at.fail(errc::not_a_zip, "file of " + std::to_string(n) + " bytes is too small for a zip",
                0);
    // np.load takes a file for an .npz only when it starts so (an empty archive: with its EOCD).
    if (get32(b.data()) != local_header_sig && get32(b.data()) != eocd_sig)
        at.fail(errc::not_a_zip,
                "does not start with a zip local header or end record (np.load would not read it "
                "as an .npz)",
                0);
    std::uint64_t pos = n - eocd_size;
    if (get32(b.data() + pos) != eocd_sig || get16(b.data() + pos + 20) != 0) {
        const std::uint64_t lowest = n > 0x10000 + eocd_size ? n - 0x10000 - eocd_size : 0;
        std::uint64_t last = n - 4;
        while (get32(b.data() + last) != eocd_sig && last > lowest) --last;
        if (get32(b.data() + last) != eocd_sig)
            at.fail(errc::not_a_zip, "no end-of-central-directory record (not a zip file)", n);
        if (last > n - eocd_size)
            at.fail(errc::not_a_zip,
                    "the last end-of-central-directory signature is cut short by the end of the "
                    "file",
                    last);
        pos = last;
    }
    const std::byte* e = b.data() + pos;
    const std::uint16_t disk = get16(e + 4), cd_disk = get16(e + 6);
    end_records r;
    r.entries = get16(e + 10);
    const std::uint16_t entries_disk = get16(e + 8);
    r.cd_size = get32(e + 12);
    r.cd_offset = get32(e + 16);
    r.end_of_cd_limit = pos;

    // APPNOTE 4.3.15: a zip64 locator sits right before the EOCD.
    if (pos >= eocd64_locator_size &&
        get32(b.data() + pos - eocd64_locator_size) == eocd64_locator_sig) {
        const std::uint64_t loc = pos - eocd64_locator_size;
        const std::byte* l = b.data() + loc;
        if (get32(l + 4) != 0 || get32(l + 16) > 1)
            at.fail(errc::unsupported_zip, "multi-disk zip64 archive", loc);
        const std::uint64_t e64 = get64(l + 8);
        // zipfile reads the zip64 end record right before the locator whatever the locator says.
        if (loc < eocd64_size || e64 != loc - eocd64_size)
            at.fail(errc::zip_corrupt,
                    "zip64 locator points at byte " + std::to_string(e64) +
                        ", not right before itself (zipfile reads the zip64 end record there)",
                    loc + 8);
        const std::byte* z = b.data() + e64;
        if (get32(z) != eocd64_sig)
            at.fail(errc::zip_corrupt, "bad zip64 end-of-central-directory signature", e64);
        if (get32(z + 16) != 0 || get32(z + 20) != 0)
            at.fail(errc::unsupported_zip, "multi-disk zip64 archive", e64 + 16);
        if (get64(z + 4) != eocd64_size - 12)
            at.fail(errc::zip_corrupt,
                    "zip64 end record declares a size of " + std::to_string(get64(z + 4)) +
                        " (44 without extensible data, which zipfile does not read)",
                    e64 + 4);
        const std::uint64_t on_disk = get64(z + 24);
        r.entries = get64(z + 32);
        if (on_disk != r.entries)
            at.fail(errc::unsupported_zip, "multi-disk zip64 archive (entry counts differ)",
                    e64 + 24);
        r.cd_size = get64(z + 40);
        r.cd_offset = get64(z + 48);
        r.end_of_cd_limit = e64;
    } else {
        if (disk != 0 || cd_disk != 0 || entries_disk != r.entries)
            at.fail(errc::unsupported_zip, "multi-disk zip archive", pos + 4);
        if (r.entries == sentinel16 || r.cd_size == sentinel32 || r.cd_offset == sentinel32)
            at.fail(errc::zip_corrupt, "end record needs zip64 values but no zip64 locator exists",
                    pos);
    }
    if (r.cd_offset > r.end_of_cd_limit || r.cd_size > r.end_of_cd_limit - r.cd_offset)
        at.fail(errc::zip_corrupt,
                "central directory (offset " + std::to_string(r.cd_offset) + ", size " +
                    std::to_string(r.cd_size) + ") lies outside the file",
                pos + 12);
    if (r.cd_offset + r.cd_size != r.end_of_cd_limit)
        at.fail(errc::zip_corrupt,
                "central directory (offset " + std::to_string(r.cd_offset) + ", size " +
                    std::to_string(r.cd_size) + ") ends " +
                    std::to_string(r.end_of_cd_limit - r.cd_offset - r.cd_size) +
                    " bytes before the end records at byte " + std::to_string(r.end_of_cd_limit) +
                    " (zipfile would read the directory that many bytes further on)",
                r.cd_offset + r.cd_size);
    return r;
}

// APPNOTE 4.5.3: a zip64 extra holds, in order, only the fields whose 32-bit value is saturated.
void apply_zip64_extra(central_entry& c, std::span<const std::byte> extra,
                       std::uint64_t extra_offset, bool usize_sat, bool csize_sat, bool off_sat,
                       bool disk_sat, const located& at) {
    std::size_t i = 0;
    bool seen = false;
    while (i < extra.size()) {
        if (extra.size() - i < 4)
            at.fail(errc::zip_corrupt, "truncated extra field", extra_offset + i);
        const std::uint16_t id = get16(extra.data() + i), len = get16(extra.data() + i + 2);
        if (extra.size() - i - 4 < len)
            at.fail(errc::zip_corrupt, "extra field longer than its record", extra_offset + i);
        // zipfile applies every zip64 field in turn: a second one could change what it reads.
        if (id == zip64_extra_id && seen)
            at.fail(errc::zip_corrupt, "a second zip64 extra field", extra_offset + i);
        if (id == zip64_extra_id) {
            seen = true;
            const std::byte* p = extra.data() + i + 4;
            std::size_t left = len;
            auto take = [&](std::uint64_t& v) {
                if (left < 8)
                    at.fail(errc::zip_corrupt, "zip64 extra field too short", extra_offset + i);
                v = get64(p);
                p += 8;
                left -= 8;
            };
            if (usize_sat) take(c.usize);
            if (csize_sat) take(c.csize);
            if (off_sat) take(c.local_offset);
            if (disk_sat) {
                if (left < 4)
                    at.fail(errc::zip_corrupt, "zip64 extra field too short", extra_offset + i);
                c.disk = get32(p);
            }
        }
        i += 4u + len;
    }
    if (!seen && (usize_sat || csize_sat || off_sat))
        at.fail(errc::zip_corrupt, "saturated size or offset without a zip64 extra field",
                extra_offset);
}

// A name as zipfile decodes it (numpy's key is derived from that): UTF-8 under flag_utf8 (zipfile
// raises on malformed UTF-8), else cp437. zipfile cuts a name at a NUL byte: refused instead.
std::string zip_name_as_zipfile_reads(std::string_view raw, std::uint16_t flags, const located& at,
                                      std::uint64_t offset) {
    if (const std::size_t nul = raw.find('\0'); nul != std::string_view::npos)
        at.fail(errc::zip_corrupt,
                "name has a NUL byte at byte " + std::to_string(nul) +
                    " (zipfile and numpy would cut the name there)",
                offset + nul);
    if ((flags & flag_utf8) == 0) return detail::decode_cp437(raw);
    if (const std::size_t bad = detail::first_non_utf8(raw); bad != std::string_view::npos)
        at.fail(errc::zip_corrupt,
                "name is not UTF-8 (byte " + std::to_string(bad) + ") but its UTF-8 flag is set",
                offset + bad);
    return std::string(raw);
}

std::vector<central_entry> read_central_directory(std::span<const std::byte> b,
                                                  const end_records& r, const limits& lim,
                                                  const located& at) {
    // Every entry takes at least 46 bytes: the count is bounded by the directory's size, so a
    // lying count cannot make us allocate more than the file justifies.
    if (r.entries > r.cd_size / central_header_size)
        at.fail(errc::zip_corrupt,
                "end record declares " + std::to_string(r.entries) +
                    " entries but the central directory (" + std::to_string(r.cd_size) +
                    " bytes) holds at most " + std::to_string(r.cd_size / central_header_size),
                r.end_of_cd_limit);
    if (r.entries > lim.max_members)
        at.fail(errc::limit_exceeded,
                std::to_string(r.entries) + " members > limit " + std::to_string(lim.max_members),
                r.end_of_cd_limit);
    std::vector<central_entry> out;
    out.reserve(r.entries);
    std::uint64_t pos = r.cd_offset;
    const std::uint64_t end = r.cd_offset + r.cd_size;
    for (std::uint64_t k = 0; k < r.entries; ++k) {
        if (end - pos < central_header_size)
            at.fail(errc::zip_corrupt, "central directory ends inside entry " + std::to_string(k),
                    pos);
        const std::byte* p = b.data() + pos;
        if (get32(p) != central_header_sig)
            at.fail(errc::zip_corrupt,
                    "bad central directory signature (entry " + std::to_string(k) + ")", pos);
        central_entry c;
        c.record_offset = pos;
        c.flags = get16(p + 8);
        c.method = get16(p + 10);
        c.crc = get32(p + 16);
        const std::uint32_t csize = get32(p + 20), usize = get32(p + 24);
        const std::uint16_t name_len = get16(p + 28), extra_len = get16(p + 30),
                            comment_len = get16(p + 32);
        const std::uint16_t disk = get16(p + 34);
        const std::uint32_t off = get32(p + 42);
        const std::uint64_t var = std::uint64_t{name_len} + extra_len + comment_len;
        if (end - pos - central_header_size < var)
            at.fail(errc::zip_corrupt, "central directory entry runs past the directory", pos);
        const std::string_view raw_name(reinterpret_cast<const char*>(p + central_header_size),
                                        name_len);
        c.name = zip_name_as_zipfile_reads(raw_name, c.flags, located{at.file, raw_name},
                                           pos + central_header_size);
        // zipfile refuses to read members needing a later version than 6.3 (its low byte).
        if ((get16(p + 6) & 0xFF) > 63)
            located{at.file, c.name}.fail(errc::unsupported_zip,
                                          "needs zip version " +
                                              std::to_string(get16(p + 6) & 0xFF) +
                                              " to extract (6.3 is the latest)",
                                          pos + 6);
        c.csize = csize;
        c.usize = usize;
        c.local_offset = off;
        c.disk = disk;
        apply_zip64_extra(c, {p + central_header_size + name_len, extra_len},
                          pos + central_header_size + name_len, usize == sentinel32,
                          csize == sentinel32, off == sentinel32, disk == sentinel16,
                          located{at.file, c.name});
        out.push_back(std::move(c));
        pos += central_header_size + var;
    }
    if (pos != end)
        at.fail(errc::zip_corrupt,
                "central directory holds " + std::to_string(end - pos) + " bytes after the " +
                    std::to_string(r.entries) + " entries the end record declares",
                pos);
    return out;
}

// Inflates just enough of a deflate member to read its .npy header (zlib: incremental).
std::vector<std::byte> inflate_prefix(std::span<const std::byte> in, std::size_t want,
                                      const located& at, std::uint64_t offset) {
    std::vector<std::byte> out(want);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        at.fail(errc::io_error, "zlib inflateInit2 failed", offset);
    z.next_in = reinterpret_cast<const Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT32_MAX));
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(want);
    int rc = Z_OK;
    while (z.avail_out > 0 && rc == Z_OK) rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t got = want - z.avail_out;
    inflateEnd(&z);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
        at.fail(errc::zip_corrupt, "invalid deflate data", offset);
    out.resize(got);
    return out;
}

bool starts_with_npy_magic(std::span<const std::byte> head) noexcept {
    static constexpr char magic[] = "\x93NUMPY";
    return head.size() >= 6 && std::memcmp(head.data(), magic, 6) == 0;
}

// The member's bytes (stored data, or the inflated .npy) against the directory's CRC-32.
void check_crc32(std::span<const std::byte> bytes, const member_info& m, const located& at) {
    const auto crc = static_cast<std::uint32_t>(libdeflate_crc32(0, bytes.data(), bytes.size()));
    if (crc != m.crc32)
        at.fail(errc::crc_mismatch,
                "CRC-32 " + std::to_string(crc) + " != recorded " + std::to_string(m.crc32),
                m.data_offset);
}

struct decompressor_deleter {
    void operator()(libdeflate_decompressor* d) const noexcept { libdeflate_free_decompressor(d); }
};

libdeflate_decompressor* thread_decompressor() {
    thread_local std::unique_ptr<libdeflate_decompressor, decompressor_deleter> d{
        libdeflate_alloc_decompressor()};
    if (!d) throw error(errc::io_error, "libdeflate_alloc_decompressor failed");
    return d.get();
}

} // namespace

npz_reader npz_reader::open(const std::filesystem::path& path, const read_options& opt) {
    auto map = detail::mapped_file::open(path, opt.access);
    const auto bytes = map->bytes();
    return from_memory(bytes, std::move(map), path.string(), opt);
}

npz_reader npz_reader::from_memory(std::span<const std::byte> b, std::shared_ptr<const void> owner,
                                   std::string label, const read_options& opt) {
    npz_reader r;
    r.label_ = std::move(label);
    r.bytes_ = b;
    r.owner_ = std::move(owner);
    r.opt_ = opt;
    const located at{r.label_, ""};
    const end_records ends = find_end_records(b, at);
    std::vector<central_entry> entries = read_central_directory(b, ends, opt.lim, at);

    r.members_.reserve(entries.size());
    for (central_entry& c : entries) {
        const located here{r.label_, c.name};
        if (c.flags & (flag_encrypted | flag_strong_encryption))
            here.fail(errc::unsupported_zip, "encrypted member", c.record_offset + 8);
        if (c.flags & flag_patched)
            here.fail(errc::unsupported_zip, "compressed patched data (flag bit 5)",
                      c.record_offset + 8);
        if (c.method != 0 && c.method != 8)
            here.fail(errc::unsupported_zip,
                      "compression method " + std::to_string(c.method) +
                          " (only stored and deflate)",
                      c.record_offset + 10);
        if (c.disk != 0)
            here.fail(errc::unsupported_zip, "member on another disk", c.record_offset + 34);
        if (c.method == 0 && c.csize != c.usize)
            here.fail(errc::zip_corrupt,
                      "stored member with compressed size " + std::to_string(c.csize) +
                          " != uncompressed size " + std::to_string(c.usize),
                      c.record_offset + 20);
        // Local header (APPNOTE 4.3.7): it must lie before the central directory and agree with it.
        if (c.local_offset > ends.cd_offset || ends.cd_offset - c.local_offset < local_header_size)
            here.fail(errc::zip_corrupt,
                      "local header offset " + std::to_string(c.local_offset) + " out of range",
                      c.record_offset + 42);
        const std::byte* l = b.data() + c.local_offset;
        if (get32(l) != local_header_sig)
            here.fail(errc::zip_corrupt, "bad local header signature", c.local_offset);
        if (get16(l + 8) != c.method)
            here.fail(errc::zip_corrupt,
                      "local header compression method differs from the directory's",
                      c.local_offset + 8);
        const std::uint16_t lname = get16(l + 26), lextra = get16(l + 28);
        const std::uint64_t data_offset = c.local_offset + local_header_size + lname + lextra;
        if (data_offset > ends.cd_offset)
            here.fail(errc::zip_corrupt, "local header runs into the central directory",
                      c.local_offset);
        if (zip_name_as_zipfile_reads(
                std::string_view(reinterpret_cast<const char*>(l + local_header_size), lname),
                get16(l + 6), here, c.local_offset + local_header_size) != c.name)
            here.fail(errc::zip_corrupt, "local header name differs from the directory's",
                      c.local_offset + 30);
        if (c.csize > ends.cd_offset - data_offset)
            here.fail(errc::zip_corrupt,
                      "member data (" + std::to_string(c.csize) + " bytes at " +
                          std::to_string(data_offset) +
                          ") runs past the start of the central directory",
                      data_offset);
        member_info m;
        m.zip_name = c.name;
        // numpy's NpzFile keys: ".npy" names without it, every other name as it is.
        m.name = c.name.ends_with(".npy") ? c.name.substr(0, c.name.size() - 4) : c.name;
        m.method = c.method == 0 ? compression::stored : compression::deflate;
        m.crc32 = c.crc;
        m.compressed_size = c.csize;
        m.uncompressed_size = c.usize;
        m.header_offset = c.local_offset;
        m.data_offset = data_offset;
        if (c.usize > opt.lim.max_member_bytes)
            here.fail(errc::limit_exceeded,
                      "member of " + std::to_string(c.usize) + " bytes > limit " +
                          std::to_string(opt.lim.max_member_bytes),
                      c.record_offset + 24);
        const auto data = b.subspan(data_offset, c.csize);
        if (m.method == compression::deflate && c.usize / max_deflate_ratio > c.csize + 1)
            here.fail(errc::size_mismatch,
                      "declares " + std::to_string(c.usize) + " bytes inflated from " +
                          std::to_string(c.csize) + ": more than deflate can expand",
                      c.record_offset + 24);
        // numpy loads a member as an array when its content starts with the .npy magic, whatever
        // its name; anything else is bytes (a directory entry, "sub/", holds none).
        std::vector<std::byte> prefix;
        if (m.method == compression::deflate)
            prefix = inflate_prefix(data,
                                    static_cast<std::size_t>(std::min<std::uint64_t>(
                                        c.usize, 12u + opt.lim.max_header_len)),
                                    here, data_offset);
        const std::span<const std::byte> head =
            m.method == compression::stored
                ? data.first(std::min<std::size_t>(data.size(), c.usize))
                : std::span<const std::byte>(prefix);
        if (!starts_with_npy_magic(head)) {
            m.kind = c.name.ends_with('/') ? member_kind::directory : member_kind::other;
            r.members_.push_back(std::move(m));
            continue;
        }
        try {
            m.npy = parse_npy_header(head, opt.lim);
        } catch (error& e) {
            // An object array: numpy pickled it. Listed and kept as bytes, never unpickled.
            if (detail::is_object_refusal(e)) {
                m.kind = member_kind::objects;
                m.npy = {};
                r.members_.push_back(std::move(m));
                continue;
            }
            // Offsets inside a deflated member are offsets in the inflated .npy: keep them relative.
            e.locate(r.label_, m.name, m.method == compression::stored ? data_offset : 0);
            throw;
        }
        const std::uint64_t payload = checked_nbytes(m.npy.info);
        const std::uint64_t have = c.usize - std::min<std::uint64_t>(c.usize, m.npy.data_offset);
        if (m.npy.data_offset > c.usize || have < payload)
            here.fail(errc::truncated,
                      "payload of " + std::to_string(have) + " bytes is shorter than shape " +
                          m.npy.info.shape_string() + " x " +
                          std::to_string(m.npy.info.type.itemsize) + " = " +
                          std::to_string(payload) + " bytes",
                      data_offset);
        if (have > payload)
            here.fail(errc::trailing_bytes,
                      std::to_string(have - payload) + " bytes after the array's " +
                          std::to_string(payload) + " bytes",
                      data_offset);
        r.members_.push_back(std::move(m));
    }

    // Members must not overlap one another (APPNOTE gives no room for shared data).
    std::vector<std::uint32_t> order(r.members_.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](auto x, auto y) {
        return r.members_[x].header_offset < r.members_[y].header_offset;
    });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const auto& prev = r.members_[order[k - 1]];
        const auto& next = r.members_[order[k]];
        const std::uint64_t prev_end = prev.data_offset + prev.compressed_size;
        if (prev_end > next.header_offset)
            located{r.label_, next.name}.fail(errc::zip_corrupt,
                                              "overlaps member '" + prev.name +
                                                  "' (which ends at byte " +
                                                  std::to_string(prev_end) + ")",
                                              next.header_offset);
    }
    // Lookup by numpy key; two members with one key are refused (numpy would silently keep one).
    r.by_name_.resize(r.members_.size());
    std::iota(r.by_name_.begin(), r.by_name_.end(), 0u);
    std::sort(r.by_name_.begin(), r.by_name_.end(),
              [&](auto x, auto y) { return r.members_[x].name < r.members_[y].name; });
    for (std::size_t k = 1; k < r.by_name_.size(); ++k) {
        const auto& a = r.members_[r.by_name_[k - 1]];
        const auto& m = r.members_[r.by_name_[k]];
        if (a.name == m.name)
            located{r.label_, m.name}.fail(errc::duplicate_member, "member name appears twice",
                                           m.header_offset);
    }
    // numpy's z[key] tries the zip names before the keys: with members "a.npy" and "a.npy.npy",
    // z['a.npy'] reads "a.npy", and the member keyed 'a.npy' cannot be read by its key.
    for (const member_info& m : r.members_) {
        const member_info* by_zip = r.find(m.name);
        if (by_zip != &m)
            located{r.label_, m.name}.fail(
                errc::duplicate_member,
                "numpy's key of this member is the zip name of member '" + by_zip->name +
                    "', which numpy reads under it instead",
                m.header_offset);
    }
    return r;
}

const member_info* npz_reader::by_key(std::string_view key) const noexcept {
    auto it =
        std::lower_bound(by_name_.begin(), by_name_.end(), key,
                         [&](std::uint32_t i, std::string_view n) { return members_[i].name < n; });
    return it != by_name_.end() && members_[*it].name == key ? &members_[*it] : nullptr;
}

// As numpy's NpzFile.__getitem__: a zip name first, then a key (the member KEY.npy).
const member_info* npz_reader::find(std::string_view name) const noexcept {
    const std::string_view key = name.ends_with(".npy") ? name.substr(0, name.size() - 4) : name;
    if (const member_info* m = by_key(key); m != nullptr && m->zip_name == name) return m;
    return by_key(name);
}

array npz_reader::raw(std::string_view name) const {
    const member_info* m = find(name);
    if (m == nullptr)
        throw error(errc::no_such_member, "no member named '" + std::string(name) + "'", label_,
                    std::string(name), error::no_offset);
    return raw(*m);
}

array npz_reader::raw(const member_info& m) const {
    if (!m.typed())
        throw error(errc::unsupported_dtype,
                    m.kind == member_kind::objects
                        ? "an object array (numpy pickled it): colsnap never unpickles; "
                          "content() gives its bytes"
                        : "not an .npy array (its content does not start with numpy's magic); "
                          "content() gives its bytes",
                    label_, m.name, error::no_offset);
    const member_bytes all = read(m, opt_.check_crc);
    array a = detail::array_access::make(m.npy.info, all.bytes.subspan(m.npy.data_offset),
                                         all.keep_alive, m.method == compression::stored);
    detail::array_access::set_origin(a, label_, m.name);
    return a;
}

member_bytes npz_reader::content(const member_info& m) const { return read(m, opt_.check_crc); }

member_bytes npz_reader::read(const member_info& m, bool check_crc) const {
    const located at{label_, m.name};
    const auto data = bytes_.subspan(m.data_offset, m.compressed_size);
    if (m.method == compression::stored) {
        if (check_crc) {
            check_crc32(data, m, at);
        }
        return {data, owner_};
    }
    // Deflate: inflate into exactly the declared size; a stream that needs more is refused.
    const auto usize = static_cast<std::size_t>(m.uncompressed_size);
    std::shared_ptr<std::byte[]> buf(new std::byte[usize == 0 ? 1 : usize]);
    std::size_t got = 0;
    const auto rc = libdeflate_deflate_decompress(thread_decompressor(), data.data(), data.size(),
                                                  buf.get(), usize, &got);
    if (rc == LIBDEFLATE_INSUFFICIENT_SPACE)
        at.fail(errc::size_mismatch,
                "inflates past its declared size of " + std::to_string(usize) + " bytes",
                m.data_offset);
    if (rc != LIBDEFLATE_SUCCESS) at.fail(errc::zip_corrupt, "invalid deflate data", m.data_offset);
    if (got != usize)
        at.fail(errc::size_mismatch,
                "inflates to " + std::to_string(got) + " bytes, declared " + std::to_string(usize),
                m.data_offset);
    if (check_crc) check_crc32({buf.get(), usize}, m, at);
    return {{buf.get(), usize}, std::shared_ptr<const void>(buf, buf.get())};
}

array npz_reader::get(std::string_view name) const {
    return raw(name).to_native_c(); // no copy when already native, C order and aligned
}

std::vector<array> npz_reader::get_all(unsigned threads) const {
    std::vector<array> out(members_.size());
    std::vector<std::exception_ptr> failures(members_.size());
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, members_.size()));
    std::atomic<std::size_t> next{0};
    // Members are claimed one at a time, so a large deflated column and many small ones
    // balance across cores; each thread has its own libdeflate decompressor.
    auto work = [&] {
        for (std::size_t i = next.fetch_add(1, std::memory_order_relaxed); i < members_.size();
             i = next.fetch_add(1, std::memory_order_relaxed)) {
            try {
                out[i] = raw(members_[i]).to_native_c();
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    for (auto& f : failures)
        if (f) std::rethrow_exception(f);
    return out;
}

void npz_reader::verify() const {
    for (const member_info& m : members_) (void)read(m, true);
}

std::string_view to_string(member_kind k) noexcept {
    switch (k) {
    case member_kind::array: return "array";
    case member_kind::objects: return "object (pickled)";
    case member_kind::other: return "not .npy";
    case member_kind::directory: return "directory";
    }
    return "?";
}

} // namespace colsnap
