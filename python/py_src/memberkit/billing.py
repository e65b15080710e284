"""Billing: invoices and credit notes from a membership's events.

Configs are dicts (``{}`` for the defaults: billing in advance, daily
proration on actual days, rounding down, 10 % / 8 % consumption tax rounded
down once per invoice and rate). Documents and accounts come back as dicts,
with dates as :class:`datetime.date` and amounts as :class:`memberkit.Money`.
Keep the returned account and pass it to the next run: billing through a date
already billed adds nothing.

>>> import datetime as dt
>>> from memberkit.membership import Catalog, Membership
>>> from memberkit.billing import BillingConfig, bill
>>> catalog = Catalog([{"id": "basic", "name": "Basic",
...     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": True,
...     "interval": {"unit": "month", "count": 1}}])
>>> member = Membership(catalog)
>>> events = member.execute({"type": "join", "plan": "basic", "start": "2026-04-15"}, dt.date(2026, 4, 15))
>>> documents, account = bill(catalog, BillingConfig(), events, dt.date(2026, 5, 1), account_id="m-1")
>>> [str(doc["total"]) for doc in documents]
['4693 JPY', '8800 JPY']
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence, Tuple, Union

from memberkit import _memberkit
from memberkit._memberkit import Money
from memberkit.membership import Catalog, _dumps, _loads

__all__ = ["BillingConfig", "bill", "bill_many", "new_account", "prorate"]

DateLike = Union[dt.date, str]
Run = Tuple[list[dict[str, Any]], dict[str, Any]]


class BillingConfig:
    """How a business bills; see the crate docs for every field."""

    def __init__(self, config: Mapping[str, Any] | None = None, **fields: Any) -> None:
        merged = {**(config or {}), **fields}
        self._inner = _memberkit.BillingConfig(_dumps(merged))

    def to_dict(self) -> dict[str, Any]:
        """The full config, defaults included."""
        config: dict[str, Any] = _loads(self._inner.to_json())
        return config


def _run(value: dict[str, Any]) -> Run:
    return value["documents"], value["account"]


def bill(
    catalog: Catalog,
    config: BillingConfig,
    events: Sequence[Mapping[str, Any]],
    through: DateLike,
    account: Mapping[str, Any] | None = None,
    account_id: str = "",
) -> Run:
    """Bills one account through ``through``; returns ``(documents, account)``.

    ``account`` is the ledger a previous run returned, or ``None`` for a new
    account named ``account_id``.
    """
    text = _memberkit.bill_json(
        catalog._inner,
        config._inner,
        None if account is None else _dumps(account),
        account_id,
        _dumps(list(events)),
        through,
    )
    return _run(_loads(text))


def bill_many(
    catalog: Catalog,
    config: BillingConfig,
    histories: Sequence[Tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]],
    through: DateLike,
) -> list[Union[Run, Exception]]:
    """Bills many ``(account, events)`` pairs through one date, with the GIL
    released while billing. Each item of the result is ``(documents, account)``
    or the :class:`memberkit.MemberkitError` that account raised.
    """
    payload = _dumps([{"account": account, "events": list(events)} for account, events in histories])
    results: list[Union[Run, Exception]] = []
    for item in _loads(_memberkit.bill_batch_json(catalog._inner, config._inner, payload, through)):
        if "error" in item:
            results.append(_error(item["error"]["kind"], item["error"]["message"]))
        else:
            results.append(_run(item))
    return results


def _error(kind: str, message: str) -> Exception:
    from memberkit import errors

    name = "".join(part.capitalize() for part in kind.split("_")) + "Error"
    cls = getattr(errors, name, errors.MemberkitError)
    error: Exception = cls(message, kind)
    return error


def new_account(
    account_id: str,
    charges: Sequence[Mapping[str, Any]] = (),
    discounts: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """An empty ledger for ``account_id``, with the host's one-off ``charges``
    (``{"id", "on", "description", "amount", "tax"}``) and ``discounts``
    (``{"id", "description", "from", "periods", "off"}``); add more to the
    returned dict's lists at any time.
    """
    return {
        "id": account_id,
        "pieces": [],
        "one_offs": [],
        "issued": {},
        "credit": None,
        "charges": [dict(c) for c in charges],
        "discounts": [dict(d) for d in discounts],
    }


def prorate(price: Money, part: int, whole: int, mode: str = "floor") -> Money:
    """``price × part / whole``, rounded once with ``mode``: 日割り of one fee."""
    return _memberkit.prorate(price, part, whole, mode)
