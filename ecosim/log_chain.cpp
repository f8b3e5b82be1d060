/// @file log_chain.cpp
/// @brief The logs' chain hashes: one XXH3-128 stream per column (log_chain.hpp).

#include <ecosim/log_chain.hpp>
#include <ecosim/log_tables.hpp>
#include <ecosim/world.hpp>

#include <xxhash.h>

#include <cstring>
#include <new>

namespace ecosim {

void stream_hash::free_state::operator()(XXH3_state_s* s) const noexcept { XXH3_freeState(s); }

stream_hash::stream_hash() : s_(XXH3_createState()) {
    if (!s_ || XXH3_128bits_reset(s_.get()) != XXH_OK) throw std::bad_alloc();
}

stream_hash::stream_hash(const stream_hash& o) : s_(XXH3_createState()) {
    if (!s_) throw std::bad_alloc();
    XXH3_copyState(s_.get(), o.s_.get());
}

stream_hash& stream_hash::operator=(const stream_hash& o) {
    if (this != &o) {
        if (!s_) s_.reset(XXH3_createState());
        if (!s_) throw std::bad_alloc();
        XXH3_copyState(s_.get(), o.s_.get());
    }
    return *this;
}

stream_hash::~stream_hash() = default;

void stream_hash::update(const void* p, std::size_t n) {
    if (n) XXH3_128bits_update(s_.get(), p, n);
}

std::array<std::uint8_t, 16> stream_hash::digest() const {
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits_digest(s_.get()));
    std::array<std::uint8_t, 16> out{};
    std::memcpy(out.data(), c.digest, out.size());
    return out;
}

std::vector<colsnap::column_ref> ref_columns(const log_refs& refs) {
    std::vector<colsnap::column_ref> out;
    for (std::size_t i = 0; i < log_count; ++i) {
        const std::string base = std::string("meta/") + log_names[i];
        out.push_back(colsnap::scalar(base + "_rows", refs[i].rows));
        out.push_back(
            colsnap::column(base + "_chain", std::span<const std::uint8_t>(refs[i].chain)));
    }
    return out;
}

colsnap::digest history_key(const log_refs& refs) {
    const auto cols = ref_columns(refs);
    return colsnap::content_hash(cols);
}

namespace {

/// Feeds rows [from, to) of every column of @p t to its stream.
template <typename Table>
void feed(std::vector<stream_hash>& cols, const Table& t, std::uint64_t from, std::uint64_t to) {
    std::size_t k = 0;
    Table::for_each_column([&](auto def) {
        using T = typename decltype(def)::value_type;
        const auto& c = t.*def.member;
        const std::size_t row = sizeof(T) * def.width;
        cols[k++].update(reinterpret_cast<const unsigned char*>(c.data()) + from * row,
                         (to - from) * row);
    });
}

template <typename Table> std::size_t column_count() {
    std::size_t n = 0;
    Table::for_each_column([&](auto) { ++n; });
    return n;
}

} // namespace

const log_refs& log_chains::refs(const world& w) {
    detail::each_log(detail::logs_of(w), [&](std::size_t i, const char*, const auto& t) {
        using Table = std::decay_t<decltype(t)>;
        one_log& l = logs_[i];
        const std::uint64_t n = t.size();
        if (l.cols.size() != column_count<Table>() || n < l.settled) {
            l = one_log{};
            l.cols.resize(column_count<Table>());
        }
        if (n > l.settled + settle_rows) {
            feed(l.cols, t, l.settled, n - settle_rows);
            l.settled = n - settle_rows;
        }
        std::vector<stream_hash> tail = l.cols; // the unsettled rows, hashed anew
        feed(tail, t, l.settled, n);
        stream_hash all;
        for (const auto& s : tail) {
            const auto d = s.digest();
            all.update(d.data(), d.size());
        }
        out_[i] = log_ref{n, all.digest()};
    });
    return out_;
}

} // namespace ecosim
