// colsnap hash FILE...: content hash of each file, sha256sum style.

#include "commands.hpp"
#include "snapshot_source.hpp"

#include <colsnap/hash.hpp>

#include <cstdio>
#include <exception>
#include <string>

namespace colsnap_cli {

int run_hash(const hash_options& opt) {
    int status = exit_ok;
    for (const std::string& file : opt.files) {
        try {
            const colsnap::digest d = colsnap::hash_file(file, colsnap::file_access::read);
            const std::string line = d.hex() + "  " + escape_text(file) + "\n";
            std::fwrite(line.data(), 1, line.size(), stdout);
        } catch (const std::exception& e) {
            // Report and go on with the other files, as sha256sum does.
            print_error(e.what());
            status = exit_invalid;
        }
    }
    return status;
}

} // namespace colsnap_cli
