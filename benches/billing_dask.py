#!/usr/bin/env python3
"""A billing run sharded over Dask against the same shards billed by one process.

``examples/dask-billing/billing_shards.py`` bills one shard per Dask task:
load the shard's ledgers and events, one ``bill_many``, write the documents
and the updated ledgers. Here N accounts (default 10,000,000) are cut into
shards of ``--shard-size`` accounts by id range, and billed twice from fresh
input: by a ``LocalCluster`` of ``--workers`` worker processes (one thread
each), then by this process doing the same shards one after the other.

Each shard's input is generated where it is billed (a Dask task per shard
from its index and size, or this process), so the client never holds the
accounts; generation is its own phase, timed and printed apart. The billing
phase's time is the wall time of all its shards: loading, billing and
writing, as a host's run spends it (per-shard parts are summed and printed
too). After billing, a shard's files are removed (inside the phase's time)
so the disk holds the inputs and only the shards in flight; writes are not
flushed to disk (``--durable`` does, as the example's own command does).

Run from the repository root, after ``scripts/setup-python.sh`` and
``pip install -r examples/dask-billing/requirements.txt``::

    .venv/bin/python benches/billing_dask.py [--accounts 10000000] [--shard-size 250000] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples" / "dask-billing"))

import billing_shards as bs  # noqa: E402
from memberkit.membership import Catalog  # noqa: E402

THROUGH = dt.date(2026, 5, 1)


def generate(root: str, shard: int, first: int, count: int, durable: bool) -> int:
    """Writes shard ``shard``: accounts ``first`` .. ``first + count - 1``."""
    catalog = Catalog(bs.business()["plans"])
    return bs.write_shard(bs.shard_dir(Path(root), shard), bs.members(catalog, first, count), durable)


def bill_and_drop(directory: str, through: str, durable: bool) -> bs.ShardResult:
    """Bills one shard as the example does, then removes its files."""
    result = bs.bill_shard(directory, through, durable)
    shutil.rmtree(directory)
    return result


def shards(accounts: int, size: int) -> list[tuple[int, int, int]]:
    """(shard, first account, count) for every shard."""
    return [(i, first, min(size, accounts - first)) for i, first in enumerate(range(0, accounts, size))]


def prepare_root(base: Path, name: str) -> Path:
    root = base / name
    root.mkdir()
    bs.write_atomic(root / bs.BUSINESS, [json.dumps(bs.business()) + "\n"], durable=False)
    return root


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = run()
    return time.perf_counter() - began, result


def report(name: str, accounts: int, generate_s: float, bill_s: float, results: Sequence[bs.ShardResult]) -> float:
    invoices = sum(r.documents for r in results)
    assert sum(r.accounts for r in results) == accounts and not any(r.errors for r in results)
    load, billed, write = (sum(getattr(r, f) for r in results) for f in ("load_seconds", "bill_seconds", "write_seconds"))
    rate: float = invoices / bill_s
    print(
        f"{name:<22} {accounts:>11,} accounts {invoices:>11,} invoices  billing {bill_s:8.1f} s "
        f"{rate:>10,.0f} invoices/s  ({accounts / bill_s:,.0f} accounts/s; "
        f"summed over shards: load {load:.1f} s, bill_many {billed:.1f} s, write {write:.1f} s)  "
        f"generation {generate_s:.1f} s",
        flush=True,
    )
    return rate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=10_000_000)
    parser.add_argument("--shard-size", type=int, default=250_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="a running scheduler's address instead of a LocalCluster")
    parser.add_argument("--root", type=Path, help="where the shards go (default: a temporary directory)")
    parser.add_argument("--durable", action="store_true", help="fsync every file written, as a host would")
    args = parser.parse_args(argv)
    plan = shards(args.accounts, args.shard_size)
    base = Path(tempfile.mkdtemp(prefix="billing-dask-", dir=args.root))
    print(f"{args.accounts:,} accounts in {len(plan)} shards of up to {args.shard_size:,}, billed through {THROUGH}")
    try:
        client = bs.connect(args.scheduler, args.workers)
        try:
            workers = len(client.scheduler_info()["workers"])
            root = prepare_root(base, "dask")
            gen_s, _ = timed(
                lambda: client.gather(  # type: ignore[no-untyped-call]
                    client.map(
                        generate,
                        [str(root)] * len(plan),
                        *zip(*plan),
                        durable=args.durable,
                        pure=False,
                    )
                )
            )
            dirs = [str(bs.shard_dir(root, s)) for s, _, _ in plan]
            bill_s, results = timed(
                lambda: client.gather(  # type: ignore[no-untyped-call]
                    client.map(bill_and_drop, dirs, through=THROUGH.isoformat(), durable=args.durable, pure=False)
                )
            )
        finally:
            bs.close(client)
        sharded = report(f"Dask, {workers} workers", args.accounts, gen_s, bill_s, results)

        root = prepare_root(base, "one")
        gen_s, _ = timed(lambda: [generate(str(root), s, first, count, args.durable) for s, first, count in plan])
        dirs = [str(bs.shard_dir(root, s)) for s, _, _ in plan]
        bill_s, results = timed(lambda: [bill_and_drop(d, THROUGH.isoformat(), args.durable) for d in dirs])
        single = report("one process", args.accounts, gen_s, bill_s, results)
        print(f"Dask / one process: {sharded / single:.2f}x the invoices per second")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
