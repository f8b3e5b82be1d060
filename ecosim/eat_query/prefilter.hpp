#pragma once
/// @file prefilter.hpp
/// @brief Pass 1 of the eat query as a chunk hook of motion: motion calls row() for every row
/// it moves, with the new position and energy still in registers, and chunk() after each chunk
/// of rows, while they are in cache. The hook computes each row's reach box (summary.hpp:
/// box_of), tests it against its window's summary, tests the survivors against the reach disk
/// (and a window's list), and copies the candidates out with the values next_event reads. The
/// food does not change between motion and next_event (food_grid only re-indexes it), so
/// find_eat_candidates() uses them. A hook that does nothing (no_chunk_hook) keeps motion the
/// same without pass 1.

#include <ecosim/eat_query/eat_query.hpp>
#include <ecosim/eat_query/state.hpp>
#include <ecosim/eat_query/summary.hpp>
#include <ecosim/event_rules.hpp>
#include <ecosim/isa.hpp>
#include <ecosim/kernels/compact.hpp>
#include <ecosim/kernels/prefetch.hpp>
#include <ecosim/world.hpp>

#include <cstddef>
#include <cstdint>

namespace ecosim {

/// @brief A chunk hook that does nothing.
struct no_chunk_hook {
    static constexpr std::size_t max_chunk = ~std::size_t{0};
    [[gnu::always_inline]] void row(std::size_t /*k*/, float /*x*/, float /*y*/,
                                    float /*e*/) noexcept {}
    [[gnu::always_inline]] void chunk(std::size_t /*i0*/, std::size_t /*len*/, const float* /*px*/,
                                      const float* /*py*/, const float* /*en*/) noexcept {}
};

/// @brief Whether motion should run the prefilter this tick: the index and its summaries exist
/// (not on the first tick of a new or loaded world) and the test knob does not forbid it.
inline bool prefilter_ready(const world& w) noexcept {
    const eat_query_state& eq = w.work.eat;
    return eq.index.ready && eq.summaries.geometry.usable && !eq.no_prefilter;
}

/// @brief Pass 1 fused into motion, compacting with the vector code of @p Level.
template <isa Level> class prefilter {
public:
    static constexpr std::size_t max_chunk = summary::boxes::chunk;

    /// @brief For this tick's motion over @p w's creatures. Requires prefilter_ready(w).
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init): row() fills boxes_ per chunk
    explicit prefilter(world& w)
        : cd_(w.work.eat.candidates), g_(w.work.eat.summaries.geometry),
          cells_(w.work.eat.summaries.cells.data()), lists_(w.work.eat.summaries.lists.data()),
          rules_(w.cfg), rows_(w.creature.size()) {
        cd_.slot.resize(rows_ + 16); // compact() may write 16 past the end
        cd_.x.resize(rows_);
        cd_.y.resize(rows_);
        cd_.energy.resize(rows_);
        // NOLINTBEGIN(cppcoreguidelines-prefer-member-initializer): data() after the resizes
        slot_ = cd_.slot.data();
        x_ = cd_.x.data();
        y_ = cd_.y.data();
        e_ = cd_.energy.data();
        // NOLINTEND(cppcoreguidelines-prefer-member-initializer)
    }
    /// @brief Records the candidates, once motion is done, for find_eat_candidates(w, result).
    prefilter_result finish() noexcept {
        cd_.count = m_;
        return {.ran = true};
    }
    ~prefilter() = default;
    prefilter(const prefilter&) = delete;
    prefilter& operator=(const prefilter&) = delete;
    prefilter(prefilter&&) = delete;
    prefilter& operator=(prefilter&&) = delete;

    /// @brief Row k of the current chunk is at (x, y) with energy e now.
    [[gnu::always_inline]] void row(std::size_t k, float x, float y, float e) noexcept {
        summary::box_of(g_, rules_, x, y, e, k, boxes_);
    }

    /// @brief Rows [i0, i0 + len) of columns px, py, en have been moved: their candidates.
    [[gnu::always_inline]] void chunk(std::size_t i0, std::size_t len, const float* px,
                                      const float* py, const float* en) {
        alignas(64) std::uint32_t pass[max_chunk];
        std::uint32_t* const out = slot_;
        summary::test_boxes(cells_, boxes_, len, pass);
        const auto first = static_cast<std::uint32_t>(i0);
        const std::size_t m0 = m_;
        std::size_t m = m_;
        if constexpr (Level == isa::v4) m = compact_avx512(pass, len, first, out, m);
        else if constexpr (Level == isa::v3) m = compact_avx2(pass, len, first, out, m);
        else m = compact(pass, len, first, out, m);
        // the survivors again, against the reach disk (summary.hpp: near_disk): their inputs
        // gathered, tested in a loop that vectorises, compacted
        const std::size_t got = m - m0;
        alignas(64) float sx[max_chunk], sy[max_chunk];
        alignas(64) std::uint64_t sv[max_chunk];
        alignas(64) std::uint32_t sf[max_chunk];
        for (std::size_t t = 0; t < got; ++t) {
            const std::uint32_t i = out[m0 + t];
            const std::size_t k = i - i0;
            sx[t] = px[i];
            sy[t] = py[i];
            sv[t] = cells_[boxes_.at[k]];
            sf[t] = boxes_.force[k];
            // a window with 5..12 food keeps them in a list, read below
            if (summary::is_list(sv[t])) prefetch(&lists_[summary::list_index(sv[t])]);
        }
        for (std::size_t t = 0; t < got; ++t)
            pass[t] =
                sf[t] | static_cast<std::uint32_t>(summary::near_disk(g_, sv[t], sx[t], sy[t]));
        for (std::size_t t = 0; t < got; ++t)
            if (summary::is_list(sv[t]) && sf[t] == 0)
                pass[t] = summary::near_list(g_, lists_[summary::list_index(sv[t])], sx[t], sy[t]);
        // with the values next_event reads, while they are in cache
        std::size_t kept = m0;
        for (std::size_t t = 0; t < got; ++t) {
            const std::uint32_t i = out[m0 + t];
            out[kept] = i;
            x_[kept] = sx[t];
            y_[kept] = sy[t];
            e_[kept] = en[i];
            kept += pass[t] != 0;
        }
        m_ = kept;
    }

private:
    candidate_state& cd_;
    // copies and raw pointers: the move loop's stores to boxes_ then cannot alias what box_of
    // reads, and the loop vectorises
    const summary::geometry g_;
    const std::uint64_t* cells_;
    const summary::food_list* lists_;
    event_rules rules_;
    std::size_t rows_;
    std::uint32_t* slot_;
    float *x_, *y_, *e_;
    std::size_t m_ = 0;
    summary::boxes boxes_;
};

} // namespace ecosim
