// The table of dtype kinds (see dtype_kinds.hpp) and what derives from it alone: unit names
// and the byte-swap plan of an item. Reference: numpy 1.24, numpy/core/src/multiarray/
// descriptor.c (kind letters and sizes) and datetime.c (units).

#include "dtype_kinds.hpp"

#include <algorithm>

namespace colsnap::detail {

namespace {

using enum size_rule;

// The order of the rows is dtype_kind's.
constexpr kind_traits kind_table[] = {
    {dtype_kind::boolean, "b", "bool", listed, {1, 0, 0, 0}, swap_rule::none},
    {dtype_kind::signed_int, "i", "int", listed, {1, 2, 4, 8}, swap_rule::whole},
    {dtype_kind::unsigned_int, "u", "uint", listed, {1, 2, 4, 8}, swap_rule::whole},
    {dtype_kind::floating, "f", "float", listed, {2, 4, 8, 16}, swap_rule::whole},
    {dtype_kind::complex, "c", "complex", listed, {8, 16, 32, 0}, swap_rule::halves},
    {dtype_kind::bytes, "S", "bytes", bytes, {}, swap_rule::none},
    {dtype_kind::unicode, "U", "str", chars, {}, swap_rule::ucs4},
    {dtype_kind::opaque, "V", "void", bytes, {}, swap_rule::none},
    {dtype_kind::datetime, "M8", "datetime64", time, {}, swap_rule::whole},
    {dtype_kind::timedelta, "m8", "timedelta64", time, {}, swap_rule::whole},
    {dtype_kind::structured, "", "record", record, {}, swap_rule::fields},
    {dtype_kind::subarray, "", "sub-array", record, {}, swap_rule::fields},
};
static_assert(std::size(kind_table) == static_cast<std::size_t>(dtype_kind::subarray) + 1);

struct unit_row {
    time_unit unit;
    std::string_view name;
};
constexpr unit_row unit_table[] = {
    {time_unit::generic, ""},       {time_unit::year, "Y"},        {time_unit::month, "M"},
    {time_unit::week, "W"},         {time_unit::day, "D"},         {time_unit::hour, "h"},
    {time_unit::minute, "m"},       {time_unit::second, "s"},      {time_unit::millisecond, "ms"},
    {time_unit::microsecond, "us"}, {time_unit::nanosecond, "ns"}, {time_unit::picosecond, "ps"},
    {time_unit::femtosecond, "fs"}, {time_unit::attosecond, "as"},
};

void add_run(std::vector<swap_run>& plan, std::uint32_t offset, std::uint32_t width,
             std::uint64_t count) {
    if (count == 0 || width < 2) return;
    if (!plan.empty()) {
        swap_run& last = plan.back();
        if (last.width == width && last.offset + last.count * width == offset) {
            last.count += count;
            return;
        }
    }
    plan.push_back({offset, width, count});
}

void plan_into(const dtype& t, std::uint32_t base, std::uint64_t repeat, byte_order to,
               std::vector<swap_run>& plan) {
    const kind_traits& k = traits_of(t.kind);
    if (k.swap == swap_rule::fields) {
        if (!t.fields) return;
        for (std::uint64_t r = 0; r < repeat; ++r) {
            const auto at = static_cast<std::uint32_t>(base + r * t.itemsize);
            for (const field& f : *t.fields) {
                std::uint64_t n = 1;
                for (const auto d : f.shape) n *= d;
                plan_into(f.type, at + f.offset, n, to, plan);
            }
        }
        return;
    }
    if (k.swap == swap_rule::none || t.order == byte_order::not_applicable || t.order == to) return;
    switch (k.swap) {
    case swap_rule::whole: add_run(plan, base, t.itemsize, repeat); break;
    case swap_rule::halves: add_run(plan, base, t.itemsize / 2, repeat * 2); break;
    case swap_rule::ucs4: add_run(plan, base, 4, repeat * (t.itemsize / 4)); break;
    default: break;
    }
}

void padding_into(const dtype& t, std::uint32_t base,
                  std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) {
    if (traits_of(t.kind).swap != swap_rule::fields || !t.fields) return;
    std::uint32_t at = 0;
    for (const field& f : *t.fields) {
        if (f.offset > at) out.emplace_back(base + at, f.offset - at);
        std::uint64_t n = 1;
        for (const auto d : f.shape) n *= d;
        for (std::uint64_t k = 0; k < n; ++k)
            padding_into(f.type, static_cast<std::uint32_t>(base + f.offset + k * f.type.itemsize),
                         out);
        at = static_cast<std::uint32_t>(f.offset + f.size());
    }
    if (t.itemsize > at) out.emplace_back(base + at, t.itemsize - at);
}

} // namespace

const kind_traits& traits_of(dtype_kind k) noexcept {
    return kind_table[static_cast<std::size_t>(k)];
}

const kind_traits* find_kind(std::string_view descr_body) noexcept {
    for (const kind_traits& k : kind_table)
        if (!k.code.empty() && descr_body.starts_with(k.code)) return &k;
    return nullptr;
}

std::string_view unit_name(time_unit u) noexcept {
    return unit_table[static_cast<std::size_t>(u)].name;
}

bool parse_unit(std::string_view s, time_unit& out) noexcept {
    for (const unit_row& r : unit_table)
        if (!r.name.empty() && r.name == s) {
            out = r.unit;
            return true;
        }
    return false;
}

bool is_object_refusal(const error& e) noexcept {
    return e.code() == errc::unsupported_dtype && e.detail().starts_with(object_refusal);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> padding_of(const dtype& type) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    padding_into(type, 0, out);
    return out;
}

std::vector<swap_run> swap_plan(const dtype& type, byte_order to) {
    std::vector<swap_run> plan;
    plan_into(type, 0, 1, to, plan);
    return plan;
}

} // namespace colsnap::detail
