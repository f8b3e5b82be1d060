// libFuzzer target: npz_reader::from_memory on arbitrary bytes (EOCD, zip64 records, central
// directory, local headers, every member's .npy header). Only colsnap::error may come out; an
// accepted directory must describe members that lie inside the input and are found by name, and
// every typed member's .npy payload must fill its uncompressed size exactly. And it must be the
// directory numpy sees: each key is numpy's (the zip name without ".npy"), and numpy's lookup,
// modelled here apart from npz_reader::find (NpzFile.__getitem__: a zip name first, the last
// entry of that name as zipfile keeps it, then KEY.npy), reads that very member under its key.

#include <colsnap/error.hpp>
#include <colsnap/npz_reader.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace {

const colsnap::member_info* numpy_lookup(const std::vector<colsnap::member_info>& ms,
                                         const std::string& key) {
    const colsnap::member_info* by_zip_name = nullptr;
    const colsnap::member_info* by_key = nullptr;
    for (const colsnap::member_info& m : ms) {
        if (m.zip_name == key) by_zip_name = &m;
        if (m.zip_name == key + ".npy") by_key = &m;
    }
    return by_zip_name != nullptr ? by_zip_name : by_key;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    try {
        const auto r = colsnap::npz_reader::from_memory(bytes, nullptr, "fuzz");
        for (const colsnap::member_info& m : r.members()) {
            if (m.header_offset >= size || m.data_offset > size) __builtin_trap();
            if (m.compressed_size > size - m.data_offset) __builtin_trap();
            if (r.find(m.name) != &m || r.find(m.zip_name) != &m) __builtin_trap();
            const bool npy_name = m.zip_name.ends_with(".npy");
            if (m.name != (npy_name ? m.zip_name.substr(0, m.zip_name.size() - 4) : m.zip_name))
                __builtin_trap();
            if (numpy_lookup(r.members(), m.name) != &m) __builtin_trap();
            if (m.kind == colsnap::member_kind::directory && !m.zip_name.ends_with('/'))
                __builtin_trap();
            // a member colsnap cannot type (an object array, a file that is not .npy) has no
            // typed payload to measure; it is kept as bytes
            if (m.kind == colsnap::member_kind::array &&
                m.npy.data_offset + m.npy.info.nbytes() != m.uncompressed_size)
                __builtin_trap();
        }
    } catch (const colsnap::error&) {}
    return 0;
}
