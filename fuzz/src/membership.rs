//! Structure-aware inputs for the membership decider: a catalog of three
//! plans (`a`, `b`, `c`) with random rules, and a script of commands made
//! on dates that mostly move forward.

use arbitrary::{Arbitrary, Result, Unstructured};
use memberkit::calendar::{Interval, NaiveDate};
use memberkit::membership::{
    Alignment, BookingEntitlement, CancelTiming, Catalog, ChangeTiming, Command, EarlyCancel,
    MinimumTerm, NoticeRule, PausePolicy, PauseStart, Plan, RefundPolicy, TaxRate, Trial,
};
use memberkit::money::{Currency, Money};

/// The day every script starts from.
pub fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date")
}

/// `base() + days`.
pub fn day(days: u16) -> NaiveDate {
    base() + chrono::Days::new(u64::from(days))
}

fn yen(u: &mut Unstructured<'_>, max: i64) -> Result<Money> {
    Ok(Money::from_minor(u.int_in_range(0..=max)?, Currency::JPY))
}

fn maybe<T>(
    u: &mut Unstructured<'_>,
    f: impl FnOnce(&mut Unstructured<'_>) -> Result<T>,
) -> Result<Option<T>> {
    Ok(if u.arbitrary()? { Some(f(u)?) } else { None })
}

/// A plan with id `id`: any interval (days to a year), currency JPY or (rarely) USD,
/// and each optional rule present or not. It may be invalid: the catalog refuses it.
pub fn plan(u: &mut Unstructured<'_>, id: &str) -> Result<Plan> {
    let interval = match u.int_in_range(0..=9)? {
        0 => Interval::days(u.int_in_range(1..=40)?),
        1 => Interval::weeks(u.int_in_range(1..=4)?),
        2 => Interval::years(1),
        _ => Interval::months(u.int_in_range(1..=3)?),
    };
    let Ok(interval) = interval else {
        return Err(arbitrary::Error::IncorrectFormat);
    };
    let currency = if u.ratio(1, 16)? {
        Currency::USD
    } else {
        Currency::JPY
    };
    let price = Money::from_minor(u.int_in_range(0..=30_000)?, currency);
    let trial = maybe(u, |u| {
        Ok(Trial {
            days: u.int_in_range(1..=31)?,
            price: yen(u, 3_000)?,
        })
    })?;
    let minimum_term = maybe(u, |u| {
        Ok(MinimumTerm {
            periods: u.int_in_range(1..=12)?,
            early_cancel: if u.arbitrary()? {
                EarlyCancel::Refused
            } else {
                EarlyCancel::Fee {
                    amount: yen(u, 20_000)?,
                }
            },
        })
    })?;
    let notice = maybe(u, |u| {
        Ok(if u.arbitrary()? {
            NoticeRule::DayOfMonth {
                day: u.int_in_range(1..=31)?,
            }
        } else {
            NoticeRule::DaysBeforePeriodEnd {
                days: u.int_in_range(0..=40)?,
            }
        })
    })?;
    let pause = maybe(u, |u| {
        let min_months = u.int_in_range(1..=3)?;
        Ok(PausePolicy {
            min_months,
            max_months: min_months + u.int_in_range(0..=3)?,
            max_per_year: u.int_in_range(1..=3)?,
            monthly_fee: yen(u, 1_100)?,
            request_by_day_of_previous_month: maybe(u, |u| u.int_in_range(1..=31))?,
            starts: if u.arbitrary()? {
                PauseStart::ChosenDate
            } else {
                PauseStart::NextPeriod
            },
            extends_minimum_term: u.arbitrary()?,
        })
    })?;
    let booking = if u.arbitrary()? {
        BookingEntitlement::Unlimited
    } else {
        BookingEntitlement::PerPeriod {
            bookings: u.int_in_range(1..=8)?,
        }
    };
    Ok(Plan {
        id: id.into(),
        name: id.to_uppercase(),
        price,
        price_includes_tax: u.arbitrary()?,
        tax_rate: *u.choose(&[TaxRate::Standard, TaxRate::Reduced, TaxRate::Exempt])?,
        interval,
        alignment: *u.choose(&[
            None,
            Some(Alignment::Calendar),
            Some(Alignment::Anniversary),
        ])?,
        admission_fee: maybe(u, |u| yen(u, 11_000))?,
        trial,
        minimum_term,
        fixed_term_periods: maybe(u, |u| u.int_in_range(1..=12))?,
        notice,
        pause,
        booking,
        rejoin_waives_admission_within_months: maybe(u, |u| u.int_in_range(0..=12))?,
        cooling_off_days: maybe(u, |u| u.int_in_range(1..=14))?,
        refund_policy: *u.choose(&[
            RefundPolicy::None,
            RefundPolicy::ProratedCredit,
            RefundPolicy::ProratedRefund,
        ])?,
        collect_next_period_at_join: u.arbitrary()?,
    })
}

/// A catalog of plans `a`, `b` and `c` with the plans themselves (for their
/// JSON), or `None` when the catalog refuses them.
pub fn catalog(u: &mut Unstructured<'_>) -> Result<Option<(Catalog, Vec<Plan>)>> {
    let plans = vec![plan(u, "a")?, plan(u, "b")?, plan(u, "c")?];
    Ok(Catalog::new(plans.clone()).ok().map(|c| (c, plans)))
}

/// The catalog's JSON, as a host would hand it to the C ABI.
pub fn catalog_json(plans: &[Plan]) -> String {
    let plans: Vec<String> = plans.iter().map(Plan::to_json).collect();
    format!("[{}]", plans.join(","))
}

/// Which plan a command names; `Other` is not in the catalog.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum PlanPick {
    /// Plan `a`.
    A,
    /// Plan `b`.
    B,
    /// Plan `c`.
    C,
    /// A plan the catalog lacks.
    Other,
}

impl PlanPick {
    fn id(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
            Self::Other => "zz",
        }
    }
}

/// A membership command with its dates as days after [`base`].
#[derive(Debug, Clone, Arbitrary)]
pub enum MembershipCmd {
    /// Join.
    Join {
        plan: PlanPick,
        start: u16,
        trial: bool,
    },
    /// Pause `from` for `len` days.
    Pause { from: u16, len: u8 },
    /// Resume.
    Resume { on: u16 },
    /// Change plan.
    ChangePlan { plan: PlanPick, now: bool },
    /// Cancel now.
    CancelNow,
    /// Cancel at the period's end.
    CancelAtPeriodEnd,
    /// Cancel by the notice rule.
    CancelByNotice,
    /// Cancel on a day.
    CancelOn(u16),
    /// Revoke a cancellation.
    Revoke,
    /// Past due.
    MarkPastDue,
    /// Suspend.
    Suspend,
    /// Reinstate.
    Reinstate,
    /// Rejoin.
    Rejoin {
        plan: PlanPick,
        start: u16,
        trial: bool,
    },
    /// Advance.
    Advance,
}

impl MembershipCmd {
    /// The core's command.
    pub fn command(&self) -> Command {
        let start_of = |d: &u16| day(d % 1000);
        match self {
            Self::Join { plan, start, trial } => Command::Join {
                plan: plan.id().into(),
                start: start_of(start),
                trial: *trial,
            },
            Self::Pause { from, len } => Command::Pause {
                from: start_of(from),
                until: start_of(from) + chrono::Days::new(u64::from(*len)),
            },
            Self::Resume { on } => Command::Resume { on: start_of(on) },
            Self::ChangePlan { plan, now } => Command::ChangePlan {
                plan: plan.id().into(),
                when: if *now {
                    ChangeTiming::Now
                } else {
                    ChangeTiming::NextPeriod
                },
            },
            Self::CancelNow => Command::Cancel {
                when: CancelTiming::Now,
            },
            Self::CancelAtPeriodEnd => Command::Cancel {
                when: CancelTiming::PeriodEnd,
            },
            Self::CancelByNotice => Command::Cancel {
                when: CancelTiming::ByNoticeRule,
            },
            Self::CancelOn(on) => Command::Cancel {
                when: CancelTiming::On(start_of(on)),
            },
            Self::Revoke => Command::RevokeCancellation,
            Self::MarkPastDue => Command::MarkPastDue,
            Self::Suspend => Command::Suspend,
            Self::Reinstate => Command::Reinstate,
            Self::Rejoin { plan, start, trial } => Command::Rejoin {
                plan: plan.id().into(),
                start: start_of(start),
                trial: *trial,
            },
            Self::Advance => Command::Advance,
        }
    }
}

/// One step of a script: wait `gap` days (a negative gap goes back in
/// time, which the decider must refuse or handle), then decide `command`.
#[derive(Debug, Clone, Arbitrary)]
pub struct Step {
    /// Days since the previous step, from -8 to 247.
    pub gap: u8,
    /// The command.
    pub command: MembershipCmd,
}

impl Step {
    /// The date of this step after the previous step's `at`.
    pub fn at(&self, previous: NaiveDate) -> NaiveDate {
        let days = i64::from(self.gap) - 8;
        previous + chrono::Duration::days(days)
    }
}

/// At most `max` steps from the rest of `u`.
pub fn steps(u: &mut Unstructured<'_>, max: usize) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    while steps.len() < max && !u.is_empty() {
        steps.push(u.arbitrary()?);
    }
    Ok(steps)
}
