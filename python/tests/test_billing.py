from __future__ import annotations

import collections.abc
import datetime as dt
from decimal import Decimal
from fractions import Fraction
import gc
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import memberkit
from memberkit import Money
import threading

from memberkit.billing import Account, BillingConfig, Document, Documents, EventLog, bill, bill_many, bill_many_json, prorate
from memberkit.membership import Catalog, Membership

CATALOG = Catalog(
    [
        {
            "id": "regular",
            "name": "Regular",
            "price": {"amount": "8800", "currency": "JPY"},
            "price_includes_tax": True,
            "interval": {"unit": "month", "count": 1},
            "admission_fee": {"amount": "5500", "currency": "JPY"},
        }
    ]
)


def joined(start: dt.date) -> list[dict[str, Any]]:
    return Membership(CATALOG).execute({"type": "join", "plan": "regular", "start": start}, start)


def test_first_month_daily_proration_and_tax() -> None:
    account = Account("m-1")
    documents = bill(CATALOG, BillingConfig(), account, joined(dt.date(2026, 4, 20)), dt.date(2026, 5, 1))
    assert [(doc.date, doc.total) for doc in documents] == [
        (dt.date(2026, 4, 20), Money(3226 + 5500, "JPY")),
        (dt.date(2026, 5, 1), Money(8800, "JPY")),
    ]
    first = documents[0]
    assert (first.id, first.kind, first.account, first.corrects) == ("m-1-20260420-1", "invoice", "m-1", None)
    assert first.lines[0].proration == Fraction(11, 30)
    [tax] = first.taxes
    assert (tax.rate, tax.percent, tax.included, tax.taxable, tax.tax) == ("standard", Decimal("0.10"), True, Money(8726, "JPY"), Money(793, "JPY"))
    assert first.tax_for("standard") == tax
    assert repr(first) == "Document('m-1-20260420-1', kind='invoice', date='2026-04-20', total=Money('8726', 'JPY'))"
    assert (account.id, account.documents_issued, account.credit) == ("m-1", 2, None)
    # The account was updated in place: billing the same dates again adds nothing.
    assert bill(CATALOG, BillingConfig(), account, joined(dt.date(2026, 4, 20)), dt.date(2026, 5, 1)) == []
    assert account.documents_issued == 2


def three_documents(account: Account | None = None) -> Documents:
    """Joined on Apr 20 and billed through Jun 1: documents of Apr 20, May 1 and Jun 1."""
    account = account if account is not None else Account("m-1")
    return bill(CATALOG, BillingConfig(), account, joined(dt.date(2026, 4, 20)), dt.date(2026, 6, 1))


IDS = ["m-1-20260420-1", "m-1-20260501-1", "m-1-20260601-1"]


def test_documents_is_a_sequence_of_documents() -> None:
    documents = three_documents()
    assert type(documents) is Documents
    assert isinstance(documents, collections.abc.Sequence)
    assert not isinstance(documents, list)
    assert len(documents) == 3 and documents
    assert [doc.id for doc in documents] == IDS
    assert [documents[i].id for i in range(3)] == IDS
    assert [documents[i].id for i in range(-3, 0)] == IDS
    assert all(isinstance(doc, Document) for doc in documents)
    # Each read makes a new object, equal to the last.
    assert documents[0] == documents[0] and documents[0] is not documents[0]
    assert documents[-1] == documents[2] != documents[1]
    assert [doc.id for doc in reversed(documents)] == IDS[::-1]
    assert documents[1] in documents and "m-1-20260501-1" not in documents
    assert documents.index(documents[2]) == 2 and documents.count(documents[1]) == 1
    assert documents.index(documents[1], 1, 2) == 1
    with pytest.raises(ValueError):
        documents.index(documents[1], 2)
    assert documents.count("m-1-20260501-1") == 0


def test_documents_index_errors() -> None:
    documents = three_documents()
    for index in (3, -4, 2**70, -(2**70)):
        with pytest.raises(IndexError, match="^Documents index out of range$"):
            documents[index]
    with pytest.raises(TypeError, match="^Documents indices must be integers or slices, not str$"):
        documents["0"]  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="not float$"):
        documents[1.0]  # type: ignore[call-overload]
    assert documents[True].id == IDS[1]  # an int, as for lists
    empty = bill(CATALOG, BillingConfig(), Account("m-1"), joined(dt.date(2026, 4, 20)), dt.date(2026, 4, 19))
    assert len(empty) == 0 and not empty and list(empty) == [] and empty[:] == []
    with pytest.raises(IndexError):
        empty[0]
    with pytest.raises(IndexError):
        empty[-1]


def test_documents_slices_are_lists_of_documents() -> None:
    documents = three_documents()
    assert isinstance(documents[1:], list)
    assert [doc.id for doc in documents[1:]] == IDS[1:]
    assert [doc.id for doc in documents[::-1]] == IDS[::-1]
    assert [doc.id for doc in documents[-2::-2]] == [IDS[1]]
    assert documents[5:] == [] and documents[2:1] == []
    assert documents[:] == list(documents) == documents
    with pytest.raises(ValueError):
        documents[::0]


@given(
    start=st.none() | st.integers(min_value=-5, max_value=5),
    stop=st.none() | st.integers(min_value=-5, max_value=5),
    step=st.none() | st.integers(min_value=-4, max_value=4).filter(bool),
    index=st.integers(min_value=-5, max_value=5),
)
def test_documents_index_and_slice_as_a_list_does(start: int | None, stop: int | None, step: int | None, index: int) -> None:
    documents = three_documents()
    as_list = list(documents)
    assert documents[start:stop:step] == as_list[start:stop:step]
    if -3 <= index < 3:
        assert documents[index] == as_list[index]
    else:
        with pytest.raises(IndexError):
            documents[index]


def test_documents_iterate() -> None:
    documents = three_documents()
    iterator = iter(documents)
    assert iter(iterator) is iterator
    assert [doc.id for doc in iterator] == IDS
    with pytest.raises(StopIteration):
        next(iterator)
    with pytest.raises(StopIteration):
        next(iterator)
    # Independent iterators, each from the start.
    first, second = iter(documents), iter(documents)
    assert next(first).id == IDS[0] and next(first).id == IDS[1] and next(second).id == IDS[0]
    assert [(a.id, b.id) for a, b in zip(documents, documents)] == [(i, i) for i in IDS]


def test_documents_equality() -> None:
    documents = three_documents()
    again = three_documents()  # a new account, billed alike
    assert documents == again and not documents != again
    assert documents == list(documents) and list(documents) == documents
    assert documents == tuple(documents) and tuple(documents) == documents
    assert documents != list(documents)[:2] and documents != list(documents)[::-1]
    assert documents != [1, 2, 3] and documents != [doc.id for doc in documents]
    assert documents != three_documents(Account("m-2"))
    assert documents != "abc" and documents != None  # noqa: E711
    assert bill(CATALOG, BillingConfig(), Account("m-1"), joined(dt.date(2026, 4, 20)), dt.date(2026, 4, 1)) == []
    with pytest.raises(TypeError):
        hash(documents)


def test_documents_are_immutable() -> None:
    documents = three_documents()
    with pytest.raises(TypeError):
        documents[0] = documents[1]  # type: ignore[index]
    with pytest.raises(TypeError):
        del documents[0]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        documents.extra = 1  # type: ignore[attr-defined]
    assert [doc.id for doc in documents] == IDS


def test_documents_repr() -> None:
    documents = three_documents()
    assert repr(documents) == "Documents([" + ", ".join(repr(doc) for doc in documents) + "])"
    assert repr(documents).startswith("Documents([Document('m-1-20260420-1', kind='invoice', date='2026-04-20', ")
    assert repr(bill(CATALOG, BillingConfig(), Account("m-1"), joined(dt.date(2026, 4, 20)), dt.date(2026, 4, 1))) == "Documents([])"


def test_documents_outlive_their_account_and_later_runs() -> None:
    account = Account("m-1")
    log = EventLog(joined(dt.date(2026, 4, 20)))
    documents = bill(CATALOG, BillingConfig(), account, log, dt.date(2026, 5, 1))
    first = documents[0]
    later = bill(CATALOG, BillingConfig(), account, log, dt.date(2026, 6, 1))
    [batch] = bill_many(CATALOG, BillingConfig(), [(account, log)], dt.date(2026, 7, 1))
    assert [doc.id for doc in documents] == IDS[:2] and [doc.id for doc in later] == IDS[2:]
    assert isinstance(batch, Documents) and [doc.id for doc in batch] == ["m-1-20260701-1"]
    assert documents[0] == first and account.documents_issued == 4
    del account, documents, later, batch
    gc.collect()
    # A document keeps its run's documents alive.
    assert (first.id, first.total) == (IDS[0], Money(3226 + 5500, "JPY"))


def test_billing_objects_are_not_tracked_by_the_cyclic_collector() -> None:
    documents = three_documents()
    assert not gc.is_tracked(documents)
    assert not gc.is_tracked(documents[0]) and not gc.is_tracked(documents[1:][0])
    assert not gc.is_tracked(iter(documents)) and not gc.is_tracked(next(iter(documents)))
    assert not gc.is_tracked(Account("m-1"))
    assert not gc.is_tracked(Account.from_json(Account("m-1").to_json()))
    [batch] = bill_many(CATALOG, BillingConfig(), [(Account("m-1"), EventLog(joined(dt.date(2026, 4, 20))))], "2026-06-01")
    assert isinstance(batch, Documents) and not gc.is_tracked(batch)


def test_document_to_dict_matches_its_attributes() -> None:
    for doc in bill(CATALOG, BillingConfig(), Account("m-1"), joined(dt.date(2026, 4, 20)), dt.date(2026, 6, 1)):
        fields = doc.to_dict()
        lines, taxes = fields.pop("lines"), fields.pop("taxes")
        assert fields == {name: getattr(doc, name) for name in fields}
        assert lines == [line.to_dict() for line in doc.lines] and lines
        assert taxes == [tax.to_dict() for tax in doc.taxes] and taxes
        assert isinstance(doc.date, dt.date) and isinstance(doc.amount_due, Money)
        assert memberkit.membership._loads(doc.to_json()) == doc.to_dict()


def test_account_round_trips_and_equality() -> None:
    account = Account("m-1")
    assert repr(account) == "Account('m-1', documents_issued=0, credit=None)"
    bill(CATALOG, BillingConfig(), account, joined(dt.date(2026, 4, 20)), dt.date(2026, 5, 1))
    assert Account.from_dict(account.to_dict()) == account
    assert Account.from_json(account.to_json()) == account
    assert Account("m-1") != account and account != "m-1"
    with pytest.raises(TypeError):
        hash(account)
    with pytest.raises(memberkit.InvalidJsonError, match=r"^invalid billing account JSON at issued"):
        Account.from_dict({**account.to_dict(), "issued": []})


def test_event_log() -> None:
    events = joined(dt.date(2026, 4, 20))
    log = EventLog(events)
    assert len(log) == 2 and log.to_list() == events
    assert EventLog.from_json(log.to_json()) == log
    assert repr(log) == "EventLog(<2 events>)"
    with pytest.raises(memberkit.InvalidJsonError, match=r"at \[0\]\.type"):
        EventLog([{"type": "teleported"}])
    with pytest.raises(TypeError):
        EventLog("[]")  # type: ignore[arg-type]


def test_config_fields_and_errors() -> None:
    config = BillingConfig({"timing": "arrears"}, collection={"kind": "debit_day", "day": 27})
    assert config.to_dict()["timing"] == "arrears"
    assert config.to_dict()["collection"] == {"kind": "debit_day", "day": 27}
    with pytest.raises(memberkit.InvalidConfigError, match=r"^invalid billing config at collection\.day: "):
        BillingConfig(collection={"kind": "debit_day", "day": 0})
    with pytest.raises(memberkit.InvalidConfigError, match="unknown field"):
        BillingConfig(timing="advance", colour="blue")


def test_batch_billing_keeps_going_past_a_bad_account() -> None:
    log = EventLog(joined(dt.date(2026, 4, 1)))
    bad_log = EventLog([{**joined(dt.date(2026, 4, 1))[0], "plan": "gold"}])
    accounts = [Account("a"), Account("b"), Account("c")]
    results = bill_many(CATALOG, BillingConfig(), list(zip(accounts, [log, bad_log, log])), dt.date(2026, 4, 30))
    assert isinstance(results[1], memberkit.UnknownPlanError)
    assert str(results[1]) == 'unknown plan "gold"' and results[1].kind == "unknown_plan"
    assert accounts[1] == Account("b")
    for result, account in ((results[0], accounts[0]), (results[2], accounts[2])):
        assert isinstance(result, Documents)
        assert [doc.total for doc in result] == [Money(8800 + 5500, "JPY")]
        assert account.documents_issued == 1


def test_an_account_twice_in_a_batch_is_refused_before_billing() -> None:
    log = EventLog(joined(dt.date(2026, 4, 1)))
    other, twice = Account("a"), Account("b")
    with pytest.raises(memberkit.InvalidArgumentError, match=r"^histories\[2\] is being billed already"):
        bill_many(CATALOG, BillingConfig(), [(twice, log), (other, log), (twice, log)], dt.date(2026, 4, 30))
    assert (other.documents_issued, twice.documents_issued) == (0, 0)


def test_a_batch_item_that_is_not_an_account_and_event_log_pair_is_refused_before_billing() -> None:
    log, account = EventLog(joined(dt.date(2026, 4, 1))), Account("a")
    wrong: list[object] = [
        (account, joined(dt.date(2026, 4, 1))),
        (account, SimpleNamespace(events=joined(dt.date(2026, 4, 1)))),  # events, but not an EventLog
        (log, account),
        [account, log],
        (account, log, log),
        account,
    ]
    for item in wrong:
        with pytest.raises(TypeError, match=r"^histories\[1\] must be an \(Account, EventLog\) or \(Account, Membership\) pair$"):
            bill_many(CATALOG, BillingConfig(), [(Account("b"), log), item], "2026-04-30")  # type: ignore[list-item]
    with pytest.raises(TypeError):
        bill_many(CATALOG, BillingConfig(), 3, "2026-04-30")  # type: ignore[arg-type]
    assert account.documents_issued == 0


def test_batches_on_many_threads_share_event_logs() -> None:
    log = EventLog(joined(dt.date(2026, 4, 1)))
    batches = [[Account(f"{t}-{i}") for i in range(200)] for t in range(4)]
    results: dict[int, list[Documents | memberkit.MemberkitError]] = {}

    def run(t: int) -> None:
        results[t] = bill_many(CATALOG, BillingConfig(), [(a, log) for a in batches[t]], dt.date(2026, 6, 1))

    threads = [threading.Thread(target=run, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    alone = bill(CATALOG, BillingConfig(), Account("x"), log, dt.date(2026, 6, 1))
    for t in range(4):
        for result in results[t]:
            assert not isinstance(result, Exception)
            assert [(doc.date, doc.total) for doc in result] == [(doc.date, doc.total) for doc in alone]


def test_an_account_being_billed_elsewhere_is_refused() -> None:
    """While one thread bills an account, another thread's run on it is
    refused (never waits, never aliases the ledger)."""
    log = EventLog(joined(dt.date(2000, 1, 1)))
    busy = Account("busy")
    outcome: list[BaseException] = []
    started = threading.Event()

    def long_run() -> None:
        started.set()
        bill_many(CATALOG, BillingConfig(), [(busy, log)], dt.date(2400, 1, 1))

    thread = threading.Thread(target=long_run)
    thread.start()
    started.wait()
    while thread.is_alive():
        try:
            bill(CATALOG, BillingConfig(), busy, log, dt.date(2400, 1, 1))
        except memberkit.InvalidArgumentError as err:
            outcome.append(err)
            break
    thread.join()
    if outcome:  # the other run may finish before this thread gets to try
        assert "is being billed already" in str(outcome[0])
    assert busy.documents_issued == 12 * 400 + 1


def test_bill_many_json_agrees_with_bill_many() -> None:
    log = EventLog(joined(dt.date(2026, 4, 10)))
    text = bill_many_json(CATALOG, BillingConfig(), f'[{{"account": {Account("a").to_json()}, "events": {log.to_json()}}}]', "2026-05-01")
    [typed] = bill_many(CATALOG, BillingConfig(), [(Account("a"), log)], "2026-05-01")
    assert not isinstance(typed, Exception)
    assert memberkit.membership._loads(text)[0]["documents"] == [doc.to_dict() for doc in typed]


start_days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))


@given(starts=st.lists(start_days, min_size=1, max_size=6), ahead=st.integers(min_value=0, max_value=120))
def test_bill_many_is_billing_each_account_alone(starts: list[dt.date], ahead: int) -> None:
    through = max(starts) + dt.timedelta(days=ahead)
    logs = [EventLog(joined(start)) for start in starts]
    batch = [Account(f"m-{i}") for i in range(len(starts))]
    results = bill_many(CATALOG, BillingConfig(), list(zip(batch, logs)), through)
    for i, (log, result) in enumerate(zip(logs, results)):
        alone = Account(f"m-{i}")
        assert result == bill(CATALOG, BillingConfig(), alone, log, through)
        assert batch[i] == alone


@given(start=start_days, steps=st.lists(st.integers(min_value=0, max_value=90), min_size=1, max_size=5))
def test_billing_in_steps_is_billing_at_once_and_idempotent(start: dt.date, steps: list[int]) -> None:
    log = EventLog(joined(start))
    stepwise, at_once = Account("m"), Account("m")
    day = start
    documents: list[Document] = []
    for step in steps:
        day += dt.timedelta(days=step)
        documents += bill(CATALOG, BillingConfig(), stepwise, log, day)
        assert bill(CATALOG, BillingConfig(), stepwise, log, day) == []
    assert sum(doc.total.minor for doc in documents) == sum(
        doc.total.minor for doc in bill(CATALOG, BillingConfig(), at_once, log, day)
    )
    assert stepwise.documents_issued == len(documents)


def test_prorate() -> None:
    assert prorate(Money(8800, "JPY"), 17, 30) == Money(4986, "JPY")
    assert prorate(Money(8800, "JPY"), 17, 30, mode="ceiling") == Money(4987, "JPY")
    with pytest.raises(memberkit.InvalidArgumentError):
        prorate(Money(8800, "JPY"), 31, 30)


@given(
    price=st.integers(min_value=0, max_value=10**9),
    whole=st.integers(min_value=1, max_value=366),
    cuts=st.lists(st.integers(min_value=1, max_value=365), unique=True, max_size=8),
    currency=st.sampled_from(["JPY", "USD"]),
    mode=st.sampled_from(memberkit.ROUNDING_MODES),
)
def test_pieces_of_a_period_sum_to_the_price_within_a_minor_unit_per_piece(
    price: int, whole: int, cuts: list[int], currency: str, mode: str
) -> None:
    # `price` in minor units: yen, or cents.
    amount = Money(Decimal(price).scaleb(-2) if currency == "USD" else price, currency)
    bounds = [0, *sorted(cut for cut in cuts if cut < whole), whole]
    pieces = [prorate(amount, b - a, whole, mode).minor for a, b in zip(bounds, bounds[1:])]
    assert abs(sum(pieces) - price) <= len(pieces)


def test_host_charges_and_discounts() -> None:
    account = Account(
        "m-2",
        charges=[{"id": "towel", "on": dt.date(2026, 4, 3), "description": "Towel rental",
                  "amount": Money(220, "JPY"), "tax": {"rate": "standard", "included": True}}],
    )
    account.add_discounts([{"id": "spring", "description": "Half price", "from": dt.date(2026, 4, 1), "periods": 1,
                            "off": {"kind": "percent", "percent": "50"}}])
    documents = bill(CATALOG, BillingConfig(), account, joined(dt.date(2026, 4, 1)), dt.date(2026, 5, 1))
    assert [doc.total for doc in documents] == [
        Money(5500 + 4400, "JPY"),  # admission + half of 8,800
        Money(220, "JPY"),
        Money(8800, "JPY"),
    ]
    assert [line.kind for line in documents[0].lines] == ["discount", "plan_fee", "admission_fee"]
    with pytest.raises(memberkit.InvalidJsonError, match=r"^invalid charges JSON at \[0\]: missing field `tax`"):
        account.add_charges([{"id": "x", "on": "2026-05-02", "description": "x", "amount": Money(1, "JPY")}])


def test_an_error_leaves_the_account_unchanged() -> None:
    account = Account("m-3")
    bill(CATALOG, BillingConfig(), account, joined(dt.date(2026, 4, 1)), dt.date(2026, 4, 30))
    account.add_discounts([{"id": "bad", "description": "Too much", "from": "2026-05-01", "periods": 1,
                            "off": {"kind": "percent", "percent": "500"}}])
    before = account.to_json()
    with pytest.raises(memberkit.InvalidConfigError, match=r"discounts\[0\]\.off\.percent"):
        bill(CATALOG, BillingConfig(), account, joined(dt.date(2026, 4, 1)), dt.date(2026, 6, 1))
    assert account.to_json() == before


def test_a_run_of_more_periods_than_the_limit_is_refused_and_billed_in_steps() -> None:
    daily = {
        "id": "daily",
        "name": "Day pass",
        "price": {"amount": "500", "currency": "JPY"},
        "interval": {"unit": "day", "count": 1},
    }
    catalog = Catalog([daily])
    member = Membership(catalog)
    member.execute({"type": "join", "plan": "daily", "start": "2010-01-01"}, dt.date(2010, 1, 1))
    account = Account("D-1")
    with pytest.raises(memberkit.LimitExceededError) as refused:
        bill(catalog, BillingConfig(), account, member, dt.date(2026, 1, 1))
    assert refused.value.kind == "limit_exceeded" and "more than 5000 periods" in str(refused.value)
    assert account.billed_until is None  # the ledger is as it was
    issued = sum(len(bill(catalog, BillingConfig(), account, member, dt.date(year, 1, 1))) for year in (2018, 2026))
    assert issued == (dt.date(2026, 1, 1) - dt.date(2010, 1, 1)).days + 1
