// datetime64 as numpy prints it (numpy/core/src/multiarray/datetime_strings.c,
// make_iso_8601_datetime): the value is converted to the unit times its multiplier with 64-bit
// wrapping arithmetic, split into days and a time of day, and days into a proleptic Gregorian
// date (H. Hinnant's civil_from_days).

#include "datetime_format.hpp"

#include <cstdio>
#include <limits>

namespace colsnap_cli {
namespace {

using colsnap::time_unit;

constexpr std::int64_t nat = std::numeric_limits<std::int64_t>::min();

/// a * b with numpy's wrapping (two's complement) instead of UB.
std::int64_t wrap_mul(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
}
std::int64_t wrap_add(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

/// Floor division and its non-negative remainder.
std::int64_t floor_div(std::int64_t a, std::int64_t b, std::int64_t& rem) {
    std::int64_t q = a / b;
    rem = a % b;
    if (rem < 0) {
        rem += b;
        --q;
    }
    return q;
}

void append_year(std::string& out, std::int64_t y) {
    char buf[32];
    // numpy: at least four digits, a minus sign before negative years.
    std::snprintf(buf, sizeof buf, y < 0 ? "-%04llu" : "%04llu",
                  static_cast<unsigned long long>(y < 0 ? 0 - static_cast<std::uint64_t>(y)
                                                        : static_cast<std::uint64_t>(y)));
    out += buf;
}

void append2(std::string& out, std::int64_t v, char before) {
    out += before;
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
}

/// Days since 1970-01-01 as year, month (1-12), day (1-31), for any int64 day count.
void civil_from_days(std::int64_t z, std::int64_t& y, std::int64_t& m, std::int64_t& d) {
    // era = floor((z + 719468) / 146097) without overflow near INT64_MAX.
    std::int64_t r = 0;
    const std::int64_t q = floor_div(z, 146097, r);
    const std::int64_t shifted = r + 719468;
    const std::int64_t era = q + shifted / 146097;
    const std::int64_t doe = shifted % 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = wrap_add(wrap_mul(era, 400), yoe + (m <= 2 ? 1 : 0));
}

/// Units per second for the units below a second, and their digits.
struct sub_second {
    std::int64_t per_second;
    int digits;
};

} // namespace

void append_datetime(std::string& out, const colsnap::dtype& type, std::int64_t v) {
    if (v == nat) {
        out += "NaT";
        return;
    }
    const std::int64_t n = wrap_mul(v, type.unit_count);
    std::int64_t rem = 0;
    switch (type.unit) {
    case time_unit::generic: out += std::to_string(v); return;
    case time_unit::year: append_year(out, wrap_add(n, 1970)); return;
    case time_unit::month: {
        const std::int64_t y = floor_div(n, 12, rem);
        append_year(out, wrap_add(y, 1970));
        append2(out, rem + 1, '-');
        return;
    }
    default: break;
    }
    // Everything else: days plus a remainder in the unit.
    std::int64_t days = 0, in_day = 0, per_day = 1;
    int time_parts = 0; // 0: date only, 1: hours, 2: minutes, 3: seconds
    sub_second frac{1, 0};
    switch (type.unit) {
    case time_unit::week: days = wrap_mul(n, 7); break;
    case time_unit::day: days = n; break;
    case time_unit::hour: per_day = 24, time_parts = 1; break;
    case time_unit::minute: per_day = 1440, time_parts = 2; break;
    case time_unit::second: per_day = 86400, time_parts = 3; break;
    case time_unit::millisecond: frac = {1000, 3}; break;
    case time_unit::microsecond: frac = {1000000, 6}; break;
    case time_unit::nanosecond: frac = {1000000000, 9}; break;
    case time_unit::picosecond: frac = {1000000000000, 12}; break;
    case time_unit::femtosecond: frac = {1000000000000000, 15}; break;
    case time_unit::attosecond: frac = {1000000000000000000, 18}; break;
    default: break;
    }
    std::int64_t seconds_in_day = 0, fraction = 0;
    if (frac.digits > 0) {
        // Sub-second units: whole seconds first (an attosecond day does not fit in 64 bits).
        const std::int64_t secs = floor_div(n, frac.per_second, fraction);
        days = floor_div(secs, 86400, seconds_in_day);
        time_parts = 3;
    } else if (per_day > 1) {
        days = floor_div(n, per_day, in_day);
        seconds_in_day = in_day * (86400 / per_day);
    }
    std::int64_t y = 0, m = 0, d = 0;
    civil_from_days(days, y, m, d);
    append_year(out, y);
    append2(out, m, '-');
    append2(out, d, '-');
    if (time_parts >= 1) append2(out, seconds_in_day / 3600, 'T');
    if (time_parts >= 2) append2(out, seconds_in_day / 60 % 60, ':');
    if (time_parts >= 3) append2(out, seconds_in_day % 60, ':');
    if (frac.digits > 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, ".%0*lld", frac.digits, static_cast<long long>(fraction));
        out += buf;
    }
}

void append_timedelta(std::string& out, std::int64_t v) {
    out += v == nat ? std::string("NaT") : std::to_string(v);
}

} // namespace colsnap_cli
