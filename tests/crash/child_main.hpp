#pragma once
/// @file child_main.hpp
/// @brief What the processes the crash tests start (crash_writer, append_writer) share: a
/// line written straight to a file descriptor, and a main() that turns an exception into one
/// stderr line and exit status 1.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <unistd.h>

namespace colsnap_crash {

/// @brief Writes @p line and '\n' to @p fd with write(2), no stdio buffer, so that the test
/// sees it before any kill; exits with status 3 if the write fails.
inline void write_line(int fd, const std::string& line) {
    const std::string s = line + "\n";
    std::size_t done = 0;
    while (done < s.size()) {
        const ssize_t w = ::write(fd, s.data() + done, s.size() - done);
        if (w <= 0) std::_Exit(3);
        done += static_cast<std::size_t>(w);
    }
}

/// @brief Returns @p run(argc, argv); an exception becomes "NAME: what()" on stderr, status 1.
template <typename Run> int child_main(const char* name, Run&& run, int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        const std::string line = std::string(name) + ": " + e.what() + "\n";
        std::fwrite(line.data(), 1, line.size(), stderr);
        return 1;
    }
}

} // namespace colsnap_crash
