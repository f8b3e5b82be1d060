#include "sigbus_guard.hpp"

#include <array>
#include <csignal>
#include <cstring>
#include <string>

#include <unistd.h>

namespace colsnap_cli {
namespace {

// Written before the files are mapped, read only by the handler: fixed buffers, no allocation
// in the handler (write(2) and _exit(2) are async-signal-safe).
std::array<std::array<char, 4096>, 2> mapped_names{};
volatile std::sig_atomic_t mapped_count = 0;
volatile std::sig_atomic_t sigbus_exit_code = 1;

void put(const char* s) {
    std::size_t n = std::strlen(s);
    while (n > 0) {
        const ssize_t w = ::write(STDERR_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= static_cast<std::size_t>(w);
    }
}

extern "C" void on_sigbus(int /*signal*/) {
    put("colsnap: ");
    for (int i = 0; i < mapped_count; ++i) {
        if (i > 0) put(" or ");
        put(mapped_names[static_cast<std::size_t>(i)].data());
    }
    put(mapped_count > 0 ? ": " : "");
    put("the file shrank while being read (SIGBUS on its mapping) [io_error]\n");
    ::_exit(sigbus_exit_code);
}

} // namespace

void install_sigbus_guard(int exit_code) {
    sigbus_exit_code = exit_code;
    struct sigaction sa {};
    sa.sa_handler = on_sigbus;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, nullptr);
}

void note_mapped_file(const std::filesystem::path& path) {
    if (mapped_count >= static_cast<int>(mapped_names.size())) return;
    std::string name = path.string();
    for (char& c : name) // one line: control characters would split it (escape_text allocates)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    auto& slot = mapped_names[static_cast<std::size_t>(mapped_count)];
    const std::size_t n = std::min(name.size(), slot.size() - 1);
    std::memcpy(slot.data(), name.data(), n);
    slot[n] = '\0';
    mapped_count = mapped_count + 1;
}

} // namespace colsnap_cli
