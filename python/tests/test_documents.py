"""Typed documents: lines (`Line`), taxes (`TaxSummary`, `TaxCategory`) and `Document.tax_for`."""

from __future__ import annotations

import datetime as dt
import gc
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import memberkit
from memberkit import Money, Period
from memberkit.billing import Account, BillingConfig, Document, Line, TaxCategory, TaxSummary, bill
from memberkit.membership import Catalog, Membership

PLAN: dict[str, Any] = {
    "id": "regular",
    "name": "Regular",
    "price": {"amount": "8800", "currency": "JPY"},
    "price_includes_tax": True,
    "interval": {"unit": "month", "count": 1},
    "refund_policy": "prorated_credit",
}
CATALOG = Catalog([PLAN])
FREE_FIRST = BillingConfig(first_period={"kind": "free"})


def member_joined(start: dt.date) -> Membership:
    member = Membership(CATALOG)
    member.execute({"type": "join", "plan": "regular", "start": start}, start)
    return member


def test_a_line_reads_as_typed_fields() -> None:
    [invoice] = bill(CATALOG, BillingConfig(), Account("m-1"), member_joined(dt.date(2026, 4, 20)), "2026-04-30")
    [line] = invoice.lines
    assert isinstance(line, Line)
    assert line.description == "Regular fee, 2026-04-20 to 2026-04-30"
    assert (line.kind, line.plan, line.quantity) == ("plan_fee", "regular", 1)
    assert line.period == Period("2026-04-20", "2026-05-01")
    assert (line.unit_price, line.amount) == (Money(8800, "JPY"), Money(3226, "JPY"))
    assert line.proration == Fraction(11, 30) and isinstance(line.proration, Fraction)
    assert not line.free and not line.is_credit
    assert line.tax == TaxCategory("standard", included=True)
    assert (line.tax.rate, line.tax.included) == ("standard", True)
    assert repr(line) == "Line('Regular fee, 2026-04-20 to 2026-04-30', kind='plan_fee', amount=Money('3226', 'JPY'))"
    assert line.to_dict() == invoice.to_dict()["lines"][0]
    assert line.to_dict()["proration"] == "11/30" and "credit" not in line.to_dict()


def test_lines_are_read_only_values_made_on_each_read() -> None:
    [invoice] = bill(CATALOG, BillingConfig(), Account("m-1"), member_joined(dt.date(2026, 4, 20)), "2026-04-30")
    first, again = invoice.lines[0], invoice.lines[0]
    assert first == again and first is not again and not first != again
    with pytest.raises(AttributeError):
        first.amount = Money(0, "JPY")  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(first)
    assert not gc.is_tracked(first) and not gc.is_tracked(first.tax)
    assert not any(gc.is_tracked(tax) for tax in invoice.taxes) and not gc.is_tracked(invoice.tax_for("standard"))
    assert first != "Regular fee" and first != invoice
    del invoice
    gc.collect()
    assert first.amount == Money(3226, "JPY")  # a line keeps its run alive


def test_a_line_not_prorated_has_no_proration() -> None:
    [invoice] = bill(CATALOG, BillingConfig(), Account("m-1"), member_joined(dt.date(2026, 5, 1)), "2026-05-01")
    [line] = invoice.lines
    assert (line.proration, line.free, line.amount) == (None, False, Money(8800, "JPY"))


def test_a_first_period_billed_free_is_fraction_zero_and_free() -> None:
    [invoice] = bill(CATALOG, FREE_FIRST, Account("m-1"), member_joined(dt.date(2026, 4, 25)), "2026-04-25")
    [line] = invoice.lines
    assert line.proration == Fraction(0) and line.free
    assert line.amount == Money(0, "JPY") and not line.is_credit
    assert line.to_dict()["proration"] == "free"


@given(
    start=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)).filter(lambda d: d.day > 1),
    after=st.integers(min_value=0, max_value=30),
)
def test_a_credit_for_days_billed_free_is_a_zero_credit(start: dt.date, after: int) -> None:
    """Cancelled inside a free first period, the credit for its unused days
    is zero, and still a credit: `is_credit` follows the core's flag, not
    the amount's sign."""
    next_month = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    cancel = min(start + dt.timedelta(days=after), next_month - dt.timedelta(days=1))
    member, account = member_joined(start), Account("m-1")
    bill(CATALOG, FREE_FIRST, account, member, start)
    member.execute({"type": "cancel", "when": "now"}, cancel)
    [document] = bill(CATALOG, FREE_FIRST, account, member, cancel)
    [line] = document.lines
    assert line.is_credit and line.to_dict()["credit"] is True
    assert line.amount == Money(0, "JPY") and not line.amount
    assert line.free and line.proration == Fraction(0)
    assert line.period == Period(cancel, next_month)


def test_credits_and_discounts_are_told_apart_by_the_flag_not_the_sign() -> None:
    member, account = member_joined(dt.date(2026, 4, 1)), Account(
        "m-1",
        discounts=[{"id": "spring", "description": "Half price", "from": "2026-04-01", "periods": 1,
                    "off": {"kind": "percent", "percent": "50"}}],
    )
    [invoice] = bill(CATALOG, BillingConfig(), account, member, "2026-04-01")
    discount = next(line for line in invoice.lines if line.kind == "discount")
    assert discount.amount == Money(-4400, "JPY") and not discount.is_credit
    member.execute({"type": "cancel", "when": "now"}, "2026-04-21")
    [note] = bill(CATALOG, BillingConfig(), account, member, "2026-04-21")
    [credit] = note.lines
    assert credit.is_credit and credit.amount == Money(-2933, "JPY")  # 10 of 30 days of 8,800
    assert credit.proration == Fraction(10, 30) and credit.description.startswith("Credit: ")


def test_taxes_are_typed_summaries_found_by_rate() -> None:
    account = Account(
        "m-1",
        charges=[
            {"id": "drink", "on": "2026-05-01", "description": "Protein drink", "amount": Money(300, "JPY"),
             "tax": {"rate": "reduced", "included": False}},
            {"id": "locker", "on": "2026-05-01", "description": "Locker", "amount": Money(1000, "JPY"),
             "tax": {"rate": "standard", "included": False}},
        ],
    )
    [invoice] = bill(CATALOG, BillingConfig(), account, member_joined(dt.date(2026, 5, 1)), "2026-05-01")
    assert all(isinstance(tax, TaxSummary) for tax in invoice.taxes)
    assert [(t.rate, t.included, t.taxable, t.tax) for t in invoice.taxes] == [
        ("standard", False, Money(1000, "JPY"), Money(100, "JPY")),
        ("standard", True, Money(8800, "JPY"), Money(800, "JPY")),
        ("reduced", False, Money(300, "JPY"), Money(24, "JPY")),
    ]
    assert invoice.total == Money(8800 + 1000 + 100 + 300 + 24, "JPY")
    reduced = invoice.tax_for("reduced")
    assert reduced is not None and reduced.percent == Decimal("0.08") and reduced == invoice.taxes[2]
    assert invoice.tax_for("reduced", included=False) == reduced
    assert invoice.tax_for("reduced", included=True) is None
    included = invoice.tax_for("standard", included=True)
    assert included is not None and included.tax == Money(800, "JPY")
    with pytest.raises(memberkit.InvalidArgumentError, match=r"^document m-1-20260501-1 has standard rate tax both included"):
        invoice.tax_for("standard")
    assert invoice.tax_for("exempt") is None and invoice.tax_for("exempt", included=True) is None
    with pytest.raises(memberkit.InvalidArgumentError, match=r'^unknown tax rate "10%"'):
        invoice.tax_for("10%")
    assert repr(reduced) == "TaxSummary('reduced', included=False, taxable=Money('300', 'JPY'), tax=Money('24', 'JPY'))"
    assert reduced.to_dict() == invoice.to_dict()["taxes"][2]
    with pytest.raises(TypeError):
        hash(reduced)


def test_tax_categories_are_values() -> None:
    category = TaxCategory("reduced", included=False)
    assert (category.rate, category.included) == ("reduced", False)
    assert category == TaxCategory("reduced", included=False) != TaxCategory("reduced", included=True)
    assert len({category, TaxCategory("reduced", included=False)}) == 1
    assert repr(category) == "TaxCategory('reduced', included=False)"
    with pytest.raises(memberkit.InvalidArgumentError, match="unknown tax rate"):
        TaxCategory("zero", included=True)
    with pytest.raises(TypeError):
        TaxCategory("standard")  # type: ignore[call-arg]


VECTORS = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/billing.json").read_text(encoding="utf-8"))


def vector_documents() -> list[Document]:
    """Every document the billing vectors issue, billed from each case's membership."""
    catalog = Catalog(VECTORS["plans"])
    documents: list[Document] = []
    for case in VECTORS["cases"]:
        config = BillingConfig(VECTORS["configs"][case["config"]])
        member = Membership(catalog)
        account = Account.from_dict(case["account"]) if "account" in case else Account("A")
        for day in sorted({step["at"] for step in case["steps"]} | set(case["bill_on"])):
            for step in case["steps"]:
                if step["at"] == day:
                    member.execute(step["command"], day)
            for _ in range(case["bill_on"].count(day)):
                member.execute({"type": "advance"}, day)
                documents += bill(catalog, config, account, member, day)
    return documents


def test_every_vector_line_reads_as_its_dict_says() -> None:
    lines = [line for doc in vector_documents() for line in doc.lines]
    assert len(lines) > 100
    assert any(line.is_credit for line in lines) and any(line.free for line in lines)
    for line in lines:
        fields = line.to_dict()
        assert line.description == fields["description"] and line.kind == fields["kind"]
        assert (line.plan, line.quantity) == (fields["plan"], fields["quantity"])
        period = fields["period"]
        assert line.period == (None if period is None else Period(period["start"], period["end"]))
        assert (line.unit_price, line.amount) == (fields["unit_price"], fields["amount"])
        share = fields["proration"]
        assert line.free == (share == "free")
        assert line.proration == (None if share is None else Fraction(0) if share == "free" else Fraction(share))
        assert line.tax == TaxCategory(fields["tax"]["rate"], included=fields["tax"]["included"])
        assert line.is_credit == fields.get("credit", False)


def test_every_vector_tax_is_found_by_its_rate() -> None:
    for doc in vector_documents():
        taxes = doc.to_dict()["taxes"]
        assert [tax.to_dict() for tax in doc.taxes] == taxes
        for rate in ("standard", "reduced", "exempt"):
            for included in (True, False):
                found = [tax for tax in taxes if tax["rate"] == rate and tax["included"] == included]
                summary = doc.tax_for(rate, included=included)
                assert (summary.to_dict() if summary is not None else None) == (found[0] if found else None)
            either = [tax for tax in taxes if tax["rate"] == rate]
            if len(either) < 2:
                summary = doc.tax_for(rate)
                assert (summary.to_dict() if summary is not None else None) == (either[0] if either else None)
