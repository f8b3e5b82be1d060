// The ZIP records the writer emits and the layout plan (APPNOTE 4.3.6: [local header + data]*
// central directory [zip64 end record + locator] end of central directory).
#include "zip_format.hpp"

#include "member_name.hpp"

#include <algorithm>

namespace colsnap::detail::zip {

bool needs_utf8_flag(std::string_view name) noexcept {
    const bool ascii = std::all_of(name.begin(), name.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    return !ascii && detail::first_non_utf8(name) == std::string_view::npos;
}

local_layout local_header_layout(const entry& e, bool align) noexcept {
    local_layout l;
    l.zip64 = e.usize >= sentinel32 || e.csize >= sentinel32;
    const std::size_t fixed = local_header_size + e.zip_name.size() + (l.zip64 ? 20 : 0);
    if (align) {
        l.pad = static_cast<std::size_t>(
            (member_alignment - (e.offset + fixed) % member_alignment) % member_alignment);
        if (l.pad != 0 && l.pad < 4)
            l.pad += member_alignment; // an extra block needs 4 bytes of its own
    }
    l.size = fixed + l.pad;
    return l;
}

record local_header(const entry& e, std::uint16_t flags, bool align) {
    const local_layout l = local_header_layout(e, align);
    const bool z64 = l.zip64;
    const std::size_t pad = l.pad;
    record r;
    r.u32(local_header_sig)
        .u16(z64 ? 45 : 20)
        .u16(flags)
        .u16(e.method)
        .u16(dos_time_zero)
        .u16(dos_date_1980);
    r.u32(e.crc).u32(z64 ? sentinel32 : e.csize).u32(z64 ? sentinel32 : e.usize);
    r.u16(e.zip_name.size()).u16((z64 ? 20 : 0) + pad).bytes(e.zip_name);
    if (z64) r.u16(zip64_extra_id).u16(16).u64(e.usize).u64(e.csize);
    if (pad != 0) r.u16(align_extra_id).u16(pad - 4).zeros(pad - 4);
    return r;
}

record central_header(const entry& e) {
    const bool usat = e.usize >= sentinel32, csat = e.csize >= sentinel32,
               osat = e.offset >= sentinel32;
    const bool z64 = usat || csat || osat;
    const std::uint16_t extra = z64 ? static_cast<std::uint16_t>(4 + 8 * (usat + csat + osat)) : 0;
    const std::uint16_t version = z64 ? 45 : 20;
    const std::uint16_t flags = needs_utf8_flag(e.zip_name) ? flag_utf8 : 0;
    record r;
    r.u32(central_header_sig).u16((3u << 8) | version).u16(version).u16(flags).u16(e.method);
    r.u16(dos_time_zero).u16(dos_date_1980).u32(e.crc);
    r.u32(csat ? sentinel32 : e.csize).u32(usat ? sentinel32 : e.usize);
    r.u16(e.zip_name.size()).u16(extra).u16(0).u16(0).u16(0);
    r.u32(0100644u << 16); // external attributes: a regular file, rw-r--r--
    r.u32(osat ? sentinel32 : e.offset).bytes(e.zip_name);
    if (z64) {
        r.u16(zip64_extra_id).u16(extra - 4);
        if (usat) r.u64(e.usize);
        if (csat) r.u64(e.csize);
        if (osat) r.u64(e.offset);
    }
    return r;
}

record directory_end(std::uint64_t entries, std::uint64_t cd_offset, std::uint64_t cd_size) {
    record r;
    if (entries >= sentinel16 || cd_offset >= sentinel32 || cd_size >= sentinel32) {
        const std::uint64_t e64 = cd_offset + cd_size;
        r.u32(eocd64_sig).u64(eocd64_size - 12).u16((3u << 8) | 45).u16(45).u32(0).u32(0);
        r.u64(entries).u64(entries).u64(cd_size).u64(cd_offset);
        r.u32(eocd64_locator_sig).u32(0).u64(e64).u32(1);
    }
    const std::uint64_t n16 = std::min<std::uint64_t>(entries, sentinel16);
    r.u32(eocd_sig).u16(0).u16(0).u16(n16).u16(n16);
    r.u32(std::min<std::uint64_t>(cd_size, sentinel32))
        .u32(std::min<std::uint64_t>(cd_offset, sentinel32))
        .u16(0);
    return r;
}

layout_plan plan_layout(std::vector<entry> members) {
    layout_plan p;
    std::uint64_t at = 0;
    for (entry& e : members) {
        e.offset = at;
        at += local_header_layout(e, e.method == 0).size + e.csize;
    }
    p.cd_offset = at;
    for (const entry& e : members) p.cd_size += central_header(e).size();
    p.size = p.cd_offset + p.cd_size + directory_end(members.size(), p.cd_offset, p.cd_size).size();
    p.entries = std::move(members);
    return p;
}

} // namespace colsnap::detail::zip
