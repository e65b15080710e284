"""Malformed input anywhere raises a MemberkitError — never PyO3's PanicException."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import memberkit
from memberkit import Money, Schedule

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.lists(st.integers(), max_size=3),
)


def _only_memberkit_or_type_errors(call: Any) -> None:
    try:
        call()
    except (memberkit.MemberkitError, TypeError, OverflowError):
        pass
    except BaseException as exc:  # PanicException derives from BaseException
        raise AssertionError(f"unexpected {type(exc).__name__}: {exc}") from exc


@given(amount=junk, currency=junk)
def test_money_constructor(amount: Any, currency: Any) -> None:
    _only_memberkit_or_type_errors(lambda: Money(amount, currency))


@given(amount=junk, parts=junk, ratios=st.lists(junk, max_size=4))
def test_allocation(amount: Any, parts: Any, ratios: Any) -> None:
    _only_memberkit_or_type_errors(lambda: Money(100, "JPY").allocate(parts))
    _only_memberkit_or_type_errors(lambda: Money(100, "JPY").allocate_by_ratios(ratios))
    _only_memberkit_or_type_errors(lambda: Money.round(amount, "USD"))


@given(anchor=junk, unit=junk, count=junk, day=junk)
def test_schedule(anchor: Any, unit: Any, count: Any, day: Any) -> None:
    _only_memberkit_or_type_errors(lambda: Schedule(anchor, unit, count))
    _only_memberkit_or_type_errors(lambda: Schedule(dt.date(2026, 1, 31)).next_after(day))
    _only_memberkit_or_type_errors(lambda: memberkit.add_months(day, count))


def test_error_hierarchy_and_kinds() -> None:
    try:
        Money(Decimal("100.5"), "JPY")
    except memberkit.SubMinorAmountError as exc:
        assert isinstance(exc, memberkit.MemberkitError) and isinstance(exc, ValueError)
        assert exc.kind == "sub_minor_amount"
        assert str(exc) == "100.5 JPY is finer than the currency's minor unit (0 decimal places); round it first"
    else:
        raise AssertionError("no error raised")
    assert issubclass(memberkit.UnknownCurrencyError, memberkit.MemberkitError)
