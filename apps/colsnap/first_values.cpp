#include "first_values.hpp"

#include <colsnap/npy.hpp>

#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace colsnap_cli {

colsnap::array first_values(const colsnap::array& a, std::uint64_t n) {
    const colsnap::array_info& info = a.info();
    const std::size_t item = info.type.itemsize;
    // A small .npy in memory (header, then the n elements as stored), which the library then
    // converts to native byte order like any other array.
    const colsnap::array_info head{info.type, {n}, false};
    auto npy = std::make_shared<std::string>(colsnap::format_npy_header(head));
    const std::size_t header = npy->size();
    npy->resize(header + n * item);
    char* dst = npy->data() + header;
    const auto* src = reinterpret_cast<const char*>(a.bytes().data());
    if (info.is_c_contiguous()) {
        std::memcpy(dst, src, n * item);
    } else {
        // Fortran order: element (i0, i1, ...) lies at i0 + i1*s0 + i2*s0*s1 + ... items.
        const std::size_t dims = info.shape.size();
        std::vector<std::uint64_t> stride(dims, 1), index(dims, 0);
        for (std::size_t d = 1; d < dims; ++d) stride[d] = stride[d - 1] * info.shape[d - 1];
        for (std::uint64_t i = 0; i < n; ++i) {
            std::uint64_t at = 0;
            for (std::size_t d = 0; d < dims; ++d) at += index[d] * stride[d];
            std::memcpy(dst + i * item, src + at * item, item);
            for (std::size_t d = dims; d-- > 0;) { // next index in C order: last dim fastest
                if (++index[d] < info.shape[d]) break;
                index[d] = 0;
            }
        }
    }
    const colsnap::array small =
        colsnap::parse_npy(std::as_bytes(std::span<const char>(npy->data(), npy->size())), npy);
    return small.to_native_c();
}

} // namespace colsnap_cli
