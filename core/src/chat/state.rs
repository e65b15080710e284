//! A conversation's state: plain serde data the host stores between
//! messages and passes back in. It holds the claimed member number but no
//! other personal data; its transcript is masked.

use super::config::{Procedure, Topic};
use super::text::Language;
use crate::booking::Command as BookingCommand;
use crate::intent::{Conversation, HandoverReason};
use crate::membership::{CancelTiming, ChangeTiming, Command};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// Where a conversation stands. `ChatState::default()` starts one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChatState {
    /// The router's record: turns, the unsure streak, whether retention was
    /// offered, and the latest turns masked.
    pub conversation: Conversation,
    /// The language the member writes in.
    pub language: Option<Language>,
    /// How far identity verification has come.
    pub identity: IdentityProgress,
    /// The procedure or answer under way.
    pub task: Option<Task>,
    /// Why the conversation was handed to a person, once it was (the
    /// assistant then only says so).
    pub handed_over: Option<HandoverReason>,
}

impl ChatState {
    /// A conversation with a member the host has already authenticated (in
    /// its own app, say): verification is skipped.
    ///
    /// ```
    /// use memberkit::chat::ChatState;
    /// let state = ChatState::verified("1234567");
    /// assert_eq!(state.member_number(), Some("1234567"));
    /// assert!(state.identity.verified);
    /// ```
    pub fn verified(member_number: &str) -> Self {
        Self {
            identity: IdentityProgress {
                claimed: Some(member_number.to_owned()),
                verified: true,
                ..IdentityProgress::default()
            },
            ..Self::default()
        }
    }

    /// The member number the conversation is about, once given.
    pub fn member_number(&self) -> Option<&str> {
        self.identity.claimed.as_deref()
    }
}

/// Identity verification so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityProgress {
    /// The member number given.
    pub claimed: Option<String>,
    /// Steps passed after the member number.
    pub steps_passed: u32,
    /// Failed attempts.
    pub failures: u32,
    /// Whether every step has passed.
    pub verified: bool,
}

/// What the conversation is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// A procedure, or an answer from the member's data.
    pub goal: Goal,
    /// The details given so far.
    #[serde(default)]
    pub details: Details,
    /// The command shown for confirmation, with the membership version it
    /// was proposed on.
    #[serde(default)]
    pub proposal: Option<Proposal>,
}

/// A procedure or an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum Goal {
    /// A procedure changing the membership.
    Procedure(Procedure),
    /// An answer from the member's data.
    Answer(Topic),
    /// An intent the host answers, once identity is verified (a change of
    /// address, a refund question).
    Host(String),
}

/// The details of a procedure, from the member's messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Details {
    /// The first day: of a pause, of a resumed membership.
    pub from: Option<NaiveDate>,
    /// A pause's length in months.
    pub months: Option<u32>,
    /// The first day after a pause.
    pub until: Option<NaiveDate>,
    /// When a cancel takes effect.
    pub cancel: Option<CancelTiming>,
    /// The plan to change to.
    pub plan: Option<String>,
    /// When a plan change takes effect.
    pub change: Option<ChangeTiming>,
    /// Whether the retention offer was answered (the member still cancels).
    pub retention_declined: bool,
    /// The session a booking is about, once it is known.
    pub session: Option<String>,
    /// The day of the session.
    pub day: Option<NaiveDate>,
    /// The time it starts.
    pub time: Option<NaiveTime>,
    /// The class (an id of the host's `class` names).
    pub class: Option<String>,
    /// Seats for a party.
    pub party: Option<u32>,
}

/// A command awaiting the member's yes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// The command.
    pub command: Request,
    /// The membership's (or the book's) version when it was proposed.
    pub version: u64,
}

/// A command for the host to execute: on the membership, or on the booking
/// book. Serialized as the command itself (`{"type": "pause", ...}`,
/// `{"type": "book", ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Request {
    /// A membership command.
    Membership(Command),
    /// A booking command.
    Booking(BookingCommand),
}
