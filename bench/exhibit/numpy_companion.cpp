#include "numpy_companion.hpp"

#include "raw_columns.hpp"

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace exhibit {

numpy_companion::numpy_companion(const std::string& python, const std::filesystem::path& script,
                                 const std::filesystem::path& source,
                                 const nlohmann::json& manifest) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    const std::string manifest_text = manifest.dump();
    std::vector<std::string> args = {python,          script.string(), "--serve",    "--source",
                                     source.string(), "--manifest",    manifest_text};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_ = ::fork();
    if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid_ == 0) {
        ::dup2(in[0], STDIN_FILENO);
        ::dup2(out[1], STDOUT_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_child_ = in[1];
    from_child_ = out[0];
    const std::string line = read_line();
    hello_ = nlohmann::json::parse(line, nullptr, false);
    if (hello_.is_discarded() || !hello_.value("ok", false))
        throw std::runtime_error("exhibit_numpy.py did not start: " + line);
}

numpy_companion::~numpy_companion() {
    if (to_child_ >= 0) {
        const std::string quit = "{\"op\":\"quit\"}\n";
        (void)!::write(to_child_, quit.data(), quit.size());
        ::close(to_child_);
    }
    if (from_child_ >= 0) ::close(from_child_);
    if (pid_ > 0) {
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

std::string numpy_companion::read_line() {
    for (;;) {
        const auto nl = buffer_.find('\n');
        if (nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        char chunk[4096];
        const ssize_t n = ::read(from_child_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("exhibit_numpy.py exited unexpectedly");
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

nlohmann::json numpy_companion::call(const nlohmann::json& request) {
    const std::string text = request.dump() + "\n";
    write_all(to_child_, std::as_bytes(std::span(text.data(), text.size())));
    const std::string line = read_line();
    nlohmann::json answer = nlohmann::json::parse(line, nullptr, false);
    if (answer.is_discarded()) throw std::runtime_error("exhibit_numpy.py: bad answer: " + line);
    if (!answer.value("ok", false))
        throw std::runtime_error("exhibit_numpy.py: " + answer.value("error", line));
    return answer;
}

} // namespace exhibit
