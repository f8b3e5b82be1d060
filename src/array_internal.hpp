#pragma once
// Internal: how the library makes arrays (the borrowing constructor and the owned allocation
// are not public API), and the one check that a byte span matches an array's shape.

#include <colsnap/array.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace colsnap::detail {

struct array_access {
    /// An array over @p bytes, which @p keep_alive owns; @p borrowed: they are a mapped file's.
    /// Throws error(invalid_argument) when @p bytes do not match @p info's shape.
    static array make(array_info info, std::span<const std::byte> bytes,
                      std::shared_ptr<const void> keep_alive, bool borrowed) {
        return {std::move(info), bytes, std::move(keep_alive), borrowed};
    }
    /// An owned array of @p info with uninitialised bytes (64-byte aligned), and the span to
    /// write them through.
    static std::pair<array, std::span<std::byte>> allocate(array_info info);
    /// Records where @p a was read from, for its errors (array::file(), array::member()).
    static void set_origin(array& a, std::string file, std::string member) {
        a.file_ = std::move(file);
        a.member_ = std::move(member);
    }
};

/// checked_nbytes(@p info), after checking that @p have bytes are exactly that many; throws
/// error(invalid_argument) "WHAT: shape S of D needs N bytes, got M" naming @p file and
/// @p member (either may be empty). @p what names the caller's argument ("column", "source").
std::uint64_t check_bytes_match_shape(const array_info& info, std::uint64_t have,
                                      std::string_view what, const std::string& file = {},
                                      const std::string& member = {});

} // namespace colsnap::detail
