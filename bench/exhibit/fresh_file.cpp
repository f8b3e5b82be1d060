#include "fresh_file.hpp"

#include <system_error>

#include <unistd.h>

namespace exhibit {

void fresh_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove(path, ec); // absent is fine; anything else shows at the write
    ::sync();
}

} // namespace exhibit
