"""Booking (予約): sessions with capacity, waitlists with promotion (繰り上げ),
offers that expire, cutoffs, late cancels and no-shows, check-in, strikes
and punch cards (回数券) — every rule in the Rust core.

:class:`Rules` (a dict, as in memberkit's JSON, validated once; errors name
the bad field) hold the session policies, per-member limits and strikes.
Commands and events are dicts in the JSON's shape; instants are
timezone-aware :class:`datetime.datetime` (any tzinfo, ``zoneinfo``
included; RFC 3339 text such as ``"2026-06-01T10:00:00+09:00"`` is accepted
on the way in) and come back with a fixed-offset :class:`datetime.timezone`;
dates are :class:`datetime.date` and amounts :class:`memberkit.Money`. A
naive datetime raises :class:`memberkit.InvalidArgumentError` naming the
argument.

Two ways to hold a book:

- :class:`Book` is a value, for hosts that keep events or snapshots in their
  own database: ``decide(rules, command, at)`` is pure, ``apply(events)``
  and ``execute(rules, command, at)`` return a new book, ``version`` is for
  optimistic concurrency, ``to_json()``/``Book.from_json`` store it.
- :class:`SharedBook` is one book behind the core's lock, for hosts that
  keep it in process and call it from many threads: each call decides and
  applies atomically (two threads never both take the last seat); a call
  that must wait for the lock, and ``advance``, release the GIL. ``book``, ``cancel``, ``join_waitlist``, ``leave_waitlist``,
  ``accept_offer``, ``decline_offer``, ``check_in``, ``mark_no_show`` and
  ``advance`` take plain arguments; ``execute(command, at)`` any command.

Commands return :class:`Events`: a sequence whose items are event dicts,
made when read (``events.types()`` names them without making dicts), equal
to a list of the same dicts. A refused command changes nothing and raises a
:class:`memberkit.MemberkitError` subclass — :class:`memberkit.BookingRefusedError`
for a rule, :class:`memberkit.UnknownSessionError`,
:class:`memberkit.UnknownMemberError`, ... — whose ``code`` is the core's
stable reason (``"full"``, ``"booking_closed"``, ``"limit_reached"``).

>>> import datetime as dt
>>> import memberkit
>>> from memberkit.booking import Rules, SharedBook
>>> JST = dt.timezone(dt.timedelta(hours=9))
>>> at = lambda day, hour, minute=0: dt.datetime(2026, 5, day, hour, minute, tzinfo=JST)
>>> shared = SharedBook(Rules({"policies": {"default": {"late_cancel_minutes_before": 720}}}))
>>> _ = shared.execute({"type": "schedule_session", "session": {"id": "yoga-0601", "capacity": 1,
...     "start": dt.datetime(2026, 6, 1, 10, tzinfo=JST), "end": dt.datetime(2026, 6, 1, 11, tzinfo=JST)}}, at(20, 9))
>>> for who in ["aiko", "ben"]:
...     _ = shared.execute({"type": "set_member", "member": who,
...         "eligibility": {"membership": {"from": dt.date(2026, 4, 1)}}}, at(20, 9))
>>> shared.book("yoga-0601", "aiko", at(25, 12))
Events(['booked'])
>>> try:
...     shared.book("yoga-0601", "ben", at(25, 12, 5))
... except memberkit.BookingRefusedError as refused:
...     print(refused.code, "—", refused)
full — session "yoga-0601" has 0 seats free, 1 asked
>>> shared.join_waitlist("yoga-0601", "ben", at(25, 12, 5))[0]["position"]
1

Aiko cancels in time; Ben is promoted at once:

>>> events = shared.cancel("yoga-0601", "aiko", at(31, 9))
>>> [(e["type"], e["member"]) for e in events]
[('cancelled', 'aiko'), ('promoted', 'ben')]
>>> events[0]["at"]
datetime.datetime(2026, 5, 31, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=32400)))
>>> shared.session_view("yoga-0601")["seats"]
[{'member': 'ben', 'party': 1, 'checked_in': False, 'no_show': False}]
>>> book = shared.snapshot()  # a Book: a value, to store or decide on
>>> book.version, book.member_view("ben", at(31, 9))["upcoming"]
(7, ['yoga-0601'])
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Optional, Union

from memberkit import _memberkit
from memberkit._memberkit import Book, Rules, SharedBook
from memberkit._memberkit import BookingEvents as Events
from memberkit.dunning import Receivables
from memberkit.membership import Catalog, Membership, _decode_object

__all__ = [
    "Book",
    "Events",
    "Rules",
    "SharedBook",
    "eligibility",
]

InstantLike = Union[dt.datetime, str]
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def eligibility(
    membership: Membership, catalog: Catalog, receivables: Optional[Receivables] = None
) -> dict[str, Any]:
    """What booking needs to know of a member, read from their records by the
    core: their membership (in force from its start until it ends, its
    pauses, whether dunning suspended it, the plan's bookings per billing
    period) and the restrictions their dunning account has in force. Send it
    with ``{"type": "set_member", "member": ..., "eligibility": ...}`` after
    each membership or dunning event.

    >>> import datetime as dt
    >>> catalog = Catalog([{"id": "4x", "name": "4 classes", "price": {"amount": "6600", "currency": "JPY"},
    ...     "interval": {"unit": "month", "count": 1}, "booking": {"kind": "per_period", "bookings": 4}}])
    >>> member = Membership(catalog)
    >>> _ = member.execute({"type": "join", "plan": "4x", "start": dt.date(2026, 4, 1)}, dt.date(2026, 4, 1))
    >>> terms = eligibility(member, catalog)["membership"]
    >>> terms["from"], terms["allowance"]["bookings"]
    (datetime.date(2026, 4, 1), 4)
    """
    found: dict[str, Any] = _memberkit.eligibility_from_records(membership._inner, catalog._inner, receivables)
    return found


def _decode(value: Any) -> Any:
    if isinstance(value, str) and _INSTANT.match(value):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _loads(text: str) -> Any:
    """memberkit booking JSON as the Python values this module gives:
    instants as aware datetimes, dates, ``Money``, as events and views come."""

    def hook(obj: dict[str, Any]) -> Any:
        decoded = _decode_object(obj)
        if isinstance(decoded, dict):
            return {key: _decode(value) for key, value in decoded.items()}
        return decoded

    return _decode(json.loads(text, object_hook=hook))
