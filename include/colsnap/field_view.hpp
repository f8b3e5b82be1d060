#pragma once
/// @file field_view.hpp
/// @brief One field of a record array, seen in place: a zero-copy strided view.

#include <colsnap/dtype.hpp>
#include <colsnap/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace colsnap {

/// @brief Field @p info of every record of an array, in C order, without a copy: record i's
/// field starts at data() + i * stride(). Made by array::field(); keeps the array's bytes alive.
class field_view {
public:
    field_view(field info, const std::byte* first, std::uint64_t count, std::uint64_t stride,
               std::shared_ptr<const void> keep_alive)
        : info_(std::move(info)), first_(first), count_(count), stride_(stride),
          keep_(std::move(keep_alive)) {}

    /// @brief The field: name, title, dtype (in the array's byte order) and sub-array shape.
    const field& info() const noexcept { return info_; }
    /// @brief Number of records.
    std::uint64_t size() const noexcept { return count_; }
    /// @brief Bytes from one record's field to the next one's (the record's itemsize).
    std::uint64_t stride() const noexcept { return stride_; }
    /// @brief The bytes of record @p i's field (info().size() of them).
    const std::byte* data(std::uint64_t i) const noexcept { return first_ + i * stride_; }

    /// @brief Record @p i's value as T, which must be the field's dtype (dtype_of<T>(), so in
    /// native byte order) and not a sub-array; read through memcpy, so any alignment works.
    /// Throws error(type_mismatch) otherwise.
    template <typename T> T get(std::uint64_t i) const {
        check(dtype_of<T>());
        T v;
        std::memcpy(&v, data(i), sizeof v);
        return v;
    }
    /// @brief Every record's value as T (as get<T>()), copied into a contiguous column.
    template <typename T> std::vector<T> values() const {
        check(dtype_of<T>());
        std::vector<T> out(count_);
        for (std::uint64_t i = 0; i < count_; ++i) std::memcpy(&out[i], data(i), sizeof(T));
        return out;
    }

private:
    void check(const dtype& want) const;
    field info_;
    const std::byte* first_;
    std::uint64_t count_, stride_;
    std::shared_ptr<const void> keep_;
};

} // namespace colsnap
