from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import memberkit
from memberkit import Money
from memberkit.dunning import Events, Planned, Policy, Receivables, advance_all, membership_commands
from memberkit.membership import _encode, _loads

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/dunning.json").read_text(encoding="utf-8"))
POLICIES = {name: Policy(policy) for name, policy in VECTORS["policies"].items()}
CARD = POLICIES["card"]
YEN = {"amount": "8800", "currency": "JPY"}


def issued(invoice: str = "m-1", due: str = "2026-05-01", amount: Any = YEN) -> dict[str, Any]:
    return {"type": "invoice_issued", "invoice": invoice, "amount": amount, "due": due}


def failed(invoice: str = "m-1", decline: str = "soft", amount: Any = YEN) -> dict[str, Any]:
    return {"type": "payment_failed", "invoice": invoice, "amount": amount, "decline": decline}


def paid(payment: str, amount: Any = YEN, invoice: str = "m-1") -> dict[str, Any]:
    return {"type": "payment_succeeded", "payment": payment, "invoice": invoice, "amount": amount}


ADVANCE = {"type": "advance"}


def failing_account(policy: Policy = CARD, on: str = "2026-05-01") -> Receivables:
    """An account whose ¥8,800 invoice failed (softly) on ``on``."""
    account = Receivables(policy)
    account.execute(issued(due=on), on)
    account.execute(failed(), on)
    return account


# --- Policies -----------------------------------------------------------------


def test_policies_read_from_dicts_json_and_fields() -> None:
    policy = VECTORS["policies"]["card"]
    assert Policy(policy) == CARD
    assert Policy(json.dumps(policy)) == CARD
    assert Policy(**policy) == CARD
    assert Policy({**policy, "grace_days": 0}, grace_days=3) == CARD
    assert Policy(CARD.to_dict()) == CARD
    assert Policy(CARD.to_json()) == CARD
    assert (CARD.currency, CARD.grace_days, len(CARD.steps)) == ("JPY", 3, 8)
    assert CARD.steps[3] == {"day": 7, "action": "restrict", "restriction": "no_new_bookings"}
    assert CARD.to_dict()["max_retries"] == 3
    assert repr(CARD) == "Policy(currency='JPY', grace_days=3, steps=8)"


def test_bad_policies_name_the_field() -> None:
    with pytest.raises(memberkit.InvalidConfigError, match=r"^invalid dunning policy at steps\[0\]\.day: a suspend step on day 3 falls inside the grace period of 7 days$"):
        Policy(currency="JPY", grace_days=7, steps=[{"day": 3, "action": "suspend"}])
    with pytest.raises(memberkit.InvalidConfigError, match=r"steps\[0\]\.template"):
        Policy(currency="JPY", steps=[{"day": 0, "action": "remind", "channel": "email"}])
    with pytest.raises(memberkit.InvalidConfigError, match=r"\bcolour\b"):
        Policy(currency="JPY", steps=[], colour="red")
    with pytest.raises(TypeError):
        Policy(json.dumps({"currency": "JPY", "steps": []}), grace_days=1)
    with pytest.raises(TypeError):
        Policy([1, 2])  # type: ignore[arg-type]


# --- Deciding, applying, storing ----------------------------------------------


def test_events_are_dicts_with_dates_and_money() -> None:
    account = Receivables(CARD)
    assert account.execute(issued(), dt.date(2026, 4, 25)) == [
        {"type": "invoice_opened", "on": dt.date(2026, 4, 25), "invoice": "m-1", "amount": Money(8800, "JPY"), "due": dt.date(2026, 5, 1)}
    ]
    events = account.execute(failed(amount=Money(8800, "JPY")), dt.date(2026, 5, 1))
    assert events[1] == {
        "type": "reminder_due",
        "on": dt.date(2026, 5, 1),
        "invoice": "m-1",
        "step": 0,
        "channel": "email",
        "template": "payment_failed",
        "amount": Money(8800, "JPY"),
    }
    assert account.version == 3
    assert account.policy == CARD


def test_decide_does_not_change_the_state_and_apply_replays() -> None:
    account = failing_account()
    before = account.state
    events = account.decide(ADVANCE, "2026-05-15")
    assert account.state == before
    account.apply(events)
    assert account.standing == "suspended"
    assert account.decide(ADVANCE, "2026-05-15") == []


def test_the_state_round_trips_through_a_dict_and_json() -> None:
    account = failing_account()
    account.execute(ADVANCE, "2026-05-20")
    for restored in (Receivables(CARD, account.state), Receivables(CARD, account.to_json())):
        assert restored.state == account.state
        assert restored.version == account.version
        assert restored.timeline("en") == account.timeline("en")
    with pytest.raises(memberkit.InvalidJsonError, match="receivables"):
        Receivables(CARD, {"version": 1, "colour": "red"})


def test_replaying_the_events_gives_the_same_state() -> None:
    account, log = Receivables(CARD), []
    for command, at in [(issued(), "2026-04-25"), (failed(), "2026-05-01"), (ADVANCE, "2026-05-20"),
                        (paid("pay-1", {"amount": "3000", "currency": "JPY"}), "2026-05-21"), (ADVANCE, "2026-06-30")]:
        log += account.execute(command, at)
    replayed = Receivables(CARD)
    replayed.apply(log)
    assert replayed.state == account.state


@pytest.mark.parametrize(
    ("command", "at", "error"),
    [
        (paid("pay-1", invoice="nope"), "2026-05-02", memberkit.UnknownInvoiceError),
        (issued(), "2026-05-02", memberkit.CommandRefusedError),
        (failed(amount={"amount": "88", "currency": "USD"}), "2026-05-02", memberkit.CurrencyMismatchError),
        (paid("pay-1", {"amount": "0", "currency": "JPY"}), "2026-05-02", memberkit.InvalidArgumentError),
        (ADVANCE, "2026-04-30", memberkit.CommandRefusedError),
        ({"type": "payment_failed", "invoice": "m-1", "amount": YEN, "decline": "maybe"}, "2026-05-02", memberkit.InvalidJsonError),
        ({"type": "fly"}, "2026-05-02", memberkit.InvalidJsonError),
    ],
)
def test_refused_commands_raise_typed_errors_and_change_nothing(command: dict[str, Any], at: str, error: type[Exception]) -> None:
    account = failing_account()
    before = account.state
    with pytest.raises(error) as info:
        account.execute(command, at)
    assert isinstance(info.value, memberkit.MemberkitError) and isinstance(info.value, ValueError)
    assert account.state == before


def test_an_unknown_invoice_names_it() -> None:
    with pytest.raises(memberkit.UnknownInvoiceError, match=r"^unknown invoice \"nope\"$") as info:
        failing_account().execute(paid("pay-1", invoice="nope"), "2026-05-02")
    assert info.value.kind == "unknown_invoice"


# --- Queries --------------------------------------------------------------------


def test_an_empty_account() -> None:
    account = Receivables(CARD)
    assert (account.standing, account.restrictions, account.version) == ("good", [], 0)
    assert account.unpaid_balance is None and account.total_collected is None and account.totals is None
    assert account.oldest_unpaid is None
    assert account.open_invoices("2026-05-01") == []
    assert account.timeline() == []
    assert account.view() == {
        "standing": "good",
        "restrictions": [],
        "ladder_state": None,
        "payment_method_update_requested": None,
        "overdue_invoices": 0,
    }
    assert repr(account) == "Receivables(standing='good', unpaid_balance=None, version=0)"


def test_queries_of_an_account_in_dunning() -> None:
    account = failing_account()
    account.execute(paid("pay-1", {"amount": "3000", "currency": "JPY"}), "2026-05-02")
    account.execute(ADVANCE, "2026-05-09")
    assert account.standing == "past_due"
    assert account.restrictions == ["no_new_bookings"]
    assert account.is_restricted("no_new_bookings") and not account.is_restricted("no_guests")
    assert account.unpaid_balance == Money(5800, "JPY")
    assert account.total_collected == Money(3000, "JPY")
    assert account.totals == {
        "invoiced": Money(8800, "JPY"),
        "collected": Money(3000, "JPY"),
        "applied": Money(3000, "JPY"),
        "written_off": Money(0, "JPY"),
        "open": Money(5800, "JPY"),
        "credit": Money(0, "JPY"),
    }
    [open_invoice] = account.open_invoices(dt.date(2026, 5, 9))
    assert open_invoice == {
        "invoice": "m-1",
        "balance": Money(5800, "JPY"),
        "due": dt.date(2026, 5, 1),
        "age_days": 8,
        "failed_on": dt.date(2026, 5, 1),
        "carried_into": None,
        "in_collection": False,
        "level": "past_due",
    }
    oldest = account.oldest_unpaid
    assert oldest is not None and oldest["id"] == "m-1" and oldest["paid"] == Money(3000, "JPY")
    assert account.view()["overdue_invoices"] == 1
    assert repr(account) == "Receivables(standing='past_due', unpaid_balance=Money('5800', 'JPY'), version=10)"


def test_the_timeline_is_told_in_the_cores_words() -> None:
    account = failing_account()
    [step, *_] = account.timeline("en")
    assert isinstance(step, Planned)
    # Day 3 is May 4, a holiday: the retry moves to the next business day.
    assert (step.on, step.invoice, step.step, step.action, step.amount) == (dt.date(2026, 5, 7), "m-1", 1, "retry", Money(8800, "JPY"))
    assert step.message == "We will try the payment of ¥8,800 again on 7 May 2026."
    assert step.language == "en"
    assert account.timeline()[0].message == "2026年5月7日に8,800円のお支払いを再度お試しします。"
    assert account.timeline()[0].language == "ja"
    assert account.timeline("en")[2].to_dict() == {
        "on": dt.date(2026, 5, 8),
        "invoice": "m-1",
        "step": 3,
        "action": "restrict",
        "restriction": "no_new_bookings",
        "amount": Money(8800, "JPY"),
    }
    assert repr(step) == "Planned('2026-05-07', 'retry', invoice='m-1', amount=Money('8800', 'JPY'))"
    with pytest.raises(memberkit.InvalidArgumentError, match='unknown language "fr"'):
        account.timeline("fr")  # type: ignore[arg-type]


def test_membership_commands_from_events() -> None:
    account = failing_account()
    assert membership_commands(account.execute(ADVANCE, "2026-05-31")) == [
        {"type": "mark_past_due"},
        {"type": "suspend"},
        {"type": "cancel", "when": "now"},
    ]
    assert membership_commands([]) == []


# --- advance_all ------------------------------------------------------------------


def test_advance_all_returns_the_accounts_that_changed_with_their_events() -> None:
    accounts = [Receivables(CARD), failing_account(), failing_account(on="2026-05-11"), failing_account(on="2026-05-14")]
    changed = advance_all(accounts, CARD, dt.date(2026, 5, 15))
    assert [accounts.index(account) for account, _ in changed] == [1, 2]
    account, events = changed[0]
    assert isinstance(events, Events)
    assert events.types() == [
        "overdue", "marked_past_due",  # May 4 (a holiday: the retry moves to May 7)
        "retry_due",  # May 7
        "retry_due", "escalated", "restricted",  # May 8
        "reminder_due",  # May 11
        "escalated", "retry_due", "suspended",  # May 15
    ]
    # The events were applied, as execute would have.
    twin = failing_account()
    assert events == twin.execute(ADVANCE, dt.date(2026, 5, 15))
    assert account.state == twin.state
    # Nothing is due again on the same date.
    assert advance_all(accounts, CARD, "2026-05-15") == []


def test_advance_all_events_read_as_dicts() -> None:
    [(_, events)] = advance_all([failing_account()], CARD, "2026-05-09")
    assert isinstance(events, Events)
    assert len(events) == 6
    assert events.types() == ["overdue", "marked_past_due", "retry_due", "retry_due", "escalated", "restricted"]
    assert events[0] == {"type": "overdue", "on": dt.date(2026, 5, 4), "invoice": "m-1"}
    assert events[-1] == {"type": "restricted", "on": dt.date(2026, 5, 8), "restriction": "no_new_bookings"}
    assert events[4] == {"type": "escalated", "on": dt.date(2026, 5, 8), "invoice": "m-1", "step": 3, "escalation": {"restrict": "no_new_bookings"}}
    assert events[1:3] == [events[1], events[2]]
    assert events[::-1] == list(reversed(events.to_list()))
    assert [e["type"] for e in events] == events.types()
    assert events == events.to_list() and events == tuple(events.to_list())
    assert events != events.to_list()[:-1]
    assert json.loads(events.to_json())[0] == {"type": "overdue", "on": "2026-05-04", "invoice": "m-1"}
    assert repr(events).startswith("Events(['overdue', 'marked_past_due', 'retry_due'")
    with pytest.raises(IndexError):
        events[6]
    with pytest.raises(TypeError, match="Events indices must be integers or slices, not str"):
        events["0"]  # type: ignore[call-overload]
    # Events replay into another account, and name the membership's commands.
    twin = failing_account()
    twin.apply(events)
    assert twin.standing == "past_due"
    assert membership_commands(events) == [{"type": "mark_past_due"}]


def test_advance_all_reports_refused_accounts_in_place() -> None:
    late = failing_account(on="2026-05-20")
    early = failing_account()
    before = late.state
    changed = advance_all([late, early], CARD, "2026-05-10")
    [(first, error), (second, events)] = changed
    assert first is late and isinstance(error, memberkit.CommandRefusedError)
    assert str(error) == "a command on 2026-05-10 comes before the account's latest event on 2026-05-20"
    assert late.state == before
    assert second is early and isinstance(events, Events)


def test_advance_all_refuses_bad_batches_before_advancing_anything() -> None:
    account = failing_account()
    before = account.state
    with pytest.raises(memberkit.InvalidArgumentError, match=r"accounts\[1\] is being advanced already"):
        advance_all([account, account], CARD, "2026-05-15")
    with pytest.raises(TypeError, match=r"accounts\[1\] is not a memberkit.dunning.Receivables"):
        advance_all([account, "m-2"], CARD, "2026-05-15")  # type: ignore[list-item]
    with pytest.raises(memberkit.InvalidArgumentError, match=r"accounts\[1\] follows another policy"):
        advance_all([account, failing_account(POLICIES["payday"])], CARD, "2026-05-15")
    assert account.state == before
    # An equal policy made apart is the same policy; any iterable of accounts will do.
    assert len(advance_all(iter([account]), Policy(CARD.to_dict()), "2026-05-15")) == 1


def test_one_account_shared_by_threads_counts_every_payment() -> None:
    account = failing_account()
    others = [failing_account() for _ in range(50)]
    barrier = threading.Barrier(5)

    def pay(thread: int) -> None:
        barrier.wait()
        for k in range(40):
            account.execute(paid(f"pay-{thread}-{k}", {"amount": "1", "currency": "JPY"}), "2026-05-01")

    def advance() -> None:
        barrier.wait()
        for day in range(1, 31):
            advance_all([*others, account], CARD, dt.date(2026, 5, 1))
            advance_all(others, CARD, dt.date(2026, 5, day))

    threads = [threading.Thread(target=pay, args=(t,)) for t in range(4)] + [threading.Thread(target=advance)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert account.total_collected == Money(160, "JPY")
    assert account.unpaid_balance == Money(8640, "JPY")
    assert all(other.standing == "suspended" for other in others)


def test_malformed_input_raises_memberkit_errors() -> None:
    account = failing_account()
    bad: list[dict[str, Any]] = [{"type": "advance_now"}, {"type": 3}, {}, {"type": "payment_failed"}, {**failed(), "colour": "red"}]
    for junk in bad:
        with pytest.raises(memberkit.InvalidJsonError):
            account.execute(junk, "2026-05-02")
    with pytest.raises(memberkit.InvalidDateError):
        account.execute(ADVANCE, "2026-02-30")
    with pytest.raises(memberkit.InvalidArgumentError):
        account.execute(ADVANCE, 20260502)  # type: ignore[arg-type]
    with pytest.raises(memberkit.InvalidJsonError):
        account.apply([{"type": "suspended"}])
    with pytest.raises(memberkit.InvalidJsonError):
        membership_commands([{"type": "eaten"}])


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


@given(
    command=st.dictionaries(st.sampled_from(["type", "invoice", "amount", "due", "decline", "payment"]), junk, max_size=4),
    at=junk,
    policy=st.dictionaries(st.sampled_from(["currency", "steps", "grace_days", "ladder", "max_retries"]), junk, max_size=4),
)
def test_junk_raises_memberkit_errors_never_panics(command: Any, at: Any, policy: Any) -> None:
    for call in (
        lambda: failing_account().execute(command, at),
        lambda: Policy(policy),
        lambda: Receivables(CARD, policy),
        lambda: failing_account().apply([command]),
        lambda: failing_account().timeline(at),
        lambda: advance_all([failing_account()], CARD, at),
    ):
        try:
            call()
        except (memberkit.MemberkitError, TypeError, OverflowError):
            pass
        except BaseException as exc:  # PanicException derives from BaseException
            raise AssertionError(f"unexpected {type(exc).__name__}: {exc}") from exc


# --- Properties -------------------------------------------------------------------

START = dt.date(2026, 4, 1)
PAYMENT_IDS = [f"pay-{k}" for k in range(6)]  # few, so that ids repeat


@st.composite
def histories(draw: st.DrawFn) -> tuple[str, list[tuple[dict[str, Any], dt.date]]]:
    """A policy of the vectors and commands on it, dated in order; some are refused."""
    policy = draw(st.sampled_from(sorted(POLICIES)))
    commands: list[tuple[dict[str, Any], dt.date]] = []
    day, invoices = START, 0
    for _ in range(draw(st.integers(1, 25))):
        day += dt.timedelta(days=draw(st.integers(0, 12)))
        kind = draw(st.sampled_from(["issue", "issue", "fail", "fail", "pay", "pay", "update", "void", "write_off", "advance", "advance"]))
        amount = {"amount": str(draw(st.integers(1, 20_000))), "currency": "JPY"}
        invoice = f"inv-{draw(st.integers(0, invoices))}"  # sometimes one not issued yet
        if kind == "issue":
            invoices += 1
            command = issued(f"inv-{invoices}", (day + dt.timedelta(days=draw(st.integers(0, 10)))).isoformat(), amount)
        elif kind == "fail":
            command = failed(invoice, draw(st.sampled_from(["soft", "soft", "hard"])), amount)
        elif kind == "pay":
            command = paid(draw(st.sampled_from(PAYMENT_IDS)), amount, invoice)
        elif kind == "update":
            command = {"type": "payment_method_updated"}
        elif kind == "void":
            command = {"type": "invoice_voided", "invoice": invoice}
        elif kind == "write_off":
            command = {"type": "invoice_written_off", "invoice": invoice}
        else:
            command = ADVANCE
        commands.append((command, day))
    return policy, commands


def run(policy: str, commands: list[tuple[dict[str, Any], dt.date]]) -> tuple[Receivables, list[dict[str, Any]]]:
    """The account after ``commands`` (refused ones skipped) and every event, in order."""
    account, log = Receivables(POLICIES[policy]), []
    for command, at in commands:
        try:
            log += account.execute(command, at)
        except memberkit.MemberkitError:
            pass
    return account, log


def yen(money: Money | None) -> Decimal:
    return Decimal(0) if money is None else money.amount


@settings(max_examples=150, deadline=None)
@given(histories())
def test_no_yen_is_lost(history: tuple[str, list[tuple[dict[str, Any], dt.date]]]) -> None:
    """invoiced = applied + written off + open, and collected = applied + credit, after every command."""
    policy, commands = history
    account = Receivables(POLICIES[policy])
    for command, at in commands:
        try:
            account.execute(command, at)
        except memberkit.MemberkitError:
            pass
        totals = account.totals
        if totals is None:
            continue
        assert totals["invoiced"] == totals["applied"] + totals["written_off"] + totals["open"]
        assert totals["collected"] == totals["applied"] + totals["credit"]
        assert totals["open"] == account.unpaid_balance
        assert totals["collected"] == account.total_collected
        assert sum((i["balance"] for i in account.open_invoices(at)), Money(0, "JPY")) == totals["open"]


@settings(max_examples=150, deadline=None)
@given(histories())
def test_a_payment_id_is_counted_once(history: tuple[str, list[tuple[dict[str, Any], dt.date]]]) -> None:
    policy, commands = history
    account, log = run(policy, commands)
    received = [e for e in log if e["type"] == "payment_received"]
    assert len({e["payment"] for e in received}) == len(received)
    assert yen(account.total_collected) == sum((e["amount"].amount for e in received), Decimal(0))
    for event in log:
        if event["type"] == "duplicate_payment_ignored":
            assert event["payment"] in {e["payment"] for e in received if e["on"] <= event["on"]}
    # A payment id seen before changes nothing but the version, on any invoice.
    for payment in {e["payment"] for e in received}:
        before = account.state
        [event] = account.execute(paid(payment, {"amount": "1000", "currency": "JPY"}, "inv-1"), before["updated_on"])
        assert event["type"] == "duplicate_payment_ignored"
        after = account.state
        assert after["version"] == before["version"] + 1
        assert {**after, "version": 0} == {**before, "version": 0}


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(0, 90))
def test_advancing_is_idempotent(history: tuple[str, list[tuple[dict[str, Any], dt.date]]], days: int) -> None:
    policy, commands = history
    account, _ = run(policy, commands)
    at = max(at for _, at in commands) + dt.timedelta(days=days)
    account.execute(ADVANCE, at)
    state = account.state
    assert account.execute(ADVANCE, at) == []
    assert advance_all([account], POLICIES[policy], at) == []
    assert account.state == state


@settings(max_examples=150, deadline=None)
@given(histories(), st.lists(st.integers(0, 20), min_size=1, max_size=8))
def test_many_small_advances_equal_one_advance(
    history: tuple[str, list[tuple[dict[str, Any], dt.date]]], steps: list[int]
) -> None:
    policy, commands = history
    account, _ = run(policy, commands)
    start = max(at for _, at in commands)
    end = start + dt.timedelta(days=sum(steps))
    once = Receivables(POLICIES[policy], account.state)
    at_once = once.execute(ADVANCE, end)
    stepwise, in_steps, day = Receivables(POLICIES[policy], account.state), [], start
    for step in steps:
        day += dt.timedelta(days=step)
        in_steps += stepwise.execute(ADVANCE, day)
    assert in_steps == at_once
    assert stepwise.state == once.state
    # The batch gives the same.
    batched = Receivables(POLICIES[policy], account.state)
    changed = advance_all([batched], POLICIES[policy], end)
    assert [events for _, events in changed] == ([at_once] if at_once else [])
    assert batched.state == once.state


def test_values_are_the_objects_their_json_reads_as() -> None:
    """Events, states, views and policies come to Python without JSON text in
    between, as the same objects ``_loads`` makes of their JSON."""
    for name, policy in POLICIES.items():
        assert policy.to_dict() == _loads(policy.to_json()), name
        assert policy.steps == _loads(policy.to_json())["steps"]
    account = failing_account()
    [(_, events)] = advance_all([account], CARD, "2026-05-31")
    assert isinstance(events, Events)
    assert events.to_list() == _loads(events.to_json())
    assert all(type(a["on"]) is dt.date and a == b for a, b in zip(events, _loads(events.to_json())))
    assert account.state == _loads(account.to_json())
    assert account.state["invoices"][0]["due"] == dt.date(2026, 5, 1)
    assert type(account.state["invoices"][0]["amount"]) is Money
    # List items stay text, as _loads leaves them.
    assert CARD.to_dict()["retry_timing"]["holidays"] == ["2026-05-04", "2026-05-05", "2026-05-06"]


@settings(max_examples=100, deadline=None)
@given(histories())
def test_replaying_events_gives_the_state(history: tuple[str, list[tuple[dict[str, Any], dt.date]]]) -> None:
    policy, commands = history
    account, log = run(policy, commands)
    replayed = Receivables(POLICIES[policy])
    replayed.apply(log)
    assert replayed.state == account.state
    assert account.state == _loads(account.to_json())
    assert log == _loads(json.dumps(log, default=_encode))
    stored = Receivables(POLICIES[policy])
    stored.apply(json.loads(json.dumps(log, default=_encode)))
    assert stored.state == account.state
