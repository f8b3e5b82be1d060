// libFuzzer target: a whole-archive load from arbitrary bytes: from_memory, then raw() and get()
// of every member (inflate, CRC, byte swap, Fortran to C) with every byte read, then verify().
// Only colsnap::error may come out; an OOM or timeout is a finding too (resource limits).

#include <colsnap/error.hpp>
#include <colsnap/npz_reader.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace {
unsigned touch(std::span<const std::byte> b) {
    unsigned sum = 0;
    for (std::byte x : b) sum += static_cast<unsigned>(x);
    return sum;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    volatile unsigned sink = 0;
    try {
        const auto r = colsnap::npz_reader::from_memory(bytes, nullptr, "fuzz");
        for (const colsnap::member_info& m : r.members()) {
            const colsnap::array raw = r.raw(m);
            const colsnap::array got = r.get(m.name);
            if (raw.bytes().size() != m.npy.info.nbytes()) __builtin_trap();
            if (got.bytes().size() != raw.bytes().size()) __builtin_trap();
            sink = sink + touch(raw.bytes()) + touch(got.bytes());
        }
        r.verify();
    } catch (const colsnap::error&) {}
    return 0;
}
