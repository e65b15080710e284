"""Hypothesis strategies for memberkit's values, for a host's own property tests.

They mirror the Rust crate's ``proptest`` feature (``memberkit::strategies``):
money and currencies, dates (month ends and leap days included), intervals
and schedules, valid plans and catalogs, membership commands (valid and
invalid alike, as a state-machine test wants), valid event histories, made
by deciding generated commands one after another and keeping the events of
those accepted, and dunning policies and commands and booking rules and
commands. Plans and commands are plain dicts in
memberkit's JSON shape (amounts as ``{"amount": "8800", "currency": "JPY"}``,
dates as :class:`datetime.date`), so ``json.dumps(plan, default=str)``
stores one.

Hypothesis is an optional dependency: ``pip install hypothesis`` (or
``pip install "memberkit[testing]"``); ``import memberkit`` never needs it.

A host that stores every accepted event must be able to rebuild each
member from its rows — here with a dict standing in for the host's table:

>>> from hypothesis import given, settings
>>> from memberkit.membership import Membership
>>> from memberkit.testing import membership_histories
>>> @settings(max_examples=25, deadline=None)
... @given(membership_histories())
... def test_a_stored_history_rebuilds_the_member(history):
...     table = {"M-1": [dict(event) for event in history.events]}   # the host's rows
...     member = Membership(history.catalog)
...     member.apply(table["M-1"])
...     assert member.state == history.state
...     assert member.version == history.version == len(table["M-1"])
>>> test_a_stored_history_rebuilds_the_member()
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional, Sequence

try:
    from hypothesis import strategies as st
    from hypothesis.strategies import DrawFn, SearchStrategy
except ImportError as missing:  # pragma: no cover - exercised by scripts/test-wheel.sh
    raise ImportError(
        "memberkit.testing needs hypothesis, an optional dependency of memberkit: "
        'pip install hypothesis (or pip install "memberkit[testing]")',
        name=missing.name,
    ) from missing

from memberkit import CURRENCIES, Money, Schedule
from memberkit.booking import Rules
from memberkit.dunning import Policy
from memberkit.errors import MemberkitError
from memberkit.membership import Catalog, Membership

__all__ = [
    "MembershipHistory",
    "Step",
    "booking_commands",
    "booking_rules",
    "catalog_plans",
    "catalogs",
    "currencies",
    "dates",
    "dunning_commands",
    "dunning_policies",
    "intervals",
    "membership_commands",
    "membership_histories",
    "money",
    "plans",
    "schedules",
]

PLAN_IDS = ("a", "b", "c")
"""The plan ids :func:`catalog_plans` uses and :func:`membership_commands` names."""

_UNITS = ("day", "week", "month", "year")


def currencies() -> SearchStrategy[str]:
    """Any currency memberkit knows (:data:`memberkit.CURRENCIES`)."""
    return st.sampled_from(CURRENCIES)


def money(max_minor: int, currency: Optional[str] = None) -> SearchStrategy[Money]:
    """Money with at most ``max_minor`` minor units either side of zero, in
    ``currency`` or in any known currency."""
    bound = abs(max_minor)
    return st.builds(
        Money.from_minor,
        st.integers(-bound, bound),
        currencies() if currency is None else st.just(currency),
    )


def _last_day(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


@st.composite
def _date(draw: DrawFn, from_year: int, to_year: int) -> dt.date:
    year = draw(st.integers(from_year, to_year))
    month = draw(st.integers(1, 12))
    # As the Rust strategy does, a day of 1–31 clamped to the month; and since
    # hypothesis favours small numbers, half the draws are 28–31: month ends
    # (and February 29) come up far more often than uniformly.
    day = min(draw(st.sampled_from([28, 29, 30, 31]) | st.integers(1, 31)), _last_day(year, month))
    return dt.date(year, month, day)


def dates(from_year: int = 2000, to_year: int = 2100) -> SearchStrategy[dt.date]:
    """A date with a year in ``from_year..=to_year``, month ends and leap days
    drawn often."""
    if not 1 <= from_year <= to_year <= 9998:
        raise ValueError(f"years {from_year}..={to_year}: expected 1 <= from_year <= to_year <= 9998")
    return _date(from_year, to_year)


def intervals() -> SearchStrategy[dict[str, Any]]:
    """An interval of any unit with a count of 1 to 12, e.g. ``{"unit": "month", "count": 3}``."""
    return st.fixed_dictionaries({"unit": st.sampled_from(_UNITS), "count": st.integers(1, 12)})


def _schedule(anchor: dt.date, interval: dict[str, Any], day: Optional[int]) -> Schedule:
    unit, count = interval["unit"], interval["count"]
    if day is not None:
        try:
            return Schedule.on_day(anchor, day, unit=unit, count=count)
        except MemberkitError:  # a day that means nothing for the unit
            pass
    return Schedule(anchor, unit=unit, count=count)


def schedules() -> SearchStrategy[Schedule]:
    """A schedule anchored between 2000 and 2100 with any of :func:`intervals`,
    on the anchor's day or on a chosen day of the month."""
    return st.builds(_schedule, dates(2000, 2100), intervals(), st.none() | st.integers(1, 31))


def _amount(currency: str, max_minor: int) -> SearchStrategy[dict[str, str]]:
    def encode(minor: int) -> dict[str, str]:
        return {"amount": str(Money.from_minor(minor, currency).amount), "currency": currency}

    return st.integers(0, max_minor).map(encode)


def _optional(strategy: SearchStrategy[Any]) -> SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def _pause(draw: DrawFn, currency: str) -> dict[str, Any]:
    shortest = draw(st.integers(1, 3))
    return {
        "min_months": shortest,
        "max_months": shortest + draw(st.integers(0, 3)),
        "max_per_year": draw(st.integers(1, 3)),
        "monthly_fee": draw(_amount(currency, 1_100)),
        "request_by_day_of_previous_month": draw(_optional(st.integers(1, 31))),
        "starts": draw(st.sampled_from(["chosen_date", "next_period"])),
        "extends_minimum_term": draw(st.booleans()),
    }


def plans(id: str = "a", currency: str = "JPY") -> SearchStrategy[dict[str, Any]]:
    """A valid plan with id ``id``, as a dict in memberkit's JSON shape: an
    interval of 1–3 months or a year, either alignment, any tax rate, tax
    included or not, any refund policy, collecting the next period at join
    or not, and each optional rule (trial, minimum term, fixed term, notice,
    pause, bookings, admission fee, rejoin waiver, cooling-off) present or
    not — the shapes of the Rust ``strategies::plan``. Amounts are in
    ``currency``, up to 30,000 minor units."""
    early_cancel = st.one_of(
        st.just({"kind": "refused"}),
        st.builds(lambda amount: {"kind": "fee", "amount": amount}, _amount(currency, 20_000)),
    )
    notice = st.one_of(
        st.builds(lambda day: {"kind": "day_of_month", "day": day}, st.integers(1, 31)),
        st.builds(lambda days: {"kind": "days_before_period_end", "days": days}, st.integers(0, 40)),
    )
    booking = st.one_of(
        st.just({"kind": "unlimited"}),
        st.builds(lambda n: {"kind": "per_period", "bookings": n}, st.integers(1, 8)),
    )
    return st.fixed_dictionaries(
        {
            "id": st.just(id),
            "name": st.just(id.upper()),
            "price": _amount(currency, 30_000),
            "price_includes_tax": st.booleans(),
            "tax_rate": st.sampled_from(["standard", "reduced", "exempt"]),
            "interval": st.one_of(
                st.builds(lambda n: {"unit": "month", "count": n}, st.integers(1, 3)),
                st.just({"unit": "year", "count": 1}),
            ),
            "alignment": st.sampled_from(["calendar", "anniversary"]),
            "admission_fee": _optional(_amount(currency, 11_000)),
            "trial": _optional(st.fixed_dictionaries({"days": st.integers(1, 31), "price": _amount(currency, 3_000)})),
            "minimum_term": _optional(st.fixed_dictionaries({"periods": st.integers(1, 12), "early_cancel": early_cancel})),
            "fixed_term_periods": _optional(st.integers(1, 12)),
            "notice": _optional(notice),
            "pause": _optional(_pause(currency)),
            "booking": booking,
            "rejoin_waives_admission_within_months": _optional(st.integers(0, 12)),
            "cooling_off_days": _optional(st.integers(1, 14)),
            "refund_policy": st.sampled_from(["none", "prorated_credit", "prorated_refund"]),
            "collect_next_period_at_join": st.booleans(),
        }
    )


def _valid_catalog(plans: list[dict[str, Any]]) -> bool:
    try:
        Catalog(plans)
    except MemberkitError:
        return False
    return True


def catalog_plans(currency: str = "JPY") -> SearchStrategy[list[dict[str, Any]]]:
    """The plans of a valid catalog: three :func:`plans` with ids ``"a"``,
    ``"b"`` and ``"c"`` that :class:`~memberkit.membership.Catalog` accepts."""
    return st.tuples(*(plans(id, currency) for id in PLAN_IDS)).map(list).filter(_valid_catalog)


def catalogs(currency: str = "JPY") -> SearchStrategy[Catalog]:
    """A :class:`~memberkit.membership.Catalog` of :func:`catalog_plans`."""
    return catalog_plans(currency).map(Catalog)


def membership_commands(
    start: dt.date = dt.date(2026, 1, 1), plan_ids: Sequence[str] = PLAN_IDS, *, within_days: int = 900
) -> SearchStrategy[dict[str, Any]]:
    """A membership command whose dates fall within ``within_days`` days from
    ``start``, naming one of ``plan_ids``: valid and invalid commands alike,
    for state-machine tests (every command type, every cancel and change
    timing)."""
    if not plan_ids:
        raise ValueError("plan_ids: expected at least one plan id")
    if within_days < 1:
        raise ValueError(f"within_days {within_days}: expected 1 or more")
    day = st.integers(0, within_days - 1).map(lambda n: start + dt.timedelta(days=n))
    plan = st.sampled_from(list(plan_ids))

    def joining(kind: str) -> SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({"type": st.just(kind), "plan": plan, "start": day, "trial": st.booleans()})

    def pause(begin: dt.date, days: int) -> dict[str, Any]:
        return {"type": "pause", "from": begin, "until": begin + dt.timedelta(days=days)}

    cancel_timing = st.one_of(
        st.sampled_from(["now", "period_end", "by_notice_rule"]), day.map(lambda on: {"on": on})
    )
    return st.one_of(
        joining("join"),
        st.builds(pause, day, st.integers(1, 199)),
        day.map(lambda on: {"type": "resume", "on": on}),
        st.fixed_dictionaries(
            {"type": st.just("change_plan"), "plan": plan, "when": st.sampled_from(["now", "next_period"])}
        ),
        cancel_timing.map(lambda when: {"type": "cancel", "when": when}),
        st.sampled_from(
            [{"type": kind} for kind in ("revoke_cancellation", "mark_past_due", "suspend", "reinstate", "advance")]
        ),
        joining("rejoin"),
    )


@dataclass(frozen=True)
class Step:
    """One command of a generated history: what was asked on which day, and
    either the events it gave or the error that refused it."""

    command: dict[str, Any]
    at: dt.date
    events: Optional[list[dict[str, Any]]]
    refused: Optional[MemberkitError]

    @property
    def accepted(self) -> bool:
        """Whether the decider accepted the command."""
        return self.refused is None


@dataclass(frozen=True)
class MembershipHistory:
    """A valid history of one membership: the catalog it follows, every
    command tried (:attr:`steps`, refused ones included), the accepted
    events in order (what a host stores), and the state and version they
    lead to."""

    plans: list[dict[str, Any]]
    catalog: Catalog
    steps: list[Step]
    events: list[dict[str, Any]]
    state: dict[str, Any]
    version: int

    @property
    def commands(self) -> list[tuple[dict[str, Any], dt.date]]:
        """Every command tried with its day, in order."""
        return [(step.command, step.at) for step in self.steps]


_EPOCH = dt.date(2000, 1, 1)


def _moved(command: dict[str, Any], by: dt.timedelta) -> dict[str, Any]:
    """``command`` with every date in it (nested ones too) ``by`` later."""

    def move(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value + by
        if isinstance(value, dict):
            return {key: move(item) for key, item in value.items()}
        return value

    moved: dict[str, Any] = move(command)
    return moved


@st.composite
def _history(
    draw: DrawFn,
    plans: SearchStrategy[list[dict[str, Any]]],
    start: dt.date,
    min_commands: int,
    max_commands: int,
    max_gap_days: int,
) -> MembershipHistory:
    chosen = draw(plans)
    catalog = Catalog(chosen)
    ids = [plan["id"] for plan in chosen]
    member = Membership(catalog)
    steps: list[Step] = []
    events: list[dict[str, Any]] = []
    at = start
    wanted = draw(st.integers(min_commands, max_commands))
    # The first command is most often a join on the day: without one every other command is refused.
    join = st.fixed_dictionaries(
        {"type": st.just("join"), "plan": st.sampled_from(ids), "start": st.just(start), "trial": st.booleans()}
    )
    first = st.one_of(join, join, join, membership_commands(start, ids, within_days=60))
    # Later commands name dates near the day they are made, so that more of them can be accepted:
    # drawn near _EPOCH (one strategy, built once) and moved to the day.
    later = membership_commands(_EPOCH, ids, within_days=120)
    accepted_count = 0
    while accepted_count < wanted and len(steps) < 4 * wanted + 4:
        command = draw(first) if not steps else _moved(draw(later), at - _EPOCH)
        try:
            accepted = member.execute(command, at)
        except MemberkitError as refused:
            steps.append(Step(command, at, None, refused))
        else:
            steps.append(Step(command, at, accepted, None))
            events.extend(accepted)
            accepted_count += 1
        at += dt.timedelta(days=draw(st.integers(0, max_gap_days)))
    return MembershipHistory(chosen, catalog, steps, events, member.state, member.version)


def membership_histories(
    plans: Optional[SearchStrategy[list[dict[str, Any]]]] = None,
    *,
    start: dt.date = dt.date(2026, 1, 1),
    min_commands: int = 1,
    max_commands: int = 20,
    max_gap_days: int = 40,
) -> SearchStrategy[MembershipHistory]:
    """A valid event history of one membership under a catalog of ``plans``
    (:func:`catalog_plans` by default): :func:`membership_commands` decided
    one after another, each on a day 0 to ``max_gap_days`` after the one
    before (from ``start``), keeping the events of those accepted, until
    between ``min_commands`` and ``max_commands`` were accepted (or four
    times as many were tried: most commands do not fit a given status). The
    history's events are valid by construction: each was decided on the
    state the ones before it made."""
    if not 0 <= min_commands <= max_commands:
        raise ValueError(f"commands {min_commands}..={max_commands}: expected 0 <= min_commands <= max_commands")
    if max_gap_days < 0:
        raise ValueError(f"max_gap_days {max_gap_days}: expected 0 or more")
    return _history(catalog_plans() if plans is None else plans, start, min_commands, max_commands, max_gap_days)


_ACTIONS: list[tuple[int, SearchStrategy[dict[str, str]]]] = [
    (4, st.just({"action": "retry"})),
    (3, st.sampled_from(["email", "sms", "push", "letter"]).map(lambda c: {"action": "remind", "channel": c, "template": f"t_{c}"})),
    (2, st.sampled_from(["no_new_bookings", "no_guests"]).map(lambda r: {"action": "restrict", "restriction": r})),
    (2, st.just({"action": "suspend"})),
    (1, st.just({"action": "cancel"})),
    (1, st.just({"action": "send_to_collection"})),
    (1, st.just({"action": "write_off"})),
]
_STANDINGS = ["past_due", "suspended", "cancelled"]


def _weighted(choices: list[tuple[int, SearchStrategy[Any]]]) -> SearchStrategy[Any]:
    return st.one_of(*(strategy for weight, strategy in choices for _ in range(weight)))


@st.composite
def _dunning_policy(draw: DrawFn) -> dict[str, Any]:
    grace = draw(st.integers(0, 5))
    debit = draw(st.booleans())
    steps = []
    for day, action in draw(st.lists(st.tuples(st.integers(0, 59), _weighted(_ACTIONS)), max_size=7)):
        if debit and action["action"] == "retry":
            continue  # collect-with-next-debit retries nothing by card
        escalates = action["action"] not in ("retry", "remind")
        steps.append({"day": max(day, grace) if escalates else day, **action})
    rung = st.tuples(st.none() | st.integers(1, 3), st.none() | st.integers(1, 29_999), st.none() | st.integers(1, 59), st.sampled_from(_STANDINGS))
    rungs = [r for r in draw(st.lists(rung, max_size=2)) if r[:3] != (None, None, None)]
    rungs.sort(key=lambda r: -_STANDINGS.index(r[3]))  # the gravest first: the first match wins
    ladder = []
    for i, (invoices, balance, days, standing) in enumerate(rungs):
        rule: dict[str, Any] = {"name": f"s{i}", "standing": standing}
        if invoices is not None:
            rule["unpaid_invoices"] = invoices
        if balance is not None:
            rule["unpaid_balance"] = {"amount": str(balance), "currency": "JPY"}
        if days is not None:
            rule["days_since_oldest_unpaid"] = days
        ladder.append(rule)
    policy: dict[str, Any] = {
        "currency": "JPY",
        "count_from": draw(st.sampled_from(["due_date", "first_failure"])),
        "grace_days": grace,
        "retry_timing": {"skip_weekends": draw(st.booleans()), "holidays": ["2026-05-04", "2026-05-05"],
                         "on_or_after_day": draw(st.none() | st.integers(1, 31))},
        "collect_with_next_debit": debit,
        "invoice_while_suspended": draw(st.booleans()),
        "after_last_retry": "stay_past_due" if debit else draw(st.sampled_from(["stay_past_due", "mark_unpaid", "cancel"])),
        "steps": steps,
        "ladder": ladder,
    }
    retries = draw(st.none() | st.integers(0, 4))
    if retries is not None:
        policy["max_retries"] = retries
    return policy


def _valid_policy(policy: dict[str, Any]) -> bool:
    try:
        Policy(policy)
    except MemberkitError:
        return False
    return True


def dunning_policies() -> SearchStrategy[Policy]:
    """A valid dunning :class:`~memberkit.dunning.Policy` in yen: random steps,
    grace period, retry timing, ladder, and either card retries or
    collect-with-next-debit (the Rust ``strategies::dunning_policy``)."""
    return _dunning_policy().filter(_valid_policy).map(Policy)


def dunning_commands(start: dt.date = dt.date(2026, 1, 1)) -> SearchStrategy[dict[str, Any]]:
    """A dunning command on one of a few invoices (``i0``..``i3``) and payment
    ids (``p0``..``p5``, so duplicates occur), in yen: valid and invalid
    alike. Invoices fall due up to 200 days after ``start``."""
    invoice = st.sampled_from(["i0", "i1", "i2", "i3"])
    yen = st.integers(1, 11_999).map(lambda n: Money(n, "JPY"))
    due = st.integers(0, 199).map(lambda n: start + dt.timedelta(days=n))
    return _weighted(
        [
            (3, st.fixed_dictionaries({"type": st.just("invoice_issued"), "invoice": invoice, "amount": yen, "due": due})),
            (3, st.fixed_dictionaries({"type": st.just("payment_failed"), "invoice": invoice, "amount": yen,
                                       "decline": st.sampled_from(["soft", "hard"]), "code": st.none()})),
            (3, st.fixed_dictionaries({"type": st.just("payment_succeeded"), "payment": st.sampled_from([f"p{n}" for n in range(6)]),
                                       "invoice": invoice, "amount": yen})),
            (1, st.just({"type": "payment_method_updated"})),
            (1, invoice.map(lambda i: {"type": "invoice_voided", "invoice": i})),
            (1, invoice.map(lambda i: {"type": "invoice_written_off", "invoice": i})),
            (3, st.just({"type": "advance"})),
        ]
    )


def _penalty() -> SearchStrategy[dict[str, Any]]:
    fee = st.integers(1, 4_999).map(lambda n: {"kind": "fee", "amount": {"amount": str(n), "currency": "JPY"}})
    return st.sampled_from([{"kind": "forfeit_credit"}, {"kind": "none"}]) | fee


def booking_rules() -> SearchStrategy[Rules]:
    """Booking :class:`~memberkit.booking.Rules` with one random ``"default"``
    policy (windows, cutoffs, promotion mode, priority, penalties, credit
    consumption, parties), with or without limits and strikes (the Rust
    ``strategies::booking_rules``)."""
    promotion = st.just({"mode": "automatic"}) | st.integers(1, 239).map(lambda m: {"mode": "offer", "hold_minutes": m})
    policy = st.fixed_dictionaries(
        {
            "opens_days_before": st.none() | st.integers(1, 29),
            "closes_minutes_before": st.integers(0, 119),
            "late_cancel_minutes_before": st.integers(0, 2_879),
            "late_cancel": _penalty(),
            "no_show": _penalty(),
            "promotion": promotion,
            "waitlist_cutoff_minutes_before": st.integers(0, 239),
            "promoted_grace_minutes": st.integers(0, 119),
            "priority": st.sampled_from(["arrival", "tier"]),
            "check_in_opens_minutes_before": st.integers(0, 89),
            "no_show_after_minutes": st.integers(0, 59),
            "consume_credit": st.sampled_from(["booking", "check_in"]),
            "max_party": st.integers(1, 3),
        }
    )
    limits = st.fixed_dictionaries(
        {"max_future_bookings": st.none() | st.integers(1, 4), "per_day": st.none() | st.integers(1, 3), "per_week": st.none() | st.integers(1, 7)}
    )
    strikes = st.none() | st.fixed_dictionaries(
        {"count": st.integers(1, 3), "within_days": st.integers(1, 29), "lock_days": st.integers(1, 9), "late_cancels": st.booleans()}
    )
    return st.builds(lambda p, lim, s: Rules({"policies": {"default": p}, "limits": lim, "strikes": s}), policy, limits, strikes)


def booking_commands(sessions: Sequence[str], members: Sequence[str]) -> SearchStrategy[dict[str, Any]]:
    """A booking command on the given sessions and members: valid and invalid
    alike (unknown ids are not generated), weighted as the Rust
    ``strategies::booking_command`` is."""
    if not sessions or not members:
        raise ValueError("sessions and members: expected at least one of each")
    pair = st.fixed_dictionaries({"session": st.sampled_from(list(sessions)), "member": st.sampled_from(list(members))})
    party = _weighted([(4, st.just(1)), (1, st.integers(2, 3))])

    def with_type(kind: str, **more: SearchStrategy[Any]) -> SearchStrategy[dict[str, Any]]:
        return st.builds(lambda p, extra: {"type": kind, **p, **extra}, pair, st.fixed_dictionaries(more))

    capacity = st.fixed_dictionaries(
        {"type": st.just("change_capacity"), "session": st.sampled_from(list(sessions)), "capacity": st.integers(0, 5), "force": st.booleans()}
    )
    return _weighted(
        [
            (6, with_type("book", party=party)),
            (5, with_type("join_waitlist", party=party)),
            (6, with_type("cancel", by=st.sampled_from(["member", "staff"]))),
            (1, with_type("leave_waitlist")),
            (2, with_type("accept_offer")),
            (1, with_type("decline_offer")),
            (2, with_type("check_in")),
            (1, with_type("mark_no_show")),
            (1, capacity),
            (3, st.just({"type": "advance"})),
        ]
    )
