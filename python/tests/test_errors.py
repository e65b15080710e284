"""Malformed input anywhere raises a MemberkitError — never PyO3's PanicException."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
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


# An integer drawn as `parts` may be near a million: that many Money objects
# take about 200 ms, and hypothesis's default deadline is 200 ms.
@settings(deadline=None)
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


def test_the_readme_error_table_names_every_exception_with_its_kind() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| `MK_STATUS_\w+` \(\d+\) \| `memberkit\.(\w+)` \|", readme, re.MULTILINE)
    listed = {name: kind for kind, name in rows}
    exported = {
        name for name in memberkit.__all__ if isinstance(getattr(memberkit, name), type) and issubclass(getattr(memberkit, name), memberkit.MemberkitError)
    }
    assert set(listed) == exported - {"MemberkitError"}
    # The classes the extension raises for each kind (python/src/errors.rs).
    source = (Path(__file__).resolve().parents[1] / "src/errors.rs").read_text(encoding="utf-8")
    raised = {name: re.sub(r"(?<!^)([A-Z])", r"_\1", variant).lower() for variant, name in re.findall(r'ErrorKind::(\w+) => "(\w+)"', source)}
    assert raised == listed


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


@given(start=junk, day=junk, unit=junk, count=junk)
def test_schedules_on_a_day(start: Any, day: Any, unit: Any, count: Any) -> None:
    _only_memberkit_or_type_errors(lambda: Schedule.on_day(start, day, unit, count))
    _only_memberkit_or_type_errors(lambda: Schedule.on_day(dt.date(2026, 2, 10), day))
    _only_memberkit_or_type_errors(lambda: Schedule(dt.date(2026, 2, 28), day=day))
    _only_memberkit_or_type_errors(lambda: Schedule(start, unit, count, day=day))


@given(left=junk, items=st.lists(junk, max_size=3))
def test_sums_of_money_and_junk(left: Any, items: Any) -> None:
    _only_memberkit_or_type_errors(lambda: left + Money(1, "JPY"))
    _only_memberkit_or_type_errors(lambda: sum([Money(1, "JPY"), *items]))


def _invoice() -> Any:
    from memberkit.billing import Account, BillingConfig, bill
    from memberkit.membership import Catalog, Membership

    catalog = Catalog([{"id": "p", "name": "P", "price": {"amount": "1000", "currency": "JPY"},
                        "interval": {"unit": "month", "count": 1}}])
    member = Membership(catalog)
    member.execute({"type": "join", "plan": "p", "start": "2026-04-10"}, "2026-04-10")
    return bill(catalog, BillingConfig(), Account("a"), member, "2026-04-10")[0]


INVOICE = _invoice()


@given(rate=junk, included=junk)
def test_tax_lookups(rate: Any, included: Any) -> None:
    from memberkit.billing import TaxCategory

    _only_memberkit_or_type_errors(lambda: INVOICE.tax_for(rate, included))
    _only_memberkit_or_type_errors(lambda: INVOICE.tax_for(rate))
    _only_memberkit_or_type_errors(lambda: TaxCategory(rate, included=included))


@given(events=st.lists(st.dictionaries(st.sampled_from(["type", "on", "plan", "from"]), junk, max_size=3), max_size=3))
def test_membership_histories(events: Any) -> None:
    from memberkit.billing import Account, BillingConfig, bill, bill_many
    from memberkit.membership import Catalog, Membership

    catalog = Catalog([{"id": "p", "name": "P", "price": {"amount": "1000", "currency": "JPY"},
                        "interval": {"unit": "month", "count": 1}}])
    member = Membership(catalog)
    _only_memberkit_or_type_errors(lambda: member.apply(events))
    _only_memberkit_or_type_errors(lambda: bill(catalog, BillingConfig(), Account("a"), member, "2026-05-01"))
    _only_memberkit_or_type_errors(lambda: bill_many(catalog, BillingConfig(), [(Account("a"), member)], "2026-05-01"))
