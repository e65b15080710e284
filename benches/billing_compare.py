#!/usr/bin/env python3
"""Billing from Python: memberkit's batch API against the same rules in plain Python.

Design §8 asks the Python batch API (``memberkit.billing.bill_many``) to bill
at least 20× as fast as a straightforward pure-Python implementation
(python-dateutil + decimal) of the same rules. Both run here, in one process,
on the same generated subscriptions, and must agree on every invoice.

The rules: monthly plans billed in advance on the 1st, prices including the
10 % consumption tax. A member who joins after the 1st first pays
``price × days_left / days_in_period`` for the rest of that month, rounded
down (日割り); each invoice's tax is ``total × 10 / 110``, rounded down once.
Every subscription is billed from its start through one billing date.

memberkit's side is timed as the criterion benchmarks time ``bill_all``: the
batch call on its input, the input made before the clock starts (as the
plain side's ``Subscription`` objects are). The input is a new ``Account``
per subscription, made fresh for every run since billing records the run in
it, paired with the membership's events parsed once into an ``EventLog``;
``bill_many`` returns one ``Documents`` per account, a read-only sequence
whose ``Document`` objects are made only as they are read. The run with the
``Account`` objects made inside the clock is timed and printed too. The
runs take turns, one of each per round, and each keeps its fastest, so that
a slow spell of a shared machine cannot fall on one side alone. The check
that both sides agree reads the documents' attributes outside the timed
region. A JSON-text path (histories as JSON text in, JSON text out read
with plain ``json.loads``) is timed too, for hosts that keep their data as
JSON.

Run from the repository root, after ``scripts/setup-python.sh``::

    .venv/bin/pip install -r benches/requirements.txt
    .venv/bin/python benches/billing_compare.py [--accounts 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import sys
import time
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Callable, Sequence, TypeVar

from dateutil.relativedelta import relativedelta

from memberkit.billing import Account, BillingConfig, Documents, EventLog, bill_many, bill_many_json
from memberkit.errors import MemberkitError
from memberkit.membership import Catalog, Membership

T = TypeVar("T")

BILLING_DATE = dt.date(2026, 5, 1)
FIRST_START = dt.date(2026, 4, 1)
TAX_RATE = Decimal("0.10")

# (id, name, monthly price in yen, tax included)
PLANS = [
    ("regular", "Regular", 8800),
    ("premium", "Premium", 13200),
    ("light", "Light", 5500),
    ("night", "Night", 6600),
]

# What each invoice comes to: (date, total, tax), in yen.
Summary = list[tuple[dt.date, int, int]]


@dataclass(frozen=True)
class Subscription:
    """One member's monthly plan from ``start``."""

    account: str
    plan: str
    name: str
    price: Decimal
    start: dt.date


def subscriptions(count: int) -> list[Subscription]:
    """``count`` subscriptions starting on each day from Apr 1 to May 1 in
    turn (a 31st of them on the 1st, unprorated), plans in turn."""
    subs = []
    for i in range(count):
        plan, name, price = PLANS[i % len(PLANS)]
        start = FIRST_START + dt.timedelta(days=i % 31)
        subs.append(Subscription(f"m-{i:06d}", plan, name, Decimal(price), start))
    return subs


# --- The rules, written plainly in Python -------------------------------------


def bill_plain(subs: Sequence[Subscription], through: dt.date) -> list[list[dict[str, Any]]]:
    """Each subscription's invoices from its start through ``through``."""
    return [bill_one(sub, through) for sub in subs]


def bill_one(sub: Subscription, through: dt.date) -> list[dict[str, Any]]:
    lines_by_date: dict[dt.date, list[dict[str, Any]]] = {}
    period_start = sub.start.replace(day=1)
    while period_start <= through:
        period_end = period_start + relativedelta(months=1)
        first_day = max(sub.start, period_start)
        if first_day <= through:
            lines_by_date.setdefault(first_day, []).append(fee_line(sub, period_start, period_end, first_day))
        period_start = period_end
    invoices = []
    for number, (day, lines) in enumerate(sorted(lines_by_date.items()), start=1):
        total = sum((line["amount"] for line in lines), Decimal(0))
        tax = (total * TAX_RATE / (1 + TAX_RATE)).quantize(Decimal(1), rounding=ROUND_FLOOR)
        invoices.append(
            {
                "id": f"{sub.account}-{day:%Y%m%d}-{number}",
                "date": day,
                "lines": lines,
                "taxes": [{"rate": "standard", "percent": TAX_RATE, "taxable": total, "tax": tax}],
                "total": total,
            }
        )
    return invoices


def fee_line(sub: Subscription, period_start: dt.date, period_end: dt.date, first_day: dt.date) -> dict[str, Any]:
    """The plan fee from ``first_day`` to the period's end: prorated by days."""
    days = (period_end - first_day).days
    whole = (period_end - period_start).days
    if days == whole:
        amount, proration = sub.price, None
    else:
        amount = (sub.price * days / whole).quantize(Decimal(1), rounding=ROUND_FLOOR)
        proration = f"{days}/{whole}"
    last_day = period_end - dt.timedelta(days=1)
    return {
        "description": f"{sub.name} fee, {first_day} to {last_day}",
        "plan": sub.plan,
        "period": {"start": first_day, "end": period_end},
        "unit_price": sub.price,
        "proration": proration,
        "amount": amount,
    }


def plain_summary(invoices: list[dict[str, Any]]) -> Summary:
    return [(doc["date"], int(doc["total"]), int(doc["taxes"][0]["tax"])) for doc in invoices]


# --- memberkit ------------------------------------------------------------------


def catalog() -> Catalog:
    return Catalog(
        [
            {
                "id": plan,
                "name": name,
                "price": {"amount": str(price), "currency": "JPY"},
                "price_includes_tax": True,
                "interval": {"unit": "month", "count": 1},
            }
            for plan, name, price in PLANS
        ]
    )


def event_logs(cat: Catalog, subs: Sequence[Subscription]) -> list[EventLog]:
    """The join's events (made on the start date) per subscription, parsed
    once; subscriptions alike share their log."""
    logs: dict[tuple[str, dt.date], EventLog] = {}
    for sub in subs:
        key = (sub.plan, sub.start)
        if key not in logs:
            join = {"type": "join", "plan": sub.plan, "start": sub.start}
            logs[key] = EventLog(Membership(cat).execute(join, sub.start))
    return [logs[(sub.plan, sub.start)] for sub in subs]


def new_histories(subs: Sequence[Subscription], logs: Sequence[EventLog]) -> list[tuple[Account, EventLog]]:
    """The input of one ``bill_many``: a new account per subscription, with its events."""
    return [(Account(sub.account), log) for sub, log in zip(subs, logs)]


def bill_memberkit(
    cat: Catalog, config: BillingConfig, subs: Sequence[Subscription], logs: Sequence[EventLog], through: dt.date
) -> list[Documents | MemberkitError]:
    """A new account per subscription, all billed with one ``bill_many``."""
    return bill_many(cat, config, new_histories(subs, logs), through)


def memberkit_summary(run: Documents | MemberkitError) -> Summary:
    if isinstance(run, Exception):
        raise run
    return [(doc.date, doc.total.minor, doc.taxes[0].tax.minor) for doc in run]


def histories_json(subs: Sequence[Subscription], logs: Sequence[EventLog]) -> str:
    """The JSON-text path's input: a new account and its events per subscription."""
    items = [f'{{"account":{Account(sub.account).to_json()},"events":{log.to_json()}}}' for sub, log in zip(subs, logs)]
    return "[" + ",".join(items) + "]"


def json_summary(run: dict[str, Any]) -> Summary:
    """:func:`memberkit_summary` of a run read with plain ``json.loads``."""
    return [
        (dt.date.fromisoformat(doc["date"]), int(doc["total"]["amount"]), int(doc["taxes"][0]["tax"]["amount"]))
        for doc in run["documents"]
    ]


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


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The fastest of ``repeat`` runs (seconds) and the last result, the
    previous run's result freed before the next starts."""
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None
        seconds, result = timed(run)
        best = min(best, seconds)
    assert result is not None
    return best, result


def best_of_turns(repeat: int, runs: Sequence[Callable[[], Callable[[], object]]]) -> list[float]:
    """The fastest of ``repeat`` rounds for each run (seconds). Each item of
    ``runs`` makes a run ready (its fresh input, before the clock starts);
    the runs take turns in every round, so that a slow spell of a shared
    machine falls on all of them alike; each result is freed before the next
    run."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for i, ready in enumerate(runs):
            best[i] = min(best[i], timed(ready())[0])
    return best


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)  # as timeit repeats
    args = parser.parse_args(argv)

    subs = subscriptions(args.accounts)
    cat, config = catalog(), BillingConfig()
    logs = event_logs(cat, subs)
    through = BILLING_DATE

    def plain_run() -> Callable[[], object]:
        return lambda: bill_plain(subs, through)

    def batch_run() -> Callable[[], object]:
        histories = new_histories(subs, logs)  # the input, made before the clock starts
        return lambda: bill_many(cat, config, histories, through)

    def end_to_end_run() -> Callable[[], object]:
        return lambda: bill_memberkit(cat, config, subs, logs, through)

    plain_s, batch_s, end_to_end_s = best_of_turns(args.repeat, [plain_run, batch_run, end_to_end_run])

    # Both sides must agree on every invoice.
    plain = bill_plain(subs, through)
    invoices = sum(len(docs) for docs in plain)
    expected = [plain_summary(docs) for docs in plain]
    got = [memberkit_summary(run) for run in bill_memberkit(cat, config, subs, logs, through)]
    mismatched = [sub.account for sub, e, g in zip(subs, expected, got) if e != g]
    if mismatched:
        print(f"MISMATCH on {len(mismatched)} accounts, e.g. {mismatched[:5]}", file=sys.stderr)
        first = next(i for i, (e, g) in enumerate(zip(expected, got)) if e != g)
        print(f"  plain Python: {expected[first]}\n  memberkit:    {got[first]}", file=sys.stderr)
        return 1

    # The JSON-text path: histories kept as JSON text by the host.
    payload = histories_json(subs, logs)
    json_path_s, json_runs = best_of(
        args.repeat, lambda: json.loads(bill_many_json(cat, config, payload, through))
    )
    assert [json_summary(run) for run in json_runs] == expected

    def per_invoice(seconds: float) -> str:
        return f"{seconds * 1e3:8.1f} ms  {seconds / invoices * 1e6:6.2f} µs/invoice  {invoices / seconds:>11,.0f} invoices/s"

    print(f"{args.accounts:,} monthly subscriptions billed through {through}: {invoices:,} invoices, all alike")
    print(f"  plain Python (dateutil + decimal)     {per_invoice(plain_s)}")
    print(f"  memberkit bill_many                   {per_invoice(batch_s)}")
    print(f"  memberkit, making the Accounts too    {per_invoice(end_to_end_s)}")
    print(f"  memberkit, JSON text in and out       {per_invoice(json_path_s)}")
    print(f"ratio plain / bill_many:                    {plain_s / batch_s:5.1f}×  (target ≥ 20×)")
    print(f"ratio plain / bill_many, making Accounts:   {plain_s / end_to_end_s:5.1f}×")
    print(f"ratio plain / JSON-text path:               {plain_s / json_path_s:5.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
