//! Plans: what a membership costs and which rules it follows.

use super::MembershipError;
use crate::calendar::{CalendarError, Interval, IntervalUnit, NaiveDate, Schedule};
use crate::money::Money;
use chrono::{Datelike, Weekday};
use serde::{Deserialize, Serialize};

/// A plan's identifier, unique within a [`Catalog`](super::Catalog).
pub type PlanId = compact_str::CompactString;

/// The consumption-tax category of a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaxRate {
    /// The standard rate (10 %).
    #[default]
    Standard,
    /// The reduced rate (8 %).
    Reduced,
    /// Not taxed.
    Exempt,
}

/// Where billing periods start. A membership whose paid part starts
/// elsewhere pays that first stretch pro rata. A plan without one starts
/// monthly and yearly periods on the 1st, and weekly and daily ones on the
/// first paid day.
///
/// Serialized as `"calendar"`, `"anniversary"`, `{"day_of_month": 27}` or
/// `{"weekday": "monday"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alignment {
    /// Monthly and yearly periods start on the 1st.
    Calendar,
    /// Periods start on the day paid membership starts (its day of the
    /// month, for monthly and yearly periods).
    Anniversary,
    /// Monthly and yearly periods start on this day of the month (1–31,
    /// clamped to short months).
    DayOfMonth(u32),
    /// Weekly periods are calendar weeks starting on this day.
    Weekday(#[serde(with = "weekday_name")] Weekday),
}

/// A weekday as its lowercase English name (`"monday"`); read also from
/// chrono's other spellings (`"Mon"`).
mod weekday_name {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        day: &Weekday,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        const NAMES: [&str; 7] = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        serializer.serialize_str(NAMES[day.num_days_from_monday() as usize])
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Weekday, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown weekday {text:?}: expected monday, tuesday, ... sunday"
            ))
        })
    }
}

/// A trial before paid membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trial {
    /// Length of the trial in days (at least 1).
    pub days: u32,
    /// What the trial costs (zero for a free trial).
    pub price: Money,
}

/// What a cancel inside the minimum term costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum EarlyCancel {
    /// The cancel is refused until the minimum term ends.
    Refused,
    /// The cancel is accepted with an early-termination fee.
    Fee {
        /// The fee.
        amount: Money,
    },
}

/// A minimum term (最低利用期間).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinimumTerm {
    /// Number of billing periods, counted from the start of paid membership.
    pub periods: u32,
    /// What cancelling before it ends costs.
    pub early_cancel: EarlyCancel,
}

/// When a cancel request takes effect under the plan's notice rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum NoticeRule {
    /// A request on or before `day` of the month ends membership at this
    /// month's end; a later one at next month's end.
    DayOfMonth {
        /// The deadline day, 1–31 (clamped to short months).
        day: u32,
    },
    /// A request at least `days` days before the current period's end ends
    /// membership then; a later one at the next period's end.
    DaysBeforePeriodEnd {
        /// The notice in days.
        days: u32,
    },
}

/// When a pause starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PauseStart {
    /// Only at the start of a billing period.
    #[default]
    NextPeriod,
    /// On any date the member chooses.
    ChosenDate,
}

/// The longest pause a plan may allow, in months (ten years): past it a
/// plan is invalid, so a pause's months billed stay far under
/// [`MAX_PERIODS_PER_RUN`](crate::billing::MAX_PERIODS_PER_RUN).
pub const MAX_PAUSE_MONTHS: u32 = 120;

/// The rules for pausing (休会).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PausePolicy {
    /// Shortest pause, in months (at least 1).
    pub min_months: u32,
    /// Longest pause, in months (at most [`MAX_PAUSE_MONTHS`]).
    pub max_months: u32,
    /// Most pauses starting in one calendar year.
    pub max_per_year: u32,
    /// Monthly pause fee (休会費), possibly zero.
    pub monthly_fee: Money,
    /// A pause starting in month M must be requested by this day of month M − 1
    /// ("by the 15th of the previous month"); `None` means any time before it starts.
    #[serde(default)]
    pub request_by_day_of_previous_month: Option<u32>,
    /// When a pause may start.
    #[serde(default)]
    pub starts: PauseStart,
    /// Whether a pause pushes the end of the minimum term out by its length.
    #[serde(default)]
    pub extends_minimum_term: bool,
}

/// How many classes a plan lets a member book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum BookingEntitlement {
    /// No limit.
    #[default]
    Unlimited,
    /// At most `bookings` per billing period.
    PerPeriod {
        /// The number of bookings.
        bookings: u32,
    },
}

/// What a member gets back for the unused days of a period already paid when
/// membership ends early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RefundPolicy {
    /// Nothing: the period is paid in full.
    #[default]
    None,
    /// A prorated credit, carried forward to later invoices.
    ProratedCredit,
    /// A prorated refund, paid back.
    ProratedRefund,
}

/// A membership plan.
///
/// Loaded from JSON with [`Plan::from_json`], which names the path of a bad
/// field. Only `id`, `name`, `price` and `interval` are required:
///
/// ```
/// use memberkit::membership::Plan;
/// let plan = Plan::from_json(r#"{
///     "id": "regular", "name": "Regular",
///     "price": {"amount": "8800", "currency": "JPY"},
///     "interval": {"unit": "month", "count": 1},
///     "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2,
///               "monthly_fee": {"amount": "550", "currency": "JPY"}}
/// }"#)?;
/// assert_eq!(plan.pause.unwrap().max_months, 3);
///
/// let err = Plan::from_json(r#"{"id": "x", "name": "X",
///     "price": {"amount": "8800", "currency": "JPY"},
///     "interval": {"unit": "month", "count": 0}}"#).unwrap_err();
/// assert!(err.to_string().starts_with("invalid plan at interval:"), "{err}");
/// # Ok::<(), memberkit::membership::MembershipError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Unique identifier.
    pub id: PlanId,
    /// Name shown to members.
    pub name: String,
    /// Price per billing period.
    pub price: Money,
    /// Whether `price` includes consumption tax (内税) or not (外税).
    #[serde(default)]
    pub price_includes_tax: bool,
    /// The tax category of the price.
    #[serde(default)]
    pub tax_rate: TaxRate,
    /// The billing interval.
    pub interval: Interval,
    /// Where billing periods start; `None` for the interval's usual start
    /// (see [`Alignment`]).
    #[serde(default)]
    pub alignment: Option<Alignment>,
    /// Admission fee (入会金) charged on joining.
    #[serde(default)]
    pub admission_fee: Option<Money>,
    /// Trial before paid membership.
    #[serde(default)]
    pub trial: Option<Trial>,
    /// Minimum term.
    #[serde(default)]
    pub minimum_term: Option<MinimumTerm>,
    /// A fixed term in billing periods, after which the membership expires.
    #[serde(default)]
    pub fixed_term_periods: Option<u32>,
    /// The notice rule for cancels "by the plan's notice rule"; without one
    /// such a cancel takes effect at the period end.
    #[serde(default)]
    pub notice: Option<NoticeRule>,
    /// Pause rules; `None` means pausing is not allowed.
    #[serde(default)]
    pub pause: Option<PausePolicy>,
    /// How many bookings the plan allows.
    #[serde(default)]
    pub booking: BookingEntitlement,
    /// The admission fee is waived when rejoining within this many months of
    /// the cancellation.
    #[serde(default)]
    pub rejoin_waives_admission_within_months: Option<u32>,
    /// A cancel requested within this many days of applying is a full refund
    /// (cooling-off, クーリング・オフ), whatever the minimum term.
    #[serde(default)]
    pub cooling_off_days: Option<u32>,
    /// What a cancel before the period end gives back.
    #[serde(default)]
    pub refund_policy: RefundPolicy,
    /// Whether the first invoice (on the first paid day) also bills the
    /// whole period after the first one (入会時に当月分と翌月分), when
    /// billing in advance.
    #[serde(default)]
    pub collect_next_period_at_join: bool,
}

impl Plan {
    /// Whether a change to this plan from `from` starts a billing schedule
    /// of its own on the change day: the plans are billed on different
    /// intervals. Between plans of one interval the membership keeps its
    /// schedule, whatever the new plan's alignment.
    ///
    /// ```
    /// use memberkit::membership::Catalog;
    /// let catalog = Catalog::from_json(r#"[
    ///     {"id": "monthly", "name": "Monthly", "price": {"amount": "8800", "currency": "JPY"},
    ///      "interval": {"unit": "month", "count": 1}},
    ///     {"id": "on15", "name": "On the 15th", "price": {"amount": "8800", "currency": "JPY"},
    ///      "interval": {"unit": "month", "count": 1}, "alignment": {"day_of_month": 15}},
    ///     {"id": "yearly", "name": "Yearly", "price": {"amount": "88000", "currency": "JPY"},
    ///      "interval": {"unit": "year", "count": 1}}]"#)?;
    /// let plan = |id| catalog.get(id).unwrap();
    /// assert!(plan("yearly").starts_own_schedule(plan("monthly")));
    /// assert!(!plan("on15").starts_own_schedule(plan("monthly")));
    /// # Ok::<(), memberkit::membership::MembershipError>(())
    /// ```
    pub fn starts_own_schedule(&self, from: &Plan) -> bool {
        self.interval != from.interval
    }

    /// The billing schedule of a membership on this plan whose periods run
    /// from `from` (its first paid day, or a change to this plan from
    /// another interval): anchored on the first period start on or after it.
    ///
    /// ```
    /// use memberkit::calendar::date;
    /// use memberkit::membership::Plan;
    /// let weekly = Plan::from_json(r#"{"id": "w", "name": "Weekly",
    ///     "price": {"amount": "2500", "currency": "JPY"},
    ///     "interval": {"unit": "week", "count": 1}, "alignment": {"weekday": "monday"}}"#)?;
    /// let schedule = weekly.schedule_from(date(2026, 4, 15)?)?;
    /// assert_eq!(schedule.anchor(), date(2026, 4, 20)?);
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] at the end of the calendar.
    pub fn schedule_from(&self, from: NaiveDate) -> Result<Schedule, CalendarError> {
        match self.alignment {
            Some(Alignment::Weekday(weekday)) => Schedule::on_weekday(from, self.interval, weekday),
            Some(Alignment::Anniversary) => Schedule::on_day(from, self.interval, from.day()),
            Some(Alignment::DayOfMonth(day)) => Schedule::on_day(from, self.interval, day),
            Some(Alignment::Calendar) | None => Schedule::on_day(from, self.interval, 1),
        }
    }

    /// Parses and validates a plan.
    ///
    /// # Errors
    /// [`MembershipError::InvalidPlan`] naming the path of the bad field.
    pub fn from_json(json: &str) -> Result<Self, MembershipError> {
        let plan: Plan = super::json::parse(json, "plan")?;
        plan.validate()?;
        Ok(plan)
    }

    /// The plan as JSON.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Checks the rules JSON's shape cannot: positive lengths, ordered
    /// bounds, days of the month within 1–31, one currency throughout.
    ///
    /// # Errors
    /// [`MembershipError::InvalidPlan`] naming the path of the bad field.
    pub fn validate(&self) -> Result<(), MembershipError> {
        let bad = |path: &str, message: String| {
            Err(MembershipError::InvalidPlan {
                path: path.into(),
                message,
            })
        };
        if self.id.trim().is_empty() {
            return bad("id", "must not be empty".into());
        }
        let currency = self.price.currency();
        if self.price.is_negative() {
            return bad("price", "must not be negative".into());
        }
        let mut amounts: Vec<(&str, Money)> = Vec::new();
        amounts.extend(self.admission_fee.map(|m| ("admission_fee", m)));
        if let Some(trial) = &self.trial {
            if trial.days == 0 {
                return bad("trial.days", "must be at least 1".into());
            }
            amounts.push(("trial.price", trial.price));
        }
        if let Some(term) = &self.minimum_term {
            if term.periods == 0 {
                return bad("minimum_term.periods", "must be at least 1".into());
            }
            if let EarlyCancel::Fee { amount } = term.early_cancel {
                amounts.push(("minimum_term.early_cancel.amount", amount));
            }
        }
        let unit = self.interval.unit();
        let by_month = matches!(unit, IntervalUnit::Month | IntervalUnit::Year);
        match self.alignment {
            Some(Alignment::DayOfMonth(day)) if !(1..=31).contains(&day) => {
                return bad(
                    "alignment.day_of_month",
                    format!("must be a day of the month, 1 to 31, got {day}"),
                );
            }
            Some(Alignment::Calendar | Alignment::DayOfMonth(_)) if !by_month => {
                return bad(
                    "alignment",
                    format!(
                        "a plan billed by the {} starts its periods on the first paid day \
                         (omit alignment, or \"anniversary\"){}; calendar and day-of-month \
                         alignment are for monthly and yearly plans",
                        unit.name(),
                        if unit == IntervalUnit::Week {
                            " or on a weekday ({\"weekday\": \"monday\"})"
                        } else {
                            ""
                        }
                    ),
                );
            }
            Some(Alignment::Weekday(_)) if unit != IntervalUnit::Week => {
                return bad(
                    "alignment.weekday",
                    format!(
                        "weekday alignment is for weekly plans; this plan is billed by the {}",
                        unit.name()
                    ),
                );
            }
            _ => {}
        }
        if self.fixed_term_periods == Some(0) {
            return bad("fixed_term_periods", "must be at least 1".into());
        }
        if let Some(NoticeRule::DayOfMonth { day }) = self.notice
            && !(1..=31).contains(&day)
        {
            return bad(
                "notice.day",
                format!("must be a day of the month, 1 to 31, got {day}"),
            );
        }
        if let Some(pause) = &self.pause {
            if pause.min_months == 0 {
                return bad("pause.min_months", "must be at least 1".into());
            }
            if pause.max_months < pause.min_months {
                return bad(
                    "pause.max_months",
                    format!(
                        "must be at least pause.min_months ({}), got {}",
                        pause.min_months, pause.max_months
                    ),
                );
            }
            if pause.max_months > MAX_PAUSE_MONTHS {
                return bad(
                    "pause.max_months",
                    format!(
                        "must be at most {MAX_PAUSE_MONTHS} (ten years), got {}",
                        pause.max_months
                    ),
                );
            }
            if pause.max_per_year == 0 {
                return bad(
                    "pause.max_per_year",
                    "must be at least 1 (omit pause to forbid pausing)".into(),
                );
            }
            if let Some(day) = pause.request_by_day_of_previous_month
                && !(1..=31).contains(&day)
            {
                return bad(
                    "pause.request_by_day_of_previous_month",
                    format!("must be a day of the month, 1 to 31, got {day}"),
                );
            }
            amounts.push(("pause.monthly_fee", pause.monthly_fee));
        }
        for (path, amount) in amounts {
            if amount.currency() != currency {
                return bad(
                    path,
                    format!(
                        "currency {} differs from the price's {currency}",
                        amount.currency()
                    ),
                );
            }
            if amount.is_negative() {
                return bad(path, "must not be negative".into());
            }
        }
        Ok(())
    }
}
