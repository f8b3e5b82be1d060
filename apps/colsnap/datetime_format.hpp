#pragma once
// datetime64 and timedelta64 values as numpy prints them: ISO 8601 at the dtype's unit
// ("2020-01-01T00:00:00.000", "1970-01", "NaT"), timedeltas as their count ("25", "NaT").

#include <colsnap/dtype.hpp>

#include <cstdint>
#include <string>

namespace colsnap_cli {

/// Appends datetime64 value @p v of @p type (its unit and multiplier), as numpy's str() of the
/// element: the calendar date and time down to the unit; NaT for INT64_MIN; the bare count for
/// the generic unit (numpy cannot convert those). Arithmetic wraps at 64 bits as numpy's does.
void append_datetime(std::string& out, const colsnap::dtype& type, std::int64_t v);

/// Appends timedelta64 value @p v: its count of units (the multiplier is the dtype's), or NaT.
void append_timedelta(std::string& out, std::int64_t v);

} // namespace colsnap_cli
