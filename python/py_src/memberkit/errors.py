"""The exceptions memberkit raises: one class per error kind, all rooted at
:class:`MemberkitError`. Errors about bad input also subclass :class:`ValueError`.

Each carries the same message as the Rust library, and ``kind``, the kind's
stable snake_case name (``"unknown_currency"``). An error from booking also
carries ``code``, the booking error's stable snake_case reason (``"full"``,
``"waitlist_closed"``, ``"unknown_session"``); it is ``None`` for the others.
"""

from __future__ import annotations


class MemberkitError(Exception):
    """Base class of every error memberkit raises."""

    kind: str
    code: str | None

    def __init__(self, message: str, kind: str = "", code: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code


class InvalidArgumentError(MemberkitError, ValueError):
    """An argument outside what the operation accepts (a negative count, a float amount)."""


class UnknownCurrencyError(MemberkitError, ValueError):
    """A currency code memberkit does not know."""


class CurrencyMismatchError(MemberkitError, ValueError):
    """Two amounts in different currencies were combined."""


class SubMinorAmountError(MemberkitError, ValueError):
    """An amount finer than its currency's minor unit (¥100.5)."""


class AmountOutOfRangeError(MemberkitError, ValueError):
    """A result too large to represent."""


class InvalidAllocationError(MemberkitError, ValueError):
    """An allocation that cannot be made: no parts, negative or all-zero ratios."""


class InvalidDateError(MemberkitError, ValueError):
    """A date that does not exist or does not parse."""


class InvalidIntervalError(MemberkitError, ValueError):
    """An interval of zero length or an unknown unit."""


class InvalidPeriodError(MemberkitError, ValueError):
    """A period whose end is not after its start."""


class DateOutOfRangeError(MemberkitError, ValueError):
    """A date computation that leaves the supported calendar."""


class InvalidPlanError(MemberkitError, ValueError):
    """A plan or catalog that is not valid; the message names the bad field."""


class InvalidJsonError(MemberkitError, ValueError):
    """A command, event or state that does not parse; the message names the bad field."""


class UnknownPlanError(MemberkitError, ValueError):
    """A plan id the catalog does not have."""


class InvalidTransitionError(MemberkitError, ValueError):
    """A command the membership's status does not allow (resume when not paused)."""


class CommandRefusedError(MemberkitError, ValueError):
    """A command a rule of the plan refuses (a pause too long, a cancel inside the minimum term)."""


class InvalidConfigError(MemberkitError, ValueError):
    """A billing config that is not valid; the message names the bad field."""


class InvalidTrainingDataError(MemberkitError, ValueError):
    """Training or evaluation examples that cannot be used (none, one intent, a bad id)."""


class InvalidModelError(MemberkitError, ValueError):
    """Bytes or JSON that are not a valid intent model (wrong magic, truncated, corrupt)."""


class UnknownInvoiceError(MemberkitError, ValueError):
    """An invoice id dunning does not know."""


class UnknownSessionError(MemberkitError, ValueError):
    """A session id the book does not have."""


class UnknownMemberError(MemberkitError, ValueError):
    """A member id the book does not have (add them with ``set_member`` first)."""


class LimitExceededError(MemberkitError):
    """Work past one of memberkit's documented limits (more billing periods
    of one account than one run bills, ...); the message says how to stay under it."""


class BookingRefusedError(MemberkitError):
    """A booking command refused by a rule: full, outside the window, a limit, a restriction, ...;
    ``code`` says which (``"full"``, ``"booking_closed"``, ``"limit_reached"``, ...)."""
