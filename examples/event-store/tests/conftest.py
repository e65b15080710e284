"""The event-store tests run against SQLite always and against PostgreSQL
when ``MEMBERKIT_TEST_POSTGRES`` holds a connection string
(scripts/test-postgres.sh starts a server and sets it)."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from event_store import EventStore, PostgresEventStore, SqliteEventStore  # noqa: E402

POSTGRES = os.environ.get("MEMBERKIT_TEST_POSTGRES")

Connect = Callable[[], EventStore]


@pytest.fixture(params=["sqlite", "postgres"])
def connect(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Connect]:
    """Opens a new connection (a new store) to one database per test: one per writer."""
    opened: list[EventStore] = []

    def open_store() -> EventStore:
        if request.param == "sqlite":
            store: EventStore = SqliteEventStore(str(tmp_path / "events.db"))
        else:
            assert POSTGRES is not None
            store = PostgresEventStore(POSTGRES)
        opened.append(store)
        return store

    if request.param == "postgres" and not POSTGRES:
        pytest.skip("set MEMBERKIT_TEST_POSTGRES (scripts/test-postgres.sh starts a server)")
    open_store().create_schema()
    yield open_store
    for store in opened:
        store.close()


@pytest.fixture
def stream_id() -> str:
    """A stream id no other test (or earlier run on the same server) used."""
    return f"M-{uuid.uuid4().hex[:12]}"
