//! A dunning policy: the steps taken for an unpaid invoice, retry timing, and
//! the account-level ladder. Read from JSON and validated once; every error
//! names the path of the bad field.

use super::DunningError;
use crate::calendar::{NaiveDate, next_business_day, on_or_after_day};
use crate::money::{Currency, Money};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// A named restriction in force while an account is in dunning, e.g.
/// `no_new_bookings`: lowercase letters, digits and `_`.
pub type Restriction = CompactString;

/// The most steps a policy may have (each step fires at most once per
/// invoice, remembered in one 64-bit set).
pub const MAX_STEPS: usize = 64;
/// The latest day offset a step may have (ten years).
pub const MAX_DAY: u32 = 3_650;

/// How far dunning has gone, weakest first. An account's standing is the
/// strongest standing in force among its unpaid invoices and its ladder state.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Nothing overdue.
    #[default]
    Good,
    /// An invoice is unpaid past its grace period.
    PastDue,
    /// Suspended for non-payment.
    Suspended,
    /// The membership was cancelled for non-payment.
    Cancelled,
}

impl Standing {
    /// The standing's snake_case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::PastDue => "past_due",
            Self::Suspended => "suspended",
            Self::Cancelled => "cancelled",
        }
    }
}

impl std::fmt::Display for Standing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a step's day offsets count from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CountFrom {
    /// The invoice's first failed payment (card payments: nothing happens
    /// until a payment is reported as failed).
    #[default]
    FirstFailure,
    /// The invoice's due (collection) date: an invoice still unpaid on it is
    /// in dunning without a failure report (bank transfer, konbini).
    DueDate,
}

/// How a reminder reaches the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An email.
    Email,
    /// A text message.
    Sms,
    /// A push notification.
    Push,
    /// A letter by post.
    Letter,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Ask the host to try the payment again.
    Retry,
    /// Ask the host to send a reminder.
    Remind {
        /// How.
        channel: Channel,
        /// The key of the message template the host renders.
        template: CompactString,
    },
    /// Put a named restriction in force, e.g. `no_new_bookings`.
    Restrict {
        /// The restriction.
        restriction: Restriction,
    },
    /// Suspend the membership.
    Suspend,
    /// Cancel the membership.
    Cancel,
    /// Hand the invoice over to a collection agency.
    SendToCollection,
    /// Write the invoice's balance off.
    WriteOff,
}

impl Action {
    /// The action's snake_case name, as in its JSON `"action"` field.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Retry => "retry",
            Self::Remind { .. } => "remind",
            Self::Restrict { .. } => "restrict",
            Self::Suspend => "suspend",
            Self::Cancel => "cancel",
            Self::SendToCollection => "send_to_collection",
            Self::WriteOff => "write_off",
        }
    }

    /// Whether the action escalates (restricts, suspends, cancels, hands over
    /// or writes off), which a policy never does inside the grace period.
    const fn escalates(&self) -> bool {
        !matches!(self, Self::Retry | Self::Remind { .. })
    }
}

/// One step of a policy: `action` on the `day`-th day after the invoice's
/// first failed payment or due date ([`CountFrom`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Days after the start of the case.
    pub day: u32,
    /// What to do.
    #[serde(flatten)]
    pub action: Action,
}

/// What follows a failure reported after the last retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AfterLastRetry {
    /// Nothing: the remaining steps go on.
    #[default]
    StayPastDue,
    /// The invoice is marked unpaid: still owed, but no further step fires for it.
    MarkUnpaid,
    /// The membership is cancelled.
    Cancel,
}

/// When automatic retries may happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RetryTiming {
    /// Move a retry falling on a Saturday, Sunday or holiday to the next business day.
    #[serde(default)]
    pub skip_weekends: bool,
    /// Days on which no retry happens (with `skip_weekends`, the next
    /// business day is taken; without it, the next day that is not a holiday).
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    /// Retry only on or after this day of the month (payday, e.g. 25),
    /// the month's last day in shorter months.
    #[serde(default)]
    pub on_or_after_day: Option<u32>,
}

impl RetryTiming {
    /// The day a retry planned for `date` happens.
    pub(super) fn adjust(&self, date: NaiveDate) -> Result<NaiveDate, DunningError> {
        let mut day = match self.on_or_after_day {
            Some(payday) => on_or_after_day(date, payday)?,
            None => date,
        };
        if self.skip_weekends {
            day = next_business_day(day, &self.holidays)?;
        } else {
            // Holiday lists are finite, so this ends.
            while self.holidays.contains(&day) {
                day = day
                    .succ_opt()
                    .ok_or(crate::calendar::CalendarError::OutOfRange {
                        operation: "retry timing",
                    })?;
            }
        }
        Ok(day)
    }
}

/// One state of the account-level ladder: it holds when every condition given
/// holds. The first state of the ladder that holds is the account's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LadderState {
    /// The state's name, e.g. `warning` or `blocked`.
    pub name: CompactString,
    /// At least this many unpaid invoices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpaid_invoices: Option<u32>,
    /// At least this unpaid balance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpaid_balance: Option<Money>,
    /// At least this many days since the oldest unpaid invoice's case began.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_since_oldest_unpaid: Option<u32>,
    /// The standing the state puts in force.
    pub standing: Standing,
    /// The restrictions the state puts in force.
    pub restrict: Vec<Restriction>,
}

/// A validated dunning policy.
///
/// ```
/// use memberkit::dunning::{Action, Policy};
/// let policy = Policy::from_json(r#"{
///     "currency": "JPY", "grace_days": 3, "max_retries": 2,
///     "steps": [
///         {"day": 0, "action": "remind", "channel": "email", "template": "payment_failed"},
///         {"day": 3, "action": "retry"},
///         {"day": 14, "action": "suspend"}
///     ]}"#)?;
/// assert_eq!(policy.steps()[2].action, Action::Suspend);
///
/// let err = Policy::from_json(r#"{"currency": "JPY", "grace_days": 7,
///     "steps": [{"day": 3, "action": "suspend"}]}"#).unwrap_err();
/// assert_eq!(err.to_string(), "invalid dunning policy at steps[0].day: \
///     a suspend step on day 3 falls inside the grace period of 7 days");
/// # Ok::<(), memberkit::dunning::DunningError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub(super) currency: Currency,
    pub(super) count_from: CountFrom,
    pub(super) grace_days: u32,
    pub(super) max_retries: u32,
    pub(super) retry_timing: RetryTiming,
    pub(super) collect_with_next_debit: bool,
    pub(super) invoice_while_suspended: bool,
    pub(super) after_last_retry: AfterLastRetry,
    pub(super) steps: Vec<Step>,
    pub(super) ladder: Vec<LadderState>,
}

impl Policy {
    /// Parses and validates a policy.
    ///
    /// # Errors
    /// [`DunningError::InvalidPolicy`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, DunningError> {
        let raw: RawPolicy = crate::json::from_json(json, "dunning policy")
            .map_err(|err| invalid(err.path, err.message))?;
        raw.validate()
    }

    /// The policy as JSON, in the form [`Policy::from_json`] reads.
    pub fn to_json(&self) -> String {
        crate::json::to_json(self)
    }

    /// The currency every invoice and payment is in.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The steps, in the order given.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The account-level ladder, strongest first.
    pub fn ladder(&self) -> &[LadderState] {
        &self.ladder
    }

    /// Days after the start of a case before the invoice is past due.
    pub fn grace_days(&self) -> u32 {
        self.grace_days
    }

    /// Whether invoices may be issued to a suspended account.
    pub fn invoice_while_suspended(&self) -> bool {
        self.invoice_while_suspended
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> DunningError {
    DunningError::InvalidPolicy {
        path: path.into(),
        message: message.into(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    currency: Currency,
    #[serde(default)]
    count_from: CountFrom,
    #[serde(default)]
    grace_days: u32,
    #[serde(default)]
    max_retries: Option<u32>,
    #[serde(default)]
    retry_timing: RetryTiming,
    #[serde(default)]
    collect_with_next_debit: bool,
    #[serde(default = "yes")]
    invoice_while_suspended: bool,
    #[serde(default)]
    after_last_retry: AfterLastRetry,
    steps: Vec<RawStep>,
    #[serde(default)]
    ladder: Vec<RawLadderState>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ActionKind {
    Retry,
    Remind,
    Restrict,
    Suspend,
    Cancel,
    SendToCollection,
    WriteOff,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    day: u32,
    action: ActionKind,
    channel: Option<Channel>,
    template: Option<CompactString>,
    restriction: Option<Restriction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLadderState {
    name: CompactString,
    unpaid_invoices: Option<u32>,
    unpaid_balance: Option<Money>,
    days_since_oldest_unpaid: Option<u32>,
    #[serde(default = "past_due")]
    standing: Standing,
    #[serde(default)]
    restrict: Vec<Restriction>,
}

fn past_due() -> Standing {
    Standing::PastDue
}

fn check_name(path: String, what: &str, name: &str) -> Result<(), DunningError> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(invalid(
            path,
            format!("{what} {name:?} must be 1 to 64 lowercase letters, digits or '_'"),
        ))
    }
}

impl RawPolicy {
    fn validate(self) -> Result<Policy, DunningError> {
        if self.grace_days > MAX_DAY {
            return Err(invalid("grace_days", format!("must be at most {MAX_DAY}")));
        }
        if let Some(day) = self.retry_timing.on_or_after_day
            && !(1..=31).contains(&day)
        {
            return Err(invalid(
                "retry_timing.on_or_after_day",
                format!("must be a day of the month from 1 to 31, got {day}"),
            ));
        }
        if self.steps.len() > MAX_STEPS {
            return Err(invalid(
                "steps",
                format!("at most {MAX_STEPS} steps, got {}", self.steps.len()),
            ));
        }
        let retry_steps = self
            .steps
            .iter()
            .filter(|s| matches!(s.action, ActionKind::Retry))
            .count() as u32;
        let max_retries = self.max_retries.unwrap_or(retry_steps);
        if max_retries > MAX_STEPS as u32 {
            return Err(invalid(
                "max_retries",
                format!("must be at most {MAX_STEPS}"),
            ));
        }
        if self.collect_with_next_debit && self.after_last_retry != AfterLastRetry::StayPastDue {
            return Err(invalid(
                "after_last_retry",
                "there are no retries when collecting with the next debit",
            ));
        }
        let steps = self
            .steps
            .into_iter()
            .enumerate()
            .map(|(i, raw)| raw.validate(i, self.grace_days, self.collect_with_next_debit))
            .collect::<Result<Vec<_>, _>>()?;
        let mut ladder: Vec<LadderState> = Vec::with_capacity(self.ladder.len());
        for (i, raw) in self.ladder.into_iter().enumerate() {
            let state = raw.validate(i, self.currency)?;
            if ladder.last().is_some_and(|s| s.standing < state.standing) {
                return Err(invalid(
                    format!("ladder[{i}].standing"),
                    "the ladder goes from the strongest standing to the weakest",
                ));
            }
            if ladder.iter().any(|s| s.name == state.name) {
                return Err(invalid(
                    format!("ladder[{i}].name"),
                    format!("the name {:?} is used twice", state.name),
                ));
            }
            ladder.push(state);
        }
        Ok(Policy {
            currency: self.currency,
            count_from: self.count_from,
            grace_days: self.grace_days,
            max_retries,
            retry_timing: self.retry_timing,
            collect_with_next_debit: self.collect_with_next_debit,
            invoice_while_suspended: self.invoice_while_suspended,
            after_last_retry: self.after_last_retry,
            steps,
            ladder,
        })
    }
}

impl RawStep {
    fn validate(self, i: usize, grace_days: u32, next_debit: bool) -> Result<Step, DunningError> {
        let at = |field: &str| format!("steps[{i}].{field}");
        if self.day > MAX_DAY {
            return Err(invalid(at("day"), format!("must be at most {MAX_DAY}")));
        }
        let unexpected = |field: &str, present: bool| {
            if present {
                Err(invalid(at(field), "not used by this action"))
            } else {
                Ok(())
            }
        };
        let action = match self.action {
            ActionKind::Remind => {
                unexpected("restriction", self.restriction.is_some())?;
                let channel = self
                    .channel
                    .ok_or_else(|| invalid(at("channel"), "a remind step needs a channel"))?;
                let template = self
                    .template
                    .filter(|t| !t.trim().is_empty())
                    .ok_or_else(|| invalid(at("template"), "a remind step needs a template key"))?;
                Action::Remind { channel, template }
            }
            ActionKind::Restrict => {
                unexpected("channel", self.channel.is_some())?;
                unexpected("template", self.template.is_some())?;
                let restriction = self.restriction.ok_or_else(|| {
                    invalid(at("restriction"), "a restrict step needs a restriction")
                })?;
                check_name(at("restriction"), "restriction", &restriction)?;
                Action::Restrict { restriction }
            }
            kind => {
                unexpected("channel", self.channel.is_some())?;
                unexpected("template", self.template.is_some())?;
                unexpected("restriction", self.restriction.is_some())?;
                match kind {
                    ActionKind::Retry => Action::Retry,
                    ActionKind::Suspend => Action::Suspend,
                    ActionKind::Cancel => Action::Cancel,
                    ActionKind::SendToCollection => Action::SendToCollection,
                    _ => Action::WriteOff,
                }
            }
        };
        if next_debit && action == Action::Retry {
            return Err(invalid(
                at("action"),
                "with collect_with_next_debit an unpaid amount joins the next debit; it is not retried alone",
            ));
        }
        if action.escalates() && self.day < grace_days {
            return Err(invalid(
                at("day"),
                format!(
                    "a {} step on day {} falls inside the grace period of {grace_days} days",
                    action.name(),
                    self.day
                ),
            ));
        }
        Ok(Step {
            day: self.day,
            action,
        })
    }
}

impl RawLadderState {
    fn validate(self, i: usize, currency: Currency) -> Result<LadderState, DunningError> {
        let at = |field: &str| format!("ladder[{i}].{field}");
        check_name(at("name"), "name", &self.name)?;
        if self.unpaid_invoices.is_none()
            && self.unpaid_balance.is_none()
            && self.days_since_oldest_unpaid.is_none()
        {
            return Err(invalid(
                format!("ladder[{i}]"),
                "a ladder state needs a condition: unpaid_invoices, unpaid_balance or days_since_oldest_unpaid",
            ));
        }
        if self.unpaid_invoices == Some(0) {
            return Err(invalid(at("unpaid_invoices"), "must be at least 1"));
        }
        if let Some(balance) = self.unpaid_balance {
            if balance.currency() != currency {
                return Err(invalid(
                    at("unpaid_balance.currency"),
                    format!("the policy is in {currency}, not {}", balance.currency()),
                ));
            }
            if balance.is_negative() || balance.is_zero() {
                return Err(invalid(at("unpaid_balance.amount"), "must be positive"));
            }
        }
        if self.days_since_oldest_unpaid.is_some_and(|d| d > MAX_DAY) {
            return Err(invalid(
                at("days_since_oldest_unpaid"),
                format!("must be at most {MAX_DAY}"),
            ));
        }
        if self.standing == Standing::Good && self.restrict.is_empty() {
            return Err(invalid(
                at("standing"),
                "a ladder state in good standing must restrict something",
            ));
        }
        for (j, r) in self.restrict.iter().enumerate() {
            check_name(at(&format!("restrict[{j}]")), "restriction", r)?;
        }
        let mut restrict = self.restrict;
        restrict.sort();
        restrict.dedup();
        Ok(LadderState {
            name: self.name,
            unpaid_invoices: self.unpaid_invoices,
            unpaid_balance: self.unpaid_balance,
            days_since_oldest_unpaid: self.days_since_oldest_unpaid,
            standing: self.standing,
            restrict,
        })
    }
}
