//! The member chatbot's intent classifier: what a member wants, and how sure
//! we are.
//!
//! - [`normalize`]: NFKC, lower case, punctuation folded to spaces.
//! - Features need no tokenizer: character n-grams over the normalized text
//!   plus word n-grams for space-separated text, hashed with FNV-1a, weighted by
//!   sublinear TF-IDF and L2-normalized.
//! - [`train`]: a multinomial logistic regression fit by AdaGrad with weight
//!   averaging, deterministic for a seed; out-of-scope examples weighted from
//!   how many there are; temperature scaling (and, if asked for, an
//!   out-of-scope threshold) fit on a held-out validation split.
//! - [`Model`]: [`classify`](Model::classify), [`evaluate`](Model::evaluate),
//!   [`retrain`](Model::retrain) with added or relabelled examples, and
//!   save/load as JSON (serde) or a compact binary form
//!   ([`to_bytes`](Model::to_bytes), [`from_bytes`](Model::from_bytes)).
//! - [`default_model`]: the shipped bilingual (Japanese/English) model for
//!   membership inquiries, with the intents in [`DEFAULT_INTENTS`].
//! - [`slots`]: the details a member gave (member number, email, phone, postal
//!   code, dates, times, amounts), and masking for logs.
//! - [`Router`]: what to do next — answer, clarify, verify identity, offer
//!   retention, or hand over to a human with a summary — from a message and
//!   the [`Conversation`] state the host keeps.
//!
//! ```
//! use memberkit::intent::{Example, TrainConfig, train};
//!
//! let examples: Vec<Example> = [
//!     ("hours", "what time do you open"), ("hours", "営業時間を教えて"),
//!     ("hours", "are you open on sunday"), ("hours", "何時まで開いていますか"),
//!     ("cancel", "i want to cancel my membership"), ("cancel", "退会したいです"),
//!     ("cancel", "please end my membership"), ("cancel", "解約の手続きをしたい"),
//! ].into_iter().map(|(intent, text)| Example::new(intent, text)).collect();
//! let config = TrainConfig { validation_fraction: 0.0, ..TrainConfig::default() };
//! let model = train(&examples, &config)?;
//! assert_eq!(model.classify("When do you OPEN?")?.intent, "hours");
//! assert_eq!(model.classify("退会の手続き")?.intent, "cancel");
//! # Ok::<(), memberkit::intent::IntentError>(())
//! ```

mod config;
mod default_model;
mod evaluate;
mod features;
mod model;
mod normalize;
mod rng;
mod route;
pub mod slots;
mod storage;
mod train;

pub use config::{MIN_OUT_OF_SCOPE_SHARE, TrainConfig};
pub use default_model::{DEFAULT_INTENTS, default_model, parse_tsv};
pub use evaluate::{Confusion, Evaluation, IntentScore};
pub use model::{Classification, Model, Scored, Scratch};
pub use normalize::{normalize, normalize_into};
pub(crate) use route::Assessment;
pub use route::{Action, Conversation, Decision, HandoverReason, Router, RouterConfig, Turn};
pub use train::train;

use crate::error_kind::ErrorKind;
use serde::{Deserialize, Serialize};

/// The longest text, in bytes of UTF-8, that [`Model::classify`] reads and a
/// training example may hold: 64 KiB, a long email (a member's message is a
/// few hundred bytes). A longer one is refused with
/// [`IntentError::TooLarge`] (kind `limit_exceeded`); the
/// [`Router`] reads a longer message as an empty one and asks again.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// The most examples [`train`] takes (and [`Model::retrain`] keeps): more is
/// refused with [`IntentError::TooLarge`] before any work.
pub const MAX_EXAMPLES: usize = 1_000_000;

/// The intent id for "none of the intents the model knows".
///
/// Training examples labelled `oos` teach the model what out-of-scope messages
/// look like; a classification below the model's confidence threshold is
/// `oos` too.
pub const OUT_OF_SCOPE: &str = "oos";

/// One labelled message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Example {
    /// The intent id, e.g. `"cancel"`, or [`OUT_OF_SCOPE`].
    pub intent: String,
    /// The member's message as written.
    pub text: String,
}

impl Example {
    /// An example of `intent`.
    ///
    /// ```
    /// let example = memberkit::intent::Example::new("hours", "何時まで開いてますか");
    /// assert_eq!(example.intent, "hours");
    /// ```
    pub fn new(intent: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            intent: intent.into(),
            text: text.into(),
        }
    }
}

/// What can go wrong when training, loading or using an intent model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntentError {
    /// Training or evaluation was given no examples.
    #[error("no examples given")]
    NoExamples,
    /// Training needs examples of at least two intents.
    #[error("training needs examples of at least 2 intents, got {found}")]
    TooFewIntents {
        /// The number of distinct intents given.
        found: usize,
    },
    /// An example's intent id is empty, too long or contains control characters.
    #[error(
        "example #{index} has an invalid intent id {intent:?}: expected 1 to 100 characters, none of them control characters"
    )]
    InvalidIntentId {
        /// The example's position, from 0.
        index: usize,
        /// The id as given.
        intent: String,
    },
    /// A training setting is out of range.
    #[error("invalid training config: {field} must be {expected}, got {value}")]
    InvalidConfig {
        /// The field's name.
        field: &'static str,
        /// The value given.
        value: String,
        /// The accepted range.
        expected: &'static str,
    },
    /// More examples, intents or features than a model can hold, or a text
    /// longer than [`MAX_TEXT_BYTES`].
    #[error("too many {what}: {count}, at most {max}")]
    TooLarge {
        /// What there are too many of.
        what: &'static str,
        /// How many there are.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A saved model does not start with the binary model's magic bytes.
    #[error("not a memberkit intent model: the data does not start with \"MKIM\"")]
    BadMagic,
    /// A saved model has a format version this build cannot read.
    #[error(
        "unsupported intent model format version {found}: this build reads versions 1 to {supported}"
    )]
    UnsupportedVersion {
        /// The version in the data.
        found: u16,
        /// The newest version this build reads (it reads every one from 1).
        supported: u16,
    },
    /// A saved model ends before it should.
    #[error(
        "truncated intent model: {what} needs {needed} bytes at offset {offset}, only {available} left"
    )]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Where it starts.
        offset: usize,
        /// The bytes it needs.
        needed: usize,
        /// The bytes left.
        available: usize,
    },
    /// A saved model's checksum does not match its contents.
    #[error(
        "corrupt intent model: checksum {found:#018x} does not match the contents ({computed:#018x})"
    )]
    ChecksumMismatch {
        /// The checksum stored in the data.
        found: u64,
        /// The checksum of the contents.
        computed: u64,
    },
    /// A saved model is well-formed but inconsistent (wrong sizes, unsorted
    /// features, non-finite weights, trailing bytes, invalid text).
    #[error("invalid intent model: {what}")]
    InvalidModel {
        /// What is wrong.
        what: String,
    },
    /// A line of a TSV corpus is not `intent<TAB>lang<TAB>text`.
    #[error("line {line} of the corpus: {reason}")]
    InvalidTsv {
        /// The line number, from 1.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A gazetteer name that is empty, too long, or given for two ids.
    #[error("invalid gazetteer name {name:?} in list {list:?}: {reason}")]
    InvalidGazetteer {
        /// The list it is in.
        list: String,
        /// The name (its first 40 characters).
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A member-number pattern given to the slot extractor is not a valid regex.
    #[error("invalid member number pattern {pattern:?}: {message}")]
    InvalidPattern {
        /// The pattern as given.
        pattern: String,
        /// The regex engine's explanation.
        message: String,
    },
}

impl IntentError {
    /// The error's [`ErrorKind`].
    ///
    /// ```
    /// use memberkit::{ErrorKind, intent::IntentError};
    /// assert_eq!(IntentError::NoExamples.kind(), ErrorKind::InvalidTrainingData);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NoExamples
            | Self::TooFewIntents { .. }
            | Self::InvalidIntentId { .. }
            | Self::InvalidTsv { .. } => ErrorKind::InvalidTrainingData,
            Self::TooLarge { .. } => ErrorKind::LimitExceeded,
            Self::InvalidConfig { .. }
            | Self::InvalidPattern { .. }
            | Self::InvalidGazetteer { .. } => ErrorKind::InvalidConfig,
            Self::BadMagic
            | Self::UnsupportedVersion { .. }
            | Self::Truncated { .. }
            | Self::ChecksumMismatch { .. }
            | Self::InvalidModel { .. } => ErrorKind::InvalidModel,
        }
    }
}
