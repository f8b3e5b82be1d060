/// @file isa.cpp
/// @brief Which instruction-set level this CPU runs (see isa.hpp).

#include <ecosim/isa.hpp>

namespace ecosim {

isa best_isa() noexcept {
#if ECOSIM_HAVE_ISA_LEVELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return isa::v4;
    if (__builtin_cpu_supports("x86-64-v3")) return isa::v3;
#endif
    return isa::baseline;
}

std::string_view to_string(isa level) noexcept {
    switch (level) {
    case isa::baseline: return "baseline";
    case isa::v3: return "x86-64-v3";
    case isa::v4: return "x86-64-v4";
    }
    return "?";
}

} // namespace ecosim
