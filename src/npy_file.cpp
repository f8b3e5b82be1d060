// Whole .npy files: write (atomic), read (memory-mapped), parse (over bytes in memory).

#include "array_internal.hpp"
#include "posix_file.hpp"

#include <colsnap/npy.hpp>

namespace colsnap {

void write_npy(const std::filesystem::path& path, const array_info& info,
               std::span<const std::byte> bytes, const file_options& opt) {
    try {
        detail::check_bytes_match_shape(info, bytes.size(), "write_npy");
        const std::string header = format_npy_header(info);
        detail::atomic_file out(path, opt.durable);
        out.write(header);
        out.write(bytes);
        out.commit();
    } catch (error& e) {
        e.locate(path.string(), {});
        throw;
    }
}

array parse_npy(std::span<const std::byte> bytes, std::shared_ptr<const void> owner,
                const limits& lim) {
    const npy_header h = parse_npy_header(bytes, lim);
    const std::uint64_t need = h.info.nbytes(); // validated by parse_npy_header
    const std::uint64_t have = bytes.size() - h.data_offset;
    if (have < need)
        throw error(errc::truncated,
                    "the payload is cut off: " + h.info.shape_string() + " of " +
                        h.info.type.descr() + " needs " + std::to_string(need) +
                        " bytes after the header, only " + std::to_string(have) + " follow",
                    bytes.size());
    if (have > need)
        throw error(errc::trailing_bytes,
                    std::to_string(have - need) + " bytes follow the " + std::to_string(need) +
                        "-byte payload of " + h.info.shape_string() + " of " + h.info.type.descr(),
                    h.data_offset + need);
    return detail::array_access::make(h.info, bytes.subspan(h.data_offset, need), std::move(owner),
                                      true);
}

array read_npy(const std::filesystem::path& path, const limits& lim, file_access access) {
    try {
        auto file = detail::mapped_file::open(path, access);
        const auto bytes = file->bytes();
        array a = parse_npy(bytes, std::move(file), lim);
        detail::array_access::set_origin(a, path.string(), {});
        return a;
    } catch (error& e) {
        e.locate(path.string(), {});
        throw;
    }
}

} // namespace colsnap
