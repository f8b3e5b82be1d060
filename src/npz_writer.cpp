// .npz writer: one member at a time, straight to a byte_sink (a temp file, committed
// atomically). The records and their layout are zip_format's (APPNOTE 4.3.6).
#include "array_internal.hpp"
#include "byte_sink.hpp"
#include "member_name.hpp"
#include "npz_writer_internal.hpp"
#include "zip_format.hpp"

#include <colsnap/npy.hpp>
#include <colsnap/npz_writer.hpp>

#include <libdeflate.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace colsnap {
namespace {

using namespace detail::zip;

constexpr std::size_t crc_chunk = std::size_t{1} << 20;

struct compressor_deleter {
    void operator()(libdeflate_compressor* c) const noexcept { libdeflate_free_compressor(c); }
};

void check_level(int level) {
    if (level < 0 || level > 12)
        throw error(errc::invalid_argument,
                    "deflate level " + std::to_string(level) + " is not in 0..12");
}

} // namespace

void detail::deflate_npy(std::string_view npy_header, std::span<const std::byte> payload, int level,
                         deflated_npy& out) {
    check_level(level);
    thread_local int cached_level = -1;
    thread_local std::unique_ptr<libdeflate_compressor, compressor_deleter> c;
    if (!c || cached_level != level) {
        c.reset(libdeflate_alloc_compressor(level));
        cached_level = level;
        if (!c) throw error(errc::io_error, "libdeflate_alloc_compressor failed");
    }
    // RFC 1951 3.2.4: a stored block is one byte (BFINAL=0, BTYPE=00, padding), LEN, ~LEN, data.
    // It ends on a byte boundary, so libdeflate's stream of the payload can follow as is; the
    // payload's matches never reach back into the header, so no joined copy is needed.
    constexpr std::size_t max_stored = 0xFFFF;
    const std::size_t blocks = (npy_header.size() + max_stored - 1) / max_stored;
    const std::size_t prefix = npy_header.size() + 5 * blocks;
    const std::size_t need = prefix + libdeflate_deflate_compress_bound(c.get(), payload.size());
    if (out.capacity < need) {
        // default-initialised: pages are touched only when written
        out.buffer = std::make_unique_for_overwrite<std::byte[]>(need);
        out.capacity = need;
    }
    std::byte* p = out.buffer.get();
    for (std::size_t at = 0; at < npy_header.size(); at += max_stored) {
        const std::size_t len = std::min(max_stored, npy_header.size() - at);
        p[0] = std::byte{0};
        p[1] = static_cast<std::byte>(len & 0xFF);
        p[2] = static_cast<std::byte>(len >> 8);
        p[3] = static_cast<std::byte>(~len & 0xFF);
        p[4] = static_cast<std::byte>((~len >> 8) & 0xFF);
        std::memcpy(p + 5, npy_header.data() + at, len);
        p += 5 + len;
    }
    const std::size_t n = libdeflate_deflate_compress(c.get(), payload.data(), payload.size(), p,
                                                      out.capacity - prefix);
    if (n == 0) throw error(errc::io_error, "libdeflate_deflate_compress failed");
    out.size = prefix + n;
    auto crc =
        static_cast<std::uint32_t>(libdeflate_crc32(0, npy_header.data(), npy_header.size()));
    // libdeflate_crc32(crc, NULL, 0) returns the initial value, not crc: skip empty payloads.
    if (!payload.empty())
        crc = static_cast<std::uint32_t>(libdeflate_crc32(crc, payload.data(), payload.size()));
    out.crc = crc;
    out.npy_size = npy_header.size() + payload.size();
}

struct npz_writer::impl {
    impl(std::filesystem::path p, write_options o)
        : sink(detail::make_atomic_file_sink(std::move(p), o.durable)), file(*sink), opt(o) {}
    std::unique_ptr<detail::byte_sink> sink;
    detail::byte_sink& file;
    write_options opt;
    std::vector<entry> entries;
    std::set<std::string, std::less<>> names;
    detail::deflated_npy deflated; // reused deflate buffer
    bool closed = false;

    /// A new entry for the member numpy keys @p name, at @p zip_name (name + ".npy" for arrays).
    entry& begin_member(std::string_view name, std::string zip_name) {
        if (closed)
            throw error(errc::invalid_argument,
                        "writer is closed (committed, aborted, or a write failed)",
                        file.target().string(), std::string(name), error::no_offset);
        detail::check_member_name(name, file.target().string());
        if (zip_name.size() > 0xFFFF)
            throw error(errc::invalid_argument,
                        "member name must be at most 65535 bytes in the zip",
                        file.target().string(), std::string(name), error::no_offset);
        if (!names.emplace(name).second)
            throw error(errc::duplicate_member, "member added twice", file.target().string(),
                        std::string(name), error::no_offset);
        entry& e = entries.emplace_back();
        e.zip_name = std::move(zip_name);
        e.offset = file.position();
        return e;
    }

    void add_stored(const column_ref& col, const std::string& header) {
        write_stored(begin_member(col.name, col.name + ".npy"), header, col.bytes);
    }

    void write_stored(entry& e, std::string_view header, std::span<const std::byte> bytes) {
        e.method = 0;
        e.usize = e.csize = header.size() + bytes.size();
        const std::uint16_t flags = needs_utf8_flag(e.zip_name) ? flag_utf8 : 0;
        const record lh = local_header(e, flags, true);
        file.write(lh.span());
        // Stream the data in chunks, computing the CRC on each chunk while it is in cache, then
        // patch the CRC into the local header.
        auto crc = static_cast<std::uint32_t>(libdeflate_crc32(0, header.data(), header.size()));
        file.write(header);
        for (std::size_t at = 0; at < bytes.size(); at += crc_chunk) {
            const auto chunk = bytes.subspan(at, std::min(crc_chunk, bytes.size() - at));
            crc = static_cast<std::uint32_t>(libdeflate_crc32(crc, chunk.data(), chunk.size()));
            file.write(chunk);
        }
        e.crc = crc;
        record patch;
        patch.u32(crc);
        file.write_at(patch.span(), e.offset + local_crc_offset);
    }

    void add_deflated(std::string_view name, std::span<const std::byte> data, std::uint64_t usize,
                      std::uint32_t crc) {
        write_deflated(begin_member(name, std::string(name) + ".npy"), data, usize, crc);
    }

    void write_deflated(entry& e, std::span<const std::byte> data, std::uint64_t usize,
                        std::uint32_t crc) {
        e.method = 8;
        e.usize = usize;
        e.csize = data.size();
        e.crc = crc;
        const std::uint16_t flags = needs_utf8_flag(e.zip_name) ? flag_utf8 : 0;
        file.write(local_header(e, flags, false).span());
        file.write(data);
    }

    void commit() {
        if (closed)
            throw error(errc::invalid_argument,
                        "writer is closed (committed, aborted, or a write failed)",
                        file.target().string(), "", error::no_offset);
        const std::uint64_t cd_offset = file.position();
        for (const entry& e : entries) file.write(central_header(e).span());
        const std::uint64_t cd_size = file.position() - cd_offset;
        file.write(directory_end(entries.size(), cd_offset, cd_size).span());
        file.commit();
        closed = true;
    }
};

npz_writer::npz_writer(std::filesystem::path path, write_options opt) {
    check_level(opt.level);
    impl_ = std::make_unique<impl>(std::move(path), opt);
}
npz_writer::~npz_writer() { abort(); }
npz_writer::npz_writer(npz_writer&&) noexcept = default;
npz_writer& npz_writer::operator=(npz_writer&&) noexcept = default;

void npz_writer::add(const column_ref& column) { add(column, impl_->opt.method, impl_->opt.level); }

void npz_writer::add(const column_ref& col, compression method, int level) {
    if (!impl_) throw error(errc::invalid_argument, "writer was moved from");
    detail::check_bytes_match_shape(col.info, col.bytes.size(), "column",
                                    impl_->file.target().string(), col.name);
    const std::string header = format_npy_header(col.info);
    try {
        if (method == compression::stored) {
            impl_->add_stored(col, header);
        } else {
            detail::deflate_npy(header, col.bytes, level, impl_->deflated);
            const auto& d = impl_->deflated;
            impl_->add_deflated(col.name, d.bytes(), d.npy_size, d.crc);
        }
    } catch (...) {
        abort();
        throw;
    }
}

void npz_writer::add_file(std::string_view zip_name, std::span<const std::byte> content,
                          compression method, int level) {
    if (!impl_) throw error(errc::invalid_argument, "writer was moved from");
    check_level(level);
    // numpy's key, under which names must be unique: ".npy" names without it.
    const bool npy_name = zip_name.size() > 4 && zip_name.ends_with(".npy");
    const std::string_view key = npy_name ? zip_name.substr(0, zip_name.size() - 4) : zip_name;
    try {
        entry& e = impl_->begin_member(key, std::string(zip_name));
        if (method == compression::stored) {
            impl_->write_stored(e, {}, content);
        } else {
            detail::deflate_npy({}, content, level, impl_->deflated);
            const auto& d = impl_->deflated;
            impl_->write_deflated(e, d.bytes(), d.npy_size, d.crc);
        }
    } catch (...) {
        abort();
        throw;
    }
}

void detail::npz_writer_access::add_deflated(npz_writer& w, std::string_view name,
                                             const deflated_npy& d) {
    if (!w.impl_) throw error(errc::invalid_argument, "writer was moved from");
    try {
        w.impl_->add_deflated(name, d.bytes(), d.npy_size, d.crc);
    } catch (...) {
        w.abort();
        throw;
    }
}

void npz_writer::commit() {
    if (!impl_) throw error(errc::invalid_argument, "writer was moved from");
    try {
        impl_->commit();
    } catch (...) {
        abort();
        throw;
    }
}

void npz_writer::abort() noexcept {
    if (impl_ && !impl_->closed) {
        impl_->file.abort();
        impl_->closed = true;
    }
}

std::uint64_t npz_writer::bytes_written() const noexcept {
    return impl_ ? impl_->file.position() : 0;
}

namespace {

// Deflates columns on worker threads while the caller's thread writes finished ones in order.
// At most `window` columns are in flight, so memory stays bounded by a few compressed columns.
void save_parallel_deflate(npz_writer& w, const std::string& file, std::span<const column_ref> cols,
                           const write_options& opt, unsigned threads) {
    struct slot {
        detail::deflated_npy out;
        bool done = false;
        std::exception_ptr failure;
    };
    // One compressed column per worker: memory is bounded by `threads` compressed columns
    // (nothing is copied: deflate_npy reads the caller's column in place). Writing a finished
    // column takes milliseconds next to deflating one, so workers hardly wait for a slot.
    const std::size_t window = threads;
    std::vector<slot> slots(window);
    std::mutex mu;
    std::condition_variable cv;
    std::size_t next = 0, written = 0;
    bool stop = false;

    auto worker = [&] {
        for (;;) {
            std::size_t i = 0;
            {
                std::unique_lock lock(mu);
                cv.wait(lock,
                        [&] { return stop || next >= cols.size() || next < written + window; });
                if (stop || next >= cols.size()) return;
                i = next++;
            }
            slot& s = slots[i % window];
            try {
                detail::check_bytes_match_shape(cols[i].info, cols[i].bytes.size(), "column", file,
                                                cols[i].name);
                const std::string header = format_npy_header(cols[i].info);
                detail::deflate_npy(header, cols[i].bytes, opt.level, s.out);
            } catch (...) {
                s.failure = std::current_exception();
            }
            {
                std::lock_guard lock(mu);
                s.done = true;
            }
            cv.notify_all();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    std::exception_ptr failure;
    for (std::size_t i = 0; i < cols.size() && !failure; ++i) {
        slot& s = slots[i % window];
        {
            std::unique_lock lock(mu);
            cv.wait(lock, [&] { return s.done; });
        }
        try {
            if (s.failure) std::rethrow_exception(s.failure);
            detail::npz_writer_access::add_deflated(w, cols[i].name, s.out);
        } catch (...) {
            failure = std::current_exception();
        }
        {
            std::lock_guard lock(mu);
            s.done = false;
            s.failure = nullptr;
            ++written;
            if (failure) stop = true;
        }
        cv.notify_all();
    }
    {
        std::lock_guard lock(mu);
        stop = true;
    }
    cv.notify_all();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

} // namespace

void save_npz(const std::filesystem::path& path, std::span<const column_ref> columns,
              const write_options& opt) {
    npz_writer w(path, opt);
    unsigned threads =
        opt.threads != 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, columns.size()));
    if (opt.method == compression::deflate && threads > 1) {
        save_parallel_deflate(w, path.string(), columns, opt, threads);
    } else {
        for (const column_ref& c : columns) w.add(c);
    }
    w.commit();
}

} // namespace colsnap
