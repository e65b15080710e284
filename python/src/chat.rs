//! The member chatbot's procedures: an assistant shared between threads, a
//! message read, and the reply, converted lazily. Converts and delegates:
//! every rule is the core's. `memberkit/chat.py` documents the API.
//!
//! The hot path of a turn is text in, text out: a state or member record
//! given as JSON text is parsed by serde alone, and a reply's state, step
//! fields and slots become Python objects (or JSON text) only when read.

use crate::convert::{Day, dumps};
use crate::errors::to_py;
use crate::intent::IntentModel;
use crate::pyvalue::{f32_as_f64, to_py as value};
use memberkit::chat::{
    Assistant as CoreAssistant, ChatConfig, ChatState, Club, Language, Member,
    Reading as CoreReading, Reply as CoreReply, Step,
};
use memberkit::intent::default_model;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyString};
use std::sync::{Arc, OnceLock};

/// `obj` as JSON text: the text itself, or a mapping written by
/// `memberkit.membership._dumps`. `None` for anything else.
fn json_of(obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(Some(text.extract::<PyBackedStr>()?.to_string()));
    }
    if obj.cast::<pyo3::types::PyMapping>().is_ok() {
        return dumps(obj).map(Some);
    }
    Ok(None)
}

fn type_error(what: &str, accepted: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    let type_name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    PyTypeError::new_err(format!("{what} is {accepted}, not {type_name}"))
}

/// A conversation state given as a previous reply (its state, unconverted),
/// a dict, JSON text or `None` (a new conversation).
fn state_of(state: Option<&Bound<'_, PyAny>>) -> PyResult<ChatState> {
    let Some(state) = state.filter(|s| !s.is_none()) else {
        return Ok(ChatState::default());
    };
    if let Ok(reply) = state.cast::<ChatReply>() {
        return Ok(reply.get().reply.state.clone());
    }
    match json_of(state)? {
        Some(json) => ChatState::from_json(&json).map_err(to_py),
        None => Err(type_error(
            "state",
            "a dict (a mapping), JSON text, a Reply or None",
            state,
        )),
    }
}

/// A member record given as a dict or JSON text; `None` for none.
fn member_of(member: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Member>> {
    let Some(member) = member.filter(|m| !m.is_none()) else {
        return Ok(None);
    };
    match json_of(member)? {
        Some(json) => Member::from_json(&json).map(Some).map_err(to_py),
        None => Err(type_error(
            "a member record",
            "a dict (a mapping), JSON text or None",
            member,
        )),
    }
}

/// The chat assistant; immutable, shared freely between threads.
#[pyclass(frozen, module = "memberkit._memberkit", name = "ChatAssistant")]
pub(crate) struct ChatAssistant(Arc<CoreAssistant>);

/// A message read, awaiting the member's record; immutable (a reply takes
/// a copy, so one reading may be replied to again).
#[pyclass(frozen, module = "memberkit.chat", name = "Reading")]
pub(crate) struct Reading {
    reading: CoreReading,
    /// The message, for the slots' character offsets.
    message: String,
}

#[pymethods]
impl Reading {
    /// The member number to look up: the one given in this message before
    /// verification, or the conversation's.
    #[getter]
    fn member_number(&self) -> Option<&str> {
        self.reading.member_number()
    }

    /// The message's intent (`"oos"` when out of scope).
    #[getter]
    fn intent(&self) -> &str {
        self.reading.intent()
    }

    /// The message read.
    #[getter]
    fn message(&self) -> &str {
        &self.message
    }

    fn __repr__(&self) -> String {
        format!(
            "Reading(intent={:?}, member_number={:?})",
            self.intent(),
            self.member_number()
        )
    }
}

/// A reply as the core made it, converted when read; `memberkit.chat.Reply`
/// holds it.
#[pyclass(frozen, eq, module = "memberkit._memberkit", name = "ChatReply")]
pub(crate) struct ChatReply {
    reply: CoreReply,
    message: String,
    state_json: OnceLock<String>,
}

impl PartialEq for ChatReply {
    fn eq(&self, other: &Self) -> bool {
        self.reply == other.reply && self.message == other.message
    }
}

/// The `step` tag of a step, as its JSON names it.
fn step_name(step: &Step) -> &'static str {
    match step {
        Step::Answer { .. } => "answer",
        Step::Clarify { .. } => "clarify",
        Step::AskIdentity { .. } => "ask_identity",
        Step::IdentityMismatch { .. } => "identity_mismatch",
        Step::AskDetail { .. } => "ask_detail",
        Step::OfferRetention { .. } => "offer_retention",
        Step::Facts { .. } => "facts",
        Step::Confirm { .. } => "confirm",
        Step::Refused { .. } => "refused",
        Step::Confirmed { .. } => "confirmed",
        Step::Dropped { .. } => "dropped",
        Step::Handover { .. } => "handover",
    }
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Ja => "ja",
        Language::En => "en",
    }
}

/// What `memberkit.chat.Reply` is made of: step, text, language, intent,
/// confidence, and the core's reply for the rest.
type ReplyParts = (&'static str, String, &'static str, String, f64, ChatReply);

fn parts(reply: CoreReply, message: String) -> ReplyParts {
    (
        step_name(&reply.step),
        reply.text.clone(),
        language_name(reply.language),
        reply.intent.clone(),
        f32_as_f64(reply.confidence),
        ChatReply {
            reply,
            message,
            state_json: OnceLock::new(),
        },
    )
}

#[pymethods]
impl ChatReply {
    /// The state to store, as JSON text (made once).
    fn state_json(&self) -> &str {
        self.state_json.get_or_init(|| self.reply.state.to_json())
    }

    /// The state to store, as a dict.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value(py, &self.reply.state)
    }

    /// The step's own fields, as a dict (without `step`).
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let data = value(py, &self.reply.step)?;
        if let Ok(dict) = data.cast::<PyDict>() {
            dict.del_item("step")?;
        }
        Ok(data)
    }

    /// The message's slots as JSON (byte offsets), and the message.
    fn slots_json(&self) -> (String, &str) {
        (
            memberkit::json::to_json(&self.reply.slots),
            self.message.as_str(),
        )
    }

    /// The whole reply as the core's JSON.
    fn to_json(&self) -> String {
        self.reply.to_json()
    }

    /// Whether identity was verified by the end of this turn.
    #[getter]
    fn verified(&self) -> bool {
        self.reply.state.identity.verified
    }

    /// The member number the conversation is about.
    #[getter]
    fn member_number(&self) -> Option<&str> {
        self.reply.state.member_number()
    }
}

#[pymethods]
impl ChatAssistant {
    #[new]
    #[pyo3(signature = (club, config = None, model = None))]
    fn new(
        club: &Bound<'_, PyAny>,
        config: Option<&Bound<'_, PyAny>>,
        model: Option<&IntentModel>,
    ) -> PyResult<Self> {
        let club_json = json_of(club)?
            .ok_or_else(|| type_error("club", "a dict (a mapping) or JSON text", club))?;
        let club = Club::from_json(&club_json).map_err(to_py)?;
        let config = match config.filter(|c| !c.is_none()) {
            Some(config) => {
                let json = json_of(config)?.ok_or_else(|| {
                    type_error("config", "a dict (a mapping), JSON text or None", config)
                })?;
                ChatConfig::from_json(&json).map_err(to_py)?
            }
            None => ChatConfig::default(),
        };
        let model = match model {
            Some(model) => (*model.shared()).clone(),
            None => default_model().map_err(to_py)?,
        };
        CoreAssistant::new(model, club, config)
            .map(|a| ChatAssistant(Arc::new(a)))
            .map_err(to_py)
    }

    /// Reads `message` in the conversation `state` on `today`.
    #[pyo3(signature = (state, message, today))]
    fn read(
        &self,
        state: Option<&Bound<'_, PyAny>>,
        message: &str,
        today: Day,
    ) -> PyResult<Reading> {
        let state = state_of(state)?;
        Ok(Reading {
            reading: self.0.read(&state, message, today.0),
            message: message.to_owned(),
        })
    }

    /// The reply to `reading` with the record of its member.
    #[pyo3(signature = (reading, member = None))]
    fn reply(&self, reading: &Reading, member: Option<&Bound<'_, PyAny>>) -> PyResult<ReplyParts> {
        let member = member_of(member)?;
        let reply = self.0.reply(reading.reading.clone(), member.as_ref());
        Ok(parts(reply, reading.message.clone()))
    }

    /// Reads `message`, looks up the member with `lookup(number)`, replies.
    fn turn(
        &self,
        state: Option<&Bound<'_, PyAny>>,
        message: &str,
        today: Day,
        lookup: &Bound<'_, PyAny>,
    ) -> PyResult<ReplyParts> {
        let state = state_of(state)?;
        let reading = self.0.read(&state, message, today.0);
        let member = match reading.member_number() {
            Some(number) => member_of(Some(&lookup.call1((number,))?))?,
            None => None,
        };
        let reply = self.0.reply(reading, member.as_ref());
        Ok(parts(reply, message.to_owned()))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ChatAssistant>()?;
    m.add_class::<Reading>()?;
    m.add_class::<ChatReply>()?;
    Ok(())
}
