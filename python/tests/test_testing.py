"""memberkit.testing: its strategies make what they say, and the properties a
host would check with them hold."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import memberkit
from memberkit import Money, testing
from memberkit.booking import Book, Rules
from memberkit.dunning import Policy, Receivables
from memberkit.errors import MemberkitError
from memberkit.membership import Catalog, Membership, Plan
from memberkit.testing import MembershipHistory

# Histories decide up to a few dozen commands each: slower than hypothesis expects by default.
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(testing.membership_histories())
def test_every_history_replays_to_the_same_state(history: MembershipHistory) -> None:
    replayed = Membership(history.catalog)
    replayed.apply(history.events)
    assert replayed.state == history.state
    assert replayed.version == history.version == len(history.events)
    # Stored as JSON text and read back, as a host's database would hold them.
    stored = replayed.events.to_json()
    again = Membership(history.catalog)
    again.apply(json.loads(stored))
    assert again.state == history.state
    # Restored from the state alone.
    assert Membership(history.catalog, history.state).version == history.version


@SLOW
@given(testing.membership_histories())
def test_a_history_applied_step_by_step_passes_through_each_state(history: MembershipHistory) -> None:
    member = Membership(history.catalog)
    for step in history.steps:
        if step.events is not None:
            assert member.decide(step.command, step.at) == step.events  # the same on the same state
            member.apply(step.events)
    assert member.state == history.state
    assert sum(len(step.events or []) for step in history.steps) == len(history.events)


@SLOW
@given(testing.catalogs(), st.lists(st.tuples(testing.membership_commands(), st.integers(0, 60)), max_size=25))
def test_a_command_is_accepted_or_refused_with_a_typed_error(catalog: Catalog, commands: list[tuple[dict[str, Any], int]]) -> None:
    member, at = Membership(catalog), dt.date(2026, 1, 1)
    for command, gap in commands:
        before = (member.state, member.version)
        try:
            events = member.execute(command, at)
        except MemberkitError as refused:  # any other exception fails the test
            assert isinstance(refused, ValueError) and refused.kind, refused
            assert str(refused)
            assert (member.state, member.version) == before, "a refused command changes nothing"
        else:
            assert member.version == before[1] + len(events)
        at += dt.timedelta(days=gap)


@settings(max_examples=80, deadline=None)
@given(testing.catalog_plans())
def test_catalogs_round_trip_through_json(plans: list[dict[str, Any]]) -> None:
    text = json.dumps(plans)  # plain JSON: amounts as strings, no dates
    for plan in plans:
        normalized = Plan(plan).to_dict()
        assert Plan(json.loads(json.dumps(plan))).to_dict() == normalized
        assert Plan(normalized).to_dict() == normalized  # normalizing again changes nothing
        assert normalized["alignment"] in ("calendar", "anniversary")
    from_text, from_dicts = Catalog(text), Catalog(plans)
    assert from_text.plan_ids == from_dicts.plan_ids == list(testing.PLAN_IDS)
    # Both decide alike: a join and a year of advancing give the same events.
    for catalog_events in zip(*(_a_year_on(catalog, plans[0]["id"]) for catalog in (from_text, from_dicts))):
        assert catalog_events[0] == catalog_events[1]


def _a_year_on(catalog: Catalog, plan: str) -> list[list[dict[str, Any]]]:
    member = Membership(catalog)
    start = dt.date(2026, 1, 15)
    runs = [member.execute({"type": "join", "plan": plan, "start": start}, start)]
    for month in range(1, 13):
        runs.append(member.execute({"type": "advance"}, dt.date(2026 + month // 12, month % 12 + 1, 1)))
    return runs


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_plans_are_valid_and_use_the_currency_given(data: st.DataObject) -> None:
    currency = data.draw(testing.currencies())
    plan = data.draw(testing.plans("p", currency))
    made = Plan(plan)
    assert made.id == "p" and made.price.currency == currency
    assert Money(plan["price"]["amount"], currency) == made.price


@settings(max_examples=200)
@given(testing.schedules(), testing.dates(2020, 2030))
def test_a_schedules_period_contains_the_day(schedule: memberkit.Schedule, day: dt.date) -> None:
    assert day in schedule.period_containing(day)  # the Rust strategies' own example


@settings(max_examples=300)
@given(testing.dates(2020, 2030))
def test_dates_draw_month_ends_and_stay_in_range(day: dt.date) -> None:
    assert dt.date(2020, 1, 1) <= day <= dt.date(2030, 12, 31)


def test_dates_draw_month_ends_and_leap_days_often() -> None:
    drawn: list[dt.date] = []

    @settings(max_examples=400, database=None)
    @given(testing.dates(2020, 2030))
    def collect(day: dt.date) -> None:
        drawn.append(day)

    collect()
    month_ends = [d for d in drawn if (d + dt.timedelta(days=1)).day == 1]
    assert len(month_ends) > len(drawn) / 10  # uniform days would give about 1 in 30
    assert any(d.month == 2 and d.day == 29 for d in drawn)


@settings(max_examples=100)
@given(testing.money(10**9), st.integers(1, 12))
def test_money_allocates_without_losing_a_minor_unit(amount: Money, parts: int) -> None:
    assert abs(amount.minor) <= 10**9
    assert sum(amount.allocate(parts), Money(0, amount.currency)) == amount


@settings(max_examples=100)
@given(testing.membership_commands(dt.date(2026, 3, 1), ["x"], within_days=30))
def test_commands_name_the_plans_and_days_given(command: dict[str, Any]) -> None:
    assert command.get("plan", "x") == "x"
    when = command.get("when")
    days = [command[key] for key in ("start", "from", "on") if key in command]
    days += [when["on"]] if isinstance(when, dict) else []
    assert all(dt.date(2026, 3, 1) <= day < dt.date(2026, 3, 31) for day in days)
    if command["type"] == "pause":
        assert command["until"] > command["from"]


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="plan_ids"):
        testing.membership_commands(plan_ids=[])
    with pytest.raises(ValueError, match="max_commands"):
        testing.membership_histories(min_commands=3, max_commands=2)
    with pytest.raises(ValueError, match="from_year"):
        testing.dates(2030, 2020)


def test_importing_memberkit_needs_no_hypothesis() -> None:
    code = "import sys, memberkit, memberkit.membership; assert 'hypothesis' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_hypothesis_the_import_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "memberkit.testing")
    with pytest.raises(ImportError, match=r"pip install hypothesis") as raised:
        importlib.import_module("memberkit.testing")
    assert raised.value.name == "hypothesis"


@settings(max_examples=80, deadline=None)
@given(testing.dunning_policies())
def test_dunning_policies_round_trip_through_json(policy: Policy) -> None:
    assert Policy(policy.to_json()) == policy  # the Rust strategies' own example
    assert Policy(policy.to_dict()) == policy


@SLOW
@given(testing.dunning_policies(), st.lists(st.tuples(testing.dunning_commands(), st.integers(0, 20)), max_size=30))
def test_dunning_commands_are_accepted_or_refused_typed_and_replay(policy: Policy, commands: list[tuple[dict[str, Any], int]]) -> None:
    account, at, stored = Receivables(policy), dt.date(2026, 1, 1), []
    for command, gap in commands:
        before = (account.state, account.version)
        try:
            stored.extend(account.execute(command, at))
        except MemberkitError as refused:
            assert refused.kind and (account.state, account.version) == before
        at += dt.timedelta(days=gap)
    replayed = Receivables(policy)
    replayed.apply(stored)
    assert (replayed.state, replayed.version) == (account.state, len(stored))


@settings(max_examples=60, deadline=None)
@given(testing.booking_rules())
def test_booking_rules_round_trip_through_json(rules: Rules) -> None:
    assert Rules(rules.to_json()) == rules
    assert rules.policies == ["default"]


JST = dt.timezone(dt.timedelta(hours=9))


@SLOW
@given(testing.booking_rules(), st.lists(st.tuples(testing.booking_commands(["s0", "s1"], ["m0", "m1", "m2"]), st.integers(0, 40)), max_size=30))
def test_booking_commands_are_accepted_or_refused_typed_and_replay(rules: Rules, commands: list[tuple[dict[str, Any], int]]) -> None:
    at = dt.datetime(2026, 6, 1, 9, tzinfo=JST)
    book, stored = Book(), []
    setup: list[dict[str, Any]] = [
        {"type": "schedule_session", "session": {"id": f"s{n}", "capacity": 1 + n, "start": at + dt.timedelta(hours=16 + n), "end": at + dt.timedelta(hours=17 + n)}}
        for n in range(2)
    ]
    setup += [{"type": "set_member", "member": f"m{n}", "eligibility": {"membership": {"from": dt.date(2026, 4, 1)}}} for n in range(3)]
    for command in setup:
        book, events = book.execute(rules, command, at)
        stored.extend(events.to_list())
    for command, minutes in commands:
        try:
            after, events = book.execute(rules, command, at)
        except MemberkitError as refused:  # BookingRefusedError, UnknownMemberError, ...: typed, never another exception
            assert refused.kind, refused
        else:
            assert after.version == book.version + len(events)
            book = after
            stored.extend(json.loads(events.to_json()))
        at += dt.timedelta(minutes=minutes)
    assert Book().apply(stored) == book
