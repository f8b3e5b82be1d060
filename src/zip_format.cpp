#include "zip_format.hpp"

namespace colsnap::detail::zip {

bool needs_utf8_flag(std::string_view name) noexcept {
    for (char c : name)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

} // namespace colsnap::detail::zip
