//! What the assistant answers with: the step it takes, its text in the
//! member's language, and the conversation's next state.

use super::config::{IdentityField, Procedure, Topic};
use super::facts::Fact;
use super::state::ChatState;
use super::state::Request;
use super::text::Language;
use crate::booking::Instant;
use crate::intent::HandoverReason;
use crate::intent::slots::Slot;
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// The assistant's answer to one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    /// What the assistant does.
    #[serde(flatten)]
    pub step: Step,
    /// What it says, in the member's language.
    pub text: String,
    /// The member's language.
    pub language: Language,
    /// The message's intent (or `oos`).
    pub intent: String,
    /// The calibrated confidence.
    pub confidence: f32,
    /// The details the message gave.
    pub slots: Vec<Slot>,
    /// The conversation to store for the next message.
    pub state: ChatState,
}

/// The step a reply takes. Serialized with a `"step"` tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// An inquiry the host answers itself (opening hours, ...), or `oos`;
    /// `text` is empty but for `oos`.
    Answer {
        /// The intent to answer: the message's, or for an inquiry that
        /// needed identity, the one asked before verification.
        about: String,
    },
    /// The assistant is unsure: offer these intents as buttons.
    Clarify {
        /// Most likely first.
        choices: Vec<String>,
    },
    /// Ask for identity details: any one of `fields`.
    AskIdentity {
        /// The fields that would do.
        fields: Vec<IdentityField>,
    },
    /// The details given did not match; ask again from the member number.
    IdentityMismatch {
        /// Attempts left before a handover.
        attempts_left: u32,
    },
    /// Ask for a detail the procedure still needs.
    AskDetail {
        /// The procedure.
        procedure: Procedure,
        /// The detail.
        detail: Detail,
    },
    /// Before a cancel: what the member may do instead, as the rules allow.
    OfferRetention {
        /// The offers.
        offers: Vec<Offer>,
    },
    /// An answer from the member's data.
    Facts {
        /// What was asked.
        topic: Topic,
        /// The facts.
        facts: Vec<Fact>,
    },
    /// The command the member is asked to confirm, with what it means.
    Confirm {
        /// The procedure.
        procedure: Procedure,
        /// The command (accepted by a dry run).
        command: Request,
        /// The membership's (or the book's) version it was proposed on.
        version: u64,
        /// Dates, fees, invoices.
        facts: Vec<Fact>,
    },
    /// The rules refuse the request; `alternative` is the nearest one they
    /// allow, awaiting the member's yes like a [`Step::Confirm`].
    Refused {
        /// The procedure.
        procedure: Procedure,
        /// The rule's stable name, e.g. `"pause_deadline"`.
        code: &'static str,
        /// The rule's message (English, for logs).
        message: String,
        /// The nearest command the rules accept, if any.
        alternative: Option<Alternative>,
    },
    /// The member said yes: the host executes `command` on the membership
    /// at `version` (memberkit never executes on its own) and stores its events.
    Confirmed {
        /// The procedure.
        procedure: Procedure,
        /// The command, accepted by the decider on the member's state (or
        /// the book).
        command: Request,
        /// The membership's (or the book's) version it was checked on:
        /// refuse the write if the stored version differs.
        version: u64,
    },
    /// The member said no: nothing changes.
    Dropped {
        /// The procedure.
        procedure: Procedure,
    },
    /// Hand the conversation to a person.
    Handover {
        /// Why.
        reason: HandoverReason,
        /// A summary for the operator, personal data masked.
        summary: String,
    },
}

impl Step {
    /// The step's name, as its `"step"` tag in JSON.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Answer { .. } => "answer",
            Self::Clarify { .. } => "clarify",
            Self::AskIdentity { .. } => "ask_identity",
            Self::IdentityMismatch { .. } => "identity_mismatch",
            Self::AskDetail { .. } => "ask_detail",
            Self::OfferRetention { .. } => "offer_retention",
            Self::Facts { .. } => "facts",
            Self::Confirm { .. } => "confirm",
            Self::Refused { .. } => "refused",
            Self::Confirmed { .. } => "confirmed",
            Self::Dropped { .. } => "dropped",
            Self::Handover { .. } => "handover",
        }
    }
}

/// A detail a procedure asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "detail", rename_all = "snake_case")]
pub enum Detail {
    /// The month a pause starts.
    PauseStart,
    /// How many months a pause lasts.
    PauseMonths {
        /// The plan's shortest pause.
        min: u32,
        /// The plan's longest pause.
        max: u32,
    },
    /// The day membership resumes.
    ResumeDate,
    /// The plan to change to.
    Plan {
        /// The plans the member may choose, by id.
        plans: Vec<String>,
    },
    /// Whether a plan change applies now or at the next renewal.
    ChangeTiming {
        /// The next renewal.
        next_renewal: Option<NaiveDate>,
    },
    /// Which session, among those that fit what the member said.
    Session {
        /// Booking, or cancelling.
        procedure: Procedure,
        /// The sessions, earliest first (at most five).
        choices: Vec<SessionChoice>,
    },
}

/// A session the member may mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionChoice {
    /// Its id.
    pub session: String,
    /// When it starts.
    pub start: Instant,
}

/// Something a member may do instead of cancelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offer {
    /// Pause, or change plan.
    pub procedure: Procedure,
    /// For a plan change: the plan.
    pub plan: Option<String>,
    /// What it costs a month (the pause fee, the plan's price).
    pub monthly: Money,
}

/// A command the rules accept instead of the one refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    /// The command.
    pub command: Request,
    /// The membership version it was proposed on.
    pub version: u64,
    /// What it means.
    pub facts: Vec<Fact>,
}
