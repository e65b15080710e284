#!/usr/bin/env python3
"""Dunning from Python: memberkit's batch advance against the same rules in plain Python.

The issue asks the Python batch API (``memberkit.dunning.advance_all``) to
advance accounts at least 20× as fast as a straightforward pure-Python
implementation of the same rules. Both run here, in one process, on the same
generated accounts, and must agree on every event.

The rules: a card policy. An invoice's case starts on its first failed
payment; a reminder goes out that day (day 0, taken when the failure is
reported); the grace period ends on day 3 (the invoice is overdue and the
account past due); the payment is retried on days 3, 7 and 14 (a retry
falling on a weekend or a holiday moves to the next business day; at most
three); bookings are restricted on day 7, a final reminder goes out on
day 10, and the membership is suspended on day 14. After each day's invoice
events come the account's: past due, restricted, suspended, each once.

Each account has one ¥8,800 invoice whose payment failed on one of the 31
days up to the advance date (in turn), so the accounts stand at every stage
of the case. Two runs:

- ``catch-up``: no account has been advanced since its failure; the advance
  takes every step due since then (up to ten events per account).
- ``daily``: every account was advanced through the day before; the advance
  takes that day's steps only, as a nightly run does.

memberkit's side is timed as ``billing_compare.py`` times ``bill_many``: the
batch call on its input, made before the clock starts (the accounts read
from their stored JSON state, as a host loads them), as the plain side's
``Account`` objects are. ``advance_all`` returns the accounts that changed,
each with an ``Events`` sequence whose event dicts are made only when read;
the same run with every event read as a dict (``Events.to_list``) is timed
and printed too. The runs take turns, one of each per round, each keeping
its fastest, so that a slow spell of a shared machine falls on all of them
alike. Outside the timed region the script checks that both sides change the
same accounts with the same number of events of each kind, and that the
events of a sample of accounts are identical.

Run from the repository root, after ``scripts/setup-python.sh``::

    .venv/bin/python benches/dunning_compare.py [--accounts 100000] [--repeat 5] [--runs catch-up,daily]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gc
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Sequence, TypeVar

from memberkit import Money
from memberkit.dunning import Events, Policy, Receivables, advance_all

T = TypeVar("T")

AT = dt.date(2026, 5, 15)
CASE_DAYS = 31  # failures on each of the 31 days up to AT, in turn
AMOUNT = Decimal(8800)
HOLIDAYS = [dt.date(2026, 5, 4), dt.date(2026, 5, 5), dt.date(2026, 5, 6)]

POLICY: dict[str, Any] = {
    "currency": "JPY",
    "grace_days": 3,
    "max_retries": 3,
    "retry_timing": {"skip_weekends": True, "holidays": [day.isoformat() for day in HOLIDAYS]},
    "steps": [
        {"day": 0, "action": "remind", "channel": "email", "template": "payment_failed"},
        {"day": 3, "action": "retry"},
        {"day": 7, "action": "retry"},
        {"day": 7, "action": "restrict", "restriction": "no_new_bookings"},
        {"day": 10, "action": "remind", "channel": "sms", "template": "final_notice"},
        {"day": 14, "action": "suspend"},
        {"day": 14, "action": "retry"},
    ],
}


def failure_date(i: int) -> dt.date:
    return AT - dt.timedelta(days=i % CASE_DAYS)


def invoice_id(i: int) -> str:
    return f"m-{i:07d}-1"


# --- The rules, written plainly in Python -------------------------------------

GOOD, PAST_DUE, SUSPENDED, CANCELLED = 0, 1, 2, 3
STANDINGS = ["good", "past_due", "suspended", "cancelled"]
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Step:
    day: int
    action: str
    channel: str | None = None
    template: str | None = None
    restriction: str | None = None


@dataclass(frozen=True)
class PlainPolicy:
    grace_days: int
    max_retries: int
    skip_weekends: bool
    holidays: frozenset[dt.date]
    steps: tuple[Step, ...]

    @staticmethod
    def from_dict(policy: dict[str, Any]) -> PlainPolicy:
        timing = policy.get("retry_timing", {})
        return PlainPolicy(
            grace_days=policy.get("grace_days", 0),
            max_retries=policy["max_retries"],
            skip_weekends=timing.get("skip_weekends", False),
            holidays=frozenset(dt.date.fromisoformat(day) for day in timing.get("holidays", [])),
            steps=tuple(Step(**step) for step in policy["steps"]),
        )

    def retry_day(self, day: dt.date) -> dt.date:
        """A retry planned for ``day`` moves past weekends (if skipped) and holidays."""
        while (self.skip_weekends and day.weekday() >= 5) or day in self.holidays:
            day += ONE_DAY
        return day

    def step_date(self, start: dt.date, step: Step) -> dt.date:
        day = start + dt.timedelta(days=step.day)
        return self.retry_day(day) if step.action == "retry" else day


@dataclass
class Invoice:
    id: str
    amount: Decimal
    due: dt.date
    first_failed_on: dt.date | None = None
    paid: Decimal = Decimal(0)
    retries: int = 0
    fired: set[int] = field(default_factory=set)
    overdue: bool = False
    level: int = GOOD
    restrictions: set[str] = field(default_factory=set)

    def balance(self) -> Decimal:
        return self.amount - self.paid

    def is_open(self) -> bool:
        return self.balance() > 0


@dataclass
class Account:
    invoices: list[Invoice]
    standing: int = GOOD
    restrictions: list[str] = field(default_factory=list)
    method_update_requested: dt.date | None = None
    updated_on: dt.date | None = None


def yen(amount: Decimal) -> dict[str, Any]:
    return {"amount": amount, "currency": "JPY"}


def advance(account: Account, policy: PlainPolicy, at: dt.date) -> list[dict[str, Any]]:
    """Takes every step due by ``at``, day by day, and returns the events."""
    if account.updated_on is not None and at < account.updated_on:
        raise ValueError(f"a command on {at} comes before the account's latest event on {account.updated_on}")
    floor = account.updated_on  # a step due before the latest event is taken on its date
    events: list[dict[str, Any]] = []
    while True:
        day = next_day(account, policy, at, floor)
        if day is None:
            break
        take_day(account, policy, day, floor, events)
    settle(account, at, events)
    return events


def next_day(account: Account, policy: PlainPolicy, at: dt.date, floor: dt.date | None) -> dt.date | None:
    """The earliest day, no later than ``at``, on which something is due."""
    best = None
    for invoice in account.invoices:
        start = invoice.first_failed_on
        if start is None or not invoice.is_open():
            continue
        due = [] if invoice.overdue else [start + dt.timedelta(days=policy.grace_days)]
        due += [policy.step_date(start, step) for k, step in enumerate(policy.steps) if k not in invoice.fired]
        for day in due:
            if floor is not None and day < floor:
                day = floor
            if day <= at and (best is None or day < best):
                best = day
    return best


def take_day(account: Account, policy: PlainPolicy, day: dt.date, floor: dt.date | None, events: list[dict[str, Any]]) -> None:
    for invoice in account.invoices:
        start = invoice.first_failed_on
        if start is None or not invoice.is_open():
            continue
        if not invoice.overdue and max(start + dt.timedelta(days=policy.grace_days), floor or start) <= day:
            invoice.overdue = True
            invoice.level = max(invoice.level, PAST_DUE)
            record(account, events, {"type": "overdue", "on": day, "invoice": invoice.id})
        for k, step in enumerate(policy.steps):
            if k in invoice.fired or max(policy.step_date(start, step), floor or start) > day:
                continue
            invoice.fired.add(k)
            record(account, events, step_event(account, policy, invoice, k, step, day))
    settle(account, day, events)


def step_event(account: Account, policy: PlainPolicy, invoice: Invoice, k: int, step: Step, day: dt.date) -> dict[str, Any]:
    base = {"on": day, "invoice": invoice.id, "step": k}
    if step.action == "retry":
        if account.method_update_requested is not None:
            return {"type": "retry_skipped", **base, "reason": "hard_decline"}
        if invoice.retries >= policy.max_retries:
            return {"type": "retry_skipped", **base, "reason": "max_retries"}
        invoice.retries += 1
        return {"type": "retry_due", **base, "attempt": invoice.retries, "amount": yen(invoice.balance())}
    if step.action == "remind":
        return {"type": "reminder_due", **base, "channel": step.channel, "template": step.template, "amount": yen(invoice.balance())}
    if step.action == "restrict":
        assert step.restriction is not None
        invoice.restrictions.add(step.restriction)
        return {"type": "escalated", **base, "escalation": {"restrict": step.restriction}}
    if step.action == "suspend":
        invoice.level = max(invoice.level, SUSPENDED)
        return {"type": "escalated", **base, "escalation": "suspend"}
    if step.action == "cancel":
        invoice.level = CANCELLED
        return {"type": "escalated", **base, "escalation": "cancel"}
    raise ValueError(f"the benchmark's rules have no {step.action!r} step")


def settle(account: Account, day: dt.date, events: list[dict[str, Any]]) -> None:
    """The account events that bring its standing and restrictions to what its invoices put in force."""
    if not account.invoices:
        return
    standing, restrictions = GOOD, set()
    for invoice in account.invoices:
        if invoice.is_open():
            standing = max(standing, invoice.level)
            restrictions |= invoice.restrictions
    if standing > account.standing:
        record(account, events, {"type": ["", "marked_past_due", "suspended", "cancelled"][standing], "on": day})
        account.standing = standing
    for restriction in sorted(restrictions):
        if restriction not in account.restrictions:
            record(account, events, {"type": "restricted", "on": day, "restriction": restriction})
    account.restrictions = sorted(restrictions)


def record(account: Account, events: list[dict[str, Any]], event: dict[str, Any]) -> None:
    events.append(event)
    if account.updated_on is None or event["on"] > account.updated_on:
        account.updated_on = event["on"]


def advance_plain(accounts: Sequence[Account], policy: PlainPolicy, at: dt.date) -> list[tuple[int, list[dict[str, Any]]]]:
    """The accounts that changed, by index, with their events."""
    changed = []
    for i, account in enumerate(accounts):
        events = advance(account, policy, at)
        if events:
            changed.append((i, events))
    return changed


def plain_accounts(count: int, policy: PlainPolicy, through: dt.date | None) -> list[Account]:
    """Each account as it stands after its failure (the day-0 reminder sent),
    advanced through ``through`` if given."""
    accounts = []
    for i in range(count):
        failed = failure_date(i)
        invoice = Invoice(invoice_id(i), AMOUNT, failed, first_failed_on=failed, fired={0})
        account = Account([invoice], updated_on=failed)
        if through is not None and through >= failed:
            advance(account, policy, through)
        accounts.append(account)
    return accounts


# --- memberkit ------------------------------------------------------------------


def state_templates(policy: Policy, through: dt.date | None) -> list[str]:
    """Per failure date, the stored JSON state of an account after its failure
    (and advanced through ``through`` if given), its invoice id a placeholder."""
    templates = []
    for offset in range(CASE_DAYS):
        failed = AT - dt.timedelta(days=offset)
        account = Receivables(policy)
        money = Money(AMOUNT, "JPY")
        account.execute({"type": "invoice_issued", "invoice": "@ID@", "amount": money, "due": failed}, failed)
        account.execute({"type": "payment_failed", "invoice": "@ID@", "amount": money, "decline": "soft"}, failed)
        if through is not None and through >= failed:
            account.execute({"type": "advance"}, through)
        templates.append(account.to_json())
    return templates


def stored_states(count: int, templates: Sequence[str]) -> list[str]:
    return [templates[i % CASE_DAYS].replace("@ID@", invoice_id(i)) for i in range(count)]


def load_accounts(policy: Policy, states: Sequence[str]) -> list[Receivables]:
    """The accounts read from their stored JSON state, as a host loads them."""
    return [Receivables(policy, state) for state in states]


# --- Checking ---------------------------------------------------------------------


def normalized(event: dict[str, Any]) -> dict[str, Any]:
    """An event with its amounts as ``{"amount": Decimal, "currency": str}``, as the plain side writes them."""
    return {k: ({"amount": v.amount, "currency": v.currency} if isinstance(v, Money) else v) for k, v in event.items()}


def check(
    plain: list[tuple[int, list[dict[str, Any]]]],
    batch: Sequence[tuple[Receivables, Events | Exception]],
    accounts: Sequence[Receivables],
) -> tuple[int, collections.Counter[str]]:
    """That both sides changed the same accounts with as many events of each
    kind, and the same events for a sample; the number changed and the kinds."""
    index = {id(account): i for i, account in enumerate(accounts)}
    got: list[tuple[int, Events]] = []
    for account, outcome in batch:
        if isinstance(outcome, Exception):
            raise outcome
        got.append((index[id(account)], outcome))
    if [i for i, _ in plain] != [i for i, _ in got]:
        raise AssertionError("the two sides changed different accounts")
    plain_kinds = collections.Counter(event["type"] for _, events in plain for event in events)
    memberkit_kinds = collections.Counter(kind for _, events in got for kind in events.types())
    if plain_kinds != memberkit_kinds:
        raise AssertionError(f"events per kind differ:\n  plain Python: {plain_kinds}\n  memberkit:    {memberkit_kinds}")
    every = max(1, len(got) // 2000)
    for (i, expected), (_, events) in list(zip(plain, got))[::every]:
        if [normalized(e) for e in events.to_list()] != expected:
            raise AssertionError(f"account {i}: events differ:\n  plain Python: {expected}\n  memberkit:    {events.to_list()}")
    return len(got), plain_kinds


# --- Timing ---------------------------------------------------------------------


def timed(run: Callable[[], T]) -> tuple[float, T]:
    """One run (seconds) and its result, timed as ``timeit`` times: garbage
    collected before the clock starts, the cyclic collector off while it runs."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = run()
        return time.perf_counter() - start, result
    finally:
        gc.enable()


def best_of_turns(repeat: int, runs: Sequence[Callable[[], Callable[[], object]]]) -> list[float]:
    """The fastest of ``repeat`` rounds for each run (seconds). Each item of
    ``runs`` makes a run ready (its fresh input, before the clock starts);
    the runs take turns in every round; each result is freed before the next
    run is made ready."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for i, ready in enumerate(runs):
            run = ready()
            best[i] = min(best[i], timed(run)[0])
            del run
    return best


def read_all(changed: Sequence[tuple[Receivables, Events | Exception]]) -> list[tuple[Receivables, list[dict[str, Any]]]]:
    """Every event of a batch's result read as a dict."""
    return [(account, events.to_list()) for account, events in changed if isinstance(events, Events)]


def compare(name: str, count: int, repeat: int, through: dt.date | None) -> float:
    policy, plain_policy = Policy(POLICY), PlainPolicy.from_dict(POLICY)
    states = stored_states(count, state_templates(policy, through))

    def plain_run() -> Callable[[], object]:
        accounts = plain_accounts(count, plain_policy, through)
        return lambda: advance_plain(accounts, plain_policy, AT)

    def batch_run() -> Callable[[], object]:
        accounts = load_accounts(policy, states)
        return lambda: advance_all(accounts, policy, AT)

    def read_run() -> Callable[[], object]:
        accounts = load_accounts(policy, states)
        return lambda: read_all(advance_all(accounts, policy, AT))

    plain_s, batch_s, read_s = best_of_turns(repeat, [plain_run, batch_run, read_run])

    accounts = load_accounts(policy, states)
    changed, kinds = check(advance_plain(plain_accounts(count, plain_policy, through), plain_policy, AT), advance_all(accounts, policy, AT), accounts)
    events = sum(kinds.values())

    def per_account(seconds: float) -> str:
        return f"{seconds * 1e3:9.1f} ms  {seconds / count * 1e6:6.2f} µs/account  {count / seconds:>11,.0f} accounts/s"

    since = "advanced through the day before" if through else "never advanced since the failure"
    print(f"{name}: {count:,} accounts with one failed invoice each ({since}), advanced to {AT}:")
    print(f"  {changed:,} changed, {events:,} events: " + ", ".join(f"{kind} {n:,}" for kind, n in sorted(kinds.items())))
    print(f"  plain Python                         {per_account(plain_s)}")
    print(f"  memberkit advance_all                {per_account(batch_s)}")
    print(f"  memberkit, every event read as dict  {per_account(read_s)}")
    print(f"  ratio plain / advance_all:                  {plain_s / batch_s:5.1f}×  (target ≥ 20×)")
    print(f"  ratio plain / advance_all, events read:     {plain_s / read_s:5.1f}×")
    return plain_s / batch_s


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)  # as timeit repeats
    parser.add_argument("--runs", default="catch-up,daily", help="catch-up, daily or both (comma-separated)")
    args = parser.parse_args(argv)
    runs = {"catch-up": None, "daily": AT - ONE_DAY}
    for name in args.runs.split(","):
        compare(name, args.accounts, args.repeat, runs[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
