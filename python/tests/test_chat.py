"""memberkit.chat: a Japanese conversation from request to a confirmed pause,
the API's forms, malformed input, properties over random conversations, and
one Assistant shared by many threads."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import memberkit
from memberkit import intent
from memberkit.chat import Assistant, Reading, Reply
from memberkit.membership import Catalog, Membership, _dumps

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/chat.json").read_text(encoding="utf-8"))
CLUB: dict[str, Any] = VECTORS["club"]
MEMBERS: dict[str, dict[str, Any]] = {m["identity"]["member_number"]: m for m in VECTORS["members"]}
CATALOG = Catalog(CLUB["catalog"])
BOT = Assistant(CLUB)
TODAY = dt.date(2026, 5, 6)
HANAKO = MEMBERS["1000001"]


def lookup(number: str) -> Optional[dict[str, Any]]:
    return MEMBERS.get(number)


def membership_of(record: dict[str, Any]) -> Membership:
    """The member's membership, replayed from the record's events."""
    member = Membership(CATALOG)
    member.apply(record["membership"])
    return member


# -- a conversation from request to a confirmed pause --------------------------


def test_japanese_pause_from_request_to_confirmation() -> None:
    reply = BOT.turn(None, "7月から2ヶ月休会したい", TODAY, lookup)
    assert (reply.step, reply.intent, reply.language) == ("ask_identity", "pause", "ja")
    assert reply.text == "ご本人確認のため、会員番号を教えてください。"
    assert reply.data == {"fields": ["member_number"]}
    assert [(s.kind, s.value) for s in reply.slots] == [("month", dt.date(2026, 7, 1)), ("months", 2)]
    assert reply.command is None and reply.facts == [] and not reply.verified

    reading = BOT.read(reply.state_json, "会員番号1000001です", TODAY)
    assert isinstance(reading, Reading) and reading.member_number == "1000001"
    reply = BOT.reply(reading, json.dumps(HANAKO))  # the record as the host's database holds it
    assert reply.step == "ask_identity"
    assert reply.data == {"fields": ["email", "phone", "birth_date"]}
    assert reply.member_number == "1000001" and not reply.verified

    reply = BOT.turn(reply.state, "hanako@example.jp", TODAY, lookup)
    assert reply.step == "confirm" and reply.verified and reply.procedure == "pause"
    command = {"type": "pause", "from": dt.date(2026, 7, 1), "until": dt.date(2026, 9, 1)}
    assert (reply.command, reply.version) == (command, 1)
    assert reply.facts == [
        {"fact": "pause_fee", "monthly": memberkit.Money(550, "JPY")},
        {
            "fact": "next_invoice",
            "date": dt.date(2026, 6, 1),
            "collection_date": dt.date(2026, 6, 29),
            "amount": memberkit.Money(8800, "JPY"),
        },
    ]
    assert reply.text.splitlines()[0] == "ご本人様を確認しました。"
    assert "7月1日から8月31日まで、2ヶ月休会します。" in reply.text
    assert reply.text.endswith("この内容でお手続きしてよろしいですか？（はい／いいえ）")

    confirmed = BOT.turn(reply, "はい", TODAY, lookup)  # the previous reply, as it is
    assert (confirmed.step, confirmed.text) == ("confirmed", "お手続きを承りました。")
    assert (confirmed.procedure, confirmed.command, confirmed.version) == ("pause", command, 1)

    # The host executes the command on the membership at that version.
    membership = membership_of(HANAKO)
    assert membership.version == confirmed.version
    assert confirmed.command is not None
    events = membership.execute(confirmed.command, TODAY)
    assert [e["type"] for e in events] == ["started", "pause_scheduled"]  # the record had the join alone
    assert events[-1]["on"] == dt.date(2026, 7, 1) and events[-1]["until"] == dt.date(2026, 9, 1)


def test_reply_forms() -> None:
    reply = BOT.turn(None, "hello, I'd like to cancel my membership", TODAY, lookup)
    assert reply.language == "en" and reply.step == "ask_identity"
    core = json.loads(reply.to_json())
    assert core["step"] == reply.step and core["text"] == reply.text and core["intent"] == reply.intent
    assert core["state"] == json.loads(reply.state_json)
    assert json.loads(_dumps(reply.state)) == core["state"]
    assert {"step": reply.step, **reply.data} == {k: v for k, v in core.items() if k not in
        ("text", "language", "intent", "confidence", "slots", "state")}
    assert reply == BOT.turn(None, "hello, I'd like to cancel my membership", TODAY, lookup)
    assert reply != BOT.turn(None, "I'd like to pause", TODAY, lookup)
    assert hash(reply) == hash(BOT.turn(None, "hello, I'd like to cancel my membership", TODAY, lookup))
    assert repr(reply).startswith("Reply(step='ask_identity', text=\"To confirm it's you")
    with pytest.raises(AttributeError):
        reply.step = "confirmed"  # type: ignore[misc]
    # Every form of the state gives the same next reply.
    forms: list[Any] = [reply, reply.state, reply.state_json, json.loads(reply.state_json)]
    nexts = [BOT.turn(form, "member number 1000002", TODAY, lookup) for form in forms]
    assert all(n == nexts[0] for n in nexts)


def test_records_and_states_as_python_values() -> None:
    """A member record or state in Python values (dates, Money, Decimal, any
    mapping, tuples) reads as its JSON does."""
    import types
    from decimal import Decimal

    from memberkit.membership import _loads

    record = _loads(json.dumps(HANAKO))  # dates as datetime.date
    assert record["membership"][0]["on"] == dt.date(2026, 4, 1)
    record["membership"] = tuple(record["membership"])
    ledger = {"id": "1000001", "credit": {"amount": Decimal("0"), "currency": "JPY"}}
    money_ledger = {"id": "1000001", "credit": memberkit.Money(0, "JPY")}
    reading = BOT.read({"identity": {"claimed": "1000001", "verified": True}}, "what plan am I on?", TODAY)
    as_text = BOT.reply(reading, json.dumps(HANAKO))
    assert BOT.reply(reading, types.MappingProxyType(record)) == as_text
    assert BOT.reply(reading, {**record, "billing": None}) == as_text
    with_ledger = BOT.reply(reading, json.dumps({**HANAKO, "billing": {"id": "1000001", "credit": {"amount": "0", "currency": "JPY"}}}))
    assert BOT.reply(reading, {**record, "billing": ledger}) == with_ledger
    assert BOT.reply(reading, {**record, "billing": money_ledger}) == with_ledger
    with pytest.raises(memberkit.InvalidJsonError, match=r"chat member JSON at billing\.id") as info:
        BOT.reply(reading, {**record, "billing": {"id": 5}})
    assert info.value.kind == "invalid_json"
    # The same message as the record's JSON text gives, less its line and column.
    bad = {**HANAKO, "membership": [{**HANAKO["membership"][0], "on": 20260401}]}
    with pytest.raises(memberkit.InvalidJsonError) as from_text:
        BOT.reply(reading, json.dumps(bad))
    with pytest.raises(memberkit.InvalidJsonError) as from_dict:
        BOT.reply(reading, bad)
    assert str(from_text.value) == f"{from_dict.value} at line 1 column 291"
    assert str(from_dict.value).startswith("invalid chat member JSON at membership[0]: invalid type: integer `20260401`")
    with pytest.raises(memberkit.InvalidJsonError, match="key must be a string"):
        BOT.reply(reading, {**record, 1: 2})  # type: ignore[dict-item]
    with pytest.raises(memberkit.InvalidJsonError, match="invalid type: object"):
        BOT.reply(reading, {**record, "identity": {**record["identity"], "email": object()}})
    with pytest.raises(TypeError, match="a member record is a dict"):
        BOT.reply(reading, [record])  # type: ignore[arg-type]
    # A state: the reply's dict, a mapping proxy of it, its JSON text.
    reply = BOT.turn(None, "6月から休会したい", TODAY, lookup)
    forms: list[Any] = [reply.state, types.MappingProxyType(reply.state), reply.state_json, reply]
    assert len({BOT.turn(form, "会員番号1000001です", TODAY, lookup).state_json for form in forms}) == 1


def test_a_reading_can_be_replied_to_again_and_names_its_message() -> None:
    reading = BOT.read(None, "会員番号1000001です", "2026-05-06")
    assert (reading.intent, reading.message, reading.member_number) == (reading.intent, "会員番号1000001です", "1000001")
    assert repr(reading).startswith("Reading(intent=")
    first, again = BOT.reply(reading, HANAKO), BOT.reply(reading, HANAKO)
    assert first == again
    assert [(s.kind, s.value, s.start, s.end) for s in first.slots] == [("member_number", "1000001", 4, 11)]


def test_turn_looks_up_only_a_named_member() -> None:
    asked: list[str] = []

    def recording(number: str) -> Optional[str]:
        asked.append(number)
        return json.dumps(MEMBERS[number]) if number in MEMBERS else None

    reply = BOT.turn(None, "休会したいです", TODAY, recording)
    assert asked == []
    reply = BOT.turn(reply, "会員番号9999999、メールはhanako@example.jp", TODAY, recording)
    assert asked == ["9999999"] and reply.step == "identity_mismatch"
    assert reply.data == {"attempts_left": 2}


def test_a_host_intent_is_answered_after_verification() -> None:
    reply = BOT.turn(None, "支払い方法を変更したい", TODAY, lookup)
    assert (reply.step, reply.intent) == ("ask_identity", "payment_method")
    reply = BOT.turn(reply, "会員番号1000001、メールはhanako@example.jpです", TODAY, lookup)
    # The host answers the intent the procedure was for, not this message's.
    assert reply.step == "answer" and reply.data == {"about": "payment_method"}
    assert reply.text == "ご本人様を確認しました。" and reply.verified


def test_many_conversations_at_once() -> None:
    """read_many and reply_many give what read and reply give one by one."""
    first = [BOT.turn(None, text, TODAY, lookup) for text in ("休会したいです", "what plan am I on?", "退会したいです")]
    said = ["会員番号1000001、メールはhanako@example.jpです", "member number 1000002, email taro@example.com", "会員番号9999999"]
    pairs: list[tuple[Any, str]] = [(first[0], said[0]), (first[1].state_json, said[1]), (first[2].state, said[2])]
    readings = BOT.read_many(pairs, TODAY)
    assert [r.member_number for r in readings] == ["1000001", "1000002", "9999999"]
    members = [lookup(r.member_number or "") for r in readings]
    replies = BOT.reply_many(list(zip(readings, members)))
    assert replies == [BOT.reply(BOT.read(state, text, TODAY), member) for (state, text), member in zip(pairs, members)]
    assert [r.step for r in replies] == ["ask_detail", "facts", "ask_identity"]
    assert BOT.read_many([], TODAY) == [] and BOT.reply_many([]) == []
    with pytest.raises(memberkit.InvalidJsonError, match="chat member"):
        BOT.reply_many([(readings[0], "{}")])


def test_bookings_are_answered_from_a_book() -> None:
    from memberkit.booking import Rules, SharedBook

    jst = dt.timezone(dt.timedelta(hours=9))
    now = dt.datetime(2026, 5, 6, 9, tzinfo=jst)
    shared = SharedBook(Rules())
    for id, start, capacity in [("yoga-0508", dt.datetime(2026, 5, 8, 10, tzinfo=jst), 5),
                                ("spin-0509", dt.datetime(2026, 5, 9, 19, tzinfo=jst), 1)]:
        session = {"id": id, "start": start, "end": start + dt.timedelta(hours=1), "capacity": capacity}
        shared.execute({"type": "schedule_session", "session": session}, now)
    for member in ["1000001", "other"]:
        shared.execute({"type": "set_member", "member": member, "eligibility": {"membership": {"from": dt.date(2026, 4, 1)}}}, now)
    shared.book("spin-0509", "other", now)
    shared.book("yoga-0508", "1000001", now)
    shared.join_waitlist("spin-0509", "1000001", now)
    state = {"identity": {"claimed": "1000001", "verified": True}}
    reply = BOT.turn(state, "キャンセル待ちは何番目ですか", TODAY, lookup, book=shared, now=now)
    assert (reply.step, reply.data["topic"]) == ("facts", "bookings")
    assert reply.text == "ご予約：yoga-0508（5月8日 10:00）\nキャンセル待ち：spin-0509（5月9日 19:00、1番目）"
    reading = BOT.read(state, "キャンセル待ちは何番目ですか", TODAY)
    again = BOT.reply(reading, HANAKO, book=shared.snapshot(), rules=shared.rules, now="2026-05-06T09:00:00+09:00")
    assert again == reply
    [many] = BOT.reply_many([(reading, HANAKO)], book=shared, now=now)
    assert many == reply
    # Without the book, the host answers.
    reply = BOT.turn(state, "キャンセル待ちは何番目ですか", TODAY, lookup)
    assert (reply.step, reply.data) == ("answer", {"about": "waitlist"})
    with pytest.raises(memberkit.InvalidArgumentError, match="now"):
        BOT.turn(state, "キャンセル待ちは何番目ですか", TODAY, lookup, book=shared)
    with pytest.raises(memberkit.InvalidArgumentError, match="naive"):
        BOT.turn(state, "キャンセル待ちは何番目ですか", TODAY, lookup, book=shared, now=dt.datetime(2026, 5, 6))
    with pytest.raises(memberkit.InvalidArgumentError, match="needs its rules"):
        BOT.reply(reading, HANAKO, book=shared.snapshot(), now=now)
    with pytest.raises(memberkit.InvalidArgumentError, match="own rules"):
        BOT.reply(reading, HANAKO, book=shared, rules=shared.rules, now=now)
    with pytest.raises(TypeError, match="SharedBook or Book"):
        BOT.reply(reading, HANAKO, book="yoga", now=now)  # type: ignore[arg-type]


def test_a_class_booked_through_the_chat() -> None:
    """The booking procedure on a SharedBook: the class the member names is
    proposed at the book's version, and the confirmed booking command is
    the host's to execute on it."""
    from memberkit.booking import Rules, SharedBook

    jst = dt.timezone(dt.timedelta(hours=9))
    now = dt.datetime(2026, 5, 6, 9, tzinfo=jst)
    club = {"catalog": CLUB["catalog"][:1], "names": [{"list": "class", "id": "yoga", "names": ["ヨガ", "yoga"]}]}
    bot = Assistant(club)
    shared = SharedBook(Rules({"policies": {"default": {"late_cancel_minutes_before": 720}}}))
    for hour in (10, 19):
        start = dt.datetime(2026, 5, 7, hour, tzinfo=jst)
        session = {"id": f"yoga-0507-{hour}", "start": start, "end": start + dt.timedelta(hours=1), "capacity": 5, "credits": 1}
        shared.execute({"type": "schedule_session", "session": session}, now)
    shared.execute({"type": "set_member", "member": "1000001", "eligibility": {}}, now)
    pack = {"id": "1000001-10x", "credits": 10, "expires": dt.datetime(2026, 8, 1, tzinfo=jst)}
    shared.execute({"type": "add_pack", "member": "1000001", "pack": pack}, now)
    state = {"identity": {"claimed": "1000001", "verified": True}}
    reply = bot.turn(state, "明日10時のヨガを予約したい", TODAY, lookup, book=shared, now=now)
    assert (reply.step, reply.procedure) == ("confirm", "book"), reply
    command = {"type": "book", "session": "yoga-0507-10", "member": "1000001", "party": 1}
    assert (reply.command, reply.version) == (command, shared.version)
    assert {"fact": "credits_used", "credits": 1} in reply.facts
    assert reply.text.startswith("yoga-0507-10（5月7日 10:00）を予約します。")
    yes = bot.turn(reply, "はい", TODAY, lookup, book=shared, now=now)
    assert (yes.step, yes.command, yes.version) == ("confirmed", command, shared.version)
    assert yes.command is not None
    assert "booked" in shared.execute(yes.command, now).types()


def test_a_verified_conversation_and_a_config() -> None:
    state = {"identity": {"claimed": "1000001", "verified": True}}
    reply = BOT.turn(state, "what plan am I on?", TODAY, lookup)
    assert reply.step == "facts" and reply.data["topic"] == "membership"
    assert {"fact": "plan", "id": "regular", "name": "Regular", "price": memberkit.Money(8800, "JPY")} in reply.facts
    english = Assistant(json.dumps(CLUB), {"language": "en", "retention": False}, intent.default_model())
    assert repr(english) == "Assistant(plans=['light', 'premium', 'regular'])"
    reply = english.turn(state, "退会したいです", TODAY, lookup)
    assert reply.step == "confirm" and reply.command is not None and reply.command["type"] == "cancel"


# -- errors ----------------------------------------------------------------------


def test_bad_input_raises_memberkit_errors() -> None:
    with pytest.raises(memberkit.InvalidConfigError, match="chat config at billing.collection") as info:
        Assistant({"catalog": [], "billing": {"collection": 3}})
    assert (info.value.kind, info.value.code) == ("invalid_config", None)
    assert isinstance(info.value, ValueError)
    with pytest.raises(memberkit.InvalidConfigError, match="dunning"):
        Assistant({**CLUB, "dunning": {"ladder": 3}})
    with pytest.raises(memberkit.InvalidConfigError, match="verification.max_attempts") as config:
        Assistant(CLUB, {"verification": {"max_attempts": 0}})
    assert config.value.kind == "invalid_config"
    with pytest.raises(memberkit.InvalidConfigError, match=r"templates.ja.confirmed: unknown value \{nope\}"):
        Assistant(CLUB, {"templates": {"ja": {"confirmed": "{nope}"}}})
    with pytest.raises(memberkit.InvalidJsonError, match="chat state"):
        BOT.read({"identity": {"verified": "yes"}}, "hi", TODAY)
    with pytest.raises(memberkit.InvalidJsonError, match="chat state"):
        BOT.read("{not json", "hi", TODAY)
    reading = BOT.read(None, "会員番号1000001です", TODAY)
    with pytest.raises(memberkit.InvalidJsonError, match="chat member"):
        BOT.reply(reading, {"identity": {"member_number": "1000001", "shoe_size": 27}})
    with pytest.raises(memberkit.InvalidJsonError, match="chat member"):
        BOT.turn(None, "会員番号1000001です", TODAY, lambda _: "[]")
    with pytest.raises(memberkit.InvalidDateError):
        BOT.read(None, "hi", "2026-02-30")
    with pytest.raises(memberkit.InvalidArgumentError):
        BOT.read(None, "hi", 20260506)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="state is a dict .* a Reply or None, not int"):
        BOT.read(42, "hi", TODAY)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="club is a dict"):
        Assistant(["catalog"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="model is a memberkit.intent.Model"):
        Assistant(CLUB, model="shipped")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a member record is a dict"):
        BOT.reply(reading, 42)  # type: ignore[arg-type]
    with pytest.raises(ZeroDivisionError):  # the lookup's own error comes through
        BOT.turn(None, "会員番号1000001です", TODAY, lambda _: str(1 // 0))


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["identity", "membership", "billing", "task", "language", "catalog"]), st.integers() | st.text(max_size=5), max_size=3),
)


def _only_memberkit_or_type_errors(call: Callable[[], Any]) -> None:
    try:
        call()
    except (memberkit.MemberkitError, TypeError):
        pass
    except BaseException as exc:  # PanicException derives from BaseException
        raise AssertionError(f"unexpected {type(exc).__name__}: {exc}") from exc


@settings(deadline=None, max_examples=60)
@given(state=junk, member=junk, message=st.text(max_size=30), today=junk, club=junk)
def test_junk_never_panics(state: Any, member: Any, message: str, today: Any, club: Any) -> None:
    _only_memberkit_or_type_errors(lambda: BOT.turn(state, message, today, lambda _: member))
    _only_memberkit_or_type_errors(lambda: BOT.reply(BOT.read(None, "会員番号1000001 " + message, TODAY), member))
    _only_memberkit_or_type_errors(lambda: Assistant(club))
    _only_memberkit_or_type_errors(lambda: Assistant(CLUB, club))


# -- properties over random conversations --------------------------------------

REQUESTS = [
    "7月から2ヶ月休会したい", "休会したいです", "6月から休会したい", "退会したいです", "5月末で退会します",
    "プランを変更したい", "ライトプランに次回から変更したい", "休会を早めに終わりにしたい",
    "次の引き落としはいつですか", "契約内容を確認したい", "土曜日は何時まで開いていますか",
    "I'd like to pause my membership from July for two months", "I want to cancel my membership",
    "upgrade me to the premium plan from the next billing period", "I want to end my pause early",
    "when is my next payment?", "what plan am I on?", "I'd like to change my plan", "what time do you open on sunday?",
]
DETAILS = [
    "はい", "いいえ", "yes", "no", "2ヶ月", "3 months", "来月から", "7月から", "やっぱり7月から", "1ヶ月",
    "ライトで", "今すぐ", "次回から", "いいえ、退会します", "休会にします", "the light plan", "now",
    "from the next billing period", "no, please cancel it", "next month", "actually, from July", "ok",
]
# Identity messages: {number}, {email}, {phone} are filled with the member's own
# details or with someone else's.
IDENTITY = [
    "会員番号{number}です", "会員番号{number}、メールは{email}です", "{email}", "電話番号は{phone}です",
    "my member number is {number}", "member number {number}, email {email}", "my phone is {phone}",
    "生年月日は1990年4月1日です",
]
OTHERS = {"number": ["9999999", "1000002"], "email": ["hanako@example.com", "someone@example.org"], "phone": ["090-0000-0000"]}
DAYS = [dt.date(2026, 5, 6), dt.date(2026, 5, 16), dt.date(2026, 5, 20)]


# What verifies at once: the number and a detail in one message.
AT_ONCE = ["会員番号{number}、メールは{email}です", "member number {number}, email {email}",
           "my member number is {number} and my email is {email}"]
ANSWERS = ["はい", "はい", "yes", "ok", "いいえ", "no"]


@st.composite
def conversations(draw: st.DrawFn) -> tuple[str, dt.date, list[str]]:
    """A request, mostly the member's own details at once (or someone
    else's), then details, answers, other identity messages and requests."""
    number = draw(st.sampled_from(sorted(MEMBERS)))
    identity = MEMBERS[number]["identity"]
    own = {"number": number, "email": identity["email"], "phone": identity.get("phone") or "090-1111-2222"}

    def fill(template: str) -> str:
        values = {key: draw(st.sampled_from([own[key]] * 3 + OTHERS[key])) for key in own}
        return template.format(**values)

    messages = [draw(st.sampled_from(REQUESTS))]
    if draw(st.integers(0, 3)) > 0:
        messages.append(fill(draw(st.sampled_from(AT_ONCE))))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["identity", "detail", "detail", "answer", "answer", "answer", "request"]))
        pool = {"identity": IDENTITY + AT_ONCE, "detail": DETAILS, "answer": ANSWERS, "request": REQUESTS}[kind]
        messages.append(fill(draw(st.sampled_from(pool))))
    return number, draw(st.sampled_from(DAYS)), messages


def _personal_texts(record: dict[str, Any], today: dt.date) -> list[str]:
    """What a reply must not say before verification: the record's details,
    its plan and price, and the dates in it, in both languages."""
    identity = record["identity"]
    texts = [identity["email"], identity["member_number"]]
    if identity.get("phone"):
        texts += [identity["phone"], re.sub(r"\D", "", identity["phone"])]
    plan = next(p for p in CLUB["catalog"] if p["id"] == record["membership"][0]["plan"])
    price = int(plan["price"]["amount"])
    texts += [plan["name"], f"{price:,}円", f"¥{price:,}"]
    days = {dt.date.fromisoformat(d) for e in record["membership"] for k, d in e.items() if k in ("on", "until", "applied_on", "paid_from")}
    if identity.get("birth_date"):
        days.add(dt.date.fromisoformat(identity["birth_date"]))
    for day in days:
        texts += [f"{day.month}月{day.day}日", day.strftime("%B ") + str(day.day), day.isoformat()]
    return texts


def _has_dates_or_money(value: Any) -> bool:
    if isinstance(value, (dt.date, memberkit.Money)):
        return True
    if isinstance(value, dict):
        return any(_has_dates_or_money(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_dates_or_money(v) for v in value)
    return False


def _masked_part(state_json: str) -> str:
    """The stored state without the claimed number and the confidences (whose
    digits could spell anything)."""
    state = json.loads(state_json)
    state.get("identity", {}).pop("claimed", None)
    for turn in state.get("conversation", {}).get("recent", []):
        turn.pop("confidence", None)
    return json.dumps(state, ensure_ascii=False)


def _secrets(messages: list[str]) -> list[str]:
    """The emails, phone numbers and member numbers the member typed (or has on file)."""
    found = set()
    for text in messages + [json.dumps(m["identity"]) for m in MEMBERS.values()]:
        found |= set(re.findall(r"[\w.]+@[\w.]+\w", text))
        found |= set(re.findall(r"\b\d{7}\b", text))
        for phone in re.findall(r"0\d0-\d{4}-\d{4}", text):
            found |= {phone, phone.replace("-", "")}
    return sorted(found)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(conversation=conversations(), execute=st.booleans())
def test_nothing_personal_before_verification_and_every_command_accepted(
    conversation: tuple[str, dt.date, list[str]], execute: bool
) -> None:
    number, today, messages = conversation
    records = {n: json.loads(json.dumps(m)) for n, m in MEMBERS.items()}
    personal = {n: _personal_texts(r, today) for n, r in records.items()}
    secrets = _secrets(messages)
    state: Any = None
    for message in messages:
        reading = BOT.read(state, message, today)
        record = records.get(reading.member_number or "")
        reply = BOT.reply(reading, record)
        if not reply.verified:
            assert reply.command is None and reply.facts == [], (message, reply)
            assert reply.step not in ("confirm", "confirmed", "refused", "facts", "offer_retention", "ask_detail")
            assert not _has_dates_or_money(reply.data), reply
            for text in (t for r in personal.values() for t in r):
                assert text not in reply.text, (message, text, reply.text)
        if reply.command is not None:
            assert record is not None
            assert reply.procedure in ("pause", "resume", "cancel", "change_plan")  # no book: no booking
            membership = membership_of(record)
            assert membership.version == reply.version
            events = membership.decide(reply.command, today)  # raises when the decider refuses
            if reply.step == "confirmed" and execute:
                record["membership"] = json.loads(_dumps(record["membership"] + events))
        masked = _masked_part(reply.state_json)
        summary = str(reply.data.get("summary", ""))
        for secret in secrets:
            assert secret not in masked, (secret, masked)
            assert secret not in summary, (secret, summary)
        state = reply.state_json if len(message) % 2 else reply.state


def test_an_unknown_member_is_told_nothing_more_than_a_mismatch() -> None:
    def first_mismatch(number: str) -> Reply:
        reply = BOT.turn(None, "休会したいです", TODAY, lookup)
        return BOT.turn(reply, f"会員番号{number}、メールはhanako@example.comです", TODAY, lookup)

    known, unknown = first_mismatch("1000001"), first_mismatch("9999999")
    assert (known.step, known.text, known.data) == (unknown.step, unknown.text, unknown.data)


def test_a_proposal_made_stale_by_the_host_is_proposed_again() -> None:
    """The member's record changes between the proposal and the yes: the
    yes gives no command the decider would refuse on the record as it is now."""
    record = json.loads(json.dumps(HANAKO))
    reply = BOT.turn(None, "7月から2ヶ月休会したい", TODAY, lookup)
    reply = BOT.turn(reply, "会員番号1000001、メールはhanako@example.jpです", TODAY, lambda _: record)
    assert reply.step == "confirm" and reply.command is not None
    membership = membership_of(record)
    record["membership"] += json.loads(_dumps(membership.execute(reply.command, TODAY)))  # done elsewhere meanwhile
    again = BOT.turn(reply, "はい", TODAY, lambda _: record)
    assert again.step != "confirmed"
    if again.command is not None:
        assert again.version == membership_of(record).version
        membership_of(record).decide(again.command, TODAY)


# -- one assistant, many threads --------------------------------------------------


def _replay(conversation: dict[str, Any]) -> list[str]:
    today = conversation["today"]
    state: Any = conversation.get("state")
    out = []
    for turn in conversation["turns"]:
        reply = BOT.turn(state, turn["say"], turn.get("today", today), lookup)
        out.append(reply.to_json())
        state = reply.state_json
    return out


def test_eight_threads_share_one_assistant() -> None:
    conversations = VECTORS["conversations"]
    expected = [_replay(c) for c in conversations]
    results: dict[int, list[list[str]]] = {}
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def drive(seed: int) -> None:
        try:
            start.wait()
            order = list(range(len(conversations)))
            order = order[seed:] + order[:seed]
            got: list[list[str]] = [[] for _ in conversations]
            for _ in range(3):
                for k in order:
                    got[k] = _replay(conversations[k])
            results[seed] = got
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=drive, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(results) == 8
    assert all(got == expected for got in results.values())
