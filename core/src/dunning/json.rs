//! JSON forms of commands, events and states, for hosts that speak JSON
//! (the C and Python layers among them). Errors name the bad field.

use super::{Command, DunningError, Event, Receivables};

impl Command {
    /// Parses a command such as `{"type": "payment_method_updated"}`.
    ///
    /// # Errors
    /// [`DunningError::Json`] naming the bad field.
    ///
    /// # Example
    /// ```
    /// use memberkit::dunning::Command;
    /// let command = Command::from_json(r#"{"type": "invoice_voided", "invoice": "m-1-20260501-1"}"#)?;
    /// assert_eq!(command, Command::InvoiceVoided { invoice: "m-1-20260501-1".into() });
    /// let err = Command::from_json(r#"{"type": "payment_failed", "invoice": "x",
    ///     "amount": {"amount": "8800", "currency": "JPY"}, "decline": "maybe"}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("invalid dunning command JSON: unknown variant `maybe`"), "{err}");
    /// # Ok::<(), memberkit::dunning::DunningError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, DunningError> {
        Ok(crate::json::from_json(json, "dunning command")?)
    }
}

impl Receivables {
    /// Parses a state saved with [`Receivables::to_json`].
    ///
    /// # Errors
    /// [`DunningError::Json`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, DunningError> {
        Ok(crate::json::from_json(json, "receivables")?)
    }

    /// The state as JSON.
    pub fn to_json(&self) -> String {
        crate::json::to_json(self)
    }
}

/// Parses a JSON array of events.
///
/// # Errors
/// [`DunningError::Json`] naming the bad field, e.g. `[1].on`.
pub fn events_from_json(json: &str) -> Result<Vec<Event>, DunningError> {
    Ok(crate::json::from_json(json, "dunning events")?)
}

/// Events as a JSON array.
///
/// ```
/// use memberkit::calendar::date;
/// use memberkit::dunning::{Event, events_from_json, events_to_json};
/// let events = vec![Event::Suspended { on: date(2026, 5, 15)? }];
/// let json = events_to_json(&events);
/// assert_eq!(json, r#"[{"type":"suspended","on":"2026-05-15"}]"#);
/// assert_eq!(events_from_json(&json)?, events);
/// # Ok::<(), memberkit::Error>(())
/// ```
pub fn events_to_json(events: &[Event]) -> String {
    crate::json::to_json(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::date;
    use crate::dunning::Escalation;

    #[test]
    fn escalated_events_read_back_and_still_deny_unknown_fields() {
        let on = date(2026, 5, 8).unwrap();
        let events = vec![
            Event::Escalated {
                on,
                invoice: "m-1".into(),
                step: Some(3),
                escalation: Escalation::Restrict {
                    restriction: "no_new_bookings".into(),
                },
            },
            Event::Escalated {
                on,
                invoice: "m-1".into(),
                step: None,
                escalation: Escalation::Cancel,
            },
        ];
        let json = events_to_json(&events);
        assert_eq!(events_from_json(&json).unwrap(), events);
        for bad in [
            r#"[{"type":"escalated","on":"2026-05-08","invoice":"m-1","to":"suspend","extra":1}]"#,
            r#"[{"type":"escalated","on":"2026-05-08","invoice":"m-1","to":"suspend","restriction":"x"}]"#,
            r#"[{"type":"escalated","on":"2026-05-08","invoice":"m-1","to":"restrict"}]"#,
        ] {
            assert!(events_from_json(bad).is_err(), "{bad}");
        }
    }
}
