"""Replays tests/vectors/membership.json, as the Rust and C suites do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import memberkit
from memberkit.membership import Catalog, Membership, _dumps, _loads

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "tests/vectors/membership.json").read_text(encoding="utf-8"))
CATALOG = Catalog(VECTORS["plans"])


def test_there_are_enough_cases() -> None:
    assert len(VECTORS["cases"]) >= 25


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_case(case: dict[str, Any]) -> None:
    member = Membership(CATALOG)
    for step in case["steps"]:
        if "error" in step:
            with pytest.raises(memberkit.MemberkitError) as info:
                member.execute(step["command"], step["at"])
            assert info.value.kind == step["error"]
        else:
            events = member.execute(step["command"], step["at"])
            assert events == _loads(_dumps(step["events"]))
    assert member.status == case["status"]
