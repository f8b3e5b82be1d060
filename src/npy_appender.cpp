// npy_appender: rows appended along axis 0 of a C-order .npy, the header's shape rewritten in
// place. Order of an append: rows (pwrite), fdatasync, header (one pwrite), fdatasync; so a
// header never counts a row that is not completely in the file. See npy_appender.hpp.

#include "posix_append.hpp"

#include <colsnap/npy.hpp>
#include <colsnap/npy_appender.hpp>

#include <algorithm>
#include <limits>
#include <string>

namespace colsnap {

struct npy_appender::state {
    std::unique_ptr<detail::append_file> file;
    array_info info; // shape[0] == rows committed
    std::uint64_t row_bytes = 0;
    std::uint64_t data_offset = 0;
    std::uint8_t major = 1;
    std::uint64_t cut = 0;
    bool durable = true;
    bool failed = false; // an append threw: the file may hold a torn tail, reopen to go on
};

namespace {

constexpr std::uint64_t max_rows = std::numeric_limits<std::uint64_t>::max();

std::string describe_rows(const array_info& info) {
    array_info row{info.type, {info.shape.begin() + 1, info.shape.end()}, false};
    return info.type.descr() + " rows of shape " + row.shape_string();
}

std::uint64_t row_bytes_of(const dtype& type, const std::vector<std::uint64_t>& row_shape) {
    const std::uint64_t n = checked_nbytes(array_info{type, row_shape, false});
    if (n == 0)
        throw error(errc::invalid_argument, "rows of " + type.descr() + " and shape " +
                                                array_info{type, row_shape, false}.shape_string() +
                                                " have zero bytes: nothing can be appended");
    return n;
}

} // namespace

npy_appender::npy_appender(std::unique_ptr<state> s) : s_(std::move(s)) {}
npy_appender::npy_appender(npy_appender&&) noexcept = default;
npy_appender& npy_appender::operator=(npy_appender&&) noexcept = default;
npy_appender::~npy_appender() = default;

npy_appender npy_appender::create(const std::filesystem::path& path, const dtype& type,
                                  std::vector<std::uint64_t> row_shape, const append_options& opt) {
    try {
        (void)row_bytes_of(type, row_shape);
        std::vector<std::uint64_t> shape{0};
        shape.insert(shape.end(), row_shape.begin(), row_shape.end());
        // The empty array appears atomically (temp file + rename): a crash leaves no file or
        // a valid empty one. Its header is np.save's, growth room included.
        write_npy(path, array_info{type, std::move(shape), false}, {}, file_options{opt.durable});
    } catch (error& e) {
        e.locate(path.string(), {});
        throw;
    }
    return open(path, opt);
}

npy_appender npy_appender::open(const std::filesystem::path& path, const append_options& opt) {
    try {
        auto s = std::make_unique<state>();
        s->file = detail::append_file::open(path, false);
        const std::uint64_t size = s->file->size();

        // The preamble is at most 12 bytes plus the largest header the limits allow.
        std::vector<std::byte> head(static_cast<std::size_t>(
            std::min<std::uint64_t>(size, 12 + std::uint64_t{opt.lim.max_header_len})));
        head.resize(s->file->read_at(head, 0));
        const npy_header h = parse_npy_header(head, opt.lim);
        if (h.info.shape.empty())
            throw error(errc::invalid_argument, "a 0-d array has no axis 0 to append along");
        if (h.info.fortran_order)
            throw error(errc::invalid_argument,
                        "a Fortran-order array cannot grow along axis 0 in place (only C order)");
        s->info = h.info;
        s->major = h.major;
        s->data_offset = h.data_offset;
        s->row_bytes = row_bytes_of(h.info.type, {h.info.shape.begin() + 1, h.info.shape.end()});

        // The shape is rewritten with numpy's own formatting, which pads the first dimension
        // to 21 digits: the header must keep its length for every row count up to 2^64 - 1.
        array_info widest = h.info;
        widest.shape[0] = max_rows;
        const std::size_t now_len = format_npy_header(h.info, h.major).size();
        const std::size_t widest_len = format_npy_header(widest, h.major).size();
        if (now_len != h.data_offset || widest_len != h.data_offset)
            throw error(errc::limit_exceeded,
                        "the " + std::to_string(h.data_offset) +
                            "-byte header has no room for the shape to grow in place (numpy's "
                            "header for this array is " +
                            std::to_string(now_len) +
                            " bytes); rewrite the file with np.save (numpy >= 1.17) or colsnap",
                        8);

        // Every row the header counts must be there; bytes past them are a torn append.
        const std::uint64_t end = h.data_offset + h.info.nbytes(); // checked by the parser
        if (size < end)
            throw error(errc::truncated,
                        "the header counts " + std::to_string(h.info.shape[0]) + " rows (" +
                            std::to_string(h.info.nbytes()) + " bytes), only " +
                            std::to_string(size - h.data_offset) + " bytes follow it",
                        size);
        if (size > end) {
            s->file->truncate(end);
            if (opt.durable) s->file->sync_data();
            s->cut = size - end;
        }
        s->durable = opt.durable;
        return npy_appender(std::move(s));
    } catch (error& e) {
        e.locate(path.string(), {});
        throw;
    }
}

npy_appender npy_appender::open_or_create(const std::filesystem::path& path, const dtype& type,
                                          std::vector<std::uint64_t> row_shape,
                                          const append_options& opt) {
    bool exists = false;
    try {
        exists = detail::append_file::open(path, true) != nullptr;
    } catch (error& e) {
        e.locate(path.string(), {});
        throw;
    }
    if (!exists) return create(path, type, std::move(row_shape), opt);
    npy_appender a = open(path, opt);
    const std::vector<std::uint64_t> have(a.s_->info.shape.begin() + 1, a.s_->info.shape.end());
    if (a.s_->info.type != type || have != row_shape) {
        std::vector<std::uint64_t> want{0};
        want.insert(want.end(), row_shape.begin(), row_shape.end());
        throw error(errc::type_mismatch,
                    "the file holds " + describe_rows(a.s_->info) + ", asked for " +
                        describe_rows(array_info{type, want, false}),
                    path.string(), "", error::no_offset);
    }
    return a;
}

void npy_appender::check_element_type(const dtype& t) const {
    if (t != s_->info.type)
        throw error(errc::type_mismatch,
                    "append of " + t.descr() + " values to an array of " + s_->info.type.descr(),
                    s_->file->path(), "", error::no_offset);
}

void npy_appender::append(std::span<const std::byte> bytes) {
    state& s = *s_;
    const std::string& path = s.file->path();
    if (s.failed)
        throw error(errc::invalid_argument,
                    "an earlier append failed; reopen the file to cut its torn tail", path, "",
                    error::no_offset);
    if (bytes.size() % s.row_bytes != 0)
        throw error(errc::invalid_argument,
                    "append of " + std::to_string(bytes.size()) + " bytes: not a whole number of " +
                        std::to_string(s.row_bytes) + "-byte rows (" + describe_rows(s.info) + ")",
                    path, "", error::no_offset);
    if (bytes.empty()) return;
    const std::uint64_t k = bytes.size() / s.row_bytes;
    array_info next = s.info;
    std::string header;
    try {
        if (__builtin_add_overflow(next.shape[0], k, next.shape.data()))
            throw error(errc::size_overflow, "the row count would pass 2^64 - 1");
        (void)checked_nbytes(next);
        header = format_npy_header(next, s.major);
        if (header.size() != s.data_offset) // open() checked the widest count: cannot happen
            throw error(errc::limit_exceeded, "the new header does not fit the old one's length");
    } catch (error& e) {
        e.locate(path, {});
        throw;
    }
    s.failed = true; // until the header counts the new rows
    s.file->write_at(bytes, s.data_offset + s.info.nbytes());
    if (s.durable) s.file->sync_data(); // the rows are on disk before the header counts them
    s.file->write_at(std::as_bytes(std::span(header.data(), header.size())), 0);
    if (s.durable) s.file->sync_data();
    s.failed = false;
    s.info = std::move(next);
}

std::uint64_t npy_appender::rows() const noexcept { return s_->info.shape[0]; }
const array_info& npy_appender::info() const noexcept { return s_->info; }
std::uint64_t npy_appender::row_bytes() const noexcept { return s_->row_bytes; }
std::uint64_t npy_appender::cut_at_open() const noexcept { return s_->cut; }
std::uint64_t npy_appender::data_offset() const noexcept { return s_->data_offset; }

} // namespace colsnap
