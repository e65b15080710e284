"""memberkit.booking: the API, malformed input, properties under random
commands, and one SharedBook driven from many threads."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import threading
from typing import Any, Callable
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import memberkit
from memberkit.booking import Book, Events, Rules, SharedBook, _loads, eligibility
from memberkit.membership import Catalog, Membership

JST = dt.timezone(dt.timedelta(hours=9))
START = dt.datetime(2026, 6, 10, 10, tzinfo=JST)
SETUP = dt.datetime(2026, 6, 1, 9, tzinfo=JST)
RULES = Rules(
    {
        "policies": {
            "default": {"late_cancel_minutes_before": 720, "waitlist_cutoff_minutes_before": 60},
            "ranked": {"priority": "tier", "max_party": 3, "promotion": {"mode": "offer", "hold_minutes": 30}},
        }
    }
)
MEMBERSHIP = {"membership": {"from": dt.date(2026, 4, 1)}}


def session(id: str, hours: float = 0, capacity: int = 2, **more: Any) -> dict[str, Any]:
    start = START + dt.timedelta(hours=hours)
    return {"id": id, "start": start, "end": start + dt.timedelta(hours=1), "capacity": capacity, **more}


def studio(*members: str, capacity: int = 2) -> SharedBook:
    shared = SharedBook(RULES)
    shared.execute({"type": "schedule_session", "session": session("yoga", capacity=capacity)}, SETUP)
    for member in members:
        shared.execute({"type": "set_member", "member": member, "eligibility": MEMBERSHIP}, SETUP)
    return shared


# -- the API -----------------------------------------------------------------


def test_rules_from_dict_text_and_fields() -> None:
    assert Rules() == Rules({}) == Rules("{}")
    assert Rules({"limits": {"per_day": 2}}) == Rules(limits={"per_day": 2})
    assert RULES.policies == ["default", "ranked"]
    assert Rules(RULES.to_json()) == RULES == Rules(RULES.to_dict())
    assert repr(RULES) == "Rules(policies=['default', 'ranked'])"
    with pytest.raises(memberkit.InvalidConfigError, match="policies.default.max_party") as info:
        Rules({"policies": {"default": {"max_party": 0}}})
    assert info.value.code == "invalid_rules"
    with pytest.raises(TypeError):
        Rules("{}", limits={})


def test_shared_book_hot_path_and_views() -> None:
    shared = studio("aiko", "ben", "chie", capacity=1)
    at = SETUP + dt.timedelta(days=1)
    assert shared.book("yoga", "aiko", at) == [
        {"type": "booked", "session": "yoga", "member": "aiko", "party": 1, "at": at}
    ]
    with pytest.raises(memberkit.BookingRefusedError, match='session "yoga" has 0 seats free, 1 asked') as info:
        shared.book("yoga", "ben", at)
    assert (info.value.kind, info.value.code) == ("booking_refused", "full")
    assert shared.join_waitlist("yoga", "ben", at).types() == ["waitlisted"]
    assert shared.join_waitlist("yoga", "chie", at)[0]["position"] == 2
    assert shared.leave_waitlist("yoga", "chie", at).types() == ["left_waitlist"]
    events = shared.cancel("yoga", "aiko", at)
    assert events.types() == ["cancelled", "promoted"] and events[1]["member"] == "ben"
    assert shared.check_in("yoga", "ben", START - dt.timedelta(minutes=10)).types() == ["checked_in"]
    view = shared.session_view("yoga")
    assert view is not None and view["seats"] == [{"member": "ben", "party": 1, "checked_in": True, "no_show": False}]
    assert shared.session_view("nope") is None and shared.member_view("nope", at) is None
    member = shared.member_view("ben", SETUP)
    assert member is not None and member["upcoming"] == []  # attended, no longer upcoming
    assert shared.version == shared.snapshot().version == 11
    assert repr(shared) == "SharedBook(version=11)"
    assert shared.rules == RULES


def test_offers_no_shows_and_staff_cancels() -> None:
    shared = SharedBook(RULES)
    ranked = session("pt", capacity=1, policy="ranked")
    shared.execute({"type": "schedule_session", "session": ranked}, SETUP)
    for member in ["aiko", "ben", "chie"]:
        shared.execute({"type": "set_member", "member": member, "eligibility": MEMBERSHIP}, SETUP)
    shared.book("pt", "aiko", SETUP)
    shared.join_waitlist("pt", "ben", SETUP)
    shared.join_waitlist("pt", "chie", SETUP)
    assert shared.cancel("pt", "aiko", SETUP, by_staff=True).types() == ["cancelled", "offer_made"]
    assert shared.decline_offer("pt", "ben", SETUP).types() == ["offer_declined", "offer_made"]
    assert shared.accept_offer("pt", "chie", SETUP).types() == ["promoted"]
    with pytest.raises(memberkit.BookingRefusedError) as info:
        shared.mark_no_show("pt", "chie", SETUP)
    assert info.value.code == "not_started"
    assert "no_show" in shared.advance(START + dt.timedelta(hours=2)).types()
    assert shared.next_due() is None


def test_book_is_a_value() -> None:
    book = Book()
    assert (book.version, book.as_of, book.session_ids, repr(book)) == (0, None, [], "Book(version=0, sessions=0, members=0)")
    command = {"type": "schedule_session", "session": session("yoga")}
    events = book.decide(RULES, command, SETUP)
    assert book.version == 0 and isinstance(events, Events)
    after = book.apply(events)
    assert (book.version, after.version, after.session_ids, after.as_of) == (0, 1, ["yoga"], SETUP)
    again, same = book.execute(RULES, command, SETUP)
    assert again == after and same == events
    assert Book.from_json(after.to_json()) == after == Book.from_json(after.to_dict())
    assert after.apply(json.loads(events.to_json())) == after.apply(events).apply([])
    assert after.next_due(RULES) == START + dt.timedelta(minutes=15)  # the no-show mark (nobody waits)
    shared = SharedBook(RULES, after)
    assert shared.snapshot() == after
    with pytest.raises(memberkit.CommandRefusedError) as info:
        after.decide(RULES, command, SETUP)
    assert info.value.code == "duplicate"


def test_events_sequence() -> None:
    shared = studio("aiko")
    events = shared.book("yoga", "aiko", SETUP)
    assert len(events) == 1 and bool(events) and not shared.advance(SETUP)
    assert events[-1] == events[0] == list(events)[0] == events[0:1][0]
    assert events[::-1] == events.to_list() == _loads(events.to_json())
    assert events == tuple(events.to_list()) and events != [] and events != "booked"
    assert repr(events) == "Events(['booked'])"
    with pytest.raises(IndexError):
        events[1]
    with pytest.raises(TypeError):
        events["0"]  # type: ignore[call-overload]


def test_instants() -> None:
    shared = studio("aiko", "ben", "chie")
    tokyo = dt.datetime(2026, 6, 2, 9, tzinfo=ZoneInfo("Asia/Tokyo"))
    event = shared.book("yoga", "aiko", tokyo)[0]
    assert event["at"] == tokyo and event["at"].utcoffset() == dt.timedelta(hours=9)
    in_utc = shared.book("yoga", "ben", "2026-06-02T00:00:00Z")[0]["at"]
    assert in_utc == tokyo and in_utc.tzinfo == dt.timezone.utc
    with pytest.raises(memberkit.InvalidArgumentError, match="^at must be a timezone-aware datetime"):
        shared.book("yoga", "chie", dt.datetime(2026, 6, 2, 9))
    with pytest.raises(memberkit.InvalidArgumentError, match="^at must be an RFC 3339 instant"):
        shared.book("yoga", "chie", "2026-06-02T09:00:00")
    with pytest.raises(memberkit.InvalidArgumentError, match="^at must be a timezone-aware datetime.datetime or RFC 3339 text, not date"):
        shared.book("yoga", "chie", dt.date(2026, 6, 2))  # type: ignore[arg-type]
    with pytest.raises(memberkit.InvalidArgumentError, match="naive"):
        shared.execute({"type": "schedule_session", "session": session("naive") | {"start": dt.datetime(2026, 6, 1)}}, tokyo)
    with pytest.raises(memberkit.InvalidArgumentError, match="party must be between 0 and"):
        shared.book("yoga", "chie", tokyo, party=-1)
    with pytest.raises(memberkit.InvalidArgumentError) as info:
        shared.book("yoga", "chie", tokyo, party=0)
    assert info.value.code == "invalid_party"


class _Datetime(dt.datetime):
    """A datetime subclass: read through its attributes, not its pickled state."""


def _read_back(at: dt.datetime) -> dt.datetime:
    """`at` as the core read it, given back in the event it stamped."""
    command = {"type": "set_member", "member": "aiko", "eligibility": MEMBERSHIP}
    _, events = Book().execute(RULES, command, at)
    back = events[0]["at"]
    assert isinstance(back, dt.datetime)
    return back


@given(
    local=st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31)),
    minutes=st.integers(min_value=-1439, max_value=1439),
)
def test_an_instant_reads_the_same_from_a_datetime_and_a_subclass(local: dt.datetime, minutes: int) -> None:
    zone = dt.timezone(dt.timedelta(minutes=minutes))
    exact = local.replace(tzinfo=zone)
    sub = _Datetime(*exact.timetuple()[:6], exact.microsecond, tzinfo=zone)
    for at in (exact, sub):
        back = _read_back(at)
        assert back == exact and back.utcoffset() == exact.utcoffset() and back.microsecond == exact.microsecond


def test_an_ambiguous_local_time_reads_with_its_fold() -> None:
    new_york = ZoneInfo("America/New_York")
    first = dt.datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    second = first.replace(fold=1)
    assert _read_back(first).utcoffset() == dt.timedelta(hours=-4)
    assert _read_back(second).utcoffset() == dt.timedelta(hours=-5)
    assert _read_back(second) - _read_back(first) == dt.timedelta(hours=1)


def test_error_classes_and_codes() -> None:
    shared = studio("aiko")
    with pytest.raises(memberkit.UnknownSessionError) as session_error:
        shared.book("nope", "aiko", SETUP)
    with pytest.raises(memberkit.UnknownMemberError) as member_error:
        shared.book("yoga", "nobody", SETUP)
    assert (session_error.value.code, member_error.value.code) == ("unknown_session", "unknown_member")
    assert str(member_error.value) == 'unknown member "nobody"'
    with pytest.raises(memberkit.InvalidJsonError, match="missing field `member`") as json_error:
        shared.execute({"type": "book", "session": "yoga"}, SETUP)
    assert json_error.value.code == "invalid_json"
    with pytest.raises(memberkit.InvalidJsonError):
        shared.execute('{"type": "fly"}', SETUP)
    with pytest.raises(memberkit.InvalidJsonError):
        Book.from_json("[]")
    with pytest.raises(memberkit.UnknownCurrencyError) as other:
        memberkit.Money(1, "XXX")
    assert other.value.code is None


def test_eligibility_from_records() -> None:
    from memberkit.dunning import Policy, Receivables

    catalog = Catalog([{"id": "4x", "name": "4 classes", "price": {"amount": "6600", "currency": "JPY"},
        "interval": {"unit": "month", "count": 1}, "booking": {"kind": "per_period", "bookings": 4}}])
    member = Membership(catalog)
    assert eligibility(member, catalog) == {"tier": 0}
    member.execute({"type": "join", "plan": "4x", "start": dt.date(2026, 4, 1)}, dt.date(2026, 4, 1))
    account = Receivables(Policy({"currency": "JPY", "steps": [{"day": 1, "action": "restrict", "restriction": "no_new_bookings"}]}))
    yen = {"amount": "6600", "currency": "JPY"}
    account.execute({"type": "invoice_issued", "invoice": "i-1", "amount": yen, "due": "2026-05-01"}, "2026-04-25")
    account.execute({"type": "payment_failed", "invoice": "i-1", "amount": yen, "decline": "hard"}, "2026-05-01")
    account.execute({"type": "advance"}, "2026-05-03")
    found = eligibility(member, catalog, account)
    assert found["membership"]["allowance"]["bookings"] == 4 and found["restrictions"] == ["no_new_bookings"]
    shared = studio()
    shared.execute({"type": "set_member", "member": "m", "eligibility": found}, SETUP)
    with pytest.raises(memberkit.BookingRefusedError) as info:
        shared.book("yoga", "m", SETUP)
    assert info.value.code == "restricted"


# -- malformed input ---------------------------------------------------------

json_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["book", "yoga", "aiko", "2026-06-01T10:00:00+09:00"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["type", "session", "member", "party", "at", "id", "capacity"]), inner, max_size=4),
    max_leaves=8,
)


def _only_memberkit_or_type_errors(call: Callable[[], object]) -> None:
    try:
        call()
    except (memberkit.MemberkitError, TypeError, OverflowError):
        pass
    except BaseException as exc:  # PanicException derives from BaseException
        raise AssertionError(f"unexpected {type(exc).__name__}: {exc}") from exc


@given(command=json_junk, at=json_junk | st.datetimes(timezones=st.none() | st.just(JST)))
@settings(max_examples=200, deadline=None)
def test_malformed_commands_raise_memberkit_errors(command: Any, at: Any) -> None:
    shared = studio("aiko")
    _only_memberkit_or_type_errors(lambda: shared.execute(command, at))
    _only_memberkit_or_type_errors(lambda: Book().decide(RULES, command, at))
    _only_memberkit_or_type_errors(lambda: shared.book("yoga", "aiko", at, party=command if isinstance(command, int) else 1))
    _only_memberkit_or_type_errors(lambda: Rules(command if isinstance(command, (dict, str)) else {"limits": command}))
    _only_memberkit_or_type_errors(lambda: Book.from_json(command if isinstance(command, (dict, str)) else json.dumps(command)))
    _only_memberkit_or_type_errors(lambda: Book().apply(command if isinstance(command, list) else [command]))


# -- properties under random commands ----------------------------------------

MEMBERS = [f"m{i}" for i in range(6)]
SESSIONS = {"a": session("a", 0, 2), "b": session("b", 0.5, 1, policy="ranked"), "c": session("c", 3, 2, credits=1)}
OPS = ["book", "cancel", "join_waitlist", "leave_waitlist", "accept_offer", "decline_offer", "check_in", "mark_no_show", "advance"]
steps = st.lists(
    st.tuples(st.sampled_from(OPS), st.sampled_from(sorted(SESSIONS)), st.sampled_from(MEMBERS),
              st.sampled_from([1, 1, 1, 2]), st.integers(0, 240)),
    max_size=40,
)


def random_book() -> Book:
    book = Book()
    for spec in SESSIONS.values():
        book, _ = book.execute(RULES, {"type": "schedule_session", "session": spec}, SETUP)
    for i, member in enumerate(MEMBERS):
        book, _ = book.execute(RULES, {"type": "set_member", "member": member, "eligibility": {**MEMBERSHIP, "tier": i % 3}}, SETUP)
        pack = {"id": f"p-{member}", "credits": 3, "expires": START + dt.timedelta(hours=4 + i)}
        book, _ = book.execute(RULES, {"type": "add_pack", "member": member, "pack": pack}, SETUP)
    return book


def check_invariants(book: Book) -> None:
    state = book.to_dict()
    for id, s in state["sessions"].items():
        seated = [seat["member"] for seat in s["seats"]]
        waiting = [entry["member"] for entry in s["waitlist"]]
        offered = sum(e["party"] for e in s["waitlist"] if "offer" in e)
        assert sum(seat["party"] for seat in s["seats"]) + offered <= s["spec"]["capacity"], id
        assert len(set(seated)) == len(seated) and len(set(waiting)) == len(waiting), id
        assert not set(seated) & set(waiting), id
        if s["spec"]["policy"] == "ranked":
            order = [(-e["tier"], e["at"]) for e in s["waitlist"]]
        else:
            order = [(0, e["at"]) for e in s["waitlist"]]
        assert order == sorted(order), id
    holds: dict[str, int] = {}
    for s in state["sessions"].values():
        for held in [*s["seats"], *s["waitlist"]]:
            hold = held.get("hold")
            if hold and not hold["consumed"]:
                holds[hold["pack"]] = holds.get(hold["pack"], 0) + hold["credits"]
    for member in state["members"].values():
        for pack in member["packs"]:
            spent = pack["reserved"] + pack["used"] + pack["forfeited"] + pack["expired"]
            assert spent <= pack["credits"], pack
            assert pack["reserved"] == holds.get(pack["id"], 0), pack


def command_of(op: str, session: str, member: str, party: int) -> dict[str, Any]:
    if op == "advance":
        return {"type": "advance"}
    command: dict[str, Any] = {"type": op, "session": session, "member": member}
    if op in ("book", "join_waitlist"):
        command["party"] = party
    return command


@given(steps=steps)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_commands_keep_the_invariants(steps: list[tuple[str, str, str, int, int]]) -> None:
    book = random_book()
    events_so_far: list[dict[str, Any]] = []
    at = START - dt.timedelta(days=2)  # 40 steps of up to 4 hours run past every session
    for op, session_id, member, party, minutes in steps:
        at = at + dt.timedelta(minutes=minutes)
        try:
            book, events = book.execute(RULES, command_of(op, session_id, member, party), at)
        except memberkit.MemberkitError:
            continue
        events_so_far += events
        for event in events:
            if event["type"] == "waitlisted":  # its position is its place in the waitlist then
                view = book.session_view(event["session"])
                assert view is not None and any(w["member"] == event["member"] for w in view["waitlist"])
        check_invariants(book)
        view = book.member_view(member, at)
        assert view is not None
        assert view["credits_available"] == sum(
            p["credits"] - p["reserved"] - p["used"] - p["forfeited"] - p["expired"] for p in view["packs"] if p["expires"] > at
        )
    replayed = random_book().apply(events_so_far)
    assert replayed == book


# -- many threads on one SharedBook ------------------------------------------


def test_eight_threads_on_one_shared_book() -> None:
    shared = SharedBook(RULES)
    sessions = [f"s{k}" for k in range(4)]
    for k, id in enumerate(sessions):
        spec = session(id, hours=2 * k, capacity=3, policy="ranked" if k % 2 else "default")
        shared.execute({"type": "schedule_session", "session": spec}, SETUP)
    members = [f"m{i}" for i in range(24)]
    for i, member in enumerate(members):
        shared.execute({"type": "set_member", "member": member, "eligibility": {**MEMBERSHIP, "tier": i % 3}}, SETUP)
    base_version = shared.version
    clock = itertools.count()  # next() on a count is atomic: each call its own later instant
    returned: list[int] = []
    failures: list[BaseException] = []

    def drive(seed: int) -> None:
        rng = random.Random(seed)
        count = 0
        try:
            for _ in range(400):
                at = SETUP + dt.timedelta(seconds=next(clock))
                s, m = rng.choice(sessions), rng.choice(members)
                call = rng.choice([shared.book, shared.book, shared.cancel, shared.join_waitlist, shared.leave_waitlist])
                try:
                    count += len(call(s, m, at))
                except memberkit.MemberkitError:
                    pass
                view = shared.session_view(s)
                assert view is not None and view["taken"] <= view["capacity"]
        except BaseException as exc:
            failures.append(exc)
        returned.append(count)

    threads = [threading.Thread(target=drive, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert shared.version - base_version == sum(returned)  # every event applied once, by its caller
    book = shared.snapshot()
    check_invariants(book)
    for id in sessions:
        view = book.session_view(id)
        assert view is not None
        seated = [seat["member"] for seat in view["seats"]]
        assert len(seated) == len(set(seated)) and view["taken"] <= view["capacity"]
