#pragma once
/// @file runner.hpp
/// @brief The schedule: every way, write then read, one after the other within a run, and the
/// runs repeated (A B C ... A B C ...), so that a noisy moment hits one sample of each way
/// rather than all samples of one. Run 0 is a warm-up whose figures are kept as "cold" and
/// where every way's output is checked against the source columns.

#include "options.hpp"
#include "report.hpp"

namespace exhibit {

/// @brief Runs the whole exhibit (and the peak-RSS children unless disabled).
exhibit_result run_exhibit(const options& o);

} // namespace exhibit
