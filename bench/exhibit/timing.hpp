#pragma once
/// @file timing.hpp
/// @brief Wall-clock timing and the statistics the exhibit reports (median of R runs, plus the
/// first, cold, run kept apart).

#include <chrono>
#include <optional>
#include <vector>

namespace exhibit {

/// @brief Milliseconds taken by @p fn (steady clock).
template <typename Fn> double time_ms(Fn&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    const auto t1 = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

/// @brief The timings of one measured quantity: a warm-up (cold) sample and R measured ones.
class samples {
public:
    /// @brief Records the warm-up run (first touch of files, buffers and code).
    void add_cold(double ms) { cold_ = ms; }
    /// @brief Records one measured run.
    void add(double ms) { runs_.push_back(ms); }
    bool empty() const noexcept { return runs_.empty(); }
    std::size_t count() const noexcept { return runs_.size(); }
    /// @brief Median of the measured runs (mean of the two middle ones for an even count);
    /// 0 when there are none.
    double median() const;
    double min() const;
    double max() const;
    std::optional<double> cold() const noexcept { return cold_; }
    const std::vector<double>& runs() const noexcept { return runs_; }

private:
    std::optional<double> cold_;
    std::vector<double> runs_;
};

} // namespace exhibit
