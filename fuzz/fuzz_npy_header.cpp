// libFuzzer target: colsnap::parse_npy_header on arbitrary bytes (the strict Python-literal
// parser). Only colsnap::error may come out; an accepted header must round-trip through
// format_npy_header. Anything else (crash, sanitizer report, other exception) is a finding.

#include <colsnap/error.hpp>
#include <colsnap/npy.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    try {
        const colsnap::npy_header h = colsnap::parse_npy_header(bytes);
        if (h.data_offset > size) __builtin_trap(); // the header cannot end past the input
        (void)colsnap::checked_nbytes(h.info);      // accepted shapes do not overflow
        // What we accepted, we can write, and read back identically. Like np.save, the writer
        // says fortran_order False whenever C and Fortran layouts coincide (empty arrays, at
        // most one dim > 1), so the flag only has to survive when it changes the layout.
        const std::string again = colsnap::format_npy_header(h.info);
        const colsnap::npy_header h2 = colsnap::parse_npy_header(
            std::as_bytes(std::span<const char>(again.data(), again.size())));
        int big_dims = 0;
        for (std::uint64_t d : h.info.shape) big_dims += d > 1;
        const bool layout_matters = h.info.count() > 0 && big_dims > 1;
        if (!(h2.info.type == h.info.type) || h2.info.shape != h.info.shape ||
            (layout_matters && h2.info.fortran_order != h.info.fortran_order) ||
            h2.data_offset != again.size())
            __builtin_trap();
    } catch (const colsnap::error&) {
        // A refusal: fine.
    }
    return 0;
}
