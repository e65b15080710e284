"""Billing: invoices and credit notes from a membership's events.

Configs are dicts (``{}`` for the defaults: billing in advance, daily
proration on actual days, rounding down, 10 % / 8 % consumption tax rounded
down once per invoice and rate). The inputs and outputs are Rust-backed
objects, converted only when read:

- :class:`Account`, an account's ledger. Billing updates it in place; store
  it (``to_json``/``from_json``) with the account and bill it again later:
  billing through a date already billed adds nothing.
- :class:`EventLog`, a membership's events parsed once (from the dicts
  :meth:`~memberkit.membership.Membership.execute` returns, or JSON text).
  A :class:`~memberkit.membership.Membership` keeps its own
  (:attr:`~memberkit.membership.Membership.events`), and billing takes the
  membership itself wherever it takes events.
- :class:`Documents`, what a run issued: an immutable sequence (a
  :class:`collections.abc.Sequence`) of :class:`Document`, each made when
  read; it compares equal to a list of the same documents.
- :class:`Document`, an invoice or credit note: dates as
  :class:`datetime.date`, amounts as :class:`memberkit.Money`, ``lines`` as
  :class:`Line` objects, ``taxes`` as :class:`TaxSummary` objects (one per
  rate and inclusion; :meth:`Document.tax_for` finds one by rate), and
  ``to_dict()``/``to_json()`` for all of it as plain data.
- :class:`Line`, one line: ``description``, ``kind``, ``plan``, ``period``
  (a :class:`memberkit.Period` or ``None``), ``quantity``, ``unit_price``,
  ``proration`` (the share of ``unit_price`` billed, a
  :class:`fractions.Fraction`, or ``None`` when not prorated; a first period
  billed free is ``Fraction(0)`` with ``free`` true), ``amount``, ``tax`` (a
  :class:`TaxCategory`: ``rate`` and ``included``) and ``is_credit``
  (whether it gives back what an earlier document charged, whatever its
  amount: a credit for days billed free is zero; discounts are not credits).
  ``to_dict()`` gives the dict memberkit's JSON has, the share unreduced
  (``"15/30"``).

>>> import datetime as dt
>>> from memberkit.membership import Catalog, Membership
>>> from memberkit.billing import Account, BillingConfig, bill
>>> catalog = Catalog([{"id": "basic", "name": "Basic",
...     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": True,
...     "interval": {"unit": "month", "count": 1}}])
>>> member = Membership(catalog)
>>> _ = member.execute({"type": "join", "plan": "basic", "start": "2026-04-15"}, dt.date(2026, 4, 15))
>>> account = Account("m-1")
>>> documents = bill(catalog, BillingConfig(), account, member, dt.date(2026, 5, 1))
>>> [(doc.id, str(doc.total)) for doc in documents]
[('m-1-20260415-1', '4693 JPY'), ('m-1-20260501-1', '8800 JPY')]
>>> documents[-1]
Document('m-1-20260501-1', kind='invoice', date='2026-05-01', total=Money('8800', 'JPY'))
>>> [line] = documents[0].lines
>>> line
Line('Basic fee, 2026-04-15 to 2026-04-30', kind='plan_fee', amount=Money('4693', 'JPY'))
>>> line.proration, line.period, line.is_credit
(Fraction(8, 15), Period('2026-04-15', '2026-05-01'), False)
>>> documents[0].tax_for("standard")
TaxSummary('standard', included=True, taxable=Money('4693', 'JPY'), tax=Money('426', 'JPY'))
>>> account
Account('m-1', documents_issued=2, credit=None)
>>> bill(catalog, BillingConfig(), account, member, dt.date(2026, 5, 1))
Documents([])

Many accounts at once, with the GIL released while billing:

>>> from memberkit.billing import EventLog, bill_many
>>> log = member.events
>>> runs = bill_many(catalog, BillingConfig(), [(Account("m-2"), log), (Account("m-3"), member)], "2026-04-30")
>>> [[doc.id for doc in documents] for documents in runs]
[['m-2-20260415-1'], ['m-3-20260415-1']]
"""

from __future__ import annotations

import collections.abc
import datetime as dt
from typing import Any, Iterable, Mapping, Sequence, Union

from memberkit import _memberkit
from memberkit._memberkit import Account, Document, Documents, EventLog, Line, Money, TaxCategory, TaxSummary
from memberkit.errors import MemberkitError
from memberkit.membership import Catalog, Membership, _dumps, _loads

__all__ = [
    "Account",
    "BillingConfig",
    "Document",
    "Documents",
    "EventLog",
    "Line",
    "TaxCategory",
    "TaxSummary",
    "bill",
    "bill_many",
    "bill_many_json",
    "prorate",
]

collections.abc.Sequence.register(Documents)

DateLike = Union[dt.date, str]
Events = Union[EventLog, Membership, Sequence[Mapping[str, Any]]]


class BillingConfig:
    """How a business bills; see the crate docs for every field."""

    def __init__(self, config: Mapping[str, Any] | None = None, **fields: Any) -> None:
        merged = {**(config or {}), **fields}
        self._inner = _memberkit.BillingConfig(_dumps(merged))

    def to_dict(self) -> dict[str, Any]:
        """The full config, defaults included."""
        config: dict[str, Any] = _loads(self._inner.to_json())
        return config


def bill(catalog: Catalog, config: BillingConfig, account: Account, events: Events, through: DateLike) -> Documents:
    """Bills ``account`` through ``through`` (included) for ``events`` (an
    :class:`EventLog`, a :class:`~memberkit.membership.Membership`, whose
    :attr:`~memberkit.membership.Membership.events` are billed, or event
    dicts); records the run in ``account`` and returns the documents issued,
    as :class:`Documents`. On an error ``account`` is left as it was.
    """
    if isinstance(events, EventLog):
        log = events
    elif isinstance(events, Membership):
        log = events.events
    else:
        log = EventLog(events)
    return _memberkit.bill(catalog._inner, config._inner, account, log, through)


def bill_many(
    catalog: Catalog,
    config: BillingConfig,
    histories: Iterable[tuple[Account, Union[EventLog, Membership]]],
    through: DateLike,
) -> list[Union[Documents, MemberkitError]]:
    """Bills many ``(account, events)`` pairs through one date, each account
    updated in place, with the GIL released while billing; ``events`` is an
    :class:`EventLog` or a :class:`~memberkit.membership.Membership` (its
    :attr:`~memberkit.membership.Membership.events`, read when the batch is
    read). Each item of the result is the :class:`Documents` issued or the
    :class:`memberkit.MemberkitError` that account raised (its ledger left as
    it was). ``histories`` may be any iterable of pairs; an item that is not
    such a tuple raises ``TypeError``, and an :class:`Account` given twice,
    or being billed by another thread,
    :class:`memberkit.InvalidArgumentError`, both before anything is billed.
    """
    return _memberkit.bill_many(catalog._inner, config._inner, histories, through)


def bill_many_json(catalog: Catalog, config: BillingConfig, histories_json: str, through: DateLike) -> str:
    """:func:`bill_many` for hosts that keep histories as JSON text: a JSON
    array of ``{"account": ..., "events": [...]}`` in, a JSON array of
    ``{"documents": [...], "account": ...}`` or ``{"error": {"kind",
    "message"}}`` out.
    """
    return _memberkit.bill_batch_json(catalog._inner, config._inner, histories_json, through)


def prorate(price: Money, part: int, whole: int, mode: str = "floor") -> Money:
    """``price × part / whole``, rounded once with ``mode``: 日割り of one fee."""
    return _memberkit.prorate(price, part, whole, mode)
