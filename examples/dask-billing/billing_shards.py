#!/usr/bin/env python3
"""A billing run sharded over a Dask cluster, through memberkit's Python batch API.

The accounts live in shards: one directory per shard under a root, each
holding the shard's ledgers (``ledgers.jsonl``: one :class:`Account` as
memberkit's JSON per line) and the memberships' events (``events.jsonl``:
``{"account": ID, "events": [...]}`` per line, in the same order). The
business (plans and billing config) is ``business.json`` at the root.
Accounts go to shards by a stable hash of their id (:func:`shard_of`), so an
account stays in its shard from run to run.

A run through a date is one Dask task per shard (:func:`bill_shard`): it
loads the shard's ledgers and events, bills them with one
:func:`memberkit.billing.bill_many` call (the GIL released), and writes the
documents issued to ``documents-YYYY-MM-DD.jsonl`` and the updated ledgers
back to ``ledgers.jsonl``, each written to a temporary file first and put in
place with :func:`os.replace`; the ledger goes last, so it is the commit.
Since a ledger records what was billed, a rerun of a shard through the same
date issues nothing and leaves its files as they were; a rerun after a
crash between the two replaces issues the same documents again (their ids
follow from the ledger) and writes the same file.

The client (:func:`main`) connects to a real cluster (``--scheduler
tcp://host:8786``; the workers need memberkit installed and the root on a
file system they all see) or starts a ``LocalCluster`` of two worker
processes::

    python billing_shards.py prepare ROOT --accounts 20000 --shards 8
    python billing_shards.py run ROOT --through 2026-05-01 [--scheduler ADDRESS]

Only the standard library, memberkit and dask/distributed are used.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from memberkit import Money
from memberkit.billing import Account, BillingConfig, EventLog, bill_many
from memberkit.errors import MemberkitError
from memberkit.membership import Catalog, Membership

if TYPE_CHECKING:
    from distributed import Client

LEDGERS = "ledgers.jsonl"
EVENTS = "events.jsonl"
BUSINESS = "business.json"
_ACCOUNT_PREFIX = '{"account":'
_EVENTS_KEY = ',"events":'

History = tuple[Account, EventLog]


# --- The business and its members (deterministic test data) -------------------

FIRST_START = dt.date(2026, 4, 1)
PLAN_CHANGE = dt.date(2026, 5, 10)

# (id, name, monthly price in yen, tax included)
PLANS = [
    ("regular", "Regular", 8800),
    ("premium", "Premium", 13200),
    ("light", "Light", 5500),
    ("night", "Night", 6600),
]


def business() -> dict[str, Any]:
    """The plans and billing config of the example's business: monthly plans
    billed in advance on the 1st, prices including 10 % consumption tax."""
    plans = [
        {
            "id": plan,
            "name": name,
            "price": {"amount": str(price), "currency": "JPY"},
            "price_includes_tax": True,
            "interval": {"unit": "month", "count": 1},
        }
        for plan, name, price in PLANS
    ]
    return {"plans": plans, "config": {}}


def load_business(root: Path) -> tuple[Catalog, BillingConfig]:
    """The catalog and config stored at ``root``."""
    stored = json.loads((root / BUSINESS).read_text(encoding="utf-8"))
    return Catalog(stored["plans"]), BillingConfig(stored["config"])


def account_id(index: int) -> str:
    return f"m-{index:08d}"


def members(catalog: Catalog, first: int, count: int) -> Iterator[History]:
    """Accounts ``first`` .. ``first + count - 1`` with their events: members
    joining on each day from Apr 1 to May 1 in turn, plans in turn (the
    shapes of ``benches/billing_compare.py``); every 7th member changes to
    the next plan on May 10 (May's fee of the old plan stops on the 9th, the
    new plan's is prorated from the 10th), and
    every 10th has a towel rental charged on its first day. Alike members
    share one parsed :class:`EventLog`."""
    logs: dict[tuple[int, int, bool], EventLog] = {}
    for index in range(first, first + count):
        plan = index % len(PLANS)
        day = index % 31
        change = index % 7 == 3
        key = (plan, day, change)
        log = logs.get(key)
        if log is None:
            start = FIRST_START + dt.timedelta(days=day)
            member = Membership(catalog)
            member.execute({"type": "join", "plan": PLANS[plan][0], "start": start}, start)
            if change:
                member.execute({"type": "change_plan", "plan": PLANS[(plan + 1) % len(PLANS)][0], "when": "now"}, PLAN_CHANGE)
            log = logs[key] = member.events
        charges = []
        if index % 10 == 0:
            on = FIRST_START + dt.timedelta(days=day)
            charges.append(
                {
                    "id": "towel",
                    "on": on,
                    "description": "Towel rental",
                    "amount": Money(220, "JPY"),
                    "tax": {"rate": "standard", "included": True},
                }
            )
        yield Account(account_id(index), charges), log


# --- Shards on disk -----------------------------------------------------------


def shard_of(account: str, shards: int) -> int:
    """The shard of an account: a stable hash of its id (CRC-32, the same in
    every process and on every machine, unlike :func:`hash`)."""
    return zlib.crc32(account.encode("utf-8")) % shards


def shard_dir(root: Path, shard: int) -> Path:
    return root / f"shard-{shard:05d}"


def shard_dirs(root: Path) -> list[Path]:
    """The shards under ``root``, in order."""
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("shard-"))


def _events_line(account: str, log: EventLog) -> str:
    return f"{_ACCOUNT_PREFIX}{json.dumps(account)}{_EVENTS_KEY}{log.to_json()}}}\n"


def write_atomic(path: Path, lines: Iterable[str], durable: bool = True) -> None:
    """Writes ``lines`` to a temporary file beside ``path`` (flushed to disk
    when ``durable``), then puts it in place with :func:`os.replace`: a reader
    (or a crash) sees the old file or the new one, never a part."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            out.writelines(lines)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    if durable:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def write_shard(directory: Path, histories: Iterable[History], durable: bool = True) -> int:
    """Writes one shard's ledgers and events; returns how many accounts."""
    directory.mkdir(parents=True, exist_ok=True)
    ledgers: list[str] = []
    events: list[str] = []
    for account, log in histories:
        ledgers.append(account.to_json() + "\n")
        events.append(_events_line(account.id, log))
    write_atomic(directory / EVENTS, events, durable)
    write_atomic(directory / LEDGERS, ledgers, durable)
    return len(ledgers)


def prepare(root: Path, histories: Iterable[History], shards: int, durable: bool = True) -> list[Path]:
    """Writes the business and ``histories`` under ``root``, each account in
    the shard :func:`shard_of` gives; returns the shards' directories."""
    root.mkdir(parents=True, exist_ok=True)
    write_atomic(root / BUSINESS, [json.dumps(business(), indent=1) + "\n"], durable)
    parts: list[list[History]] = [[] for _ in range(shards)]
    for history in histories:
        parts[shard_of(history[0].id, shards)].append(history)
    directories = [shard_dir(root, shard) for shard in range(shards)]
    for directory, part in zip(directories, parts):
        write_shard(directory, part, durable)
    return directories


def load_shard(directory: Path) -> list[History]:
    """A shard's accounts and events. Each events line is cut, not parsed in
    Python: its events array goes to :meth:`EventLog.from_json` as text."""
    return _read_shard(directory)[0]


def _read_shard(directory: Path) -> tuple[list[History], list[str]]:
    """:func:`load_shard`, and the ledgers' lines as read."""
    histories: list[History] = []
    lines: list[str] = []
    with open(directory / LEDGERS, encoding="utf-8") as ledgers, open(directory / EVENTS, encoding="utf-8") as events:
        for number, (ledger, line) in enumerate(zip(ledgers, events, strict=True), start=1):
            account = Account.from_json(ledger)
            lines.append(ledger if ledger.endswith("\n") else ledger + "\n")
            cut = line.find(_EVENTS_KEY)
            if not line.startswith(_ACCOUNT_PREFIX) or cut < 0:
                raise ValueError(f"{directory / EVENTS}:{number}: not an events line")
            owner = json.loads(line[len(_ACCOUNT_PREFIX) : cut])
            if owner != account.id:
                raise ValueError(f"{directory}: line {number} has the ledger of {account.id!r} and the events of {owner!r}")
            histories.append((account, EventLog.from_json(line[cut + len(_EVENTS_KEY) : line.rindex("}")])))
    return histories, lines


def documents_path(directory: Path, through: dt.date) -> Path:
    return directory / f"documents-{through.isoformat()}.jsonl"


def errors_path(directory: Path, through: dt.date) -> Path:
    return directory / f"errors-{through.isoformat()}.jsonl"


# --- The task -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ShardResult:
    """What billing one shard did: accounts billed, documents newly issued,
    accounts refused (their ledgers left as they were), and where the time
    went (seconds)."""

    shard: str
    accounts: int
    documents: int
    errors: int
    load_seconds: float
    bill_seconds: float
    write_seconds: float


def bill_shard(directory: str, through: str, durable: bool = True) -> ShardResult:
    """One shard's billing through ``through`` (ISO date): loads, bills with
    one ``bill_many``, writes the documents issued then the updated ledgers,
    each atomically. A rerun (no ledger changed): nothing written."""
    shard = Path(directory)
    day = dt.date.fromisoformat(through)
    began = time.perf_counter()
    catalog, config = load_business(shard.parent)
    histories, before = _read_shard(shard)
    loaded = time.perf_counter()
    runs = bill_many(catalog, config, histories, day)
    billed = time.perf_counter()

    issued: dict[str, str] = {}
    errors: list[str] = []
    ledgers: list[str] = []
    changed = False
    for (account, _), run, ledger in zip(histories, runs, before):
        if isinstance(run, MemberkitError):
            errors.append(json.dumps({"account": account.id, "kind": run.kind, "message": str(run)}) + "\n")
            ledgers.append(ledger)  # left as it was
            continue
        for doc in run:
            issued[doc.id] = doc.to_json() + "\n"
        after = account.to_json() + "\n"
        changed = changed or after != ledger
        ledgers.append(after)
    if issued:
        path = documents_path(shard, day)
        # Documents of this date kept from an earlier attempt (accounts that
        # failed then, or a crash before the ledger was replaced) stay; one
        # issued again replaces its own line (same id, same content).
        kept: dict[str, str] = {}
        if path.exists():
            with open(path, encoding="utf-8") as old:
                kept = {json.loads(line)["id"]: line for line in old}
        kept.update(issued)
        write_atomic(path, kept.values(), durable)
    if changed:  # the commit: after the documents
        write_atomic(shard / LEDGERS, ledgers, durable)
    failed = errors_path(shard, day)
    if errors:
        write_atomic(failed, errors, durable)
    elif failed.exists():
        failed.unlink()
    written = time.perf_counter()
    return ShardResult(
        shard.name, len(histories), len(issued), len(errors), loaded - began, billed - loaded, written - billed
    )


def run(client: Client, root: Path, through: dt.date, durable: bool = True) -> list[ShardResult]:
    """Bills every shard under ``root`` through ``through``: one task per
    shard on the client's cluster; the results in shard order."""
    directories = [str(d) for d in shard_dirs(root)]
    futures = client.map(bill_shard, directories, through=through.isoformat(), durable=durable, pure=False)
    results: list[ShardResult] = client.gather(futures)  # type: ignore[no-untyped-call]
    return results


def read_documents(root: Path, through: dt.date) -> list[dict[str, Any]]:
    """Every document a run through ``through`` wrote, as memberkit's JSON
    read with ``json.loads``, shard by shard."""
    documents: list[dict[str, Any]] = []
    for directory in shard_dirs(root):
        path = documents_path(directory, through)
        if path.exists():
            with open(path, encoding="utf-8") as lines:
                documents.extend(json.loads(line) for line in lines)
    return documents


# --- The client ---------------------------------------------------------------


def connect(scheduler: str | None, workers: int = 2) -> Client:
    """A client of the cluster at ``scheduler``, or of a new ``LocalCluster``
    of ``workers`` worker processes (one thread each: ``bill_many`` releases
    the GIL, but a process per core also parallelises the loading and
    writing in Python). A real cluster's workers are sent this module
    (``upload_file``), so only memberkit has to be installed there; a
    LocalCluster's are started with this process's ``sys.path``. (The
    scheduler of a LocalCluster runs in this process, where an upload would
    import this module a second time.)"""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)  # type: ignore[no-untyped-call]
        client.upload_file(__file__)
    else:
        cluster = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None)  # type: ignore[no-untyped-call]
        client = Client(cluster)  # type: ignore[no-untyped-call]
    return client


def close(client: Client) -> None:
    """Closes the client, and the cluster when the client started it."""
    cluster = client.cluster
    client.close()  # type: ignore[no-untyped-call]
    if cluster is not None:
        cluster.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("prepare", help="write generated accounts and events into shards")
    make.add_argument("root", type=Path)
    make.add_argument("--accounts", type=int, default=20_000)
    make.add_argument("--shards", type=int, default=8)
    bill = commands.add_parser("run", help="bill every shard through a date")
    bill.add_argument("root", type=Path)
    bill.add_argument("--through", type=dt.date.fromisoformat, default=dt.date(2026, 5, 1))
    bill.add_argument("--scheduler", help="a running scheduler's address (default: a LocalCluster)")
    bill.add_argument("--workers", type=int, default=2, help="worker processes of the LocalCluster")
    args = parser.parse_args(argv)

    if args.command == "prepare":
        catalog = Catalog(business()["plans"])
        directories = prepare(args.root, members(catalog, 0, args.accounts), args.shards)
        print(f"{args.accounts} accounts in {len(directories)} shards under {args.root}")
        return 0
    client = connect(args.scheduler, args.workers)
    try:
        began = time.perf_counter()
        results = run(client, args.root, args.through)
        seconds = time.perf_counter() - began
    finally:
        close(client)
    for result in results:
        print(f"{result.shard}: {result.accounts} accounts, {result.documents} documents, {result.errors} refused")
    accounts = sum(r.accounts for r in results)
    documents = sum(r.documents for r in results)
    print(f"{accounts} accounts, {documents} documents in {seconds:.2f} s through {args.through}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
