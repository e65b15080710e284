//! JSON forms of commands, events, sessions, packs and books, for hosts that
//! speak JSON (the C and Python layers among them). Errors name the bad field.

use super::{Book, BookingError, Command, Eligibility, Event, PackSpec, SessionSpec};

impl Command {
    /// Parses a command such as `{"type": "book", "session": "yoga", "member": "m-1"}`.
    ///
    /// # Errors
    /// [`BookingError::Json`] naming the bad field.
    ///
    /// # Example
    /// ```
    /// use memberkit::booking::Command;
    /// let command = Command::from_json(r#"{"type": "book", "session": "yoga", "member": "m-1"}"#)?;
    /// assert_eq!(command, Command::Book { session: "yoga".into(), member: "m-1".into(), party: 1 });
    /// let err = Command::from_json(r#"{"type": "book", "session": "yoga"}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("invalid booking command JSON: missing field `member`"), "{err}");
    /// # Ok::<(), memberkit::booking::BookingError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, BookingError> {
        Ok(crate::json::from_json(json, "booking command")?)
    }
}

impl SessionSpec {
    /// Parses a session.
    ///
    /// # Errors
    /// [`BookingError::Json`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, BookingError> {
        Ok(crate::json::from_json(json, "session")?)
    }
}

impl PackSpec {
    /// Parses a pack.
    ///
    /// # Errors
    /// [`BookingError::Json`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, BookingError> {
        Ok(crate::json::from_json(json, "pack")?)
    }
}

impl Eligibility {
    /// Parses an eligibility.
    ///
    /// # Errors
    /// [`BookingError::Json`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, BookingError> {
        Ok(crate::json::from_json(json, "eligibility")?)
    }
}

impl Book {
    /// Parses a book saved with [`Book::to_json`]; fields left out are
    /// empty, so `{}` is the empty book.
    ///
    /// # Errors
    /// [`BookingError::Json`] naming the bad field, or for anything but a
    /// JSON object.
    ///
    /// ```
    /// use memberkit::booking::Book;
    /// assert_eq!(Book::from_json("{}")?, Book::default());
    /// assert_eq!(Book::from_json("[]").unwrap_err().to_string(), "invalid book JSON: expected a JSON object");
    /// # Ok::<(), memberkit::booking::BookingError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, BookingError> {
        // A struct whose fields all have defaults would also read from `[]`.
        if !json.trim_start().starts_with('{') {
            return Err(crate::json::JsonError {
                what: "book",
                path: ".".into(),
                message: "expected a JSON object".into(),
            }
            .into());
        }
        Ok(crate::json::from_json(json, "book")?)
    }

    /// The book as JSON.
    pub fn to_json(&self) -> String {
        crate::json::to_json(self)
    }
}

/// Parses a JSON array of events.
///
/// # Errors
/// [`BookingError::Json`] naming the bad field, e.g. `[1].at`.
pub fn events_from_json(json: &str) -> Result<Vec<Event>, BookingError> {
    Ok(crate::json::from_json(json, "booking events")?)
}

/// Events as a JSON array.
///
/// ```
/// use memberkit::booking::{Event, events_from_json, events_to_json};
/// let at = chrono::DateTime::parse_from_rfc3339("2026-06-01T10:15:00+09:00").unwrap();
/// let events = vec![Event::NoShow { session: "yoga".into(), member: "m-1".into(), at }];
/// let json = events_to_json(&events);
/// assert_eq!(json, r#"[{"type":"no_show","session":"yoga","member":"m-1","at":"2026-06-01T10:15:00+09:00"}]"#);
/// assert_eq!(events_from_json(&json)?, events);
/// # Ok::<(), memberkit::booking::BookingError>(())
/// ```
pub fn events_to_json(events: &[Event]) -> String {
    crate::json::to_json(events)
}
