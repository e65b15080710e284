"""What hosts need: plan changes across intervals, cancels on a date,
members migrated in, the next period collected at join, and plan settings
that mean nothing refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from memberkit import Money
from memberkit.billing import Account, BillingConfig, bill
from memberkit.errors import CommandRefusedError, InvalidConfigError, InvalidPlanError
from memberkit.membership import Catalog, Membership, Plan


def plan(id: str, amount: str, unit: str, **more: Any) -> dict[str, Any]:
    return {
        "id": id,
        "name": id.title(),
        "price": {"amount": amount, "currency": "JPY"},
        "price_includes_tax": True,
        "interval": {"unit": unit, "count": 1},
        **more,
    }


CATALOG = Catalog(
    [
        plan("monthly", "13200", "month", refund_policy="prorated_credit"),
        plan("yearly", "96000", "year", alignment="anniversary"),
        plan("ahead", "9300", "month", collect_next_period_at_join=True),
        plan("online", "19.99", "month") | {"price": {"amount": "19.99", "currency": "USD"}},
    ]
)


def test_monthly_to_yearly_starts_a_yearly_schedule_on_the_change_day() -> None:
    member = Membership(CATALOG)
    member.execute({"type": "join", "plan": "monthly", "start": "2026-01-05"}, dt.date(2026, 1, 5))
    account = Account("A")
    bill(CATALOG, BillingConfig(), account, member, dt.date(2026, 2, 1))
    events = member.execute({"type": "change_plan", "plan": "yearly", "when": "now"}, dt.date(2026, 2, 17))
    assert events[-1]["type"] == "plan_changed" and events[-1]["new_schedule"] is True
    documents = bill(CATALOG, BillingConfig(), account, member, dt.date(2026, 2, 17))
    lines = [(line.plan, line.amount, line.is_credit) for doc in documents for line in doc.lines]
    # Feb 17-28 is 12/28 of the month, credited; a year from Feb 17 charged in full.
    assert lines == [("monthly", Money("-5657", "JPY"), True), ("yearly", Money("96000", "JPY"), False)]
    assert member.view(dt.date(2026, 3, 1))["next_renewal"] == dt.date(2027, 2, 17)


def test_a_change_to_a_plan_in_another_currency_is_refused() -> None:
    member = Membership(CATALOG)
    member.execute({"type": "join", "plan": "monthly", "start": "2026-01-05"}, dt.date(2026, 1, 5))
    with pytest.raises(CommandRefusedError, match="priced in USD"):
        member.execute({"type": "change_plan", "plan": "online", "when": "now"}, dt.date(2026, 2, 1))


def test_a_cancel_on_a_date_is_scheduled_for_it() -> None:
    member = Membership(CATALOG)
    member.execute({"type": "join", "plan": "monthly", "start": "2026-04-01"}, dt.date(2026, 4, 1))
    events = member.execute({"type": "cancel", "when": {"on": dt.date(2026, 6, 20)}}, dt.date(2026, 5, 3))
    assert events == [{"type": "cancellation_scheduled", "on": dt.date(2026, 6, 20), "early_termination_fee": None}]
    assert member.status == "pending_cancellation"


def test_a_migrated_member_is_billed_from_the_day_the_old_system_stopped() -> None:
    member = Membership(CATALOG)
    member.execute({"type": "join", "plan": "monthly", "start": "2024-09-10"}, dt.date(2026, 5, 3))
    account = Account("M-7", billed_until=dt.date(2026, 5, 15))
    assert account.billed_until == dt.date(2026, 5, 15)
    documents = bill(CATALOG, BillingConfig(), account, member, dt.date(2026, 6, 1))
    assert [(doc.date, doc.total) for doc in documents] == [
        (dt.date(2026, 5, 15), Money("7238", "JPY")),  # May 15-31: 17/31
        (dt.date(2026, 6, 1), Money("13200", "JPY")),
    ]
    # The same, written by a host as a dict.
    written = Account.from_dict({"id": "M-8", "billed_until": "2026-05-15"})
    assert written.billed_until == dt.date(2026, 5, 15)


def test_the_next_period_is_collected_at_join_and_refused_in_arrears() -> None:
    member = Membership(CATALOG)
    member.execute({"type": "join", "plan": "ahead", "start": "2026-04-20"}, dt.date(2026, 4, 20))
    documents = bill(CATALOG, BillingConfig(), Account("A"), member, dt.date(2026, 4, 20))
    assert [line.amount for line in documents[0].lines] == [Money("3410", "JPY"), Money("9300", "JPY")]
    with pytest.raises(InvalidConfigError, match="needs billing in advance"):
        bill(CATALOG, BillingConfig(timing="arrears"), Account("B"), member, dt.date(2026, 5, 1))


@pytest.mark.parametrize(
    ("unit", "alignment", "field"),
    [
        ("week", "calendar", "alignment"),
        ("day", {"day_of_month": 3}, "alignment"),
        ("month", {"weekday": "monday"}, "alignment.weekday"),
    ],
)
def test_plan_settings_that_mean_nothing_are_refused(unit: str, alignment: Any, field: str) -> None:
    with pytest.raises(InvalidPlanError, match=f"at {field}:"):
        Plan(plan("p", "100", unit, alignment=alignment))


def test_weekly_plans_follow_calendar_weeks() -> None:
    weekly = Catalog([plan("w", "2100", "week", alignment={"weekday": "monday"})])
    member = Membership(weekly)
    member.execute({"type": "join", "plan": "w", "start": "2026-04-15"}, dt.date(2026, 4, 15))
    documents = bill(weekly, BillingConfig(), Account("A"), member, dt.date(2026, 4, 20))
    assert [(doc.date, doc.total) for doc in documents] == [
        (dt.date(2026, 4, 15), Money("1500", "JPY")),  # Wednesday to Sunday: 5/7
        (dt.date(2026, 4, 20), Money("2100", "JPY")),
    ]
