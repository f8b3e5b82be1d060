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

/// @brief Wall-clock and CPU time of one call.
struct timing {
    double wall_ms = 0; ///< steady clock
    double cpu_ms = 0;  ///< CPU time of the whole process (every thread, user + system)
};

/// @brief CPU time used so far by this process (all threads), in milliseconds.
double process_cpu_ms() noexcept;

/// @brief Wall and CPU time taken by @p fn. CPU time does not count time spent waiting
/// (for a core on a loaded machine, or for the disk), so it is the steadier of the two here.
template <typename Fn> timing measure(Fn&& fn) {
    const double c0 = process_cpu_ms();
    const double wall = time_ms(fn);
    return {wall, process_cpu_ms() - c0};
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
