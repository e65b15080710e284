//! Calendar entry points: dates, month arithmetic, anchored schedules.

use crate::error::{Failure, MkStatus};
use crate::strings::{read_str, write_out};
use chrono::Datelike;
use memberkit::calendar::{self, Interval, IntervalUnit, NaiveDate, Period, Schedule};
use std::ffi::c_char;

/// A calendar date. Not every value is a date: functions taking one refuse
/// February 30 with MK_STATUS_INVALID_DATE.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MkDate {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month, 1–31.
    pub day: u32,
}

/// The days from `start` (included) to `end` (excluded).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MkPeriod {
    /// The first day.
    pub start: MkDate,
    /// The day after the last day.
    pub end: MkDate,
}

/// The unit of an interval: one of the MK_INTERVAL_UNIT_* values.
pub type MkIntervalUnit = u32;
/// Calendar days.
pub const MK_INTERVAL_UNIT_DAY: MkIntervalUnit = 0;
/// Weeks of seven days.
pub const MK_INTERVAL_UNIT_WEEK: MkIntervalUnit = 1;
/// Calendar months, clamped to month end.
pub const MK_INTERVAL_UNIT_MONTH: MkIntervalUnit = 2;
/// Calendar years.
pub const MK_INTERVAL_UNIT_YEAR: MkIntervalUnit = 3;

/// A billing interval: every `count` (at least 1) `unit`s.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MkInterval {
    /// One of the MK_INTERVAL_UNIT_* values.
    pub unit: MkIntervalUnit,
    /// How many units; 0 is refused with MK_STATUS_INVALID_INTERVAL.
    pub count: u32,
}

/// A recurring schedule: the boundaries `anchor + k × interval` for every whole
/// `k`, each computed from the anchor (a month-end anchor returns to its day).
/// Month and year boundaries fall on `day` of the month, clamped to short
/// months: `{anchor, interval, 0}` for the anchor's own day, or a schedule
/// on another day as mk_schedule_on_day writes it.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MkSchedule {
    /// Boundary 0.
    pub anchor: MkDate,
    /// The interval between boundaries.
    pub interval: MkInterval,
    /// The day of the month (1–31) that month and year boundaries fall on,
    /// or 0 for the anchor's day. The anchor must fall on it (or on the last
    /// day of a shorter month), or functions taking the schedule refuse it
    /// with MK_STATUS_INVALID_INTERVAL; above 31 is MK_STATUS_INVALID_DATE.
    /// Day and week intervals ignore it.
    pub day: u32,
}

pub(crate) fn to_date(d: MkDate) -> Result<NaiveDate, Failure> {
    Ok(calendar::date(d.year, d.month, d.day)?)
}

pub(crate) fn to_c(d: NaiveDate) -> MkDate {
    MkDate {
        year: d.year(),
        month: d.month(),
        day: d.day(),
    }
}

fn to_interval(i: MkInterval) -> Result<Interval, Failure> {
    let unit = match i.unit {
        MK_INTERVAL_UNIT_DAY => IntervalUnit::Day,
        MK_INTERVAL_UNIT_WEEK => IntervalUnit::Week,
        MK_INTERVAL_UNIT_MONTH => IntervalUnit::Month,
        MK_INTERVAL_UNIT_YEAR => IntervalUnit::Year,
        other => {
            return Err(Failure::new(
                MkStatus::InvalidInterval,
                format!("unknown interval unit {other}"),
            ));
        }
    };
    Ok(Interval::new(unit, i.count)?)
}

fn to_schedule(s: MkSchedule) -> Result<Schedule, Failure> {
    let (anchor, interval) = (to_date(s.anchor)?, to_interval(s.interval)?);
    match s.day {
        0 => Ok(Schedule::new(anchor, interval)),
        day => Ok(Schedule::with_day(anchor, interval, day)?),
    }
}

fn schedule_to_c(s: Schedule) -> MkSchedule {
    let interval = s.interval();
    let unit = match interval.unit() {
        IntervalUnit::Day => MK_INTERVAL_UNIT_DAY,
        IntervalUnit::Week => MK_INTERVAL_UNIT_WEEK,
        IntervalUnit::Month => MK_INTERVAL_UNIT_MONTH,
        IntervalUnit::Year => MK_INTERVAL_UNIT_YEAR,
    };
    MkSchedule {
        anchor: to_c(s.anchor()),
        interval: MkInterval {
            unit,
            count: interval.count(),
        },
        day: s.day(),
    }
}

fn to_period(p: MkPeriod) -> Result<Period, Failure> {
    Ok(Period::new(to_date(p.start)?, to_date(p.end)?)?)
}

/// Parses a date written YYYY-MM-DD into `out`.
///
/// # Safety
/// `text` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_date_parse(text: *const c_char, out: *mut MkDate) -> MkStatus {
    entry!({
        let text = unsafe { read_str(text, "text") }?;
        let parsed = calendar::parse_date(text)?;
        unsafe { write_out(out, "out", to_c(parsed)) }
    })
}

/// Shifts `date` by `months` (negative goes back), clamping to the target
/// month's last day: 2026-01-31 + 1 month = 2026-02-28.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_date_add_months(
    date: MkDate,
    months: i64,
    out: *mut MkDate,
) -> MkStatus {
    entry!({
        let shifted = calendar::add_months(to_date(date)?, months)?;
        unsafe { write_out(out, "out", to_c(shifted)) }
    })
}

/// Writes to `out` the schedule repeating every `interval` whose month or
/// year boundaries fall on `day` of the month (1–31, clamped to short
/// months and returning to `day` when the month has it), anchored on the
/// first such boundary on or after `from`: billed on the 31st from
/// 2026-02-10 gives {2026-02-28, interval, 31}, then 2026-03-31. Day and
/// week intervals ignore `day` and are anchored on `from`. A `day` outside
/// 1–31 is MK_STATUS_INVALID_DATE.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_schedule_on_day(
    from: MkDate,
    interval: MkInterval,
    day: u32,
    out: *mut MkSchedule,
) -> MkStatus {
    entry!({
        let schedule = Schedule::on_day(to_date(from)?, to_interval(interval)?, day)?;
        unsafe { write_out(out, "out", schedule_to_c(schedule)) }
    })
}

/// Writes the first boundary of `schedule` strictly after `date` — the next
/// billing date — to `out`.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_schedule_next_after(
    schedule: MkSchedule,
    date: MkDate,
    out: *mut MkDate,
) -> MkStatus {
    entry!({
        let next = to_schedule(schedule)?.next_after(to_date(date)?)?;
        unsafe { write_out(out, "out", to_c(next)) }
    })
}

/// Writes the period of `schedule` that holds `date` to `out`.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_schedule_period_containing(
    schedule: MkSchedule,
    date: MkDate,
    out: *mut MkPeriod,
) -> MkStatus {
    entry!({
        let period = to_schedule(schedule)?.period_containing(to_date(date)?)?;
        unsafe {
            write_out(
                out,
                "out",
                MkPeriod {
                    start: to_c(period.start()),
                    end: to_c(period.end()),
                },
            )
        }
    })
}

/// Writes the boundaries of `schedule` inside `range`, in order, to `out`
/// (room for `out_len` dates) and their number to `*out_count`.
/// When `out_len` is too small — or `out` is NULL to ask for the size — the
/// function returns MK_STATUS_BUFFER_TOO_SMALL, writes only the number needed
/// to `*out_count`, and leaves `out` untouched.
///
/// # Safety
/// `out` is NULL or writable for `out_len` dates; `out_count` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_schedule_boundaries(
    schedule: MkSchedule,
    range: MkPeriod,
    out: *mut MkDate,
    out_len: usize,
    out_count: *mut usize,
) -> MkStatus {
    entry!({
        if out_count.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out_count is NULL"));
        }
        let boundaries = to_schedule(schedule)?.boundaries(to_period(range)?)?;
        let needed = boundaries.len();
        // SAFETY: checked non-null above; writable by contract.
        unsafe { out_count.write(needed) };
        if out.is_null() || out_len < needed {
            return Err(Failure::new(
                MkStatus::BufferTooSmall,
                format!("out holds {out_len} dates but {needed} are needed"),
            ));
        }
        for (i, date) in boundaries.enumerate() {
            // SAFETY: i < needed <= out_len, and `out` is writable for out_len dates.
            unsafe { out.add(i).write(to_c(date)) };
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> MkDate {
        MkDate { year, month, day }
    }

    #[test]
    fn unknown_units_and_zero_counts_are_invalid_intervals() {
        let mut out = d(0, 0, 0);
        let mut s = MkSchedule {
            anchor: d(2026, 1, 31),
            interval: MkInterval { unit: 9, count: 1 },
            day: 0,
        };
        assert_eq!(
            unsafe { mk_schedule_next_after(s, d(2026, 2, 1), &mut out) },
            MkStatus::InvalidInterval
        );
        s.interval = MkInterval {
            unit: MK_INTERVAL_UNIT_MONTH,
            count: 0,
        };
        assert_eq!(
            unsafe { mk_schedule_next_after(s, d(2026, 2, 1), &mut out) },
            MkStatus::InvalidInterval
        );
        s.interval.count = 1;
        assert_eq!(
            unsafe { mk_schedule_next_after(s, d(2026, 2, 1), &mut out) },
            MkStatus::Ok
        );
        assert_eq!(out, d(2026, 2, 28));
    }

    #[test]
    fn a_schedule_on_a_day_reads_back_as_the_same_schedule() {
        for unit in [
            MK_INTERVAL_UNIT_DAY,
            MK_INTERVAL_UNIT_WEEK,
            MK_INTERVAL_UNIT_MONTH,
            MK_INTERVAL_UNIT_YEAR,
        ] {
            for day in [1, 15, 29, 30, 31] {
                let interval = MkInterval { unit, count: 2 };
                let mut out = MkSchedule {
                    anchor: d(0, 0, 0),
                    interval,
                    day: 0,
                };
                let status = unsafe { mk_schedule_on_day(d(2026, 2, 10), interval, day, &mut out) };
                assert_eq!(status, MkStatus::Ok);
                let schedule = to_schedule(out).unwrap();
                assert_eq!(schedule_to_c(schedule), out);
                let core = Schedule::on_day(
                    calendar::date(2026, 2, 10).unwrap(),
                    to_interval(interval).unwrap(),
                    day,
                )
                .unwrap();
                assert_eq!(schedule, core);
            }
        }
    }
}
