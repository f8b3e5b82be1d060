#pragma once
/// @file column.hpp
/// @brief ecosim::column<T>: the std::vector every table column is made of, with an allocator
/// that backs large columns with transparent huge pages.
///
/// Why: the systems walk columns of millions of rows and the eat query jumps around in the
/// spatial index. On a VM with 4 KiB pages, every such jump can miss the TLB and pay a
/// two-dimensional page walk (measured here: a dependent load into a 16 MiB buffer costs
/// ~170 ns, into 1 MiB ~17 ns). Columns of 2 MiB or more are therefore allocated 2 MiB-aligned
/// and madvise(MADV_HUGEPAGE)d (the kernel's THP mode is often "madvise"). Small ones use
/// operator new. Allocation never changes a value, so it cannot affect determinism.

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

#include <sys/mman.h>

namespace ecosim {

template <typename T> struct huge_page_allocator {
    using value_type = T;
    static constexpr std::size_t huge = std::size_t{1} << 21;

    huge_page_allocator() noexcept = default;
    template <typename U> huge_page_allocator(const huge_page_allocator<U>& /*other*/) noexcept {}

    /// over-aligned element types (alignas beyond what plain operator new gives) get it
    static constexpr bool over_aligned = alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__;

    // NOLINTBEGIN(cppcoreguidelines-owning-memory,cppcoreguidelines-no-malloc): an allocator
    // is where raw memory is managed; std::vector owns what it returns.
    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        if (bytes < huge) {
            if constexpr (over_aligned)
                return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
            return static_cast<T*>(::operator new(bytes));
        }
        const std::size_t rounded = (bytes + huge - 1) & ~(huge - 1);
        void* p = std::aligned_alloc(huge, rounded);
        if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        ::madvise(p, rounded, MADV_HUGEPAGE); // advisory: failure only costs speed
#endif
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) >= huge) std::free(p);
        else if constexpr (over_aligned) ::operator delete (p, std::align_val_t{alignof(T)});
        else ::operator delete(p);
    }
    // NOLINTEND(cppcoreguidelines-owning-memory,cppcoreguidelines-no-malloc)
    template <typename U> bool operator==(const huge_page_allocator<U>& /*other*/) const noexcept {
        return true;
    }
};

/// @brief One column of a table.
template <typename T> using column = std::vector<T, huge_page_allocator<T>>;

} // namespace ecosim
