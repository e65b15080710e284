"""The member chatbot's procedures (休会・退会・プラン変更, questions about
one's own contract): from a verified request to a confirmed command, answered
from the member's own data. Every rule is the Rust core's.

An :class:`Assistant` is made once for a club (its catalog, billing config
and the names members use, as a dict in memberkit's JSON) and shared by every
conversation and thread. For each message the host

1. calls :meth:`Assistant.read` with the conversation's stored state (``None``
   for a new one), the message and today's date;
2. looks up the record of the member :attr:`Reading.member_number` names (a
   dict, or its JSON text as the host's database holds it: ``{"identity":
   {"member_number", "email", "phone", "birth_date"}, "membership": [events],
   "billing": account}``), or nothing when there is no number or no such
   member (the member is never told which);
3. calls :meth:`Assistant.reply` with the reading and the record, shows
   :attr:`Reply.text`, stores :attr:`Reply.state_json` (or :attr:`Reply.state`)
   for the next message, and acts on :attr:`Reply.step`.

:meth:`Assistant.turn` does all three with a lookup function. A procedure
verifies identity first (the member number, then a detail on file, with a
limited number of tries), asks for missing details one at a time, and runs a
dry run of the real decider and billing on the member's record: the reply is
a ``"confirm"`` with the command, its membership version and the facts (dates,
fees, the next invoice), or a ``"refused"`` with the rule's reason and the
nearest command the rules accept. On "yes" the command is checked again and
comes back as ``"confirmed"``: the host executes it on the membership at
:attr:`Reply.version` (refusing the write if the stored version moved on) and
stores its events. memberkit never executes anything itself.

>>> import datetime as dt
>>> from memberkit.chat import Assistant
>>> club = {"catalog": [{"id": "regular", "name": "レギュラー",
...     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": True,
...     "interval": {"unit": "month", "count": 1},
...     "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2,
...               "monthly_fee": {"amount": "550", "currency": "JPY"}}}]}
>>> hanako = {"identity": {"member_number": "1234567", "email": "hanako@example.jp"},
...     "membership": [{"type": "joined", "on": dt.date(2026, 4, 1), "plan": "regular",
...         "applied_on": dt.date(2026, 3, 20), "paid_from": dt.date(2026, 4, 1),
...         "admission_fee": None, "rejoin": False}]}
>>> bot = Assistant(club)
>>> today = dt.date(2026, 5, 6)
>>> lookup = {"1234567": hanako}.get
>>> reply = bot.turn(None, "6月から2ヶ月休会したい", today, lookup)
>>> reply.step, reply.text
('ask_identity', 'ご本人確認のため、会員番号を教えてください。')
>>> reply = bot.turn(reply.state_json, "会員番号1234567です", today, lookup)
>>> reply = bot.turn(reply.state_json, "hanako@example.jp", today, lookup)
>>> print(reply.text)
ご本人様を確認しました。
6月1日から7月31日まで、2ヶ月休会します。
休会費：月550円
次回のご請求：6月1日 550円（お引き落とし 6月1日）
この内容でお手続きしてよろしいですか？（はい／いいえ）
>>> reading = bot.read(reply.state_json, "はい", today)
>>> reading.member_number
'1234567'
>>> reply = bot.reply(reading, hanako)
>>> reply.step, reply.command, reply.version
('confirmed', {'type': 'pause', 'from': datetime.date(2026, 6, 1), 'until': datetime.date(2026, 8, 1)}, 1)
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Union

from memberkit import _memberkit
from memberkit._memberkit import Assistant, Reading
from memberkit.intent import Slot, _slots

__all__ = ["Assistant", "MemberRecord", "Reading", "Reply", "State"]

MemberRecord = Union[Mapping[str, Any], str, None]
"""A member record: a dict in memberkit's JSON shape, its JSON text, or ``None``."""
State = Union[Mapping[str, Any], str, "Reply", None]
"""A stored conversation state: a dict, its JSON text, the previous :class:`Reply`
(its state is taken as it is, unconverted), or ``None`` for a new conversation."""


@dataclass(frozen=True)
class Reply:
    """The assistant's answer to one message.

    ``step`` is what to do (``"answer"``, ``"clarify"``, ``"ask_identity"``,
    ``"identity_mismatch"``, ``"ask_detail"``, ``"offer_retention"``,
    ``"facts"``, ``"confirm"``, ``"refused"``, ``"confirmed"``, ``"dropped"``,
    ``"handover"``), ``text`` what to say in the member's ``language``
    (``"ja"`` or ``"en"``), ``intent`` and ``confidence`` the message's
    classification. An ``"answer"`` is the host's to give: ``data["about"]``
    names what to answer (after verification, the intent that asked for it,
    not this message's), and ``text`` is empty but for out-of-scope messages
    (or the line saying the member is verified).

    The rest is made from the core's reply when first read (and kept):

    - :attr:`state` / :attr:`state_json`: the conversation to store for the
      next message (it names the claimed member number; everything else
      personal in it is masked);
    - :attr:`data`: the step's own fields as a dict, as memberkit's JSON
      gives them (``about`` of an answer, ``choices`` of a clarify, ``fields`` to ask for,
      ``procedure``, ``detail``, ``offers``, ``topic`` and ``facts``,
      ``command``, ``version``, ``code`` and ``message`` of a refusal and its
      ``alternative``, ``reason`` and ``summary`` of a handover), dates as
      :class:`datetime.date` and amounts as :class:`memberkit.Money`;
    - :attr:`slots`: the details the message gave;
    - :attr:`procedure`, :attr:`command`, :attr:`version`, :attr:`facts`:
      shortcuts into :attr:`data`.

    Two replies are equal when everything in them is.
    """

    step: str
    text: str
    language: str
    intent: str
    confidence: float
    _reply: _memberkit.ChatReply = field(repr=False, hash=False)

    @functools.cached_property
    def data(self) -> dict[str, Any]:
        """The step's own fields (everything its JSON has beside ``"step"``)."""
        data: dict[str, Any] = self._reply.data()
        return data

    @functools.cached_property
    def state(self) -> dict[str, Any]:
        """The conversation to store, as a dict (``Assistant.read`` takes it back)."""
        state: dict[str, Any] = self._reply.state()
        return state

    @property
    def state_json(self) -> str:
        """The conversation to store, as JSON text (made once): the fastest
        form to store and to pass back."""
        return self._reply.state_json()

    @functools.cached_property
    def slots(self) -> list[Slot]:
        """The details the message gave, with character offsets into it."""
        found, message = self._reply.slots_json()
        return _slots(message, json.loads(found))

    @property
    def verified(self) -> bool:
        """Whether the member's identity is verified (this turn or earlier)."""
        return self._reply.verified

    @property
    def member_number(self) -> Optional[str]:
        """The member number the conversation is about, once given."""
        return self._reply.member_number

    @property
    def procedure(self) -> Optional[str]:
        """The procedure the step belongs to (``"pause"``, ``"resume"``,
        ``"cancel"``, ``"change_plan"``, ``"book"``, ``"cancel_booking"``), if any."""
        procedure: Optional[str] = self.data.get("procedure")
        return procedure

    @property
    def command(self) -> Optional[dict[str, Any]]:
        """The command of a ``"confirm"`` (awaiting yes), of a ``"refused"``
        step's alternative (awaiting yes), or of a ``"confirmed"`` step (to
        execute); ``None`` for every other step. A membership command (for
        :meth:`memberkit.membership.Membership.execute`), or for the
        ``"book"`` and ``"cancel_booking"`` procedures a booking command
        (for the book's ``execute``)."""
        command: Optional[dict[str, Any]] = self._proposal().get("command")
        return command

    @property
    def version(self) -> Optional[int]:
        """The version :attr:`command` was checked on (the membership's, or
        the book's for a booking command): refuse the write if the stored
        version moved on."""
        version: Optional[int] = self._proposal().get("version")
        return version

    @property
    def facts(self) -> list[dict[str, Any]]:
        """The facts shown: the answer of a ``"facts"`` step, what a
        ``"confirm"`` (or a refusal's alternative) means; ``[]`` otherwise.
        Each is a dict tagged by ``"fact"`` (``"next_invoice"``,
        ``"pause_fee"``, ``"plan"``, ...)."""
        facts: list[dict[str, Any]] = self._proposal().get("facts", [])
        return facts

    def _proposal(self) -> dict[str, Any]:
        alternative: Optional[dict[str, Any]] = self.data.get("alternative")
        return alternative if alternative is not None else self.data

    def to_json(self) -> str:
        """The whole reply as memberkit's JSON (as the C layer and the
        conformance vectors give it): the step's fields beside ``step``,
        ``text``, ``language``, ``intent``, ``confidence``, ``slots`` (byte
        offsets) and ``state``."""
        return self._reply.to_json()
