#include "fresh_file.hpp"

#include <unistd.h>

#include <system_error>

namespace exhibit {

void fresh_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove(path, ec); // absent is fine; anything else shows at the write
    ::sync();
}

} // namespace exhibit
