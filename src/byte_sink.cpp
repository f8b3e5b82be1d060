// The atomic-file byte_sink: npz_writer's bytes go to a temp file that is renamed into place.

#include "byte_sink.hpp"

#include "posix_file.hpp"

namespace colsnap::detail {
namespace {

class atomic_file_sink final : public byte_sink {
public:
    atomic_file_sink(std::filesystem::path target, bool durable)
        : file_(std::move(target), durable) {}
    const std::filesystem::path& target() const noexcept override { return file_.target(); }
    std::uint64_t position() const noexcept override { return file_.position(); }
    void write(std::span<const std::byte> bytes) override { file_.write(bytes); }
    using byte_sink::write;
    void write_at(std::span<const std::byte> bytes, std::uint64_t offset) override {
        file_.pwrite(bytes, offset);
    }
    void commit() override { file_.commit(); }
    void abort() noexcept override { file_.abort(); }

private:
    atomic_file file_;
};

} // namespace

std::unique_ptr<byte_sink> make_atomic_file_sink(std::filesystem::path target, bool durable) {
    return std::make_unique<atomic_file_sink>(std::move(target), durable);
}

} // namespace colsnap::detail
