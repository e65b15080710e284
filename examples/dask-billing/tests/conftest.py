"""The Dask billing example's tests: one ``LocalCluster`` of two worker
processes for the whole module (scripts/test-dask.sh installs dask)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import billing_shards  # noqa: E402

if TYPE_CHECKING:
    from distributed import Client


@pytest.fixture(scope="session")
def client() -> Iterator[Client]:
    """A client of a new LocalCluster: two worker processes, one thread each."""
    client = billing_shards.connect(None, workers=2)
    yield client
    billing_shards.close(client)
