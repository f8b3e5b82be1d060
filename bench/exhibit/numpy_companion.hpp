#pragma once
/// @file numpy_companion.hpp
/// @brief numpy's side of the exhibit, run in the same measurement: scripts/exhibit_numpy.py
/// started once under Debian's /usr/bin/python3 in --serve mode, then asked for one write or
/// read at a time, so that numpy's ways interleave with ours run by run.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include <sys/types.h>

namespace exhibit {

/// @brief A running exhibit_numpy.py --serve: one JSON request per line in, one JSON answer
/// per line out.
class numpy_companion {
public:
    /// @brief Starts @p python @p script --serve, which loads the columns from @p source (raw
    /// columns back to back) as @p manifest describes them ([{name, descr, count}...]).
    numpy_companion(const std::string& python, const std::filesystem::path& script,
                    const std::filesystem::path& source, const nlohmann::json& manifest);
    ~numpy_companion();
    numpy_companion(const numpy_companion&) = delete;
    numpy_companion& operator=(const numpy_companion&) = delete;

    /// @brief The "ready" answer: python and numpy versions.
    const nlohmann::json& hello() const noexcept { return hello_; }
    /// @brief Sends @p request, returns the answer; throws std::runtime_error when the script
    /// answers {"ok": false, "error": ...} or dies.
    nlohmann::json call(const nlohmann::json& request);

private:
    std::string read_line();
    pid_t pid_ = -1;
    int to_child_ = -1, from_child_ = -1;
    std::string buffer_;
    nlohmann::json hello_;
};

} // namespace exhibit
