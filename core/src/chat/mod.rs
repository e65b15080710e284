//! The member chatbot's procedures: from a verified request to a confirmed
//! command, answered from the member's own data.
//!
//! An [`Assistant`] joins the intent classifier and slots to the membership
//! decider and billing. For every message the host calls
//! [`Assistant::read`], looks up the record of the member the reading names
//! ([`Reading::member_number`]), and calls [`Assistant::reply`] with it (or
//! [`Assistant::turn`] with a lookup function). The [`Reply`] says what to
//! do ([`Step`]), what to say in the member's language, and the
//! [`ChatState`] to store for the next message.
//!
//! - A procedure (pause, resume, cancel, plan change) first verifies
//!   identity ([`Verification`]: the member number, then a detail on file;
//!   a limited number of failures, then a person; nothing from the record
//!   is shown before), asks for missing details one at a time, and runs the
//!   real decider on the member's state: a refusal is explained with the
//!   rule's own reason and the nearest command the rules accept, a
//!   confirmation shows the dates, fees and the invoices the change makes.
//! - On "yes" the proposal is checked again on the member's current state
//!   and the reply carries it ([`Step::Confirmed`]) for the host to execute
//!   with the version it was checked on. memberkit never executes anything,
//!   and a conversation never yields a command the decider would refuse.
//! - A cancel first offers what this member's rules allow instead (a pause
//!   when one can still be taken, each cheaper plan), once.
//! - Questions about one's own contract ([`Topic`]) are answered from the
//!   record: [`Fact`]s plus text.
//! - Every text is a template, in Japanese and English, that a host may
//!   replace ([`Templates`]). The state is plain JSON; its transcript is
//!   masked.
//!
//! ```
//! use memberkit::chat::{Assistant, ChatConfig, ChatState, Club, Identity, Member, Request, Step};
//! use memberkit::intent::default_model;
//! use memberkit::membership::{Catalog, Command, Membership, decide};
//! use memberkit::calendar::date;
//!
//! let catalog = Catalog::from_json(r#"[{"id": "regular", "name": "レギュラー",
//!     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": true,
//!     "interval": {"unit": "month", "count": 1},
//!     "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2,
//!               "monthly_fee": {"amount": "550", "currency": "JPY"}}}]"#)?;
//! let join = Command::Join { plan: "regular".into(), start: date(2026, 4, 1)?, trial: false };
//! let mut member = Member::new(Identity {
//!     member_number: "1234567".into(),
//!     email: Some("hanako@example.jp".into()),
//!     phone: None,
//!     birth_date: None,
//! });
//! member.membership = decide(&Membership::default(), &catalog, &join, date(2026, 4, 1)?)?;
//! let bot = Assistant::new(default_model()?, Club::new(catalog), ChatConfig::default())?;
//! let today = date(2026, 5, 6)?;
//! let lookup = |number: &str| (number == "1234567").then(|| member.clone());
//!
//! let mut state = ChatState::default();
//! for message in ["6月から2ヶ月休会したい", "会員番号1234567です", "hanako@example.jp"] {
//!     state = bot.turn(&state, message, today, lookup).state;
//! }
//! let reply = bot.turn(&state, "はい", today, lookup);
//! let Step::Confirmed { command, .. } = reply.step else { panic!("{:?}", reply.step) };
//! let pause = Command::Pause { from: date(2026, 6, 1)?, until: date(2026, 8, 1)? };
//! assert_eq!(command, Request::Membership(pause));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod booking;
mod config;
mod explain;
mod facts;
mod flow;
mod json;
mod member;
mod messages;
mod procedure;
mod reply;
mod say;
mod state;
mod text;
mod turn;
mod verify;
mod words;

pub use config::{ChatConfig, IdentityField, Procedure, Topic, Verification};
pub use facts::Fact;
pub use member::{Bookings, Club, Identity, Member};
pub use reply::{Alternative, Detail, Offer, Reply, SessionChoice, Step};
pub use state::{ChatState, Details, Goal, IdentityProgress, Proposal, Request, Task};
pub use text::{Language, Templates};
pub use turn::{Assistant, Reading};

use crate::error_kind::ErrorKind;
use crate::intent::IntentError;

/// What can go wrong setting up an assistant or reading its inputs. A turn
/// itself never fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChatError {
    /// A setting out of range or a template that does not fit; `path` names it.
    #[error("invalid chat config{}: {message}", crate::error_kind::at_path(path))]
    InvalidConfig {
        /// Where in the config.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A member record, state or club given as JSON that does not parse.
    #[error(transparent)]
    Json(#[from] crate::json::JsonError),
    /// The model, slots or router settings are not valid.
    #[error(transparent)]
    Intent(#[from] IntentError),
}

impl ChatError {
    /// The error's [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidConfig { .. } => ErrorKind::InvalidConfig,
            Self::Json(_) => ErrorKind::InvalidJson,
            Self::Intent(e) => e.kind(),
        }
    }
}
