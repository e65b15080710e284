//! The assistant: reads a message, then — with the record of the member it
//! is about — takes the conversation's next step.

use super::ChatError;
use super::config::ChatConfig;
use super::flow::TurnState;
use super::member::{Bookings, Club, Member};
use super::reply::Reply;
use super::say::Say;
use super::state::{ChatState, Goal};
use super::text::Language;
use crate::intent::slots::{Slot, SlotExtractor, SlotValue};
use crate::intent::{Assessment, Model, Router};
use chrono::NaiveDate;

/// The member chatbot: a router over the classifier, the club's rules, and
/// the procedures that join them. Immutable and shareable between threads;
/// each conversation's state is the [`ChatState`] the host keeps.
#[derive(Debug, Clone)]
pub struct Assistant {
    pub(super) router: Router,
    pub(super) club: Club,
    pub(super) config: ChatConfig,
}

/// A message read by [`Assistant::read`]: classified, its details found.
/// Pass it to [`Assistant::reply`] with the record of
/// [`member_number`](Self::member_number).
#[derive(Debug, Clone)]
pub struct Reading {
    state: ChatState,
    assessment: Assessment,
    message: String,
    today: NaiveDate,
}

impl Reading {
    /// The member the conversation is about: the number given in this
    /// message (before verification) or earlier. The host looks up this
    /// member's record for [`Assistant::reply`].
    pub fn member_number(&self) -> Option<&str> {
        if !self.state.identity.verified {
            let given = self.assessment.slots.iter().find_map(|s| match &s.value {
                SlotValue::MemberNumber(n) => Some(n.as_str()),
                _ => None,
            });
            if given.is_some() {
                return given;
            }
        }
        self.state.member_number()
    }

    /// The message's intent.
    pub fn intent(&self) -> &str {
        &self.assessment.intent
    }
}

impl Assistant {
    /// An assistant classifying with `model` for `club`.
    ///
    /// # Errors
    /// [`ChatError::InvalidConfig`] for settings out of range;
    /// [`ChatError::Intent`] for names that clash in the gazetteer.
    pub fn new(model: Model, club: Club, config: ChatConfig) -> Result<Self, ChatError> {
        config.validate()?;
        let mut names = club.names.clone();
        for plan in club.catalog.plans() {
            names.add("plan", &plan.id, [plan.id.as_str(), plan.name.as_str()]);
        }
        let slots = SlotExtractor::default().with_gazetteer(&names)?;
        let router = Router::new(model, slots, config.router.clone())?;
        Ok(Self {
            router,
            club,
            config,
        })
    }

    /// The club.
    pub fn club(&self) -> &Club {
        &self.club
    }

    /// Reads `message`, the member's next message in the conversation
    /// `state`, on `today`.
    pub fn read(&self, state: &ChatState, message: &str, today: NaiveDate) -> Reading {
        Reading {
            state: state.clone(),
            assessment: self.router.assess(&state.conversation, message, today),
            message: message.to_owned(),
            today,
        }
    }

    /// The next step for a message read by [`Assistant::read`]. `member` is
    /// the host's record for the reading's
    /// [`member_number`](Reading::member_number) (`None` when there is no
    /// number yet or no such member: the member is never told which).
    pub fn reply(&self, reading: Reading, member: Option<&Member>) -> Reply {
        self.reply_with(reading, member, None)
    }

    /// [`reply`](Self::reply) with the booking book as it stands, so that
    /// members can book and cancel classes and ask about their bookings
    /// and waitlist places.
    pub fn reply_with(
        &self,
        reading: Reading,
        member: Option<&Member>,
        bookings: Option<Bookings<'_>>,
    ) -> Reply {
        let Reading {
            mut state,
            assessment,
            message,
            today,
        } = reading;
        let Assessment {
            intent,
            confidence,
            slots,
            choices,
            complaint,
            conversation,
        } = assessment;
        state.conversation = conversation;
        let language = Language::of(&without_slots(&message, &slots))
            .or(state.language)
            .unwrap_or(self.config.language);
        state.language = Some(language);
        let mut turn = TurnState {
            assistant: self,
            say: Say::new(&self.config.templates, language, today, &self.club),
            used: vec![false; slots.len()],
            state,
            intent,
            confidence,
            slots,
            message,
            member,
            bookings,
            today,
        };
        let step = turn.step(complaint, choices);
        let text = turn.say.finish(&step);
        Reply {
            step,
            text,
            language,
            intent: turn.intent,
            confidence: turn.confidence,
            slots: turn.slots,
            state: turn.state,
        }
    }

    /// [`read`](Self::read), then [`reply`](Self::reply) with the record
    /// `lookup` finds for the member number.
    ///
    /// # Example
    /// ```
    /// use memberkit::chat::{Assistant, ChatConfig, ChatState, Club, Step};
    /// use memberkit::intent::default_model;
    /// use memberkit::membership::Catalog;
    /// use memberkit::calendar::date;
    ///
    /// let catalog = Catalog::from_json(r#"[{"id": "regular", "name": "Regular",
    ///     "price": {"amount": "8800", "currency": "JPY"}, "interval": {"unit": "month", "count": 1}}]"#)?;
    /// let bot = Assistant::new(default_model()?, Club::new(catalog), ChatConfig::default())?;
    /// let reply = bot.turn(&ChatState::default(), "6月から2ヶ月休会したい", date(2026, 5, 6)?, |_| None);
    /// assert_eq!(reply.intent, "pause");
    /// assert_eq!(reply.text, "ご本人確認のため、会員番号を教えてください。");
    /// assert!(matches!(reply.step, Step::AskIdentity { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn turn(
        &self,
        state: &ChatState,
        message: &str,
        today: NaiveDate,
        lookup: impl FnOnce(&str) -> Option<Member>,
    ) -> Reply {
        let reading = self.read(state, message, today);
        let member = reading.member_number().and_then(lookup);
        self.reply(reading, member.as_ref())
    }

    /// What an intent starts, if anything beyond an answer by the host.
    pub(super) fn goal(&self, intent: &str) -> Option<Goal> {
        if let Some(procedure) = self.config.procedures.get(intent) {
            return Some(Goal::Procedure(*procedure));
        }
        if let Some(topic) = self.config.answers.get(intent) {
            return Some(Goal::Answer(*topic));
        }
        self.config
            .router
            .verify_intents
            .iter()
            .any(|i| i == intent)
            .then(|| Goal::Host(intent.to_owned()))
    }
}

/// `message` without its slots, whose letters (an email, 「6月」) say
/// nothing of the language the member writes in.
fn without_slots(message: &str, slots: &[Slot]) -> String {
    let mut rest = String::with_capacity(message.len());
    let mut at = 0;
    for slot in slots {
        if let Some(before) = message.get(at..slot.start) {
            rest.push_str(before);
            at = slot.end;
        }
    }
    rest.push_str(message.get(at..).unwrap_or_default());
    rest
}
