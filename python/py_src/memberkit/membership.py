"""The membership lifecycle: plan catalogs and memberships, in Python terms.

Commands, events, plans and states are plain dicts, as in memberkit's JSON:
dates are :class:`datetime.date` (ISO strings are accepted on the way in) and
amounts come back as :class:`memberkit.Money`.

>>> import datetime as dt
>>> from memberkit.membership import Catalog, Membership
>>> catalog = Catalog([{"id": "basic", "name": "Basic",
...     "price": {"amount": "5500", "currency": "JPY"},
...     "interval": {"unit": "month", "count": 1}}])
>>> member = Membership(catalog)
>>> [e["type"] for e in member.execute({"type": "join", "plan": "basic", "start": dt.date(2026, 4, 1)}, dt.date(2026, 4, 1))]
['joined', 'started']
>>> member.status
'active'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any, Mapping, Sequence, Union

from memberkit import _memberkit
from memberkit._memberkit import EventLog, Money

__all__ = ["Catalog", "Membership", "Plan"]

DateLike = Union[dt.date, str]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.utcoffset() is None:
        from memberkit.errors import InvalidArgumentError

        raise InvalidArgumentError(
            f"{value!r} is naive: an instant needs a timezone-aware datetime (give it a tzinfo)",
            "invalid_argument",
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _decode_value(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # year 0: outside what datetime.date holds
            return value
    return value


def _decode_object(obj: dict[str, Any]) -> Any:
    if obj.keys() == {"amount", "currency"}:
        return Money(obj["amount"], obj["currency"])
    return {key: _decode_value(value) for key, value in obj.items()}


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_encode, ensure_ascii=False)


def _loads(text: str) -> Any:
    return json.loads(text, object_hook=_decode_object)


class Plan:
    """A membership plan, validated when made (errors name the bad field).

    >>> plan = Plan({"id": "regular", "name": "Regular",
    ...              "price": {"amount": "8800", "currency": "JPY"},
    ...              "interval": {"unit": "month", "count": 1}})
    >>> plan.price, plan.interval
    (Money('8800', 'JPY'), {'unit': 'month', 'count': 1})
    >>> plan.to_dict()["alignment"] is None  # monthly periods start on the 1st
    True
    """

    def __init__(self, fields: Mapping[str, Any] | None = None, **more: Any) -> None:
        self._fields: dict[str, Any] = _loads(_memberkit.normalize_plan_json(_dumps({**(fields or {}), **more})))

    def to_dict(self) -> dict[str, Any]:
        """Every field, defaults included."""
        return dict(self._fields)

    @property
    def id(self) -> str:
        """The plan's id."""
        value: str = self._fields["id"]
        return value

    @property
    def name(self) -> str:
        """The name shown to members."""
        value: str = self._fields["name"]
        return value

    @property
    def price(self) -> Money:
        """The price per billing period."""
        value: Money = self._fields["price"]
        return value

    @property
    def interval(self) -> dict[str, Any]:
        """The billing interval, e.g. ``{"unit": "month", "count": 1}``."""
        value: dict[str, Any] = self._fields["interval"]
        return value

    def __repr__(self) -> str:
        return f"Plan(id={self.id!r}, name={self.name!r}, price={self.price!r})"


class Catalog:
    """The plans a business offers. Immutable; share it between threads."""

    def __init__(self, plans: Sequence[Mapping[str, Any] | Plan] | str) -> None:
        if isinstance(plans, str):
            text = plans
        else:
            text = _dumps([p.to_dict() if isinstance(p, Plan) else p for p in plans])
        self._inner = _memberkit.Catalog(text)

    @property
    def plan_ids(self) -> list[str]:
        """The ids of the plans, sorted."""
        return self._inner.plan_ids()


class Membership:
    """One membership: its state, the catalog its plans come from, and the
    events executed or applied on it (:attr:`events`), ready to bill.

    Thread-safe: :meth:`execute` decides, applies and records under one lock.
    """

    def __init__(self, catalog: Catalog, state: Mapping[str, Any] | None = None) -> None:
        self._inner = _memberkit.Membership(catalog._inner, None if state is None else _dumps(state))

    def decide(self, command: Mapping[str, Any], at: DateLike) -> list[dict[str, Any]]:
        """The events that would follow from ``command`` made on ``at``; the state does not change."""
        events: list[dict[str, Any]] = _loads(self._inner.decide(_dumps(command), at))
        return events

    def execute(self, command: Mapping[str, Any], at: DateLike) -> list[dict[str, Any]]:
        """Decides ``command`` made on ``at``, applies the events and returns them."""
        events: list[dict[str, Any]] = _loads(self._inner.execute(_dumps(command), at))
        return events

    def apply(self, events: EventLog | Sequence[Mapping[str, Any]]) -> None:
        """Applies events decided earlier (replaying a stored history: event dicts or an
        :class:`~memberkit.billing.EventLog`) and records them in :attr:`events`."""
        self._inner.apply(events.to_json() if isinstance(events, EventLog) else _dumps(list(events)))

    @property
    def events(self) -> EventLog:
        """The events :meth:`execute` and :meth:`apply` gave this object since it was made, oldest
        first, as an :class:`~memberkit.billing.EventLog`: what :func:`memberkit.billing.bill`
        reads (a :class:`Membership` may be passed there directly). Each read is a snapshot that
        later commands do not change; reading copies nothing (the next command copies the history
        once while a snapshot is still held). Store them as ``events.to_list()`` or
        ``events.to_json()``.

        A membership restored from a state (``Membership(catalog, state)``) records only the
        events after it; to bill one, replay its stored events instead:
        ``member = Membership(catalog); member.apply(stored)``.

        >>> member = Membership(Catalog([{"id": "basic", "name": "Basic",
        ...     "price": {"amount": "5500", "currency": "JPY"},
        ...     "interval": {"unit": "month", "count": 1}}]))
        >>> _ = member.execute({"type": "join", "plan": "basic", "start": "2026-04-01"}, "2026-04-01")
        >>> _ = member.execute({"type": "cancel", "when": "now"}, "2026-04-10")
        >>> [event["type"] for event in member.events.to_list()]
        ['joined', 'started', 'cancelled']
        """
        return self._inner.events

    @property
    def status(self) -> str:
        """The current status, e.g. ``"active"``."""
        return self._inner.status

    @property
    def version(self) -> int:
        """The number of events applied, for optimistic concurrency."""
        return self._inner.version

    @property
    def state(self) -> dict[str, Any]:
        """The state as a dict; ``Membership(catalog, state)`` restores it."""
        state: dict[str, Any] = _loads(self._inner.state_json())
        return state

    def view(self, on: DateLike) -> dict[str, Any]:
        """Status on ``on``, plan, next renewal and the changes already decided."""
        view: dict[str, Any] = _loads(self._inner.view_json(on))
        return view

    def booking_allowance(self, on: DateLike, used: int = 0) -> dict[str, Any]:
        """Whether the member may book on ``on`` and how many bookings are left in that period."""
        allowance: dict[str, Any] = _loads(self._inner.booking_allowance_json(on, used))
        return allowance
