"""Replays tests/vectors/membership.json, as the Rust and C suites do."""

from __future__ import annotations

import functools
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


DUNNING = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/dunning.json").read_text(encoding="utf-8"))


def _error_class(kind: str) -> type[memberkit.MemberkitError]:
    """The exception class of an error kind: ``unknown_invoice`` → ``UnknownInvoiceError``."""
    cls: type[memberkit.MemberkitError] = getattr(memberkit, "".join(w.title() for w in kind.split("_")) + "Error")
    return cls


def _amount(money: memberkit.Money | None) -> str | None:
    return None if money is None else str(money.amount)


def test_there_are_enough_dunning_cases() -> None:
    assert len(DUNNING["cases"]) >= 25


@pytest.mark.parametrize("case", DUNNING["cases"], ids=lambda c: c["name"])
def test_dunning_case(case: dict[str, Any]) -> None:
    from memberkit.dunning import Policy, Receivables, membership_commands

    account = Receivables(Policy(DUNNING["policies"][case["policy"]]))
    for step in case["steps"]:
        if "error" in step:
            before = account.state
            with pytest.raises(_error_class(step["error"])) as info:
                account.execute(step["command"], step["at"])
            assert info.value.kind == step["error"]
            assert account.state == before
        else:
            events = account.execute(step["command"], step["at"])
            assert events == _loads(_dumps(step["events"]))
            assert membership_commands(events) == step["membership"]
    end = case["end"]
    assert account.standing == end["standing"]
    assert account.restrictions == end["restrictions"]
    assert _amount(account.unpaid_balance) == end["unpaid_balance"]
    assert _amount(account.total_collected) == end["collected"]
    assert [step.message for step in account.timeline("ja")] == end["timeline"]["ja"]
    assert [step.message for step in account.timeline("en")] == end["timeline"]["en"]


@pytest.mark.parametrize("case", DUNNING["cases"], ids=lambda c: c["name"])
def test_dunning_case_advanced_in_batches(case: dict[str, Any]) -> None:
    """Every advance of a case made through ``advance_all`` (with an idle
    account beside it) gives the vector's events, as ``execute`` does."""
    from memberkit.dunning import Events, Policy, Receivables, advance_all

    policy = Policy(DUNNING["policies"][case["policy"]])
    account, idle = Receivables(policy), Receivables(policy)
    for step in case["steps"]:
        if step["command"] == {"type": "advance"}:
            changed = advance_all([idle, account], policy, step["at"])
            if "error" in step:
                [(changed_account, error)] = changed
                assert changed_account is account
                assert isinstance(error, _error_class(step["error"]))
            elif step["events"]:
                [(changed_account, events)] = changed
                assert changed_account is account and isinstance(events, Events)
                assert events == _loads(_dumps(step["events"]))
                assert events.types() == [e["type"] for e in step["events"]]
            else:
                assert changed == []
        elif "error" not in step:
            account.execute(step["command"], step["at"])
    assert account.standing == case["end"]["standing"]
    assert _amount(account.unpaid_balance) == case["end"]["unpaid_balance"]


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


BOOKING = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/booking.json").read_text(encoding="utf-8"))


def test_there_are_enough_booking_cases() -> None:
    assert len(BOOKING["cases"]) >= 30


@pytest.mark.parametrize("case", BOOKING["cases"], ids=lambda c: c["name"])
def test_booking_case(case: dict[str, Any]) -> None:
    """Each step through a SharedBook (the events, or the error class and
    code), the same steps through Book values, and the end views."""
    from memberkit.booking import Book, Rules, SharedBook, _loads

    rules = Rules(BOOKING["rules"][case["rules"]])
    shared, book = SharedBook(rules), Book()
    for step in case["steps"]:
        if "error" in step:
            before = shared.version
            with pytest.raises(_error_class(step["error"])) as info:
                shared.execute(step["command"], step["at"])
            assert (info.value.kind, info.value.code) == (step["error"], step["code"])
            assert shared.version == before
            with pytest.raises(_error_class(step["error"])):
                book.decide(rules, step["command"], step["at"])
        else:
            expected = _loads(json.dumps(step["events"]))
            events = shared.execute(step["command"], step["at"])
            assert events == expected
            assert events.types() == [e["type"] for e in step["events"]]
            assert book.decide(rules, step["command"], step["at"]) == events
            book = book.apply(events)
    end = case["end"]
    last = case["steps"][-1]["at"]
    assert shared.version == book.version == end["version"]
    assert shared.snapshot() == book == Book.from_json(book.to_json())
    for session, view in end["sessions"].items():
        assert shared.session_view(session) == book.session_view(session) == _loads(json.dumps(view))
    for member, view in end["members"].items():
        assert shared.member_view(member, last) == book.member_view(member, last) == _loads(json.dumps(view))


CHAT = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/chat.json").read_text(encoding="utf-8"))
CHAT_MEMBERS = {m["identity"]["member_number"]: m for m in CHAT["members"]}
_NOT_THE_STEP = ("text", "language", "intent", "confidence", "slots", "state")


def test_there_are_enough_chat_conversations() -> None:
    assert len(CHAT["conversations"]) >= 40
    languages = [c["name"][:3] for c in CHAT["conversations"]]
    assert languages.count("ja_") >= 20 and languages.count("en_") >= 20


@functools.lru_cache(maxsize=1)
def _chat_bot() -> Any:
    from memberkit.chat import Assistant

    return Assistant(CHAT["club"])


@pytest.mark.parametrize("state_form", ["dict", "json"])
@pytest.mark.parametrize("conversation", CHAT["conversations"], ids=lambda c: c["name"])
def test_chat_conversation(conversation: dict[str, Any], state_form: str) -> None:
    """As core/tests/vectors.rs replays them: each turn read on its day, the
    member the reading names looked up (as JSON text, as a host's database
    holds it), the reply's step (its JSON less text, language, intent,
    confidence, slots and state) and text compared, and the state passed on
    (as a dict, or as JSON text) to the next turn."""
    bot = _chat_bot()
    state: Any = conversation.get("state")
    for i, turn in enumerate(conversation["turns"]):
        reading = bot.read(state, turn["say"], turn.get("today", conversation["today"]))
        member = CHAT_MEMBERS.get(reading.member_number or "")
        reply = bot.reply(reading, None if member is None else json.dumps(member))
        step = {k: v for k, v in json.loads(reply.to_json()).items() if k not in _NOT_THE_STEP}
        assert (step, reply.text) == (turn["step"], turn["text"]), f"turn {i}"
        assert {"step": reply.step, **reply.data} == _loads(json.dumps(step)), f"turn {i}"
        assert json.loads(_dumps(reply.state)) == json.loads(reply.state_json), f"turn {i}: the state reads back"
        state = reply.state if state_form == "dict" else reply.state_json
