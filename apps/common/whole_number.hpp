#pragma once
// A CLI11 check for options that take a whole number: the message says what was expected and
// what was given ("--head: expected a whole number, 0 or more; got '-1'"), on one line, instead
// of CLI11's range text with a 309-digit double.

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>

namespace apps_common {

/// Accepts decimal digits only (no sign, no spaces, no fraction) naming a value in [lo, hi].
inline CLI::Validator whole_number(std::uint64_t lo,
                                   std::uint64_t hi = std::numeric_limits<std::uint64_t>::max()) {
    std::string expected = "a whole number, ";
    if (hi == std::numeric_limits<std::uint64_t>::max())
        expected += std::to_string(lo) + " or more";
    else expected += "from " + std::to_string(lo) + " to " + std::to_string(hi);
    return CLI::Validator(
        [lo, hi, expected](std::string& text) -> std::string {
            std::uint64_t v = 0;
            const char* end = text.data() + text.size();
            const auto [p, ec] = std::from_chars(text.data(), end, v);
            if (!text.empty() && ec == std::errc{} && p == end && v >= lo && v <= hi) return {};
            std::string shown;
            for (char c : text) shown += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
            // Digits only, but too many for 64 bits: the bound is the answer, not the form.
            if (ec == std::errc::result_out_of_range && p == end)
                return "expected at most " + std::to_string(hi) + "; got '" + shown + "'";
            return "expected " + expected + "; got '" + shown + "'";
        },
        "");
}

} // namespace apps_common
