from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import memberkit
from memberkit import Period, Schedule


def test_month_end_anchor_returns_to_its_day() -> None:
    monthly = Schedule(dt.date(2026, 1, 31))
    assert monthly.boundaries("2026-01-01", "2026-05-01") == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]
    assert monthly.next_after(dt.date(2026, 2, 28)) == dt.date(2026, 3, 31)
    assert monthly.boundary(-2) == dt.date(2025, 11, 30)


def test_leap_day_yearly_schedule() -> None:
    yearly = Schedule("2024-02-29", unit="year")
    assert [yearly.boundary(k) for k in range(5)] == [
        dt.date(2024, 2, 29),
        dt.date(2025, 2, 28),
        dt.date(2026, 2, 28),
        dt.date(2027, 2, 28),
        dt.date(2028, 2, 29),
    ]


def test_periods_are_half_open() -> None:
    p = Schedule("2026-01-01").period_containing("2026-01-31")
    assert p == Period("2026-01-01", "2026-02-01")
    assert p.days == 31
    assert "2026-01-31" in p and dt.date(2026, 2, 1) not in p
    assert repr(p) == "Period('2026-01-01', '2026-02-01')"


def test_add_months_clamps() -> None:
    assert memberkit.add_months("2026-01-31", 1) == dt.date(2026, 2, 28)
    assert memberkit.add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: memberkit.parse_date("2026-02-30"), memberkit.InvalidDateError),
        (lambda: memberkit.parse_date("30/01/2026"), memberkit.InvalidDateError),
        (lambda: Schedule("2026-01-01", unit="month", count=0), memberkit.InvalidIntervalError),
        (lambda: Schedule("2026-01-01", unit="fortnight"), memberkit.InvalidIntervalError),
        (lambda: Schedule("2026-01-01", count=-1), memberkit.InvalidArgumentError),
        (lambda: Period("2026-05-01", "2026-05-01"), memberkit.InvalidPeriodError),
        (lambda: memberkit.add_months("2026-01-01", 10**15), memberkit.DateOutOfRangeError),
        (lambda: memberkit.add_months("0295-01-01", -3573), memberkit.DateOutOfRangeError),
        (lambda: memberkit.parse_date("0000-01-01"), memberkit.DateOutOfRangeError),
        (lambda: Schedule("0001-01-31").boundary(-1), memberkit.DateOutOfRangeError),
        (lambda: Schedule(20260101), memberkit.InvalidArgumentError),  # type: ignore[arg-type]
    ],
)
def test_bad_calendar_input_raises_typed_errors(call: object, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, memberkit.MemberkitError)
    assert isinstance(info.value, ValueError)


units = st.sampled_from(["day", "week", "month", "year"])
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(anchor=dates, unit=units, count=st.integers(1, 12), start=dates, length=st.integers(1, 1500))
def test_periods_tile_the_range(anchor: dt.date, unit: str, count: int, start: dt.date, length: int) -> None:
    schedule = Schedule(anchor, unit=unit, count=count)
    end = start + dt.timedelta(days=length)
    periods = schedule.periods(start, end)
    assert start in periods[0]
    assert end - dt.timedelta(days=1) in periods[-1]
    for a, b in zip(periods, periods[1:]):
        assert a.end == b.start
    inside = [p.start for p in periods if start <= p.start < end]
    assert schedule.boundaries(start, end) == inside


@given(anchor=dates, months=st.integers(1, 24), k=st.integers(-50, 50))
def test_monthly_boundaries_come_back_to_the_anchor_day(anchor: dt.date, months: int, k: int) -> None:
    b = Schedule(anchor, unit="month", count=months).boundary(k)
    next_month = dt.date(b.year + (b.month == 12), b.month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    assert b.day == min(anchor.day, last_day)
    assert (b.year * 12 + b.month) - (anchor.year * 12 + anchor.month) == k * months


def test_a_schedule_on_a_day_of_the_month() -> None:
    on_31st = Schedule.on_day("2026-02-10", 31)
    assert (on_31st.anchor, on_31st.day, on_31st.unit, on_31st.count) == (dt.date(2026, 2, 28), 31, "month", 1)
    assert on_31st.boundary(1) == dt.date(2026, 3, 31) and on_31st.boundary(-1) == dt.date(2026, 1, 31)
    assert on_31st.next_after("2026-03-01") == dt.date(2026, 3, 31)
    # Not the schedule through its anchor's own day, which would stay on the 28th.
    assert on_31st != Schedule("2026-02-28") and Schedule("2026-02-28").boundary(1) == dt.date(2026, 3, 28)
    assert repr(on_31st) == "Schedule('2026-02-28', unit='month', count=1, day=31)"
    assert eval(repr(on_31st), {"Schedule": Schedule}) == on_31st
    assert Schedule(on_31st.anchor, on_31st.unit, on_31st.count, day=on_31st.day) == on_31st
    assert hash(Schedule("2026-02-28", day=31)) == hash(on_31st)
    # On the day itself, `start` is the anchor.
    assert Schedule.on_day("2026-04-27", 27, unit="month", count=3).boundaries("2026-04-01", "2027-01-01") == [
        dt.date(2026, 4, 27), dt.date(2026, 7, 27), dt.date(2026, 10, 27),
    ]


def test_a_schedule_without_a_day_falls_on_its_anchors_day() -> None:
    plain = Schedule("2026-01-31")
    assert plain.day == 31 and plain == Schedule("2026-01-31", day=31)
    assert repr(plain) == "Schedule('2026-01-31', unit='month', count=1)"


def test_day_and_week_schedules_ignore_the_day() -> None:
    weekly = Schedule.on_day("2026-02-10", 31, unit="week")
    assert (weekly.anchor, weekly.day) == (dt.date(2026, 2, 10), 10)
    assert weekly == Schedule("2026-02-10", unit="week")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Schedule.on_day("2026-02-10", 32), memberkit.InvalidDateError, "invalid day of the month 32: expected 1 to 31"),
        (lambda: Schedule.on_day("2026-02-10", 0), memberkit.InvalidDateError, "invalid day of the month 0: expected 1 to 31"),
        (lambda: Schedule.on_day("2026-02-10", -1), memberkit.InvalidArgumentError, "day must be between 0 and 4294967295, got -1"),
        (lambda: Schedule.on_day("2026-02-10", 10, count=0), memberkit.InvalidIntervalError, "invalid interval: the count must be at least 1, got 0"),
        (lambda: Schedule("2026-03-28", day=30), memberkit.InvalidIntervalError, "schedule anchor 2026-03-28 does not fall on day 30 of its month"),
        (lambda: Schedule.on_day("9999-12-31", 30).anchor, memberkit.DateOutOfRangeError,
         "date out of range while computing conversion to a Python date (years 1 to 9999)"),
    ],
)
def test_bad_days_raise_typed_errors(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, memberkit.MemberkitError) and isinstance(info.value, ValueError)
    assert str(info.value) == message


@given(start=dates, day=st.integers(1, 31), unit=st.sampled_from(["month", "year"]), count=st.integers(1, 12), k=st.integers(-30, 30))
def test_on_day_boundaries_fall_on_the_day_clamped(start: dt.date, day: int, unit: str, count: int, k: int) -> None:
    schedule = Schedule.on_day(start, day, unit=unit, count=count)
    assert schedule.day == day
    assert schedule.boundary(-1) < start <= schedule.anchor  # the first such boundary from `start`
    assert schedule.anchor < start + dt.timedelta(days=32)
    b = schedule.boundary(k)
    next_month = dt.date(b.year + (b.month == 12), b.month % 12 + 1, 1)
    assert b.day == min(day, (next_month - dt.timedelta(days=1)).day)
    assert Schedule(schedule.anchor, unit, count, day=day) == schedule
