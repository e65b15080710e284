"""Dunning (督促): what follows an unpaid invoice — retries, reminders,
restrictions, suspension, cancellation, collection and write-off.

It works as :mod:`memberkit.membership` does. A :class:`Policy` (a dict, as
in memberkit's JSON, validated once; errors name the bad field) is to
dunning what a :class:`~memberkit.membership.Catalog` is to memberships, and
:class:`Receivables` is an account's state under it, as a
:class:`~memberkit.membership.Membership` is a member's: ``decide(command,
at)`` returns the events that would follow, ``execute(command, at)`` decides
and applies them, ``apply(events)`` replays stored ones, ``state`` and
``version`` are for storing it. Commands and events are plain dicts: dates
are :class:`datetime.date` (ISO strings are accepted on the way in) and
amounts :class:`memberkit.Money` (``{"amount": "8800", "currency": "JPY"}``
on the way in). Refused commands raise a :class:`memberkit.MemberkitError`
subclass (:class:`memberkit.UnknownInvoiceError`,
:class:`memberkit.CommandRefusedError`, ...) and change nothing.

What a host asks of an account: ``standing`` (``"good"``, ``"past_due"``,
``"suspended"``, ``"cancelled"``), ``restrictions`` and
``is_restricted(name)``, ``unpaid_balance``, ``total_collected`` and
``totals`` (invoiced = applied + written off + open; collected = applied +
credit), ``open_invoices(at)``, ``oldest_unpaid``, ``view()``, and
``timeline(language)``: the steps still to come as :class:`Planned` objects
(``on``, ``invoice``, ``step``, ``action``, ``amount``, ``message``), each
told in the core's own words. A :class:`Receivables` is shared safely
between threads: each call takes its lock. ``state`` (or ``to_json()``)
stores it; ``Receivables(policy, state)`` restores it.

>>> import datetime as dt
>>> from memberkit import Money
>>> from memberkit.dunning import Policy, Receivables, membership_commands
>>> policy = Policy({"currency": "JPY", "grace_days": 3, "max_retries": 1,
...     "steps": [{"day": 3, "action": "retry"},
...               {"day": 7, "action": "remind", "channel": "email", "template": "unpaid"},
...               {"day": 14, "action": "suspend"}]})
>>> account = Receivables(policy)
>>> yen = {"amount": "8800", "currency": "JPY"}
>>> [e["type"] for e in account.execute(
...     {"type": "invoice_issued", "invoice": "m-1", "amount": yen, "due": "2026-05-01"}, "2026-04-25")]
['invoice_opened']
>>> [e["type"] for e in account.execute(
...     {"type": "payment_failed", "invoice": "m-1", "amount": yen, "decline": "soft"}, "2026-05-01")]
['payment_failed']

What the member is told, in the core's words (``language="en"`` or ``"ja"``):

>>> for step in account.timeline(language="en"):
...     print(step.on, step.action, step.message)
2026-05-04 retry We will try the payment of ¥8,800 again on 4 May 2026.
2026-05-08 remind We will remind you of the unpaid ¥8,800 on 8 May 2026.
2026-05-15 suspend Your membership will be suspended on 15 May 2026 unless ¥8,800 is paid.
>>> account.timeline()[-1].message
'8,800円のお支払いがない場合、2026年5月15日に会員資格を停止します。'

Advancing to May 15 takes every step due by then; the account events say
what the membership must do:

>>> events = account.execute({"type": "advance"}, dt.date(2026, 5, 15))
>>> [(e["type"], e["on"].isoformat()) for e in events]  # doctest: +NORMALIZE_WHITESPACE
[('overdue', '2026-05-04'), ('retry_due', '2026-05-04'), ('marked_past_due', '2026-05-04'),
 ('reminder_due', '2026-05-08'), ('escalated', '2026-05-15'), ('suspended', '2026-05-15')]
>>> membership_commands(events)
[{'type': 'mark_past_due'}, {'type': 'suspend'}]
>>> account.standing, account.unpaid_balance
('suspended', Money('8800', 'JPY'))
>>> paid = account.execute({"type": "payment_succeeded", "payment": "pay-1", "invoice": "m-1",
...     "amount": Money(8800, "JPY")}, "2026-05-16")
>>> membership_commands(paid), account.standing, account.total_collected
([{'type': 'reinstate'}], 'good', Money('8800', 'JPY'))

Many accounts at once (:func:`advance_all`, the GIL released): only the
accounts that changed come back, each with its :class:`Events`, already
applied to it.

>>> others = [Receivables(policy) for _ in range(3)]
>>> _ = others[1].execute({"type": "invoice_issued", "invoice": "m-2", "amount": yen, "due": "2026-05-01"}, "2026-05-01")
>>> _ = others[1].execute({"type": "payment_failed", "invoice": "m-2", "amount": yen, "decline": "hard"}, "2026-05-01")
>>> [(others.index(acct), events.types()) for acct, events in advance_all(others, policy, "2026-05-08")]
[(1, ['overdue', 'retry_skipped', 'marked_past_due', 'reminder_due'])]
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Sequence, Union

from memberkit import _memberkit
from memberkit._memberkit import Events, Planned, Policy, Receivables
from memberkit.errors import MemberkitError

__all__ = [
    "Events",
    "Planned",
    "Policy",
    "Receivables",
    "advance_all",
    "membership_commands",
]

DateLike = Union[dt.date, str]


def advance_all(
    accounts: Iterable[Receivables], policy: Policy, at: DateLike
) -> list[tuple[Receivables, Union[Events, MemberkitError]]]:
    """Advances every account to ``at`` (``{"type": "advance"}`` on each) with
    one call into the core, the GIL released while it runs, and applies the
    events to each account.

    Returns the accounts that changed, in the order given, each with its
    :class:`Events`; an account whose advance was refused (``at`` before its
    latest event) comes with the :class:`memberkit.MemberkitError` instead,
    unchanged. Accounts with nothing due are left out.

    Every account must follow ``policy`` (the one it was made with, or an
    equal one); one that does not, an item that is not a
    :class:`Receivables` (``TypeError``), or an account given twice or being
    advanced by another thread (:class:`memberkit.InvalidArgumentError`)
    raises before anything is advanced.
    """
    return _memberkit.advance_all(accounts, policy, at)


def membership_commands(events: Union[Events, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """The membership commands that dunning events call for, in order, as
    dicts to :meth:`~memberkit.membership.Membership.execute`:
    ``marked_past_due`` → ``mark_past_due``, ``suspended`` → ``suspend``,
    ``cancelled`` → ``cancel`` now, ``recovered`` → ``reinstate`` (and
    ``mark_past_due`` again when only a suspension was lifted).

    >>> membership_commands([{"type": "suspended", "on": "2026-05-15"},
    ...     {"type": "recovered", "on": "2026-05-16", "from": "suspended", "to": "good", "lifted": []}])
    [{'type': 'suspend'}, {'type': 'reinstate'}]
    """
    commands: list[dict[str, Any]] = _memberkit.membership_commands(events)
    return commands
