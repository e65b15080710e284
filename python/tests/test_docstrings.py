"""The examples in the package's docstrings run as written."""

from __future__ import annotations

import doctest
import types

import pytest

import memberkit
import memberkit.billing
import memberkit.booking
import memberkit.chat
import memberkit.dunning
import memberkit.intent
import memberkit.membership
import memberkit.testing


@pytest.mark.parametrize("module", [memberkit, memberkit.membership, memberkit.billing, memberkit.booking, memberkit.chat, memberkit.dunning, memberkit.intent, memberkit.testing], ids=lambda m: m.__name__)
def test_docstring_examples(module: types.ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module.__name__} has no examples"
    assert result.failed == 0
