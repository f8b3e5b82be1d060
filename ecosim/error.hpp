#pragma once
/// @file error.hpp
/// @brief The one error type of ecosim: a code plus where (the config field or the snapshot
/// member), the file when there is one, and what was wrong (with the value).

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace ecosim {

/// @brief What went wrong. Every refusal maps to exactly one code.
enum class errc : std::uint8_t {
    invalid_config,   ///< a config value out of range, NaN, or one the eat query cannot serve
    invalid_snapshot, ///< a snapshot member missing, mistyped, misshapen, unexpected or out of range
    broken_invariant, ///< a value outside its column's rule, or tables that contradict each other
    capacity,         ///< a table would pass what its indices can address
    invalid_argument, ///< the caller asked for something unusable (e.g. a schema to write)
};

/// @brief Short stable name of a code, e.g. "invalid_config".
std::string_view to_string(errc code) noexcept;

/// @brief Thrown by every ecosim function that refuses something.
///
/// what() reads "FILE: WHERE: DETAIL [code]"; WHERE is a config field ("config/eat_radius") or
/// a member ("creature/energy"); parts that are unknown are left out.
class error : public std::runtime_error {
public:
    error(errc code, std::string where, std::string detail, std::string file = {});

    errc code() const noexcept { return code_; }
    const std::string& where() const noexcept { return where_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& file() const noexcept { return file_; }

    /// @brief The same error, found in @p file (a config or table of a snapshot).
    error in_file(std::string file) const;

private:
    errc code_;
    std::string where_, detail_, file_;
};

/// @brief A value as an error message writes it: the shortest text that reads back as the same
/// value ("nan", "-5", "0.01" for 0.01f, "4294967295").
std::string show(double v);
std::string show(float v);
template <typename T>
requires std::is_integral_v<T> std::string show(T v) { return std::to_string(v); }

} // namespace ecosim
