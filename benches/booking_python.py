"""Per-call cost of booking through memberkit.booking.SharedBook from Python.

Measures, on a book of ``--sessions`` sessions of ``--capacity`` seats (one
member per seat, as many again on the waitlists):

- ``book``: a member takes a free seat;
- ``cancel + promotion``: a member cancels in time and the head of the
  waitlist is promoted into the seat (two events);
- ``check-in``: a member checks in inside the check-in window;

each as the call alone (the events returned unread) and with the events read
as dicts (``events.to_list()``), in µs per call (the best of ``--repeat``
runs, each on a fresh book). Then the shared book's throughput, in bookings
per second, with the bookings split over 1 and over 8 Python threads (a call
finding the book's lock taken releases the GIL while it waits).

    .venv/bin/python benches/booking_python.py --sessions 1000 --capacity 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import threading
import time
from typing import Callable

from memberkit.booking import Rules, SharedBook

JST = dt.timezone(dt.timedelta(hours=9))
BASE = dt.datetime(2026, 6, 1, 6, tzinfo=JST)
SETUP_AT = BASE - dt.timedelta(days=2)
BOOK_AT = BASE - dt.timedelta(days=1)
RULES = Rules({"policies": {"default": {"late_cancel_minutes_before": 60, "opens_days_before": 365}}})


def start(k: int) -> dt.datetime:
    """Session k starts 2 hours after session k-1."""
    return BASE + dt.timedelta(hours=2 * k)


def make_book(sessions: int, capacity: int, *, booked: bool, waitlisted: bool) -> SharedBook:
    shared = SharedBook(RULES)
    membership = {"membership": {"from": dt.date(2026, 4, 1)}}
    for k in range(sessions):
        session = {"id": f"s{k}", "capacity": capacity, "start": start(k), "end": start(k) + dt.timedelta(hours=1)}
        shared.execute({"type": "schedule_session", "session": session}, SETUP_AT)
        for seat in range(capacity):
            for who in (f"m{k}-{seat}", f"w{k}-{seat}"):
                shared.execute({"type": "set_member", "member": who, "eligibility": membership}, SETUP_AT)
    for k in range(sessions):
        for seat in range(capacity if booked else 0):
            shared.book(f"s{k}", f"m{k}-{seat}", BOOK_AT)
        for seat in range(capacity if waitlisted else 0):
            shared.join_waitlist(f"s{k}", f"w{k}-{seat}", BOOK_AT)
    return shared


def timed(calls: Callable[[], int]) -> float:
    began = time.perf_counter()
    n = calls()
    return (time.perf_counter() - began) / n * 1e6


def bench_book(args: argparse.Namespace, read: bool) -> float:
    shared = make_book(args.sessions, args.capacity, booked=False, waitlisted=False)
    pairs = [(f"s{k}", f"m{k}-{seat}") for k in range(args.sessions) for seat in range(args.capacity)]
    at, book = BOOK_AT, shared.book

    def run() -> int:
        for session, member in pairs:
            events = book(session, member, at)
            if read:
                events.to_list()
        return len(pairs)

    return timed(run)


def bench_cancel(args: argparse.Namespace, read: bool) -> float:
    shared = make_book(args.sessions, args.capacity, booked=True, waitlisted=True)
    pairs = [(f"s{k}", f"m{k}-{seat}") for k in range(args.sessions) for seat in range(args.capacity)]
    at, cancel = BOOK_AT + dt.timedelta(hours=1), shared.cancel

    def run() -> int:
        for session, member in pairs:
            events = cancel(session, member, at)
            if read:
                events.to_list()
        return len(pairs)

    us = timed(run)
    assert shared.session_view("s0")["seats"][0]["member"] == "w0-0"  # type: ignore[index]
    return us


def bench_check_in(args: argparse.Namespace, read: bool) -> float:
    shared = make_book(args.sessions, args.capacity, booked=True, waitlisted=False)
    work = [
        (f"s{k}", f"m{k}-{seat}", start(k) - dt.timedelta(minutes=10))
        for k in range(args.sessions)
        for seat in range(args.capacity)
    ]
    check_in = shared.check_in

    def run() -> int:
        for session, member, at in work:
            events = check_in(session, member, at)
            if read:
                events.to_list()
        return len(work)

    return timed(run)


def throughput(args: argparse.Namespace, threads: int) -> float:
    """Bookings per second with the seats split between `threads` threads."""
    shared = make_book(args.sessions, args.capacity, booked=False, waitlisted=False)
    pairs = [(f"s{k}", f"m{k}-{seat}") for k in range(args.sessions) for seat in range(args.capacity)]
    parts = [pairs[i::threads] for i in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def work(part: list[tuple[str, str]]) -> None:
        book, at = shared.book, BOOK_AT
        barrier.wait()
        for session, member in part:
            book(session, member, at)

    workers = [threading.Thread(target=work, args=(part,)) for part in parts]
    for worker in workers:
        worker.start()
    barrier.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    assert shared.version == len(pairs) * 2 + args.sessions + len(pairs)  # set_member ×2, sessions, bookings
    return len(pairs) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=1000, help="sessions in the book (default 1000)")
    parser.add_argument("--capacity", type=int, default=20, help="seats per session (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is shown (default 3)")
    args = parser.parse_args()
    calls = args.sessions * args.capacity
    print(f"memberkit.booking.SharedBook: {args.sessions} sessions × {args.capacity} seats, {calls} calls per run")
    print(f"{'operation':<22}{'µs/call':>10}{'µs/call, events read':>24}")
    for name, bench in [("book", bench_book), ("cancel + promotion", bench_cancel), ("check-in", bench_check_in)]:
        alone = min(bench(args, False) for _ in range(args.repeat))
        read = min(bench(args, True) for _ in range(args.repeat))
        print(f"{name:<22}{alone:>10.2f}{read:>24.2f}")
    for threads in (1, 8):
        rate = max(throughput(args, threads) for _ in range(args.repeat))
        print(f"book throughput, {threads} thread{'s' if threads > 1 else ' '}: {rate:>12,.0f} calls/s")


if __name__ == "__main__":
    main()
