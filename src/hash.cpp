// content_hash: XXH3-128 over a canonical stream of named arrays.
//
// Per member, in byte-wise name order:
//   u64 LE name length, name bytes,
//   u64 LE descr length, descr bytes (little-endian spelling: dtype.as_little().descr()),
//   u64 LE ndim, each dim as u64 LE,
//   u64 LE nbytes, then the data as little-endian items in C order.
// Data already little-endian and in C order is hashed in place; anything else is converted in
// bounded chunks, so the hash never copies a whole array.

#include "array_internal.hpp"
#include "convert.hpp"

#include <colsnap/array_file.hpp>
#include <colsnap/hash.hpp>
#include <colsnap/npz_reader.hpp>

#include <xxhash.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <vector>

namespace colsnap {

std::string digest::hex() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s(32, '0');
    for (std::size_t i = 0; i < 16; ++i) {
        s[i] = digits[(high >> (60 - 4 * i)) & 15];
        s[16 + i] = digits[(low >> (60 - 4 * i)) & 15];
    }
    return s;
}

namespace {

constexpr std::uint64_t chunk_bytes = std::uint64_t{1} << 20;      // usual conversion chunk
constexpr std::uint64_t max_chunk_bytes = std::uint64_t{16} << 20; // Fortran row blocks

class hasher {
public:
    hasher() : state_(XXH3_createState()) {
        if (!state_ || XXH3_128bits_reset(state_.get()) != XXH_OK) throw std::bad_alloc();
    }
    void update(const void* p, std::size_t n) {
        if (n) XXH3_128bits_update(state_.get(), p, n);
    }
    void u64(std::uint64_t v) {
        unsigned char b[8];
        for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
        update(b, 8);
    }
    void text(std::string_view s) {
        u64(s.size());
        update(s.data(), s.size());
    }
    digest result() const {
        const XXH128_hash_t h = XXH3_128bits_digest(state_.get());
        return digest{h.high64, h.low64};
    }

private:
    struct free_state {
        void operator()(XXH3_state_t* s) const noexcept { XXH3_freeState(s); }
    };
    std::unique_ptr<XXH3_state_t, free_state> state_;
};

void hash_data(hasher& h, const array_info& info, std::span<const std::byte> data) {
    // The canonical bytes: C order, every multi-byte word little-endian (each field of a
    // record, each half of a complex, each UCS-4 unit), orderless bytes as they are, and the
    // padding of records zeroed (it is not content: numpy's copies leave it as memory held).
    const detail::c_order_converter conv(info, byte_order::little, true);
    if (!conv.swaps() && !conv.transposes()) {
        h.update(data.data(), data.size()); // already the canonical bytes: no copy
        return;
    }
    const std::uint64_t rows = conv.rows();
    if (rows == 0) return;
    const std::uint64_t row = conv.row_bytes();
    // Byte swaps go in 1 MiB chunks. A Fortran transpose reads a tile of rows per source cache
    // line, so it gets up to 16 MiB to hold that many rows; rows wider than that are streamed
    // in pieces (re-reading the source per row, but with bounded memory).
    std::uint64_t budget = chunk_bytes;
    if (conv.transposes())
        budget = std::clamp(conv.preferred_rows() * row, chunk_bytes, max_chunk_bytes);
    if (row <= budget) {
        const std::uint64_t per = std::min(rows, budget / row);
        const auto buffer = std::make_unique_for_overwrite<std::byte[]>(per * row);
        for (std::uint64_t r = 0; r < rows; r += per) {
            const std::uint64_t e = std::min(rows, r + per);
            conv.convert(data.data(), r, e, buffer.get());
            h.update(buffer.get(), (e - r) * row);
        }
        return;
    }
    const std::uint64_t piece = std::max<std::uint64_t>(1, budget / conv.item_size());
    const auto buffer = std::make_unique_for_overwrite<std::byte[]>(piece * conv.item_size());
    for (std::uint64_t r = 0; r < rows; ++r)
        for (std::uint64_t c = 0; c < conv.row_items(); c += piece) {
            const std::uint64_t e = std::min(conv.row_items(), c + piece);
            conv.convert_part(data.data(), r, c, e, buffer.get());
            h.update(buffer.get(), (e - c) * conv.item_size());
        }
}

void hash_member(hasher& h, std::string_view name, const array_info& info,
                 std::span<const std::byte> data) {
    h.text(name);
    h.text(info.type.as_little().descr());
    h.u64(info.shape.size());
    for (const auto d : info.shape) h.u64(d);
    h.u64(data.size());
    hash_data(h, info, data);
}

/// Indices of @p names in byte-wise order; throws duplicate_member on a repeated name.
template <typename NameOf>
std::vector<std::size_t> sorted_unique(std::size_t n, NameOf name_of, const std::string& file) {
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    // std::string_view compares through char_traits<char>, which orders as unsigned char.
    std::sort(idx.begin(), idx.end(),
              [&](std::size_t a, std::size_t b) { return name_of(a) < name_of(b); });
    for (std::size_t i = 1; i < n; ++i)
        if (name_of(idx[i - 1]) == name_of(idx[i]))
            throw error(errc::duplicate_member, "content_hash: two members have the same name",
                        file, std::string(name_of(idx[i])), error::no_offset);
    return idx;
}

/// Hash of every member of @p file (an npz_reader or an array_file), one in memory at a time.
template <typename File> digest hash_members(const File& file) {
    const auto& members = file.members();
    const auto order = sorted_unique(
        members.size(), [&](std::size_t i) { return std::string_view(members[i].name); },
        file.label());
    hasher h;
    for (const auto i : order) {
        const member_info& m = members[i];
        if (!m.typed()) {
            // A member colsnap cannot type: its name, its kind and its whole content as bytes.
            const member_bytes c = file.content(m);
            h.text(m.name);
            h.text(to_string(m.kind));
            h.u64(c.bytes.size());
            h.update(c.bytes.data(), c.bytes.size());
            continue;
        }
        const array a = file.raw(m);
        hash_member(h, m.name, a.info(), a.bytes());
    }
    return h.result();
}

} // namespace

digest content_hash(std::span<const column_ref> columns) {
    for (const auto& c : columns)
        detail::check_bytes_match_shape(c.info, c.bytes.size(), "content_hash", {}, c.name);
    const auto order = sorted_unique(
        columns.size(), [&](std::size_t i) { return std::string_view(columns[i].name); }, {});
    hasher h;
    for (const auto i : order) hash_member(h, columns[i].name, columns[i].info, columns[i].bytes);
    return h.result();
}

digest content_hash(const npz_reader& archive) { return hash_members(archive); }

digest content_hash(const array_file& file) { return hash_members(file); }

digest hash_file(const std::filesystem::path& path, file_access access) {
    read_options opt;
    opt.access = access;
    return content_hash(array_file::open(path, opt));
}

} // namespace colsnap
