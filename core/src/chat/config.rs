//! How an [`Assistant`](super::Assistant) runs: which intents start which
//! procedure or answer, how identity is verified, and the host's own texts.

use super::ChatError;
use super::text::{Language, Templates};
use crate::intent::RouterConfig;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A detail that identifies a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityField {
    /// The member number (the key the host looks the member up by).
    MemberNumber,
    /// The email address on file.
    Email,
    /// The phone number on file.
    Phone,
    /// The date of birth.
    BirthDate,
}

impl IdentityField {
    /// The field's snake_case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::MemberNumber => "member_number",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::BirthDate => "birth_date",
        }
    }
}

/// How identity is verified (本人確認): steps in order, each passed by any one
/// of its fields matching what the host has on file.
///
/// ```
/// use memberkit::chat::{IdentityField, Verification};
/// let default = Verification::default();
/// assert_eq!(default.steps[0], [IdentityField::MemberNumber]);
/// assert_eq!(default.steps[1], [IdentityField::Email, IdentityField::Phone, IdentityField::BirthDate]);
/// assert_eq!(default.max_attempts, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Verification {
    /// The steps; the first is the member number alone.
    pub steps: Vec<Vec<IdentityField>>,
    /// Failed attempts before the conversation is handed to a person (1 to 10).
    pub max_attempts: u32,
}

impl Default for Verification {
    fn default() -> Self {
        Self {
            steps: vec![
                vec![IdentityField::MemberNumber],
                vec![
                    IdentityField::Email,
                    IdentityField::Phone,
                    IdentityField::BirthDate,
                ],
            ],
            max_attempts: 3,
        }
    }
}

/// A procedure that changes a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Pause (休会).
    Pause,
    /// End a pause (休会の終了).
    Resume,
    /// Cancel (退会), after a retention offer.
    Cancel,
    /// Change plan (プラン変更).
    ChangePlan,
    /// Book a class (予約), or join its waitlist when it is full.
    Book,
    /// Cancel a booking or leave a waitlist (予約の取り消し).
    CancelBooking,
}

impl Procedure {
    /// Whether it books or cancels a class (rather than changing the membership).
    pub const fn is_booking(self) -> bool {
        matches!(self, Self::Book | Self::CancelBooking)
    }

    /// The procedure's snake_case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Pause => "pause",
            Self::Resume => "resume",
            Self::Cancel => "cancel",
            Self::ChangePlan => "change_plan",
            Self::Book => "book",
            Self::CancelBooking => "cancel_booking",
        }
    }
}

/// A question answered from the member's own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Status, plan, next renewal, changes planned, minimum term.
    Membership,
    /// The next invoice, and anything unpaid with what dunning will do.
    Billing,
    /// Upcoming bookings and waitlist places.
    Bookings,
}

/// The assistant's settings. Every field has a default; JSON may give any
/// of them.
///
/// ```
/// use memberkit::chat::{ChatConfig, Procedure};
/// let config = ChatConfig::from_json(r#"{"verification": {"max_attempts": 2}}"#)?;
/// assert_eq!(config.verification.max_attempts, 2);
/// assert_eq!(config.procedures["pause"], Procedure::Pause);
/// let err = ChatConfig::from_json(r#"{"verification": {"max_attempts": 0}}"#).unwrap_err();
/// assert!(err.to_string().contains("verification.max_attempts"), "{err}");
/// # Ok::<(), memberkit::chat::ChatError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChatConfig {
    /// Classification and handover settings (its `verify_intents` and
    /// retention settings apply to intents that start no procedure or answer).
    pub router: RouterConfig,
    /// How identity is verified.
    pub verification: Verification,
    /// The procedure each intent starts.
    pub procedures: BTreeMap<String, Procedure>,
    /// The intents answered from the member's data.
    pub answers: BTreeMap<String, Topic>,
    /// Whether a cancel first offers what the member may do instead (a
    /// pause, a cheaper plan), once per conversation, when the rules allow it.
    pub retention: bool,
    /// The language of a conversation before the member writes any word.
    pub language: Language,
    /// The host's own texts, replacing the built-in ones by key, per language.
    pub templates: Templates,
}

impl Default for ChatConfig {
    fn default() -> Self {
        let procedures = [
            ("pause", Procedure::Pause),
            ("resume", Procedure::Resume),
            ("cancel", Procedure::Cancel),
            ("plan_change", Procedure::ChangePlan),
            ("book", Procedure::Book),
            ("cancel_booking", Procedure::CancelBooking),
        ];
        let answers = [
            ("member_info", Topic::Membership),
            ("billing", Topic::Billing),
            ("waitlist", Topic::Bookings),
        ];
        Self {
            router: RouterConfig::default(),
            verification: Verification::default(),
            procedures: procedures
                .into_iter()
                .map(|(i, p)| (i.to_owned(), p))
                .collect(),
            answers: answers
                .into_iter()
                .map(|(i, t)| (i.to_owned(), t))
                .collect(),
            retention: true,
            language: Language::Ja,
            templates: Templates::default(),
        }
    }
}

impl ChatConfig {
    /// Reads a config from JSON, naming the path of a bad field.
    ///
    /// # Errors
    /// [`ChatError::InvalidConfig`] for JSON that does not parse or a value
    /// out of range.
    pub fn from_json(json: &str) -> Result<Self, ChatError> {
        let config: Self =
            crate::json::from_json(json, "chat config").map_err(|e| ChatError::InvalidConfig {
                path: e.path,
                message: e.message,
            })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks the settings the types alone do not.
    ///
    /// # Errors
    /// [`ChatError::InvalidConfig`] naming the field.
    pub fn validate(&self) -> Result<(), ChatError> {
        let invalid = |path: &str, message: &str| {
            Err(ChatError::InvalidConfig {
                path: path.to_owned(),
                message: message.to_owned(),
            })
        };
        let verification = &self.verification;
        if !(1..=10).contains(&verification.max_attempts) {
            return invalid("verification.max_attempts", "must be 1 to 10");
        }
        if verification.steps.first().map(Vec::as_slice) != Some(&[IdentityField::MemberNumber]) {
            return invalid(
                "verification.steps[0]",
                "the first step must be [\"member_number\"] alone: the host looks the member up by it",
            );
        }
        for (i, step) in verification.steps.iter().enumerate().skip(1) {
            if step.is_empty() || step.contains(&IdentityField::MemberNumber) {
                return invalid(
                    &format!("verification.steps[{i}]"),
                    "a later step needs at least one field other than member_number",
                );
            }
        }
        for intent in self.procedures.keys() {
            if self.answers.contains_key(intent) {
                return invalid(
                    &format!("answers.{intent}"),
                    "an intent starts a procedure or an answer, not both",
                );
            }
        }
        self.templates.validate()
    }
}
