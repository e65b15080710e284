"""The member chatbot: what a member wants, how sure we are, the details they
gave, and what to do next.

>>> import datetime as dt
>>> from memberkit import intent
>>> model = intent.default_model()
>>> model.classify("退会したいです").intent
'cancel'
>>> [(s.kind, s.value) for s in intent.extract_slots("明日の18時半に予約したい", reference_date=dt.date(2026, 5, 1))]
[('date', datetime.date(2026, 5, 2)), ('time', datetime.time(18, 30))]
>>> intent.mask("mail: taro@example.com, tel 090-1234-5678")
'mail: t***@example.com, tel ***-****-5678'
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence, Tuple, Union

from memberkit import _memberkit
from memberkit._memberkit import Money

__all__ = [
    "MAX_EXAMPLES",
    "MAX_TEXT_BYTES",
    "Classification",
    "Model",
    "Router",
    "Slot",
    "default_model",
    "extract_slots",
    "load",
    "mask",
    "route",
    "train",
]

#: The longest text, in bytes of UTF-8, that ``Model.classify`` reads and a
#: training example may hold (65,536); longer raises ``LimitExceededError``.
MAX_TEXT_BYTES: int = _memberkit.MAX_TEXT_BYTES
#: The most examples ``train`` takes (1,000,000).
MAX_EXAMPLES: int = _memberkit.MAX_EXAMPLES

DateLike = Union[dt.date, str]
PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Classification:
    """What a member wants: the intent id (``"oos"`` for out of scope), its
    calibrated confidence, and the most likely intents with theirs."""

    intent: str
    confidence: float
    alternatives: list[Tuple[str, float]]


@dataclass(frozen=True)
class Slot:
    """A detail found in a message: ``kind`` (``member_number``, ``email``,
    ``phone``, ``postal_code``, ``date``, ``time``, ``amount``; ``month`` and
    ``month_end`` as dates, ``month_range`` as ``(first day, first day
    after)``, ``period_end`` with value ``None``, ``months`` and ``count``
    as ints, ``named`` as ``(list, id)``), its value and where it is in the
    message (``start``/``end``, character offsets)."""

    kind: str
    value: Any
    start: int
    end: int


def _pairs_json(pairs: Iterable[Tuple[str, str]]) -> str:
    return json.dumps([{"text": text, "intent": intent} for text, intent in pairs], ensure_ascii=False)


class Model:
    """An intent model; immutable, safe to share between threads."""

    def __init__(self, inner: _memberkit.IntentModel) -> None:
        self._inner = inner

    @property
    def intents(self) -> list[str]:
        """The intent ids the model knows."""
        return self._inner.intents

    def classify(self, text: str) -> Classification:
        """Classifies one message. A text longer than ``MAX_TEXT_BYTES``
        (65,536 bytes of UTF-8) raises :class:`memberkit.LimitExceededError`."""
        intent, confidence, alternatives = self._inner.classify(text)
        return Classification(intent, confidence, alternatives)

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        """Classifies many messages with the GIL released; one text past
        ``MAX_TEXT_BYTES`` raises :class:`memberkit.LimitExceededError` for
        the batch."""
        return [Classification(i, c, a) for i, c, a in self._inner.classify_batch(list(texts))]

    def evaluate(self, pairs: Iterable[Tuple[str, str]]) -> dict[str, Any]:
        """Accuracy, macro-F1, per-intent precision and recall, the most
        confused pairs, out-of-scope recall and calibration error on
        ``(text, intent)`` pairs."""
        result: dict[str, Any] = json.loads(self._inner.evaluate_json(_pairs_json(pairs)))
        return result

    def retrain(self, pairs: Iterable[Tuple[str, str]]) -> Model:
        """A new model trained on this one's examples plus ``pairs`` (a later
        example for the same text relabels it)."""
        return Model(self._inner.retrain_json(_pairs_json(pairs)))

    def save(self, path: PathLike) -> None:
        """Saves the model: JSON when ``path`` ends in ``.json``, else the compact binary form."""
        if os.fspath(path).endswith(".json"):
            with open(path, "w", encoding="utf-8") as f:
                f.write(self._inner.to_json())
        else:
            with open(path, "wb") as f:
                f.write(self._inner.to_bytes())

    def __repr__(self) -> str:
        return f"Model(intents={len(self.intents)})"


@functools.lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped bilingual (Japanese/English) model for membership inquiries."""
    return Model(_memberkit.default_model())


def train(examples: Iterable[Tuple[str, str]], **config: Any) -> Model:
    """Trains a model on ``(text, intent)`` pairs (intent ``"oos"`` for
    out-of-scope examples), with the GIL released. ``config`` sets training
    options such as ``seed``, ``epochs`` or ``validation_fraction``."""
    return Model(_memberkit.train_json(_pairs_json(examples), json.dumps(config)))


def load(path: PathLike) -> Model:
    """Loads a model saved with :meth:`Model.save`."""
    if os.fspath(path).endswith(".json"):
        with open(path, encoding="utf-8") as f:
            return Model(_memberkit.IntentModel.from_json(f.read()))
    with open(path, "rb") as f:
        return Model(_memberkit.IntentModel.from_bytes(f.read()))


def _slot_value(kind: str, value: Any) -> Any:
    if kind in ("date", "month", "month_end"):
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "amount":
        return Money(value["amount"], value["currency"])
    if kind == "month_range":
        return (dt.date.fromisoformat(value["from"]), dt.date.fromisoformat(value["until"]))
    if kind == "named":
        return (value["list"], value["id"])
    return value


def _slots(text: str, found: Iterable[Mapping[str, Any]]) -> list[Slot]:
    """Slots from their JSON, byte offsets turned into character offsets in
    one pass over ``text``."""
    found = list(found)
    encoded = text.encode("utf-8")
    offsets = sorted({s[edge] for s in found for edge in ("start", "end")})
    chars: dict[int, int] = {}
    at, count = 0, 0
    for offset in offsets:
        count += len(encoded[at:offset].decode("utf-8", errors="ignore"))
        chars[offset] = count
        at = offset
    slots = []
    for s in found:
        kind = s["value"]["kind"]
        value = _slot_value(kind, s["value"].get("value"))
        slots.append(Slot(kind, value, chars[s["start"]], chars[s["end"]]))
    return slots


def extract_slots(
    text: str, reference_date: DateLike, member_number_pattern: str | None = None
) -> list[Slot]:
    """The details in ``text``; relative dates ("明日", "next friday") count from ``reference_date``."""
    found = json.loads(_memberkit.extract_slots_json(text, reference_date, member_number_pattern))
    return _slots(text, found)


def mask(text: str, member_number_pattern: str | None = None) -> str:
    """``text`` with emails, phone numbers and member numbers masked, for logs."""
    return _memberkit.mask(text, member_number_pattern)


class Router:
    """Decides what the chatbot does with a message: answer, clarify, verify
    identity, offer retention, or hand over to a human."""

    def __init__(
        self,
        model: Model | None = None,
        config: Mapping[str, Any] | None = None,
        member_number_pattern: str | None = None,
    ) -> None:
        chosen = model if model is not None else default_model()
        self._inner = _memberkit.Router(chosen._inner, json.dumps(dict(config or {})), member_number_pattern)

    def route(
        self,
        conversation: Mapping[str, Any] | None,
        message: str,
        verified: bool = False,
        today: DateLike | None = None,
    ) -> dict[str, Any]:
        """The decision for ``message``; keep ``decision["conversation"]`` for the next turn."""
        state = None if conversation is None else json.dumps(dict(conversation), ensure_ascii=False)
        decision: dict[str, Any] = json.loads(
            self._inner.route_json(state, message, verified, today if today is not None else dt.date.today())
        )
        decision["slots"] = _slots(message, decision["slots"])
        return decision


@functools.lru_cache(maxsize=1)
def _default_router() -> Router:
    return Router()


def route(
    conversation: Mapping[str, Any] | None,
    message: str,
    verified: bool = False,
    today: DateLike | None = None,
) -> dict[str, Any]:
    """Routes ``message`` with the shipped model and default rules; see :class:`Router`."""
    return _default_router().route(conversation, message, verified, today)
