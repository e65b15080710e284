"""Memberships, dunning cases and booking books kept as event streams in a
SQL database, with optimistic concurrency on the decider's version.

One table holds every stream: a row per event, keyed by the stream (its
kind, ``"membership"``, ``"dunning"`` or ``"book"``, and its id) and the version the event
brings the stream to (1, 2, ...), with ``PRIMARY KEY (kind, id, version)``.
memberkit's deciders count the events a state has applied (``version``),
so the version a state was loaded at is the version the next events must
follow: :meth:`EventStore.append` writes versions ``expected + 1 ...`` in
one transaction and raises :class:`Conflict` when the stream has moved since
(another writer appended first). The primary key makes that hold under any
race: of two writers inserting the same version, the second fails, whatever
the isolation level.

The same interface over SQLite (:class:`SqliteEventStore`, the standard
library) and PostgreSQL (:class:`PostgresEventStore`, psycopg 3)::

    store = SqliteEventStore("members.db")            # or PostgresEventStore("host=... dbname=...")
    members = Memberships(store, catalog)
    member, version = members.load("M-1")             # the state and the version it was loaded at
    events = member.decide(command, today)            # pure: nothing stored yet
    members.append("M-1", version, events)            # Conflict if another writer got there first
    members.execute("M-1", command, today)            # the same, reloading and deciding again on a conflict

A writer that meets a conflict reloads and decides again: the command may
now be refused (the last seat was taken), which raises the typed
:class:`memberkit.MemberkitError` of the refusal. Use one store (one
connection) per thread.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Callable, Generic, Mapping, Sequence, TypeVar, Union

from memberkit import Money
from memberkit.billing import EventLog
from memberkit.booking import Book, Events, Rules
from memberkit.dunning import Policy, Receivables
from memberkit.membership import Catalog, Membership

if TYPE_CHECKING:
    import psycopg

__all__ = ["Books", "Conflict", "DunningCases", "EventStore", "Memberships", "PostgresEventStore", "SqliteEventStore"]

Event = dict[str, Any]
State = TypeVar("State")


class Conflict(Exception):
    """The stream moved since it was loaded: another writer appended first.
    Reload, decide again, and append at the new version."""

    def __init__(self, kind: str, id: str, expected: int, actual: int) -> None:
        super().__init__(f"{kind} {id!r} is at version {actual}, not {expected}: reload and decide again")
        self.kind, self.id, self.expected, self.actual = kind, id, expected, actual


StoreT = TypeVar("StoreT", bound="EventStore")


class EventStore(ABC):
    """Event streams in one table, appended with optimistic concurrency."""

    @abstractmethod
    def create_schema(self) -> None:
        """Creates the events table if it is missing."""

    @abstractmethod
    def read(self, kind: str, id: str) -> list[Event]:
        """The stream's events, oldest first, as JSON values (dates as ISO text)."""

    @abstractmethod
    def version(self, kind: str, id: str) -> int:
        """The stream's version: the number of events it holds."""

    @abstractmethod
    def append(self, kind: str, id: str, expected_version: int, events: Sequence[Event]) -> int:
        """Appends ``events`` after version ``expected_version`` in one
        transaction and returns the new version; raises :class:`Conflict`
        (and writes nothing) when the stream is not at ``expected_version``."""

    @abstractmethod
    def close(self) -> None:
        """Closes the connection."""

    def __enter__(self: StoreT) -> StoreT:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_COLUMNS = "kind, id, version, type, data"


class SqliteEventStore(EventStore):
    """The store in SQLite. ``BEGIN IMMEDIATE`` takes the write lock before
    the version is read, so a writer sees any append that committed before
    it; the primary key guards the rest."""

    def __init__(self, path: str, *, timeout: float = 30.0) -> None:
        self._db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = WAL")

    def create_schema(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS events (kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,"
            " type TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            " PRIMARY KEY (kind, id, version))"
        )

    def read(self, kind: str, id: str) -> list[Event]:
        rows = self._db.execute("SELECT data FROM events WHERE kind = ? AND id = ? ORDER BY version", (kind, id))
        return [json.loads(data) for (data,) in rows]

    def version(self, kind: str, id: str) -> int:
        return _version(self._db.execute("SELECT MAX(version) FROM events WHERE kind = ? AND id = ?", (kind, id)).fetchone())

    def append(self, kind: str, id: str, expected_version: int, events: Sequence[Event]) -> int:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            actual = self.version(kind, id)
            if actual != expected_version:
                raise Conflict(kind, id, expected_version, actual)
            self._db.executemany(f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)", _rows(kind, id, expected_version, events))
        except sqlite3.IntegrityError:
            self._db.execute("ROLLBACK")
            raise Conflict(kind, id, expected_version, self.version(kind, id)) from None
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return expected_version + len(events)

    def close(self) -> None:
        self._db.close()


class PostgresEventStore(EventStore):
    """The store in PostgreSQL (psycopg 3; ``pip install "psycopg[binary]"``).
    Events are ``jsonb``. Under READ COMMITTED two writers may both read the
    old version; the second insert of the same ``(kind, id, version)`` waits
    for the first to commit and then fails on the primary key: a
    :class:`Conflict`."""

    def __init__(self, conninfo: str) -> None:
        import psycopg

        self._psycopg = psycopg
        self._db: psycopg.Connection[tuple[Any, ...]] = psycopg.connect(conninfo, autocommit=True)

    def create_schema(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS events (kind text NOT NULL, id text NOT NULL, version integer NOT NULL,"
            " type text NOT NULL, data jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),"
            " PRIMARY KEY (kind, id, version))"
        )

    def read(self, kind: str, id: str) -> list[Event]:
        rows = self._db.execute("SELECT data FROM events WHERE kind = %s AND id = %s ORDER BY version", (kind, id))
        return [data for (data,) in rows]

    def version(self, kind: str, id: str) -> int:
        return _version(self._db.execute("SELECT MAX(version) FROM events WHERE kind = %s AND id = %s", (kind, id)).fetchone())

    def append(self, kind: str, id: str, expected_version: int, events: Sequence[Event]) -> int:
        try:
            with self._db.transaction():
                actual = self.version(kind, id)
                if actual != expected_version:
                    raise Conflict(kind, id, expected_version, actual)
                with self._db.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO events ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s::jsonb)",
                        _rows(kind, id, expected_version, events),
                    )
        except self._psycopg.errors.UniqueViolation:
            raise Conflict(kind, id, expected_version, self.version(kind, id)) from None
        return expected_version + len(events)

    def close(self) -> None:
        self._db.close()


def _version(row: Any) -> int:
    return 0 if row is None or row[0] is None else int(row[0])


def _rows(kind: str, id: str, after: int, events: Sequence[Event]) -> list[tuple[str, str, int, str, str]]:
    return [(kind, id, after + n, event["type"], json.dumps(event, ensure_ascii=False)) for n, event in enumerate(events, 1)]


class _Streams(ABC, Generic[State]):
    kind: str

    def __init__(self, store: EventStore) -> None:
        self.store = store

    @abstractmethod
    def _replay(self, events: list[Event]) -> State: ...

    @abstractmethod
    def _version_of(self, state: State) -> int: ...

    @abstractmethod
    def _decide(self, state: State, command: Mapping[str, Any], at: Any) -> list[Event]: ...

    def load(self, id: str) -> tuple[State, int]:
        """The state rebuilt from the stored events, and its version."""
        state = self._replay(self.store.read(self.kind, id))
        return state, self._version_of(state)

    def execute(
        self, id: str, command: Mapping[str, Any], at: Any, *, attempts: int = 5, on_conflict: Callable[[Conflict], None] | None = None
    ) -> list[Event]:
        """Loads, decides ``command`` made at ``at`` and appends the events;
        on a :class:`Conflict`, reloads and decides again (up to ``attempts``
        times). A refusal raises the decider's :class:`memberkit.MemberkitError`
        and stores nothing. Returns the events stored, as JSON values."""
        if attempts < 1:
            raise ValueError(f"attempts {attempts}: expected 1 or more")
        for _ in range(attempts):
            state, version = self.load(id)
            events = self._decide(state, command, at)
            try:
                if events:
                    self.store.append(self.kind, id, version, events)
                return events
            except Conflict as conflict:
                if on_conflict is not None:
                    on_conflict(conflict)
        raise Conflict(self.kind, id, version, self.store.version(self.kind, id))  # every attempt lost a race


class Memberships(_Streams[Membership]):
    """Memberships under one catalog, one stream per member."""

    kind = "membership"

    def __init__(self, store: EventStore, catalog: Catalog) -> None:
        super().__init__(store)
        self.catalog = catalog

    def _replay(self, events: list[Event]) -> Membership:
        member = Membership(self.catalog)
        if events:
            member.apply(events)
        return member

    def _version_of(self, state: Membership) -> int:
        return state.version

    def _decide(self, state: Membership, command: Mapping[str, Any], at: Any) -> list[Event]:
        return _json_values(state.decide(command, at))

    def append(self, member: str, expected_version: int, events: Union[Sequence[Mapping[str, Any]], EventLog]) -> int:
        """Stores a member's events decided at ``expected_version`` (dicts as
        :meth:`Membership.decide` gives them); see :meth:`EventStore.append`."""
        return self.store.append(self.kind, member, expected_version, _json_values(events))


class DunningCases(_Streams[Receivables]):
    """Dunning cases (督促) under one policy: an account's receivables, one
    stream per account. The payment provider's webhook (payments) and the
    nightly run (``advance``) may write to one account at once: the second
    to append reloads and decides again, so a payment that lands first is
    seen by the run (nothing is escalated), and a payment delivered twice is
    recognised as a duplicate, never collected twice."""

    kind = "dunning"

    def __init__(self, store: EventStore, policy: Policy) -> None:
        super().__init__(store)
        self.policy = policy

    def _replay(self, events: list[Event]) -> Receivables:
        account = Receivables(self.policy)
        if events:
            account.apply(events)
        return account

    def _version_of(self, state: Receivables) -> int:
        return state.version

    def _decide(self, state: Receivables, command: Mapping[str, Any], at: Any) -> list[Event]:
        return _plain(state.decide(command, at))

    def append(self, account: str, expected_version: int, events: Sequence[Mapping[str, Any]]) -> int:
        """Stores an account's events decided at ``expected_version`` (dicts as
        :meth:`Receivables.decide` gives them); see :meth:`EventStore.append`."""
        return self.store.append(self.kind, account, expected_version, _plain(events))


def _plain(events: Sequence[Mapping[str, Any]]) -> list[Event]:
    """Dunning events as JSON values: dates as ISO text, amounts as
    ``{"amount", "currency"}`` (what :meth:`Receivables.apply` reads back)."""

    def encode(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Money):
            return {"amount": str(value.amount), "currency": value.currency}
        raise TypeError(f"{type(value).__name__} is not an event value")

    values: list[Event] = json.loads(json.dumps(list(events), default=encode, ensure_ascii=False))
    return values


class Books(_Streams[Book]):
    """Booking books (a studio's sessions and members) under one set of
    rules, one stream per book."""

    kind = "book"

    def __init__(self, store: EventStore, rules: Rules) -> None:
        super().__init__(store)
        self.rules = rules

    def _replay(self, events: list[Event]) -> Book:
        return Book().apply(events) if events else Book()

    def _version_of(self, state: Book) -> int:
        return state.version

    def _decide(self, state: Book, command: Mapping[str, Any], at: Any) -> list[Event]:
        events: list[Event] = json.loads(state.decide(self.rules, command, at).to_json())
        return events

    def append(self, book: str, expected_version: int, events: Events) -> int:
        """Stores a book's events decided at ``expected_version``; see :meth:`EventStore.append`."""
        stored: list[Event] = json.loads(events.to_json())
        return self.store.append(self.kind, book, expected_version, stored)


def _json_values(events: Union[Sequence[Mapping[str, Any]], EventLog]) -> list[Event]:
    """Membership events as memberkit writes them in JSON (dates as ISO text,
    amounts as ``{"amount", "currency"}``)."""
    log = events if isinstance(events, EventLog) else EventLog(events)
    values: list[Event] = json.loads(log.to_json())
    return values
