from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import memberkit
from memberkit import Money


def test_amounts_are_decimals_at_the_currency_scale() -> None:
    fee = Money(Decimal("12.5"), "USD")
    assert fee.amount == Decimal("12.50")
    assert str(fee.amount) == "12.50"
    assert fee.currency == "USD"
    assert fee.minor == 1250
    assert str(fee) == "12.50 USD"
    assert repr(fee) == "Money('12.50', 'USD')"
    assert Money("1000", "JPY") == Money(1000, "JPY") == Money.from_minor(1000, "JPY")


def test_arithmetic_within_one_currency() -> None:
    a, b = Money("10.25", "EUR"), Money("0.75", "EUR")
    assert a + b == Money(11, "EUR")
    assert b - a == Money("-9.50", "EUR")
    assert -a == Money("-10.25", "EUR")
    assert 3 * b == b * 3 == Money("2.25", "EUR")
    assert b < a and a >= b
    assert not Money(0, "JPY") and Money(1, "JPY")
    assert len({Money(1, "JPY"), Money("1.0", "JPY")}) == 1


def test_mixing_currencies_raises_a_value_error() -> None:
    with pytest.raises(memberkit.CurrencyMismatchError, match="cannot combine JPY with USD"):
        Money(1, "JPY") + Money(1, "USD")
    with pytest.raises(ValueError):
        Money(1, "JPY") < Money(1, "USD")
    assert Money(1, "JPY") != Money(1, "USD")


@pytest.mark.parametrize(
    ("amount", "mode", "expected"),
    [
        ("1774.19", "floor", "1774"),
        ("1774.19", "ceiling", "1775"),
        ("-2.5", "half_even", "-2"),
        ("-2.5", "half_up", "-3"),
        ("-2.5", "toward_zero", "-2"),
        ("2.1", "away_from_zero", "3"),
    ],
)
def test_round_applies_the_named_mode(amount: str, mode: str, expected: str) -> None:
    assert Money.round(Decimal(amount), "JPY", mode).amount == Decimal(expected)


def test_rounding_modes_are_listed() -> None:
    assert memberkit.ROUNDING_MODES == ["floor", "ceiling", "half_up", "half_even", "toward_zero", "away_from_zero"]
    with pytest.raises(memberkit.InvalidArgumentError, match="unknown rounding mode"):
        Money.round(1, "JPY", "nearest")


def test_currencies_and_minor_units() -> None:
    assert {"JPY", "USD", "EUR", "GBP", "KRW", "CNY", "TWD", "AUD"} <= set(memberkit.CURRENCIES)
    assert memberkit.minor_units("JPY") == 0
    assert memberkit.minor_units("KWD") == 3
    with pytest.raises(memberkit.UnknownCurrencyError, match='"XYZ"'):
        memberkit.minor_units("XYZ")


def test_allocation_examples() -> None:
    assert [m.minor for m in Money(100, "USD").allocate(3)] == [3334, 3333, 3333]
    parts = Money(10000, "JPY").allocate_by_ratios([Decimal(1), 2, "0"])
    assert [m.minor for m in parts] == [3333, 6667, 0]


@given(
    minor=st.integers(min_value=-(10**12), max_value=10**12),
    parts=st.integers(min_value=1, max_value=40),
    currency=st.sampled_from(["JPY", "USD", "KWD"]),
)
def test_even_allocation_conserves_the_total(minor: int, parts: int, currency: str) -> None:
    total = Money.from_minor(minor, currency)
    split = total.allocate(parts)
    assert len(split) == parts
    assert sum(m.minor for m in split) == minor
    assert max(m.minor for m in split) - min(m.minor for m in split) <= 1


@given(
    minor=st.integers(min_value=-(10**12), max_value=10**12),
    ratios=st.lists(st.decimals(min_value=0, max_value=1000, places=2), min_size=1, max_size=12),
)
def test_ratio_allocation_conserves_and_tracks_the_exact_share(minor: int, ratios: list[Decimal]) -> None:
    total_ratio = sum(ratios, Decimal(0))
    if total_ratio == 0:
        with pytest.raises(memberkit.InvalidAllocationError):
            Money.from_minor(minor, "JPY").allocate_by_ratios(ratios)
        return
    split = Money.from_minor(minor, "JPY").allocate_by_ratios(ratios)
    assert sum(m.minor for m in split) == minor
    for part, ratio in zip(split, ratios):
        assert abs(Decimal(part.minor) - Decimal(minor) * ratio / total_ratio) < 1


def test_sum_needs_no_start_value() -> None:
    fees = [Money("10.25", "EUR"), Money("0.75", "EUR"), Money("-1.00", "EUR")]
    assert sum(fees) == Money(10, "EUR")
    assert 0 + fees[0] == fees[0]
    assert sum([fees[0]]) == fees[0]
    assert sum(fees, Money(0, "EUR")) == Money(10, "EUR")
    assert sum([]) == 0  # nothing to sum: Python's 0, as for any sum


@pytest.mark.parametrize("other", [1, -1, 0.0, False, True, Decimal(0), "0", None])
def test_only_the_int_zero_adds_to_money_from_the_left(other: object) -> None:
    with pytest.raises(TypeError):
        other + Money(1, "JPY")  # type: ignore[operator]


def test_summing_mixed_currencies_raises_the_currency_mismatch_error() -> None:
    with pytest.raises(memberkit.CurrencyMismatchError) as info:
        sum([Money(1, "JPY"), Money(2, "JPY"), Money(1, "USD")])
    assert str(info.value) == "currency mismatch: cannot combine JPY with USD"
    assert info.value.kind == "currency_mismatch" and isinstance(info.value, ValueError)


@given(
    minors=st.lists(st.integers(min_value=-(10**15), max_value=10**15), min_size=1, max_size=30),
    currency=st.sampled_from(["JPY", "USD", "KWD"]),
)
def test_sum_is_the_sum_of_minor_units(minors: list[int], currency: str) -> None:
    total = sum(Money.from_minor(minor, currency) for minor in minors)
    assert total == Money.from_minor(sum(minors), currency)
    assert isinstance(total, Money) and total.minor == sum(minors)


@given(
    minors=st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=2, max_size=10),
    currencies=st.lists(st.sampled_from(["JPY", "USD"]), min_size=2, max_size=10),
)
def test_sum_over_two_currencies_always_raises(minors: list[int], currencies: list[str]) -> None:
    moneys = [Money.from_minor(m, c) for m, c in zip(minors, currencies)]
    if len({m.currency for m in moneys}) == 1:
        assert sum(moneys) == Money.from_minor(sum(m.minor for m in moneys), moneys[0].currency)
    else:
        with pytest.raises(memberkit.CurrencyMismatchError, match="^currency mismatch: cannot combine (JPY with USD|USD with JPY)$"):
            sum(moneys)
