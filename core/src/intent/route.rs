//! Routing: from a member's message to what the chatbot does next.

use super::slots::{Slot, SlotExtractor, SlotValue, mask_slots};
use super::{IntentError, MAX_TEXT_BYTES, Model, OUT_OF_SCOPE, Scratch, normalize};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// How a [`Router`] decides. Missing fields in JSON take their default.
///
/// ```
/// use memberkit::intent::RouterConfig;
/// let config: RouterConfig = serde_json::from_str(r#"{"clarify_below": 0.7}"#)?;
/// assert_eq!(config.clarify_below, 0.7);
/// assert!(config.verify_intents.iter().any(|i| i == "billing"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RouterConfig {
    /// Below this confidence an in-scope intent is not acted on: the member is
    /// offered the top choices instead (0 to 1).
    pub clarify_below: f32,
    /// An out-of-scope message whose best in-scope guess has at least this
    /// confidence is clarified too; below it the answer is "out of scope" (0 to 1).
    pub clarify_out_of_scope_above: f32,
    /// How many choices a clarification offers (1 to 10).
    pub choices: usize,
    /// This many unsure turns in a row (clarified or out of scope) hand the
    /// conversation to a human (at least 1).
    pub unsure_turns_to_human: u32,
    /// Intents that reveal or change personal data: identity is verified first.
    pub verify_intents: Vec<String>,
    /// The intent before which retention is offered once per conversation
    /// (`None` to never offer it).
    pub retention_intent: Option<String>,
    /// What retention offers instead.
    pub retention_offers: Vec<String>,
    /// The intent that asks for a human.
    pub human_intent: String,
    /// Words and phrases that signal anger or a complaint, matched in the
    /// normalized message (lower case, full-width folded).
    pub complaint_cues: Vec<String>,
    /// How many recent turns the conversation keeps for an operator's summary
    /// (1 to 20).
    pub history: usize,
}

impl Default for RouterConfig {
    fn default() -> Self {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        Self {
            clarify_below: 0.5,
            clarify_out_of_scope_above: 0.25,
            choices: 3,
            unsure_turns_to_human: 2,
            verify_intents: strings(&[
                "member_info",
                "update_profile",
                "billing",
                "payment_method",
                "refund",
                "cancel",
                "plan_change",
            ]),
            retention_intent: Some("cancel".into()),
            retention_offers: strings(&["pause", "plan_change"]),
            human_intent: "human".into(),
            complaint_cues: strings(COMPLAINT_CUES),
            history: 5,
        }
    }
}

/// Anger and complaint cues in Japanese and English, as normalized text.
const COMPLAINT_CUES: &[&str] = &[
    "ふざけ",
    "最悪",
    "ひどい",
    "酷い",
    "怒",
    "苦情",
    "クレーム",
    "責任者",
    "詐欺",
    "ありえない",
    "あり得ない",
    "いい加減に",
    "訴え",
    "金返せ",
    "二度と",
    "unacceptable",
    "ridiculous",
    "terrible",
    "worst",
    "angry",
    "furious",
    "complaint",
    "complain",
    "scam",
    "fraud",
    "lawyer",
    "sue you",
    "your manager",
    "disgusting",
    "rip off",
    "ripoff",
];

/// The conversation so far, as much as routing needs: a small serde value the
/// host keeps between messages (per conversation) and passes back in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Conversation {
    /// Messages routed so far.
    pub turns: u32,
    /// Unsure turns (clarified or out of scope) in a row, up to now.
    pub unsure_streak: u32,
    /// Whether retention was already offered.
    pub retention_offered: bool,
    /// The latest turns, oldest first, with personal data masked.
    pub recent: Vec<Turn>,
}

/// One routed message, as kept for an operator's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// The message with member numbers, emails and phone numbers masked.
    pub text: String,
    /// The intent it was classified as.
    pub intent: String,
    /// The confidence.
    pub confidence: f32,
}

/// What to do with a message, and the conversation after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// The classified intent (or [`OUT_OF_SCOPE`]).
    pub intent: String,
    /// The calibrated confidence of the model's best guess.
    pub confidence: f32,
    /// The details the message gave.
    pub slots: Vec<Slot>,
    /// What to do next.
    pub action: Action,
    /// The conversation to keep for the next message.
    pub conversation: Conversation,
}

/// A message read by the router, before any action is chosen.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assessment {
    pub intent: String,
    pub confidence: f32,
    pub slots: Vec<Slot>,
    /// The in-scope intents to offer in a clarification, most likely first
    /// (none for a message too far out of scope).
    pub choices: Vec<String>,
    /// Whether it sounds angry or is a complaint.
    pub complaint: bool,
    /// The conversation with this turn recorded.
    pub conversation: Conversation,
}

/// What the chatbot does next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Act on the intent (for [`OUT_OF_SCOPE`]: say it cannot help with that).
    Answer,
    /// Ask which one the member meant, offering these intents as buttons.
    Clarify {
        /// The intents to offer, most likely first.
        choices: Vec<String>,
    },
    /// Verify the member's identity before acting on the intent.
    VerifyIdentity,
    /// Ask why the member wants to leave and offer these intents instead.
    OfferRetention {
        /// The intents to offer (pause, a cheaper plan).
        offers: Vec<String>,
    },
    /// Hand the conversation over to a human operator.
    Handover {
        /// Why.
        reason: HandoverReason,
        /// A summary of the conversation for the operator, personal data masked.
        summary: String,
    },
}

/// Why a conversation goes to a human.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoverReason {
    /// The member asked for a person.
    Asked,
    /// The bot was unsure too many turns in a row.
    Unsure,
    /// The message sounds angry or is a complaint.
    Complaint,
    /// The member's identity could not be verified within the attempts allowed.
    VerificationFailed,
}

/// Routes member messages: classifies, extracts slots, and decides the next
/// action. Immutable and shareable; the per-conversation state is the
/// [`Conversation`] the host passes in.
#[derive(Debug, Clone)]
pub struct Router {
    model: Model,
    slots: SlotExtractor,
    config: RouterConfig,
    /// The complaint cues, normalized once.
    cues: Vec<String>,
}

impl Router {
    /// A router over `model` and `slots`.
    ///
    /// # Errors
    /// [`IntentError::InvalidConfig`] when a field of `config` is out of range.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::{Action, Conversation, Router, RouterConfig, default_model};
    /// use memberkit::intent::slots::SlotExtractor;
    /// use memberkit::calendar::date;
    ///
    /// let router = Router::new(default_model()?, SlotExtractor::default(), RouterConfig::default())?;
    /// let today = date(2026, 5, 1).unwrap();
    /// let first = router.route(&Conversation::default(), "退会したいです", false, today);
    /// assert_eq!(first.intent, "cancel");
    /// assert!(matches!(first.action, Action::OfferRetention { .. }));
    /// let second = router.route(&first.conversation, "いえ、やはり退会します", false, today);
    /// assert_eq!(second.action, Action::VerifyIdentity);
    /// let third = router.route(&second.conversation, "退会の手続きをお願いします", true, today);
    /// assert_eq!(third.action, Action::Answer);
    /// # Ok::<(), memberkit::intent::IntentError>(())
    /// ```
    pub fn new(
        model: Model,
        slots: SlotExtractor,
        config: RouterConfig,
    ) -> Result<Self, IntentError> {
        let invalid = |field, value: String, expected| {
            Err(IntentError::InvalidConfig {
                field,
                value,
                expected,
            })
        };
        if !(0.0..=1.0).contains(&config.clarify_below) {
            return invalid("clarify_below", config.clarify_below.to_string(), "0 to 1");
        }
        if !(0.0..=1.0).contains(&config.clarify_out_of_scope_above) {
            return invalid(
                "clarify_out_of_scope_above",
                config.clarify_out_of_scope_above.to_string(),
                "0 to 1",
            );
        }
        if !(1..=10).contains(&config.choices) {
            return invalid("choices", config.choices.to_string(), "1 to 10");
        }
        if config.unsure_turns_to_human == 0 {
            return invalid("unsure_turns_to_human", "0".into(), "at least 1");
        }
        if !(1..=20).contains(&config.history) {
            return invalid("history", config.history.to_string(), "1 to 20");
        }
        let cues = config
            .complaint_cues
            .iter()
            .map(|cue| normalize(cue))
            .filter(|cue| !cue.is_empty())
            .collect();
        Ok(Self {
            model,
            slots,
            config,
            cues,
        })
    }

    /// The model the router classifies with.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Decides what to do with `message`, the member's next message in
    /// `conversation`. `verified` says whether the host has verified the
    /// member's identity; `today` resolves relative dates.
    ///
    /// In order: a complaint or an explicit request hands over to a human; an
    /// unsure turn (confidence below `clarify_below`, or out of scope) counts
    /// toward handing over and otherwise clarifies or answers "out of scope";
    /// a confident cancel first gets a retention offer (once); an intent that
    /// touches personal data needs a verified identity; anything else is
    /// answered. A message longer than [`MAX_TEXT_BYTES`] is read as an empty
    /// one (an unsure turn), so a reply never waits on a megabyte of text.
    pub fn route(
        &self,
        conversation: &Conversation,
        message: &str,
        verified: bool,
        today: NaiveDate,
    ) -> Decision {
        let Assessment {
            intent,
            confidence,
            slots,
            choices,
            complaint,
            conversation: mut next,
        } = self.assess(conversation, message, today);
        let config = &self.config;
        let confident = self.confident(&intent, confidence);
        let action = if complaint {
            self.handover(HandoverReason::Complaint, &next, &slots)
        } else if intent == config.human_intent && confident {
            self.handover(HandoverReason::Asked, &next, &slots)
        } else if !confident {
            self.unsure(&mut next, &intent, choices, &slots)
        } else if config.retention_intent.as_deref() == Some(intent.as_str())
            && !next.retention_offered
        {
            next.retention_offered = true;
            Action::OfferRetention {
                offers: config.retention_offers.clone(),
            }
        } else if !verified && config.verify_intents.contains(&intent) {
            Action::VerifyIdentity
        } else {
            Action::Answer
        };
        Decision {
            intent,
            confidence,
            slots,
            action,
            conversation: next,
        }
    }

    /// The router's settings.
    pub fn config(&self) -> &RouterConfig {
        &self.config
    }

    /// Classifies `message`, finds its slots, checks it for complaint cues
    /// and records the turn in a copy of `conversation` (the unsure streak
    /// reset when the turn is confident).
    pub(crate) fn assess(
        &self,
        conversation: &Conversation,
        message: &str,
        today: NaiveDate,
    ) -> Assessment {
        // A message past the classifier's limit is read as an empty one: no
        // intent, no slots, and the member is asked again.
        let message = if message.len() > MAX_TEXT_BYTES {
            ""
        } else {
            message
        };
        let mut scratch = Scratch::default();
        let (intent, confidence) = match self.model.classify_with(&mut scratch, message) {
            Ok(result) => (result.intent.to_owned(), result.confidence),
            Err(_) => (OUT_OF_SCOPE.to_owned(), 0.0),
        };
        let slots = self.slots.extract(message, today);
        let mut next = conversation.clone();
        next.turns = next.turns.saturating_add(1);
        next.recent.push(Turn {
            text: mask_slots(message, &slots),
            intent: intent.clone(),
            confidence,
        });
        let excess = next.recent.len().saturating_sub(self.config.history);
        next.recent.drain(..excess);
        let mut ranked: Vec<(f32, &str)> = self
            .model
            .intents()
            .iter()
            .zip(scratch.probabilities())
            .filter(|(intent, _)| *intent != OUT_OF_SCOPE)
            .map(|(intent, &p)| (p, intent.as_str()))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        let best_in_scope = ranked.first().map_or(0.0, |&(p, _)| p);
        let choices =
            if intent != OUT_OF_SCOPE || best_in_scope >= self.config.clarify_out_of_scope_above {
                ranked
                    .iter()
                    .take(self.config.choices)
                    .map(|&(_, intent)| intent.to_owned())
                    .collect()
            } else {
                Vec::new()
            };
        if self.confident(&intent, confidence) {
            next.unsure_streak = 0;
        }
        Assessment {
            intent,
            confidence,
            slots,
            choices,
            complaint: self.is_complaint(message),
            conversation: next,
        }
    }

    /// Whether an intent at this confidence is acted on.
    pub(crate) fn confident(&self, intent: &str, confidence: f32) -> bool {
        intent != OUT_OF_SCOPE && confidence >= self.config.clarify_below
    }

    /// The action for an unsure turn, counted in `next`: a handover once
    /// the streak is long enough, else a clarification when there are
    /// choices to offer, else an answer ("out of scope").
    pub(crate) fn unsure(
        &self,
        next: &mut Conversation,
        intent: &str,
        choices: Vec<String>,
        slots: &[Slot],
    ) -> Action {
        next.unsure_streak = next.unsure_streak.saturating_add(1);
        if next.unsure_streak >= self.config.unsure_turns_to_human {
            self.handover(HandoverReason::Unsure, next, slots)
        } else if intent != OUT_OF_SCOPE || !choices.is_empty() {
            Action::Clarify { choices }
        } else {
            Action::Answer
        }
    }

    fn is_complaint(&self, message: &str) -> bool {
        let shouting = message.contains("!!") || message.contains("！！");
        let normalized = normalize(message);
        shouting
            || self
                .cues
                .iter()
                .any(|cue| normalized.contains(cue.as_str()))
    }

    /// A handover for `reason`, with a summary of `conversation` for the operator.
    pub(crate) fn handover(
        &self,
        reason: HandoverReason,
        conversation: &Conversation,
        slots: &[Slot],
    ) -> Action {
        let why = match reason {
            HandoverReason::Asked => "the member asked for a person",
            HandoverReason::Unsure => "the bot was unsure several turns in a row",
            HandoverReason::Complaint => "the member sounds upset or is complaining",
            HandoverReason::VerificationFailed => "the member's identity could not be verified",
        };
        let mut summary = format!("Handover: {why} (after {} messages).\n", conversation.turns);
        for (i, turn) in conversation.recent.iter().enumerate() {
            let _ = writeln!(
                summary,
                "{}. [{} {:.0} %] {}",
                i + 1,
                turn.intent,
                turn.confidence * 100.0,
                turn.text
            );
        }
        if !slots.is_empty() {
            let details: Vec<String> = slots.iter().map(|s| describe(&s.value)).collect();
            let _ = writeln!(summary, "Details: {}", details.join(", "));
        }
        Action::Handover { reason, summary }
    }
}

/// A slot for the operator's summary, personal data masked.
fn describe(value: &SlotValue) -> String {
    let keep_last = |text: &str, keep: usize| {
        let count = text.chars().count();
        text.chars()
            .enumerate()
            .map(|(i, c)| if i + keep < count { '*' } else { c })
            .collect::<String>()
    };
    match value {
        SlotValue::MemberNumber(n) => format!("member number {}", keep_last(n, 2)),
        SlotValue::Email(e) => {
            let domain = e.split_once('@').map_or("", |(_, d)| d);
            format!("email ***@{domain}")
        }
        SlotValue::Phone(p) => format!("phone {}", keep_last(p, 4)),
        SlotValue::PostalCode(p) => format!("postal code {p}"),
        SlotValue::Date(d) => format!("date {d}"),
        SlotValue::Time(t) => format!("time {}", t.format("%H:%M")),
        SlotValue::Amount(m) => format!("amount {m}"),
        SlotValue::Month(first) => format!("month {}", first.format("%Y-%m")),
        SlotValue::MonthRange { from, until } => format!("months {from} to {until}"),
        SlotValue::MonthEnd(d) => format!("month end {d}"),
        SlotValue::PeriodEnd => "period end".into(),
        SlotValue::Months(n) => format!("{n} month(s)"),
        SlotValue::Count(n) => format!("count {n}"),
        SlotValue::Named { list, id } => format!("{list} {id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::default_model;
    use std::sync::LazyLock;

    static ROUTER: LazyLock<Router> = LazyLock::new(|| {
        Router::new(
            default_model().unwrap(),
            SlotExtractor::default(),
            RouterConfig::default(),
        )
        .unwrap()
    });

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
    }

    fn route(state: &Conversation, message: &str, verified: bool) -> Decision {
        ROUTER.route(state, message, verified, today())
    }

    #[test]
    fn answers_confident_harmless_questions() {
        let decision = route(
            &Conversation::default(),
            "土曜日は何時まで開いていますか",
            false,
        );
        assert_eq!(decision.intent, "hours");
        assert_eq!(decision.action, Action::Answer);
        assert_eq!(decision.conversation.turns, 1);
        assert_eq!(decision.conversation.unsure_streak, 0);
    }

    #[test]
    fn verifies_identity_for_personal_data() {
        let decision = route(
            &Conversation::default(),
            "登録している住所を変更したい",
            false,
        );
        assert_eq!(decision.intent, "update_profile");
        assert_eq!(decision.action, Action::VerifyIdentity);
        let verified = route(
            &Conversation::default(),
            "登録している住所を変更したい",
            true,
        );
        assert_eq!(verified.action, Action::Answer);
    }

    #[test]
    fn hands_over_on_request_and_on_complaints() {
        let asked = route(
            &Conversation::default(),
            "I want to talk to a real person",
            false,
        );
        assert!(matches!(
            asked.action,
            Action::Handover {
                reason: HandoverReason::Asked,
                ..
            }
        ));
        for angry in [
            "二重に引き落とされてる、ふざけないで",
            "This is unacceptable, I was charged twice",
            "返金して！！",
        ] {
            let decision = route(&Conversation::default(), angry, false);
            assert!(
                matches!(
                    decision.action,
                    Action::Handover {
                        reason: HandoverReason::Complaint,
                        ..
                    }
                ),
                "{angry}: {decision:?}"
            );
        }
    }

    /// A router for which no turn reaches the clarify threshold.
    fn always_unsure() -> Router {
        let config = RouterConfig {
            clarify_below: 1.0,
            ..RouterConfig::default()
        };
        Router::new(default_model().unwrap(), SlotExtractor::default(), config).unwrap()
    }

    #[test]
    fn two_unsure_turns_hand_over_with_a_masked_summary() {
        // Every turn is unsure when nothing reaches the clarify threshold.
        let unsure = always_unsure();
        let first = unsure.route(
            &Conversation::default(),
            "会員番号1234567です",
            false,
            today(),
        );
        assert_eq!(first.conversation.unsure_streak, 1, "{first:?}");
        assert!(matches!(first.action, Action::Clarify { .. }), "{first:?}");
        let second = unsure.route(&first.conversation, "うーん", false, today());
        let Action::Handover { reason, summary } = &second.action else {
            panic!("{second:?}")
        };
        assert_eq!(*reason, HandoverReason::Unsure);
        assert!(summary.contains("*****67"), "{summary}");
        assert!(!summary.contains("1234567"), "{summary}");
        // With the default config a confident turn resets the streak.
        let reset = route(&first.conversation, "営業時間を教えてください", false);
        assert_eq!(reset.conversation.unsure_streak, 0);
    }

    #[test]
    fn clarify_offers_in_scope_choices() {
        let router = always_unsure();
        let decision = router.route(&Conversation::default(), "予約について", false, today());
        let Action::Clarify { choices } = decision.action else {
            panic!("{decision:?}")
        };
        assert_eq!(choices.len(), 3);
        assert!(!choices.iter().any(|c| c == OUT_OF_SCOPE));
    }

    #[test]
    fn keeps_a_bounded_history() {
        let mut state = Conversation::default();
        for _ in 0..8 {
            state = route(&state, "営業時間は？", false).conversation;
        }
        assert_eq!(state.turns, 8);
        assert_eq!(state.recent.len(), RouterConfig::default().history);
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<Conversation>(&json).unwrap(), state);
    }

    #[test]
    fn refuses_bad_configs() {
        let config = RouterConfig {
            choices: 0,
            ..RouterConfig::default()
        };
        assert!(matches!(
            Router::new(default_model().unwrap(), SlotExtractor::default(), config),
            Err(IntentError::InvalidConfig {
                field: "choices",
                ..
            })
        ));
    }
}
