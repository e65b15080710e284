"""memberkit: the logic of a membership business, from Rust.

Money is :class:`decimal.Decimal` (never float), dates are :class:`datetime.date`
(or ``"YYYY-MM-DD"`` strings), and every error is a :class:`MemberkitError`.

>>> from decimal import Decimal
>>> import memberkit
>>> [str(m) for m in memberkit.Money(Decimal("10000"), "JPY").allocate(3)]
['3334 JPY', '3333 JPY', '3333 JPY']
>>> memberkit.Schedule("2026-01-31", unit="month").next_after("2026-02-01")
datetime.date(2026, 2, 28)
"""

from memberkit._memberkit import (
    CURRENCIES,
    ROUNDING_MODES,
    Money,
    Period,
    Schedule,
    __version__,
    add_months,
    minor_units,
    parse_date,
)
from memberkit import billing, booking, chat, dunning, intent, membership
from memberkit.errors import (
    AmountOutOfRangeError,
    CommandRefusedError,
    CurrencyMismatchError,
    DateOutOfRangeError,
    InvalidAllocationError,
    InvalidArgumentError,
    InvalidConfigError,
    InvalidDateError,
    InvalidIntervalError,
    InvalidJsonError,
    InvalidModelError,
    InvalidPeriodError,
    InvalidPlanError,
    InvalidTrainingDataError,
    InvalidTransitionError,
    MemberkitError,
    SubMinorAmountError,
    UnknownCurrencyError,
    UnknownInvoiceError,
    UnknownSessionError,
    UnknownMemberError,
    BookingRefusedError,
    LimitExceededError,
    UnknownPlanError,
)

__all__ = [
    "CURRENCIES",
    "ROUNDING_MODES",
    "AmountOutOfRangeError",
    "CommandRefusedError",
    "CurrencyMismatchError",
    "DateOutOfRangeError",
    "InvalidAllocationError",
    "InvalidArgumentError",
    "InvalidConfigError",
    "InvalidDateError",
    "InvalidIntervalError",
    "InvalidJsonError",
    "InvalidModelError",
    "InvalidPeriodError",
    "InvalidPlanError",
    "InvalidTrainingDataError",
    "InvalidTransitionError",
    "MemberkitError",
    "Money",
    "Period",
    "Schedule",
    "SubMinorAmountError",
    "UnknownCurrencyError",
    "UnknownInvoiceError",
    "UnknownSessionError",
    "UnknownMemberError",
    "BookingRefusedError",
    "LimitExceededError",
    "UnknownPlanError",
    "__version__",
    "add_months",
    "billing",
    "booking",
    "chat",
    "dunning",
    "intent",
    "membership",
    "minor_units",
    "parse_date",
]
