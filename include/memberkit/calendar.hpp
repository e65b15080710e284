// memberkit C++17 wrapper: dates and billing schedules (MkDate, MkSchedule,
// MkPeriod; periods are half-open). Part of memberkit.hpp; include that.
#ifndef MEMBERKIT_CALENDAR_HPP
#define MEMBERKIT_CALENDAR_HPP

#include "error.hpp"

#include <vector>

namespace memberkit::calendar {

/// An MkDate; not checked here: functions taking it refuse Feb 30 with MK_STATUS_INVALID_DATE.
constexpr MkDate date(std::int32_t year, std::uint32_t month, std::uint32_t day) noexcept {
    return MkDate{year, month, day};
}

constexpr MkInterval days(std::uint32_t count) noexcept { return MkInterval{MK_INTERVAL_UNIT_DAY, count}; }
constexpr MkInterval weeks(std::uint32_t count) noexcept { return MkInterval{MK_INTERVAL_UNIT_WEEK, count}; }
constexpr MkInterval months(std::uint32_t count) noexcept { return MkInterval{MK_INTERVAL_UNIT_MONTH, count}; }
constexpr MkInterval years(std::uint32_t count) noexcept { return MkInterval{MK_INTERVAL_UNIT_YEAR, count}; }

/// The schedule `anchor + k × interval` on the anchor's own day.
constexpr MkSchedule schedule(MkDate anchor, MkInterval interval) noexcept { return MkSchedule{anchor, interval, 0}; }

/// A date written YYYY-MM-DD.
inline MkDate parse_date(StringArg text) {
    MkDate out{};
    detail::check(mk_date_parse(text.c_str(), &out));
    return out;
}

/// `date` shifted by `months`, clamped to the month's end (Jan 31 + 1 = Feb 28).
inline MkDate add_months(MkDate date, std::int64_t months) {
    MkDate out{};
    detail::check(mk_date_add_months(date, months, &out));
    return out;
}

/// The schedule every `interval` on `day` of the month, anchored on the first such day from `from`.
inline MkSchedule on_day(MkDate from, MkInterval interval, std::uint32_t day) {
    MkSchedule out{};
    detail::check(mk_schedule_on_day(from, interval, day, &out));
    return out;
}

/// The first boundary strictly after `date`: the next billing date.
inline MkDate next_after(const MkSchedule &schedule, MkDate date) {
    MkDate out{};
    detail::check(mk_schedule_next_after(schedule, date, &out));
    return out;
}

/// The period of `schedule` that holds `date`.
inline MkPeriod period_containing(const MkSchedule &schedule, MkDate date) {
    MkPeriod out{};
    detail::check(mk_schedule_period_containing(schedule, date, &out));
    return out;
}

/// The boundaries of `schedule` inside `range`, in order.
inline std::vector<MkDate> boundaries(const MkSchedule &schedule, MkPeriod range) {
    std::size_t needed = 0;
    MkStatus first = mk_schedule_boundaries(schedule, range, nullptr, 0, &needed);
    if (first != MK_STATUS_BUFFER_TOO_SMALL) {
        detail::check(first);
        return {};
    }
    std::vector<MkDate> out(needed);
    if (needed == 0) return out;
    detail::check(mk_schedule_boundaries(schedule, range, out.data(), out.size(), &needed));
    out.resize(needed);
    return out;
}

} // namespace memberkit::calendar

#endif
