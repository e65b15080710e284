from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import memberkit
from memberkit import Money
from memberkit.billing import BillingConfig, bill, bill_many, new_account, prorate
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
    documents, account = bill(CATALOG, BillingConfig(), joined(dt.date(2026, 4, 20)), dt.date(2026, 5, 1), account_id="m-1")
    assert [(doc["date"], doc["total"]) for doc in documents] == [
        (dt.date(2026, 4, 20), Money(3226 + 5500, "JPY")),
        (dt.date(2026, 5, 1), Money(8800, "JPY")),
    ]
    first = documents[0]
    assert first["id"] == "m-1-20260420-1"
    assert first["lines"][0]["proration"] == "11/30"
    assert first["taxes"] == [
        {"rate": "standard", "percent": "0.10", "included": True, "taxable": Money(8726, "JPY"), "tax": Money(793, "JPY")}
    ]
    # Billing the same dates again with the returned account adds nothing.
    again, _ = bill(CATALOG, BillingConfig(), joined(dt.date(2026, 4, 20)), dt.date(2026, 5, 1), account=account)
    assert again == []


def test_config_fields_and_errors() -> None:
    config = BillingConfig({"timing": "arrears"}, collection={"kind": "debit_day", "day": 27})
    assert config.to_dict()["timing"] == "arrears"
    assert config.to_dict()["collection"] == {"kind": "debit_day", "day": 27}
    with pytest.raises(memberkit.InvalidConfigError, match=r"^invalid billing config at collection\.day: "):
        BillingConfig(collection={"kind": "debit_day", "day": 0})
    with pytest.raises(memberkit.InvalidConfigError, match="unknown field"):
        BillingConfig(timing="advance", colour="blue")


def test_batch_billing_keeps_going_past_a_bad_account() -> None:
    good = (new_account("a"), joined(dt.date(2026, 4, 1)))
    bad_events = [{**joined(dt.date(2026, 4, 1))[0], "plan": "gold"}]
    bad = (new_account("b"), bad_events)
    results = bill_many(CATALOG, BillingConfig(), [good, bad, good], dt.date(2026, 4, 30))
    assert isinstance(results[1], memberkit.UnknownPlanError)
    for result in (results[0], results[2]):
        assert not isinstance(result, Exception)
        documents, account = result
        assert documents[0]["total"] == Money(8800 + 5500, "JPY")
        assert account["id"] == "a"


def test_prorate() -> None:
    assert prorate(Money(8800, "JPY"), 17, 30) == Money(4986, "JPY")
    assert prorate(Money(8800, "JPY"), 17, 30, mode="ceiling") == Money(4987, "JPY")
    with pytest.raises(memberkit.InvalidArgumentError):
        prorate(Money(8800, "JPY"), 31, 30)


@given(
    price=st.integers(min_value=0, max_value=10**9),
    cuts=st.lists(st.integers(min_value=1, max_value=30), unique=True, max_size=6),
    mode=st.sampled_from(memberkit.ROUNDING_MODES),
)
def test_pieces_of_a_month_sum_to_the_price_within_a_yen_per_piece(price: int, cuts: list[int], mode: str) -> None:
    bounds = [0, *sorted(cuts), 31]
    pieces = [prorate(Money(price, "JPY"), b - a, 31, mode).minor for a, b in zip(bounds, bounds[1:])]
    assert abs(sum(pieces) - price) <= len(pieces)


def test_host_charges_and_discounts() -> None:
    account = new_account(
        "m-2",
        charges=[{"id": "towel", "on": dt.date(2026, 4, 3), "description": "Towel rental",
                  "amount": Money(220, "JPY"), "tax": {"rate": "standard", "included": True}}],
        discounts=[{"id": "spring", "description": "Half price", "from": dt.date(2026, 4, 1), "periods": 1,
                    "off": {"kind": "percent", "percent": "50"}}],
    )
    documents, account = bill(CATALOG, BillingConfig(), joined(dt.date(2026, 4, 1)), dt.date(2026, 5, 1), account=account)
    assert [doc["total"] for doc in documents] == [
        Money(5500 + 4400, "JPY"),  # admission + half of 8,800
        Money(220, "JPY"),
        Money(8800, "JPY"),
    ]
    assert [line["kind"] for line in documents[0]["lines"]] == ["discount", "plan_fee", "admission_fee"]
    account["discounts"][0]["off"]["percent"] = "500"
    with pytest.raises(memberkit.InvalidConfigError, match=r"discounts\[0\]\.off\.percent"):
        bill(CATALOG, BillingConfig(), [], dt.date(2026, 5, 1), account=account)
