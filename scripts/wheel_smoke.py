"""The wheel's smoke test, run by scripts/test-wheel.sh in a fresh virtual
environment, from a directory outside the source tree, with the installed
wheel only.

    python wheel_smoke.py FILE...        the files the package must hold (from py_src)
    python wheel_smoke.py --testing      memberkit.testing works (hypothesis installed)

Without hypothesis, ``import memberkit.testing`` must fail with the message
saying what to install; every other module must import.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import sys
from pathlib import Path

import memberkit
from memberkit import Money, intent
from memberkit.billing import Account, BillingConfig, bill
from memberkit.booking import Rules, SharedBook
from memberkit.dunning import Policy, Receivables
from memberkit.membership import Catalog, Membership


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"wheel smoke test: {what}")
    print(f"ok  {what}")


def installed(expected: list[str]) -> None:
    package = Path(memberkit.__file__).resolve().parent
    check(Path(sys.prefix).resolve() in package.parents, f"memberkit comes from the environment ({package})")
    check(not (Path.cwd() / "python").exists(), f"run outside the source tree ({Path.cwd()})")
    for name in expected:
        check((package / name).is_file(), f"the wheel holds memberkit/{name}")
    extension = sorted(p.name for p in package.glob("_memberkit*.so"))
    check(extension == ["_memberkit.abi3.so"], f"one abi3 extension module ({extension})")
    check((package / "py.typed").is_file() and (package / "_memberkit.pyi").is_file(), "py.typed and the stubs")
    version = importlib.metadata.version("memberkit")
    check(memberkit.__version__ == version, f"memberkit.__version__ is the distribution's ({version})")
    modules = sorted(name[: -len(".py")] for name in expected if name.endswith(".py") and name != "__init__.py")
    for module in modules:
        if module == "testing":
            try:
                importlib.import_module("memberkit.testing")
            except ImportError as missing:
                check("pip install hypothesis" in str(missing), f"memberkit.testing without hypothesis: {missing}")
            else:
                sys.exit("wheel smoke test: hypothesis is installed in the fresh environment, expected it absent")
        else:
            importlib.import_module(f"memberkit.{module}")
            print(f"ok  import memberkit.{module}")


def works() -> None:
    catalog = Catalog(
        [
            {
                "id": "regular",
                "name": "Regular",
                "price_includes_tax": True,
                "price": {"amount": "8800", "currency": "JPY"},
                "interval": {"unit": "month", "count": 1},
            }
        ]
    )
    member = Membership(catalog)
    member.execute({"type": "join", "plan": "regular", "start": "2026-04-20"}, dt.date(2026, 4, 20))
    documents = bill(catalog, BillingConfig(), Account("M-1"), member, dt.date(2026, 5, 1))
    totals = [doc.total for doc in documents]
    check(totals == [Money(3226, "JPY"), Money(8800, "JPY")], f"billing: {[str(t) for t in totals]}")

    result = intent.default_model().classify("来月から休会したいのですが")
    check(result.intent == "pause" and 0 < result.confidence <= 1, f"the shipped model: {result.intent}")

    account = Receivables(Policy({"currency": "JPY", "steps": [{"day": 7, "action": "suspend"}]}))
    account.execute({"type": "invoice_issued", "invoice": "i-1", "amount": Money(8800, "JPY"), "due": "2026-05-01"}, "2026-04-25")
    check(account.unpaid_balance == Money(8800, "JPY"), "dunning")

    jst = dt.timezone(dt.timedelta(hours=9))
    start = dt.datetime(2026, 6, 10, 10, tzinfo=jst)
    studio = SharedBook(Rules({}))
    studio.execute({"type": "schedule_session", "session": {"id": "yoga", "capacity": 1, "start": start, "end": start + dt.timedelta(hours=1)}}, start - dt.timedelta(days=5))
    studio.execute({"type": "set_member", "member": "aiko", "eligibility": {"membership": {"from": dt.date(2026, 4, 1)}}}, start - dt.timedelta(days=5))
    check(studio.book("yoga", "aiko", start - dt.timedelta(days=1)).types() == ["booked"], "booking")

    try:
        Money(1, "XXX")
    except memberkit.UnknownCurrencyError as err:
        check(isinstance(err, ValueError) and err.kind == "unknown_currency", f"typed errors: {err}")


def testing_works() -> None:
    from hypothesis import given, settings

    from memberkit.testing import MembershipHistory, membership_histories

    @settings(max_examples=10, deadline=None, database=None)
    @given(membership_histories())
    def replays(history: MembershipHistory) -> None:
        member = Membership(history.catalog)
        member.apply(history.events)
        assert member.state == history.state

    replays()
    check(True, "memberkit.testing with hypothesis installed")


if __name__ == "__main__":
    if sys.argv[1:] == ["--testing"]:
        testing_works()
    else:
        installed(sys.argv[1:])
        works()
