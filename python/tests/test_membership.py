from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest

import memberkit
from memberkit import Money
from memberkit.membership import Catalog, Membership

PLAN: dict[str, Any] = {
    "id": "regular",
    "name": "Regular",
    "price": {"amount": "8800", "currency": "JPY"},
    "interval": {"unit": "month", "count": 1},
    "admission_fee": {"amount": "5500", "currency": "JPY"},
    "notice": {"kind": "day_of_month", "day": 10},
    "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2, "monthly_fee": {"amount": "550", "currency": "JPY"}},
    "booking": {"kind": "per_period", "bookings": 4},
}
CATALOG = Catalog([PLAN, {**PLAN, "id": "light", "name": "Light"}])


def member_since(start: dt.date) -> Membership:
    member = Membership(CATALOG)
    member.execute({"type": "join", "plan": "regular", "start": start}, start)
    return member


def test_events_are_dicts_with_dates_and_money() -> None:
    member = Membership(CATALOG)
    events = member.execute({"type": "join", "plan": "regular", "start": "2026-04-01"}, dt.date(2026, 3, 20))
    assert events == [
        {
            "type": "joined",
            "on": dt.date(2026, 4, 1),
            "plan": "regular",
            "applied_on": dt.date(2026, 3, 20),
            "paid_from": dt.date(2026, 4, 1),
            "admission_fee": Money(5500, "JPY"),
            "rejoin": False,
        }
    ]
    assert member.status == "pending"
    assert member.version == 1


def test_a_members_year() -> None:
    member = member_since(dt.date(2026, 1, 1))
    member.execute({"type": "pause", "from": dt.date(2026, 7, 1), "until": dt.date(2026, 9, 1)}, dt.date(2026, 6, 1))
    assert member.view(dt.date(2026, 7, 15))["status"] == "paused"
    member.execute({"type": "change_plan", "plan": "light", "when": "next_period"}, dt.date(2026, 9, 5))
    member.execute({"type": "cancel", "when": "by_notice_rule"}, dt.date(2026, 11, 20))
    view = member.view(dt.date(2026, 11, 20))
    assert view["status"] == "pending_cancellation"
    assert view["scheduled_changes"] == [{"type": "cancellation", "on": dt.date(2027, 1, 1)}]
    assert member.state["plan"] == "light"


def test_state_round_trips_through_a_dict() -> None:
    member = member_since(dt.date(2026, 1, 1))
    restored = Membership(CATALOG, member.state)
    assert restored.state == member.state
    assert restored.version == member.version


def test_decide_does_not_change_the_state() -> None:
    member = member_since(dt.date(2026, 1, 1))
    before = member.state
    events = member.decide({"type": "cancel", "when": "now"}, dt.date(2026, 2, 1))
    assert [e["type"] for e in events] == ["cancelled"]
    assert member.state == before
    member.apply(events)
    assert member.status == "cancelled"


def test_booking_allowance() -> None:
    member = member_since(dt.date(2026, 1, 1))
    allowance = member.booking_allowance(dt.date(2026, 3, 10), used=3)
    assert allowance["may_book"] is True
    assert allowance["remaining"] == 1
    assert allowance["period"] == {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 4, 1)}


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ({"type": "resume", "on": "2026-03-01"}, memberkit.InvalidTransitionError),
        ({"type": "pause", "from": "2026-04-01", "until": "2026-09-01"}, memberkit.CommandRefusedError),
        ({"type": "change_plan", "plan": "gold", "when": "now"}, memberkit.UnknownPlanError),
        ({"type": "fly"}, memberkit.InvalidJsonError),
        ({"type": "cancel", "when": "later"}, memberkit.InvalidJsonError),
    ],
)
def test_refused_commands_raise_typed_errors_and_change_nothing(
    command: dict[str, Any], error: type[Exception]
) -> None:
    member = member_since(dt.date(2026, 1, 1))
    before = member.state
    with pytest.raises(error) as info:
        member.execute(command, dt.date(2026, 3, 1))
    assert isinstance(info.value, memberkit.MemberkitError)
    assert member.state == before


def test_bad_plans_name_the_field() -> None:
    with pytest.raises(memberkit.InvalidPlanError, match=r"^invalid plan at \[0\]\.interval: "):
        Catalog([{**PLAN, "interval": {"unit": "month", "count": 0}}])
    with pytest.raises(memberkit.InvalidPlanError, match=r"\[1\]\.id: plan id \"regular\" appears twice"):
        Catalog([PLAN, PLAN])


def test_one_membership_shared_by_threads_counts_every_event() -> None:
    member = member_since(dt.date(2026, 1, 1))
    start_version = member.version
    barrier = threading.Barrier(4)

    def toggle() -> None:
        barrier.wait()
        for _ in range(50):
            while True:
                try:
                    member.execute({"type": "mark_past_due"}, dt.date(2026, 2, 1))
                    break
                except memberkit.InvalidTransitionError:
                    pass
            while True:
                try:
                    member.execute({"type": "reinstate"}, dt.date(2026, 2, 1))
                    break
                except memberkit.InvalidTransitionError:
                    pass

    threads = [threading.Thread(target=toggle) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert member.version == start_version + 4 * 50 * 2
    assert member.status == "active"


def test_plans_are_validated_and_usable_in_a_catalog() -> None:
    from memberkit.membership import Plan

    plan = Plan(PLAN, id="trial_plan", trial={"days": 7, "price": {"amount": "0", "currency": "JPY"}})
    assert plan.id == "trial_plan"
    assert plan.price == Money(8800, "JPY")
    assert plan.to_dict()["cooling_off_days"] is None
    catalog = Catalog([plan, PLAN])
    assert catalog.plan_ids == ["regular", "trial_plan"]
    with pytest.raises(memberkit.InvalidPlanError, match=r"^invalid plan at trial\.days: must be at least 1"):
        Plan(PLAN, trial={"days": 0, "price": {"amount": "0", "currency": "JPY"}})


def test_a_membership_keeps_the_events_it_executed_and_applied() -> None:
    from memberkit.billing import EventLog

    member = Membership(CATALOG)
    assert isinstance(member.events, EventLog) and len(member.events) == 0
    collected = member.execute({"type": "join", "plan": "regular", "start": "2026-01-01"}, dt.date(2026, 1, 1))
    before = member.events
    member.decide({"type": "cancel", "when": "now"}, dt.date(2026, 2, 1))  # decided, not executed
    assert member.events == before
    collected += member.execute({"type": "pause", "from": dt.date(2026, 7, 1), "until": dt.date(2026, 9, 1)}, dt.date(2026, 6, 1))
    later = member.decide({"type": "cancel", "when": "now"}, dt.date(2026, 10, 1))
    member.apply(later)
    collected += later
    assert member.events.to_list() == collected and len(member.events) == member.version == len(collected)
    assert EventLog.from_json(member.events.to_json()) == member.events == EventLog(collected)
    # A snapshot: later events do not change what was read before.
    assert len(before) == 2 and before.to_list() == collected[:2]
    # Replaying the stored events restores the state and the history.
    replayed = Membership(CATALOG)
    replayed.apply(member.events.to_list())
    assert replayed.state == member.state and replayed.events == member.events
    from_log = Membership(CATALOG)
    from_log.apply(member.events)
    assert from_log.state == member.state and from_log.events == member.events


def test_a_refused_command_records_nothing() -> None:
    member = member_since(dt.date(2026, 1, 1))
    before = member.events
    with pytest.raises(memberkit.InvalidTransitionError):
        member.execute({"type": "resume", "on": "2026-03-01"}, dt.date(2026, 3, 1))
    with pytest.raises(memberkit.InvalidJsonError):
        member.apply([{"type": "teleported"}])
    assert member.events == before and len(before) == member.version


def test_a_membership_restored_from_a_state_records_only_later_events() -> None:
    member = member_since(dt.date(2026, 1, 1))
    restored = Membership(CATALOG, member.state)
    assert len(restored.events) == 0 and restored.version == member.version
    events = restored.execute({"type": "cancel", "when": "now"}, dt.date(2026, 2, 1))
    assert restored.events.to_list() == events


def test_billing_takes_a_membership_for_its_events() -> None:
    from memberkit.billing import Account, BillingConfig, Documents, bill, bill_many

    member = member_since(dt.date(2026, 1, 15))
    by_member = bill(CATALOG, BillingConfig(), Account("m"), member, dt.date(2026, 3, 1))
    by_log = bill(CATALOG, BillingConfig(), Account("m"), member.events, dt.date(2026, 3, 1))
    by_dicts = bill(CATALOG, BillingConfig(), Account("m"), member.events.to_list(), dt.date(2026, 3, 1))
    assert by_member == by_log == by_dicts and len(by_member) == 3
    runs = bill_many(CATALOG, BillingConfig(), [(Account("m"), member), (Account("n"), member.events)], dt.date(2026, 3, 1))
    assert isinstance(runs[0], Documents) and runs[0] == by_member
    assert isinstance(runs[1], Documents) and [doc.total for doc in runs[1]] == [doc.total for doc in by_member]


def test_threads_sharing_a_membership_record_every_event_once_in_order() -> None:
    member = member_since(dt.date(2026, 1, 1))
    barrier = threading.Barrier(4)

    def toggle() -> None:
        barrier.wait()
        for _ in range(50):
            for command in ({"type": "mark_past_due"}, {"type": "reinstate"}):
                while True:
                    try:
                        member.execute(command, dt.date(2026, 2, 1))
                        break
                    except memberkit.InvalidTransitionError:
                        pass
            member.events  # read while others write

    threads = [threading.Thread(target=toggle) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = member.events.to_list()
    assert len(events) == member.version
    kinds = [event["type"] for event in events[2:]]
    assert len(kinds) == 4 * 50 * 2 and all(a != b for a, b in zip(kinds, kinds[1:]))  # each toggle once, alternating
    replayed = Membership(CATALOG)
    replayed.apply(events)
    assert replayed.state == member.state
