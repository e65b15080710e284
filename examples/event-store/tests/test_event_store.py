"""Memberships, dunning cases and books as event streams in SQLite and PostgreSQL: what is
stored loads back as it was, a stale version is a conflict, and of two
writers racing on one stream exactly one append succeeds while the other
reloads and decides again."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import pytest
from conftest import Connect
from event_store import Books, Conflict, DunningCases, Event, EventStore, Memberships
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import memberkit
from memberkit.booking import Rules
from memberkit.dunning import Policy, Receivables
from memberkit.membership import Catalog, Membership
from memberkit.testing import MembershipHistory, membership_histories

CATALOG = Catalog(
    [
        {"id": p, "name": p.title(), "price": {"amount": amount, "currency": "JPY"}, "interval": {"unit": "month", "count": 1},
         "admission_fee": {"amount": "1100", "currency": "JPY"},
         "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2, "monthly_fee": {"amount": "550", "currency": "JPY"}}}
        for p, amount in [("regular", "8800"), ("daytime", "6600")]
    ]
)
JOIN: dict[str, Any] = {"type": "join", "plan": "regular", "start": dt.date(2026, 4, 1)}
JST = dt.timezone(dt.timedelta(hours=9))
NOW = dt.datetime(2026, 6, 1, 9, tzinfo=JST)


class Racing(EventStore):
    """A store whose first append waits at ``barrier``: every writer has
    loaded and decided at the same version before any of them appends."""

    def __init__(self, inner: EventStore, barrier: threading.Barrier) -> None:
        self.inner, self.barrier, self.waited = inner, barrier, False

    def create_schema(self) -> None:
        self.inner.create_schema()

    def read(self, kind: str, id: str) -> list[Event]:
        return self.inner.read(kind, id)

    def version(self, kind: str, id: str) -> int:
        return self.inner.version(kind, id)

    def append(self, kind: str, id: str, expected_version: int, events: Sequence[Event]) -> int:
        if not self.waited:
            self.waited = True
            self.barrier.wait()
        return self.inner.append(kind, id, expected_version, events)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Outcome:
    events: list[Event] | None = None
    refused: memberkit.MemberkitError | None = None
    conflicts: list[Conflict] = field(default_factory=list)


def race(
    connect: Connect, streams: Callable[[EventStore], Memberships | Books | DunningCases], id: str, commands: Sequence[Mapping[str, Any]], at: Any
) -> list[Outcome]:
    """Each command executed by its own writer (thread and connection), all appending at once."""
    barrier = threading.Barrier(len(commands), timeout=60)
    outcomes = [Outcome() for _ in commands]
    crashed: list[BaseException] = []

    def writer(n: int) -> None:
        outcome = outcomes[n]
        try:
            outcome.events = streams(Racing(connect(), barrier)).execute(id, commands[n], at, on_conflict=outcome.conflicts.append)
        except memberkit.MemberkitError as refused:
            outcome.refused = refused
        except BaseException as error:  # reported below: a thread's exception would be lost
            crashed.append(error)
            barrier.abort()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(len(commands))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not crashed, crashed
    return outcomes


def assert_stream_consistent(store: EventStore, kind: str, id: str, expected_version: int) -> None:
    events = store.read(kind, id)
    assert len(events) == store.version(kind, id) == expected_version  # versions 1..n, no gap, none twice


def test_a_stored_membership_loads_back_at_its_version(connect: Connect, stream_id: str) -> None:
    members = Memberships(connect(), CATALOG)
    assert members.load(stream_id)[1] == 0
    at = dt.date(2026, 4, 1)
    live = Membership(CATALOG)
    steps: list[tuple[dict[str, Any], dt.date]] = [
        (JOIN, at),
        ({"type": "pause", "from": "2026-06-01", "until": "2026-08-01"}, dt.date(2026, 5, 5)),
        ({"type": "advance"}, dt.date(2026, 6, 2)),
    ]
    for command, on in steps:
        member, version = members.load(stream_id)
        events = member.decide(command, on)
        assert members.append(stream_id, version, events) == version + len(events)
        live.execute(command, on)
    member, version = members.load(stream_id)
    assert (member.state, version) == (live.state, live.version)
    assert member.events == live.events  # Money and dates as they were
    assert members.store.read("membership", stream_id)[0]["admission_fee"] == {"amount": "1100", "currency": "JPY"}


def test_an_append_at_a_stale_version_is_a_conflict_and_writes_nothing(connect: Connect, stream_id: str) -> None:
    members = Memberships(connect(), CATALOG)
    member, version = members.load(stream_id)
    events = member.decide(JOIN, dt.date(2026, 4, 1))
    members.append(stream_id, version, events)
    with pytest.raises(Conflict) as conflict:
        members.append(stream_id, version, events)
    assert (conflict.value.expected, conflict.value.actual) == (0, 2)
    with pytest.raises(Conflict):
        members.append(stream_id, 5, events)  # ahead of the stream: also not where it is
    assert_stream_consistent(members.store, "membership", stream_id, 2)


def test_a_refused_command_stores_nothing(connect: Connect, stream_id: str) -> None:
    members = Memberships(connect(), CATALOG)
    members.execute(stream_id, JOIN, dt.date(2026, 4, 1))
    with pytest.raises(memberkit.InvalidTransitionError):
        members.execute(stream_id, {"type": "resume", "on": "2026-04-02"}, dt.date(2026, 4, 2))
    assert members.store.version("membership", stream_id) == 2


def test_two_writers_on_one_membership_one_wins_the_other_reloads_and_both_land(connect: Connect, stream_id: str) -> None:
    Memberships(connect(), CATALOG).execute(stream_id, JOIN, dt.date(2026, 4, 1))
    pause = {"type": "pause", "from": "2026-07-01", "until": "2026-09-01"}
    change = {"type": "change_plan", "plan": "daytime", "when": "next_period"}
    outcomes = race(connect, lambda store: Memberships(store, CATALOG), stream_id, [pause, change], dt.date(2026, 5, 10))
    assert sorted(len(o.conflicts) for o in outcomes) == [0, 1]  # exactly one append won the race
    [winner] = [o for o in outcomes if not o.conflicts]
    [loser] = [o for o in outcomes if o.conflicts]
    assert winner.events and loser.events and loser.refused is None  # the loser decided again and landed
    assert loser.conflicts[0].actual == loser.conflicts[0].expected + len(winner.events)
    member, version = Memberships(connect(), CATALOG).load(stream_id)
    assert member.view(dt.date(2026, 5, 10))["status"] == "active" and member.state["planned_pause"] is not None
    assert member.state["plan_change"] is not None
    assert_stream_consistent(connect(), "membership", stream_id, version)


def test_two_writers_cancelling_at_once_one_cancels_the_other_is_refused_after_reloading(connect: Connect, stream_id: str) -> None:
    Memberships(connect(), CATALOG).execute(stream_id, JOIN, dt.date(2026, 4, 1))
    cancel = {"type": "cancel", "when": "now"}
    outcomes = race(connect, lambda store: Memberships(store, CATALOG), stream_id, [cancel, cancel], dt.date(2026, 5, 10))
    [winner] = [o for o in outcomes if not o.conflicts]
    [loser] = [o for o in outcomes if o.conflicts]
    assert winner.events is not None and [e["type"] for e in winner.events] == ["cancelled"]
    assert isinstance(loser.refused, memberkit.InvalidTransitionError), loser
    assert "cancelled" in str(loser.refused)
    member, version = Memberships(connect(), CATALOG).load(stream_id)
    assert member.status == "cancelled" and version == 3


POLICY = Policy(
    {"currency": "JPY", "grace_days": 3, "max_retries": 1,
     "steps": [{"day": 3, "action": "retry"}, {"day": 7, "action": "remind", "channel": "email", "template": "unpaid"},
               {"day": 14, "action": "suspend"}]}
)
YEN = {"amount": "8800", "currency": "JPY"}
UNPAID: list[tuple[dict[str, Any], dt.date]] = [
    ({"type": "invoice_issued", "invoice": "M-1-20260501-1", "amount": YEN, "due": "2026-05-01"}, dt.date(2026, 4, 25)),
    ({"type": "payment_failed", "invoice": "M-1-20260501-1", "amount": YEN, "decline": "soft"}, dt.date(2026, 5, 1)),
]
PAYMENT = {"type": "payment_succeeded", "payment": "pay-1", "invoice": "M-1-20260501-1", "amount": YEN}


def test_a_stored_dunning_case_loads_back_at_its_version(connect: Connect, stream_id: str) -> None:
    cases = DunningCases(connect(), POLICY)
    live = Receivables(POLICY)
    for command, on in [*UNPAID, ({"type": "advance"}, dt.date(2026, 5, 15))]:
        account, version = cases.load(stream_id)
        assert version == live.version
        events = account.decide(command, on)
        assert cases.append(stream_id, version, events) == version + len(events)
        live.execute(command, on)
    account, version = cases.load(stream_id)
    assert (account.state, version) == (live.state, live.version)
    assert account.standing == "suspended" and account.unpaid_balance == live.unpaid_balance
    assert [step.to_dict() for step in account.timeline("en")] == [step.to_dict() for step in live.timeline("en")]
    with pytest.raises(Conflict):
        cases.append(stream_id, version - 1, account.decide(PAYMENT, dt.date(2026, 5, 16)))
    assert_stream_consistent(connect(), "dunning", stream_id, version)


def test_a_payment_and_the_nightly_run_at_once_both_land_and_nothing_is_lost(connect: Connect, stream_id: str) -> None:
    cases = DunningCases(connect(), POLICY)
    for command, on in UNPAID:
        cases.execute(stream_id, command, on)
    outcomes = race(connect, lambda store: DunningCases(store, POLICY), stream_id, [PAYMENT, {"type": "advance"}], dt.date(2026, 5, 15))
    assert sorted(len(o.conflicts) for o in outcomes) == [0, 1]
    assert all(o.refused is None and o.events is not None for o in outcomes)
    account, version = DunningCases(connect(), POLICY).load(stream_id)
    # Whichever landed first, the payment is collected once and the account ends in good standing.
    assert account.standing == "good" and account.total_collected == memberkit.Money(8800, "JPY")
    assert account.unpaid_balance == memberkit.Money(0, "JPY") and not account.restrictions
    assert_stream_consistent(connect(), "dunning", stream_id, version)


def test_a_payment_delivered_twice_at_once_is_collected_once(connect: Connect, stream_id: str) -> None:
    cases = DunningCases(connect(), POLICY)
    for command, on in UNPAID:
        cases.execute(stream_id, command, on)
    outcomes = race(connect, lambda store: DunningCases(store, POLICY), stream_id, [PAYMENT, PAYMENT], dt.date(2026, 5, 2))
    [winner] = [o for o in outcomes if not o.conflicts]
    [loser] = [o for o in outcomes if o.conflicts]
    assert winner.events is not None and [e["type"] for e in winner.events] == ["payment_received"]
    assert loser.events is not None and [e["type"] for e in loser.events] == ["duplicate_payment_ignored"]
    account, version = DunningCases(connect(), POLICY).load(stream_id)
    assert account.total_collected == memberkit.Money(8800, "JPY") and account.standing == "good"
    assert_stream_consistent(connect(), "dunning", stream_id, version)


def book_commands(capacity: int, members: Sequence[str]) -> list[dict[str, Any]]:
    start = dt.datetime(2026, 6, 10, 10, tzinfo=JST)
    session = {"id": "yoga", "capacity": capacity, "start": start, "end": start + dt.timedelta(hours=1)}
    setup: list[dict[str, Any]] = [{"type": "schedule_session", "session": session}]
    return setup + [{"type": "set_member", "member": m, "eligibility": {"membership": {"from": dt.date(2026, 4, 1)}}} for m in members]


@pytest.mark.parametrize("capacity", [1, 2])
def test_two_members_booking_the_last_seats_at_once(connect: Connect, capacity: int) -> None:
    book_id, rules = f"studio-{uuid.uuid4().hex[:8]}", Rules({})
    books = Books(connect(), rules)
    for command in book_commands(capacity, ["aiko", "ben"]):
        books.execute(book_id, command, NOW)
    bookings = [{"type": "book", "session": "yoga", "member": m, "party": 1} for m in ["aiko", "ben"]]
    outcomes = race(connect, lambda store: Books(store, rules), book_id, bookings, NOW)
    assert sorted(len(o.conflicts) for o in outcomes) == [0, 1]
    [loser] = [o for o in outcomes if o.conflicts]
    if capacity == 1:  # the seat went to the winner: deciding again on the new state refuses
        assert isinstance(loser.refused, memberkit.BookingRefusedError) and loser.refused.code == "full"
    else:
        assert loser.events is not None and [e["type"] for e in loser.events] == ["booked"]
    book, version = Books(connect(), rules).load(book_id)
    view = book.session_view("yoga")
    assert view is not None and len(view["seats"]) == min(capacity, 2)
    assert_stream_consistent(connect(), "book", book_id, version)


def test_four_writers_for_three_seats(connect: Connect) -> None:
    book_id, rules, members = f"studio-{uuid.uuid4().hex[:8]}", Rules({}), ["aiko", "ben", "chika", "dai"]
    books = Books(connect(), rules)
    for command in book_commands(3, members):
        books.execute(book_id, command, NOW)
    bookings = [{"type": "book", "session": "yoga", "member": m, "party": 1} for m in members]
    outcomes = race(connect, lambda store: Books(store, rules), book_id, bookings, NOW)
    assert sum(o.events is not None for o in outcomes) == 3
    assert [o.refused.code for o in outcomes if o.refused is not None] == ["full"]
    assert sum(not o.conflicts for o in outcomes) == 1  # one append won the first round
    book, version = Books(connect(), rules).load(book_id)
    seated = sorted(seat["member"] for seat in (book.session_view("yoga") or {})["seats"])
    assert seated == sorted(m for m, o in zip(members, outcomes) if o.events is not None)
    assert_stream_consistent(connect(), "book", book_id, version)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(membership_histories(max_commands=12), st.data())
def test_a_history_appended_in_chunks_loads_back_the_same(connect: Connect, history: MembershipHistory, data: st.DataObject) -> None:
    member_id, store = f"H-{uuid.uuid4().hex[:12]}", connect()
    members = Memberships(store, history.catalog)
    version = 0
    for step in history.steps:
        if step.events:
            if data.draw(st.booleans(), label="try a stale append first") and version > 0:
                with pytest.raises(Conflict):
                    members.append(member_id, version - 1, step.events)
            version = members.append(member_id, version, step.events)
    member, loaded_version = members.load(member_id)
    assert (member.state, loaded_version) == (history.state, history.version)
