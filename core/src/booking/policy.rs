//! Booking rules: each session's policy (windows, cutoffs, promotion,
//! penalties, check-in) and the book's member-level rules (limits, strikes,
//! which dunning restrictions refuse a booking). Read from JSON and
//! validated once; every error names the path of the bad field.

use super::BookingError;
use crate::dunning::{MAX_AMOUNT, Restriction};
use crate::money::Money;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest duration a policy may give, in minutes (ten years).
pub const MAX_MINUTES: u32 = 10 * 366 * 24 * 60;
/// The largest party one booking or waitlist entry may ask seats for.
pub const MAX_PARTY: u32 = 100;

/// What a late cancel or a no-show costs the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Penalty {
    /// The credit the booking held is forfeited.
    #[default]
    ForfeitCredit,
    /// A fee is charged (an event billing invoices as a host charge) and the
    /// credit is returned.
    Fee {
        /// The fee.
        amount: Money,
    },
    /// Nothing: the credit is returned.
    None,
}

/// How a freed seat goes to the waitlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Promotion {
    /// The next member in line who may take the seat is booked at once.
    #[default]
    Automatic,
    /// The seat is offered to the next member in line and held for
    /// `hold_minutes` (never past the waitlist cutoff); unanswered or
    /// declined, it goes to the next.
    Offer {
        /// How long an offer is held.
        hold_minutes: u32,
    },
}

/// The order of the waitlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// First come, first served.
    #[default]
    Arrival,
    /// Higher tiers first (a member's `tier`, e.g. their rank), first come
    /// first served inside a tier.
    Tier,
}

/// When a booking's credit is consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ConsumeAt {
    /// When the seat is taken (booked, promoted or an offer accepted).
    #[default]
    Booking,
    /// At check-in; until then the credit is reserved.
    CheckIn,
}

/// The rules of one kind of session. Every field has a default, so `{}` is
/// a valid policy: booking opens 14 days before the start and closes at it,
/// cancelling is never late, promotion is automatic until 60 minutes before
/// the start, check-in opens 30 minutes before and no-shows are marked 15
/// minutes after the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Booking opens this many days before the start (`None`: always open).
    pub opens_days_before: Option<u32>,
    /// Booking (and joining the waitlist) closes this many minutes before the start.
    pub closes_minutes_before: u32,
    /// A member's cancel this many minutes or less before the start is late
    /// (0: only cancels after the start would be, and those are refused).
    pub late_cancel_minutes_before: u32,
    /// What a late cancel costs. Whatever it is, a late-cancelled booking
    /// included in the membership still counts against the plan's bookings
    /// for the period.
    pub late_cancel: Penalty,
    /// What a no-show costs.
    pub no_show: Penalty,
    /// How freed seats go to the waitlist.
    pub promotion: Promotion,
    /// No promotion later than this many minutes before the start; at this
    /// point the remaining waitlist is released and its credits returned.
    pub waitlist_cutoff_minutes_before: u32,
    /// A member promoted inside the late-cancel window may cancel without
    /// penalty for this many minutes after the promotion.
    pub promoted_grace_minutes: u32,
    /// The waitlist's order.
    pub priority: Priority,
    /// Check-in opens this many minutes before the start.
    pub check_in_opens_minutes_before: u32,
    /// Check-in closes, and members not checked in are marked as no-shows,
    /// this many minutes after the start.
    pub no_show_after_minutes: u32,
    /// When credits are consumed.
    pub consume_credit: ConsumeAt,
    /// The most seats one booking or waitlist entry may take (a party).
    pub max_party: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            opens_days_before: Some(14),
            closes_minutes_before: 0,
            late_cancel_minutes_before: 0,
            late_cancel: Penalty::ForfeitCredit,
            no_show: Penalty::ForfeitCredit,
            promotion: Promotion::Automatic,
            waitlist_cutoff_minutes_before: 60,
            promoted_grace_minutes: 60,
            priority: Priority::Arrival,
            check_in_opens_minutes_before: 30,
            no_show_after_minutes: 15,
            consume_credit: ConsumeAt::Booking,
            max_party: 1,
        }
    }
}

/// Per-member limits across the whole book; each `None` is no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Bookings not yet started held at once.
    pub max_future_bookings: Option<u32>,
    /// Bookings of sessions on one (local) day.
    pub per_day: Option<u32>,
    /// Bookings of sessions in one week, Monday to Sunday.
    pub per_week: Option<u32>,
}

/// Strikes: `count` no-shows (and late cancels, when `late_cancels`) within
/// `within_days` lock booking for `lock_days`; the lock clears the strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strikes {
    /// Strikes that lock booking.
    pub count: u32,
    /// The window the strikes are counted in.
    pub within_days: u32,
    /// How long booking stays locked.
    pub lock_days: u32,
    /// Whether late cancels are strikes too.
    #[serde(default)]
    pub late_cancels: bool,
}

/// A book's rules: the session policies by name, and member-level rules.
///
/// ```
/// use memberkit::booking::{Promotion, Rules};
/// let rules = Rules::from_json(r#"{
///     "policies": {"default": {"late_cancel_minutes_before": 720},
///                  "workshop": {"promotion": {"mode": "offer", "hold_minutes": 120}}},
///     "limits": {"max_future_bookings": 5},
///     "strikes": {"count": 3, "within_days": 30, "lock_days": 7}}"#)?;
/// assert_eq!(rules.policy("workshop")?.promotion, Promotion::Offer { hold_minutes: 120 });
///
/// let err = Rules::from_json(r#"{"policies": {"default": {"max_party": 0}}}"#).unwrap_err();
/// assert_eq!(err.to_string(), "invalid booking rules at policies.default.max_party: must be between 1 and 100, got 0");
/// # Ok::<(), memberkit::booking::BookingError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Session policies by name; a session names one (`"default"` unless
    /// it says otherwise). A `"default"` policy with every default is added
    /// when not given.
    #[serde(default)]
    pub policies: BTreeMap<CompactString, Policy>,
    /// Per-member limits.
    #[serde(default)]
    pub limits: Limits,
    /// Strikes, when the book counts them.
    #[serde(default)]
    pub strikes: Option<Strikes>,
    /// The dunning restrictions that refuse new bookings and promotions.
    #[serde(default = "default_restrictions")]
    pub refuse_restrictions: Vec<Restriction>,
}

fn default_restrictions() -> Vec<Restriction> {
    vec!["no_new_bookings".into()]
}

impl Default for Rules {
    fn default() -> Self {
        let mut policies = BTreeMap::new();
        policies.insert("default".into(), Policy::default());
        Self {
            policies,
            limits: Limits::default(),
            strikes: None,
            refuse_restrictions: default_restrictions(),
        }
    }
}

impl Rules {
    /// Parses and validates rules.
    ///
    /// # Errors
    /// [`BookingError::InvalidRules`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, BookingError> {
        let mut rules: Rules = crate::json::from_json(json, "booking rules")
            .map_err(|err| invalid(err.path, err.message))?;
        rules.policies.entry("default".into()).or_default();
        rules.validate()?;
        Ok(rules)
    }

    /// The rules as JSON, in the form [`Rules::from_json`] reads.
    pub fn to_json(&self) -> String {
        crate::json::to_json(self)
    }

    /// The policy named `name`.
    ///
    /// # Errors
    /// [`BookingError::UnknownPolicy`] when there is none.
    pub fn policy(&self, name: &str) -> Result<&Policy, BookingError> {
        self.policies
            .get(name)
            .ok_or_else(|| BookingError::UnknownPolicy {
                policy: name.into(),
            })
    }

    fn validate(&self) -> Result<(), BookingError> {
        for (name, policy) in &self.policies {
            policy.validate(&format!("policies.{name}"))?;
        }
        let limits = [
            ("max_future_bookings", self.limits.max_future_bookings),
            ("per_day", self.limits.per_day),
            ("per_week", self.limits.per_week),
        ];
        for (field, limit) in limits {
            if limit == Some(0) {
                return Err(invalid(
                    format!("limits.{field}"),
                    "must be at least 1 (leave it out for no limit)",
                ));
            }
        }
        if let Some(strikes) = &self.strikes {
            for (field, value, max) in [
                ("count", strikes.count, 1_000),
                ("within_days", strikes.within_days, 3_660),
                ("lock_days", strikes.lock_days, 3_660),
            ] {
                in_range(&format!("strikes.{field}"), value, 1, max)?;
            }
        }
        for (i, restriction) in self.refuse_restrictions.iter().enumerate() {
            let valid = !restriction.is_empty()
                && restriction
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                return Err(invalid(
                    format!("refuse_restrictions[{i}]"),
                    format!(
                        "{restriction:?} is not a restriction name (lowercase letters, digits and _)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Policy {
    fn validate(&self, path: &str) -> Result<(), BookingError> {
        let minutes = [
            ("closes_minutes_before", self.closes_minutes_before),
            (
                "late_cancel_minutes_before",
                self.late_cancel_minutes_before,
            ),
            (
                "waitlist_cutoff_minutes_before",
                self.waitlist_cutoff_minutes_before,
            ),
            ("promoted_grace_minutes", self.promoted_grace_minutes),
            (
                "check_in_opens_minutes_before",
                self.check_in_opens_minutes_before,
            ),
            ("no_show_after_minutes", self.no_show_after_minutes),
        ];
        for (field, value) in minutes {
            in_range(&format!("{path}.{field}"), value, 0, MAX_MINUTES)?;
        }
        if let Some(days) = self.opens_days_before {
            in_range(
                &format!("{path}.opens_days_before"),
                days,
                0,
                MAX_MINUTES / 1440,
            )?;
            if u64::from(days) * 1440 <= u64::from(self.closes_minutes_before) {
                return Err(invalid(
                    format!("{path}.opens_days_before"),
                    format!(
                        "booking would open ({days} days before the start) no earlier than it closes ({} minutes before)",
                        self.closes_minutes_before
                    ),
                ));
            }
        }
        if let Promotion::Offer { hold_minutes } = self.promotion {
            in_range(
                &format!("{path}.promotion.hold_minutes"),
                hold_minutes,
                1,
                MAX_MINUTES,
            )?;
        }
        in_range(&format!("{path}.max_party"), self.max_party, 1, MAX_PARTY)?;
        for (field, penalty) in [
            ("late_cancel", &self.late_cancel),
            ("no_show", &self.no_show),
        ] {
            if let Penalty::Fee { amount } = penalty
                && (amount.is_zero() || amount.is_negative() || amount.amount() > MAX_AMOUNT.into())
            {
                return Err(invalid(
                    format!("{path}.{field}.amount"),
                    format!("a fee must be positive and at most {MAX_AMOUNT}, got {amount}"),
                ));
            }
        }
        Ok(())
    }
}

fn in_range(path: &str, value: u32, min: u32, max: u32) -> Result<(), BookingError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            path,
            format!("must be between {min} and {max}, got {value}"),
        ))
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> BookingError {
    BookingError::InvalidRules {
        path: path.into(),
        message: message.into(),
    }
}
