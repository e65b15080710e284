//! JSON forms of plans, commands, events and states, for hosts that speak
//! JSON (the C and Python layers among them). Errors name the bad field.

use super::{Command, Event, Membership, MembershipError};
use serde::de::DeserializeOwned;

/// Deserializes JSON, reporting the path of the first bad field: plans as
/// [`MembershipError::InvalidPlan`], anything else as [`MembershipError::Json`].
pub(super) fn parse<T: DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> Result<T, MembershipError> {
    crate::json::from_json(json, what).map_err(|err| {
        if what == "plan" {
            MembershipError::InvalidPlan {
                path: err.path,
                message: err.message,
            }
        } else {
            MembershipError::Json(err)
        }
    })
}

impl Command {
    /// Parses a command such as `{"type": "cancel", "when": "by_notice_rule"}`.
    ///
    /// # Errors
    /// [`MembershipError::Json`] naming the bad field.
    ///
    /// # Example
    /// ```
    /// use memberkit::membership::{CancelTiming, Command};
    /// let cancel = Command::from_json(r#"{"type": "cancel", "when": "period_end"}"#)?;
    /// assert_eq!(cancel, Command::Cancel { when: CancelTiming::PeriodEnd });
    /// let err = Command::from_json(r#"{"type": "cancel", "when": "tomorrow"}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("invalid command JSON: unknown variant `tomorrow`"), "{err}");
    /// # Ok::<(), memberkit::membership::MembershipError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, MembershipError> {
        parse(json, "command")
    }
}

impl Membership {
    /// Parses a state saved with [`Membership::to_json`].
    ///
    /// # Errors
    /// [`MembershipError::Json`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, MembershipError> {
        parse(json, "membership")
    }

    /// The state as JSON.
    pub fn to_json(&self) -> String {
        to_json(self)
    }
}

/// Parses a JSON array of events.
///
/// # Errors
/// [`MembershipError::Json`] naming the bad field, e.g. `[1].on`.
pub fn events_from_json(json: &str) -> Result<Vec<Event>, MembershipError> {
    parse(json, "events")
}

/// Events as a JSON array.
///
/// ```
/// use memberkit::calendar::date;
/// use memberkit::membership::{Event, events_from_json, events_to_json};
/// let events = vec![Event::PauseStarted { on: date(2026, 7, 1)? }];
/// let json = events_to_json(&events);
/// assert_eq!(json, r#"[{"type":"pause_started","on":"2026-07-01"}]"#);
/// assert_eq!(events_from_json(&json)?, events);
/// # Ok::<(), memberkit::Error>(())
/// ```
pub fn events_to_json(events: &[Event]) -> String {
    to_json(events)
}

pub use crate::json::to_json;
