"""One routed chatbot turn from Python, dry run included (design §8: under
50 µs per turn with the shipped model).

The club is the conformance vectors' (tests/vectors/chat.json: three plans,
debit-day collection, plan aliases). The member record holds a few
membership events (a join, its start, a pause taken and ended) and is passed
as JSON text, as a host's database holds it. Each turn is what a host does
per message: ``read`` the stored state (JSON text) and the message, ``reply``
with the member's record, then read ``text``, ``step`` and ``state_json``
(to store). Timed turns:

- ``propose``: a verified member asks 「7月から2ヶ月休会したい」: the message
  classified, its month and duration found, the pause built, a dry run of
  the membership decider and a billing preview (the ledger caught up to
  today, then billed again with the pause's events) for the confirmation;
- ``confirm``: the member answers 「はい」 to that proposal: the command
  checked again by the decider, and confirmed;
- the same two with the convenience forms (state and member as dicts,
  ``Reply.data`` read as well) and through ``turn`` with a lookup;

each over ``--turns`` turns, timed one by one; the median and the 90th
percentile in µs over all rounds (``--repeat``; the kinds take turns round
by round, so a slow spell of the shared machine falls on all alike), the
best round's median (the least disturbed), and the thread's CPU time per
turn (the least of the rounds' averages), which leaves out waiting for a core. Then where a
``propose`` turn's time goes, by timing its parts alone, and how many
``propose`` turns per second 1, 2 and 8 threads sharing the assistant make
(its calls release the GIL while the core works).

    .venv/bin/python benches/chat_python.py [--turns 5000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import threading
import time
from pathlib import Path
from typing import Any, Callable

from memberkit import _memberkit, intent
from memberkit.chat import Assistant, Reply
from memberkit.membership import Catalog, Membership, _dumps

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "tests/vectors/chat.json").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 5, 6)
ASK, YES = "7月から2ヶ月休会したい", "はい"


def member_record() -> dict[str, Any]:
    """A regular member since January who paused in February."""
    member = Membership(Catalog(VECTORS["club"]["catalog"]))
    member.execute({"type": "join", "plan": "regular", "start": "2026-01-01"}, "2025-12-20")
    member.execute({"type": "advance"}, "2026-01-01")
    member.execute({"type": "pause", "from": "2026-02-01", "until": "2026-03-01"}, "2026-01-05")
    member.execute({"type": "advance"}, "2026-02-01")
    member.execute({"type": "advance"}, "2026-03-01")
    events = member.events.to_list()
    identity = {"member_number": "1000001", "email": "hanako@example.jp", "phone": "090-1111-2222"}
    record: dict[str, Any] = json.loads(_dumps({"identity": identity, "membership": events}))
    return record


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.9)]


def timed_turns(turn: Callable[[], object], n: int) -> list[float]:
    """Each turn's wall-clock time in µs."""
    clock = time.perf_counter_ns
    samples = []
    for _ in range(n):
        began = clock()
        turn()
        samples.append((clock() - began) / 1000)
    return samples


def cpu_per_turn(turn: Callable[[], object], n: int) -> float:
    """The thread's CPU time per turn over ``n`` turns, in µs: on a shared
    machine the wall clock also counts the time spent waiting for a core."""
    began = time.thread_time_ns()
    for _ in range(n):
        turn()
    return (time.thread_time_ns() - began) / n / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=5000, help="turns timed per round and kind")
    parser.add_argument("--repeat", type=int, default=20, help="rounds")
    args = parser.parse_args()

    bot = Assistant(VECTORS["club"])
    record = member_record()
    member_json = json.dumps(record)
    verified = json.dumps({"identity": {"claimed": "1000001", "verified": True}})
    proposed = bot.reply(bot.read(verified, ASK, TODAY), member_json)
    assert proposed.step == "confirm", proposed
    proposal_json, proposal_dict = proposed.state_json, proposed.state
    confirmed = bot.reply(bot.read(proposal_json, YES, TODAY), member_json)
    assert confirmed.step == "confirmed", confirmed
    verified_dict = json.loads(verified)

    def host(state: str, message: str) -> Callable[[], object]:
        def turn() -> object:
            reply = bot.reply(bot.read(state, message, TODAY), member_json)
            return reply.text, reply.step, reply.state_json

        return turn

    def convenient(state: dict[str, Any], message: str) -> Callable[[], object]:
        def turn() -> object:
            reply = bot.reply(bot.read(state, message, TODAY), record)
            return reply.text, reply.step, reply.state, reply.data

        return turn

    def looked_up(state: str, message: str) -> Callable[[], object]:
        lookup = {"1000001": member_json}.get

        def turn() -> object:
            reply = bot.turn(state, message, TODAY, lookup)
            return reply.text, reply.step, reply.state_json

        return turn

    kinds: dict[str, Callable[[], object]] = {
        "propose (read + reply, JSON text)": host(verified, ASK),
        "confirm (read + reply, JSON text)": host(proposal_json, YES),
        "propose, dicts, data read": convenient(verified_dict, ASK),
        "confirm, dicts, data read": convenient(proposal_dict, YES),
        "propose via turn(lookup)": looked_up(verified, ASK),
        "confirm via turn(lookup)": looked_up(proposal_json, YES),
    }
    for turn in kinds.values():  # warm up
        timed_turns(turn, 500)
    rounds: dict[str, list[list[float]]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(args.repeat):
        for kind, turn in kinds.items():
            rounds[kind].append(timed_turns(turn, args.turns))
            cpu[kind].append(cpu_per_turn(turn, args.turns))
    print(f"memberkit {_memberkit.__version__}: one routed turn from Python, shipped model, dry run included")
    print(f"{args.repeat} rounds x {args.turns} turns per kind (and as many for CPU time);", end=" ")
    print(f"member record with {len(record['membership'])} events")
    print(f"{'turn (µs)':40} {'median':>7} {'p90':>7} {'best round':>11} {'CPU':>6}")
    for kind, runs in rounds.items():
        median, p90 = percentiles([t for run in runs for t in run])
        best = min(statistics.median(run) for run in runs)
        print(f"{kind:40} {median:7.1f} {p90:7.1f} {best:11.1f} {min(cpu[kind]):6.1f}")

    # Where a propose turn's time goes: its parts, each timed alone.
    model = intent.default_model()._inner
    reading = bot.read(verified, ASK, TODAY)
    reply = bot.reply(reading, member_json)
    parts: dict[str, Callable[[], object]] = {
        "read: classify, slots, state from JSON": lambda: bot.read(verified, ASK, TODAY),
        "  classify the message (the model alone)": lambda: model.classify(ASK),
        "read, the state a dict": lambda: bot.read(verified_dict, ASK, TODAY),
        "reply: member from JSON, dry run, billing, text": lambda: bot.reply(reading, member_json),
        "reply, the member a dict": lambda: bot.reply(reading, record),
        "reply, no member (a handover)": lambda: bot.reply(reading, None),
        "reply + state_json": lambda: bot.reply(reading, member_json).state_json,
        "reply + state (dict)": lambda: bot.reply(reading, member_json).state,
        "reply + data (dict)": lambda: bot.reply(reading, member_json).data,
        "reply + slots": lambda: bot.reply(reading, member_json).slots,
        "reply + to_json()": lambda: bot.reply(reading, member_json).to_json(),
        "Reply dataclass made by its __init__": lambda: Reply(
            reply.step, reply.text, reply.language, reply.intent, reply.confidence, reply._reply
        ),
    }
    print()
    print(f"{'part of a propose turn (µs)':48} {'median':>7} {'CPU':>6}")
    for part, call in parts.items():
        n = max(args.turns // 4, 1000)
        median, _ = percentiles(timed_turns(call, n))
        print(f"{part:48} {median:7.2f} {cpu_per_turn(call, n):6.2f}")

    # Throughput: propose turns split over threads sharing the assistant.
    print()
    total = args.turns * 2
    for threads in (1, 2, 8):
        turn = host(verified, ASK)
        share = total // threads

        def drive() -> None:
            for _ in range(share):
                turn()

        workers = [threading.Thread(target=drive) for _ in range(threads)]
        began = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        rate = share * threads / (time.perf_counter() - began)
        print(f"propose turns from {threads} thread(s): {rate:,.0f} per second")


if __name__ == "__main__":
    main()
