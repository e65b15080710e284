"""The sharded run on a LocalCluster of worker processes gives the documents
and ledgers of one process billing every account with one ``bill_many``,
and a rerun (of a shard or of the whole run) bills nothing and writes
nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import billing_shards as bs
import pytest
from memberkit.billing import Account, BillingConfig, bill_many
from memberkit.membership import Catalog

if TYPE_CHECKING:
    from distributed import Client

ACCOUNTS = 20_000
SHARDS = 8
MAY = dt.date(2026, 5, 1)
JUNE = dt.date(2026, 6, 1)

Snapshot = dict[str, tuple[bytes, int]]


def prepare(root: Path) -> None:
    catalog = Catalog(bs.business()["plans"])
    bs.prepare(root, bs.members(catalog, 0, ACCOUNTS), SHARDS, durable=False)


def by_account(documents: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for doc in documents:
        grouped.setdefault(doc["account"], []).append(doc)
    return grouped


class OneProcess:
    """The reference: every account billed in this process, one ``bill_many`` a date."""

    def __init__(self) -> None:
        stored = bs.business()
        self.catalog, self.config = Catalog(stored["plans"]), BillingConfig(stored["config"])
        self.histories = list(bs.members(self.catalog, 0, ACCOUNTS))

    def bill(self, through: dt.date) -> list[dict[str, Any]]:
        documents: list[dict[str, Any]] = []
        for run in bill_many(self.catalog, self.config, self.histories, through):
            assert not isinstance(run, Exception), run
            documents.extend(json.loads(doc.to_json()) for doc in run)
        return documents

    def ledgers(self) -> dict[str, Any]:
        return {account.id: json.loads(account.to_json()) for account, _ in self.histories}


def ledgers(root: Path) -> dict[str, Any]:
    """Every stored ledger by account id; an account in two shards fails."""
    found: dict[str, Any] = {}
    for directory in bs.shard_dirs(root):
        for line in (directory / bs.LEDGERS).read_text(encoding="utf-8").splitlines():
            ledger = json.loads(line)
            assert ledger["id"] not in found, f"{ledger['id']} in two shards"
            assert bs.shard_of(ledger["id"], SHARDS) == int(directory.name.removeprefix("shard-"))
            found[ledger["id"]] = ledger
    return found


def snapshot(root: Path) -> Snapshot:
    """Every file under ``root``: its bytes and when it was last written."""
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_the_sharded_run_equals_one_process(client: Client, tmp_path: Path) -> None:
    prepare(tmp_path)
    reference = OneProcess()
    results = bs.run(client, tmp_path, MAY, durable=False)
    expected = reference.bill(MAY)
    documents = bs.read_documents(tmp_path, MAY)

    assert len(results) == SHARDS and all(r.accounts > 0 and r.errors == 0 for r in results)
    assert sum(r.accounts for r in results) == ACCOUNTS
    assert sum(r.documents for r in results) == len(documents) == len(expected) > ACCOUNTS
    assert len({doc["id"] for doc in documents}) == len(documents)  # none issued twice
    assert by_account(documents) == by_account(expected)  # ids, dates, lines, taxes, totals, in order
    assert ledgers(tmp_path) == reference.ledgers()
    kinds = {line["kind"] for doc in documents for line in doc["lines"]}
    assert kinds == {"plan_fee", "charge"} and any(line["proration"] for doc in documents for line in doc["lines"])

    # The next date, from the ledgers each side kept: June's invoices, the
    # plan changes of May 10 already billed in May.
    results = bs.run(client, tmp_path, JUNE, durable=False)
    june = bs.read_documents(tmp_path, JUNE)
    assert sum(r.documents for r in results) == len(june) > 0
    assert by_account(june) == by_account(reference.bill(JUNE))
    assert ledgers(tmp_path) == reference.ledgers()


def test_a_rerun_bills_nothing_and_writes_nothing(client: Client, tmp_path: Path) -> None:
    prepare(tmp_path)
    first = bs.run(client, tmp_path, MAY)
    assert all(r.documents > 0 for r in first)
    after = snapshot(tmp_path)

    # A stored ledger billed again through the same date issues nothing.
    catalog, config = bs.load_business(tmp_path)
    shard = bs.shard_dirs(tmp_path)[3]
    histories = bs.load_shard(shard)
    assert [len(run) for run in bill_many(catalog, config, histories, MAY) if not isinstance(run, Exception)] == [0] * len(
        histories
    )

    one = client.submit(bs.bill_shard, str(shard), MAY.isoformat(), pure=False).result()
    assert (one.shard, one.accounts, one.documents, one.errors) == (shard.name, len(histories), 0, 0)
    assert snapshot(tmp_path) == after

    again = bs.run(client, tmp_path, MAY)
    assert [(r.shard, r.accounts, r.documents) for r in again] == [(r.shard, r.accounts, 0) for r in first]
    assert snapshot(tmp_path) == after


def test_a_crash_before_the_ledger_is_replaced(client: Client, tmp_path: Path) -> None:
    """Documents written, the ledger not (the process died between the two
    replaces): the rerun issues the same documents, and the shard's files
    end as after a run without a crash."""
    prepare(tmp_path)
    shard = bs.shard_dirs(tmp_path)[5]
    old_ledgers = (shard / bs.LEDGERS).read_bytes()
    [first] = [r for r in bs.run(client, tmp_path, MAY) if r.shard == shard.name]
    documents = bs.documents_path(shard, MAY).read_bytes()
    ledger = (shard / bs.LEDGERS).read_bytes()

    (shard / bs.LEDGERS).write_bytes(old_ledgers)
    retry = client.submit(bs.bill_shard, str(shard), MAY.isoformat(), pure=False).result()
    assert retry.documents == first.documents > 0
    assert bs.documents_path(shard, MAY).read_bytes() == documents
    assert (shard / bs.LEDGERS).read_bytes() == ledger


def test_an_account_refused_keeps_its_ledger_and_its_documents_stay(client: Client, tmp_path: Path) -> None:
    """An account whose events name a plan the catalog lacks is refused: its
    ledger is left, the error recorded, the shard's other accounts billed.
    Once its events are fixed, the rerun bills it and keeps the documents
    issued before."""
    prepare(tmp_path)
    shard = bs.shard_dirs(tmp_path)[0]
    events = (shard / bs.EVENTS).read_text(encoding="utf-8").splitlines(keepends=True)
    broken = events[0].replace('"plan":"regular"', '"plan":"gone"').replace('"plan":"premium"', '"plan":"gone"')
    broken = broken.replace('"plan":"light"', '"plan":"gone"').replace('"plan":"night"', '"plan":"gone"')
    assert broken != events[0]
    (shard / bs.EVENTS).write_text("".join([broken, *events[1:]]), encoding="utf-8")
    ledger_before = (shard / bs.LEDGERS).read_text(encoding="utf-8").splitlines()[0]

    first = bs.bill_shard(str(shard), MAY.isoformat())
    assert first.errors == 1 and first.documents > 0
    [error] = [json.loads(line) for line in bs.errors_path(shard, MAY).read_text(encoding="utf-8").splitlines()]
    assert error["account"] == json.loads(ledger_before)["id"] and "gone" in error["message"]
    assert (shard / bs.LEDGERS).read_text(encoding="utf-8").splitlines()[0] == ledger_before
    issued = bs.documents_path(shard, MAY).read_text(encoding="utf-8").splitlines()

    (shard / bs.EVENTS).write_text("".join(events), encoding="utf-8")
    fixed = bs.bill_shard(str(shard), MAY.isoformat())
    assert fixed.errors == 0 and fixed.documents > 0
    assert not bs.errors_path(shard, MAY).exists()
    now = bs.documents_path(shard, MAY).read_text(encoding="utf-8").splitlines()
    assert now[: len(issued)] == issued and len(now) == len(issued) + fixed.documents
    assert Account.from_json((shard / bs.LEDGERS).read_text(encoding="utf-8").splitlines()[0]).documents_issued > 0


def test_shards_are_the_same_in_every_process(client: Client) -> None:
    """An account's shard does not depend on the process (``hash`` of a
    string would: each process salts it), and shards are about even."""
    ids = [bs.account_id(i) for i in range(0, 2_000_000, 997)]
    remote = client.submit(lambda names: [bs.shard_of(n, SHARDS) for n in names], ids, pure=False).result()
    assert remote == [bs.shard_of(n, SHARDS) for n in ids]
    counts = [remote.count(s) for s in range(SHARDS)]
    assert min(counts) > 0.8 * len(ids) / SHARDS


def test_a_ledger_must_match_its_events(tmp_path: Path) -> None:
    catalog = Catalog(bs.business()["plans"])
    histories = list(bs.members(catalog, 0, 3))
    bs.write_shard(tmp_path, histories, durable=False)
    assert [a.id for a, _ in bs.load_shard(tmp_path)] == [a.id for a, _ in histories]
    lines = (tmp_path / bs.EVENTS).read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / bs.EVENTS).write_text("".join([lines[1], lines[0], lines[2]]), encoding="utf-8")
    with pytest.raises(ValueError, match="has the ledger of 'm-00000000' and the events of 'm-00000001'"):
        bs.load_shard(tmp_path)
    (tmp_path / bs.EVENTS).write_text("".join(lines[:2]), encoding="utf-8")
    with pytest.raises(ValueError):  # a line missing
        bs.load_shard(tmp_path)
