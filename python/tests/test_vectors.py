"""Replays tests/vectors/membership.json, as the Rust and C suites do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import memberkit
from memberkit.membership import Catalog, Membership, _dumps, _loads

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/membership.json").read_text(encoding="utf-8"))
CATALOG = Catalog(VECTORS["plans"])


def test_there_are_enough_cases() -> None:
    assert len(VECTORS["cases"]) >= 25


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_case(case: dict[str, Any]) -> None:
    member = Membership(CATALOG)
    for step in case["steps"]:
        if "error" in step:
            with pytest.raises(memberkit.MemberkitError) as info:
                member.execute(step["command"], step["at"])
            assert info.value.kind == step["error"]
        else:
            events = member.execute(step["command"], step["at"])
            assert events == _loads(_dumps(step["events"]))
    assert member.status == case["status"]


BILLING = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/billing.json").read_text(encoding="utf-8"))
BILLING_CATALOG = Catalog(BILLING["plans"])


def _summary(doc: dict[str, Any]) -> dict[str, Any]:
    """A document as the vectors record it (the same summary as core/tests/vectors.rs)."""

    def amount(money: Any) -> str:
        return str(money.amount)

    return {
        "id": doc["id"],
        "kind": doc["kind"],
        "date": doc["date"].isoformat(),
        "collection_date": doc["collection_date"].isoformat(),
        "corrects": doc["corrects"],
        "lines": [[line["kind"], amount(line["amount"]), line["proration"]] for line in doc["lines"]],
        "taxes": [[tax["rate"], amount(tax["tax"])] for tax in doc["taxes"]],
        "total": amount(doc["total"]),
        "credit_applied": amount(doc["credit_applied"]),
        "refund": amount(doc["refund"]),
        "amount_due": amount(doc["amount_due"]),
    }


def test_there_are_enough_billing_cases() -> None:
    assert len(BILLING["cases"]) >= 30


@pytest.mark.parametrize("case", BILLING["cases"], ids=lambda c: c["name"])
def test_billing_case(case: dict[str, Any]) -> None:
    from memberkit.billing import Account, BillingConfig, bill

    config = BillingConfig(BILLING["configs"][case["config"]])
    member = Membership(BILLING_CATALOG)
    events: list[dict[str, Any]] = []
    account = Account.from_dict(case["account"]) if "account" in case else Account("A")
    documents: list[dict[str, Any]] = []
    for day in sorted({step["at"] for step in case["steps"]} | set(case["bill_on"])):
        for step in case["steps"]:
            if step["at"] == day:
                events += member.execute(step["command"], day)
        for _ in range(case["bill_on"].count(day)):
            events += member.execute({"type": "advance"}, day)
            documents += [_summary(doc.to_dict()) for doc in bill(BILLING_CATALOG, config, account, events, day)]
    assert documents == case["documents"]
