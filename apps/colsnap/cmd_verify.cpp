// colsnap verify FILE: full structural check, every header, every CRC.

#include "commands.hpp"
#include "snapshot_source.hpp"

#include <cstdio>

namespace colsnap_cli {

int run_verify(const verify_options& opt) {
    // open() validates the zip structure and every .npy header (the whole .npy for a .npy);
    // verify() then reads every member and checks its CRC-32.
    const snapshot_source src = snapshot_source::open(opt.file);
    src.verify();
    const std::size_t n = src.members().size();
    const std::size_t untyped = src.untyped();
    std::printf("ok: %zu member%s, %llu bytes", n, n == 1 ? "" : "s",
                static_cast<unsigned long long>(src.file_size()));
    if (untyped > 0)
        std::printf("; %zu member%s colsnap cannot type (object arrays, not .npy): CRC checked, "
                    "values not read",
                    untyped, untyped == 1 ? "" : "s");
    std::printf("\n");
    return exit_ok;
}

} // namespace colsnap_cli
