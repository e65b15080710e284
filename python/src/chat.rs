//! The member chatbot's procedures: an assistant shared between threads, a
//! message read, and the reply. Converts and delegates: every rule is the
//! core's. `memberkit/chat.py` documents the API.
//!
//! A turn is text in, text out: a state or member record given as JSON text
//! is parsed by serde alone, with the GIL released along with the core's
//! work (one given as a dict is read into the core's types directly,
//! `pyvalue::de`); a reply's state, step fields and slots become Python
//! objects (or JSON text) only when read.

mod input;

use crate::convert::Day;
use crate::errors::to_py;
use crate::pyvalue::{f32_as_f64, to_py as value};
use input::{BookAt, JSON_FORMS, MemberInput, StateInput, book_at, json_of, model_of, reply_one};
use memberkit::chat::{
    Assistant as CoreAssistant, ChatConfig, ChatError, Club, Reading as CoreReading,
    Reply as CoreReply,
};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyType};
use std::sync::{Arc, OnceLock};

/// `memberkit.chat.Reply`, the frozen dataclass a reply becomes.
fn reply_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static REPLY: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    REPLY.import(py, "memberkit.chat", "Reply")
}

/// The member chatbot for one club: immutable, shared freely between threads
/// (each conversation's state is the host's); calls release the GIL while
/// the core works.
#[pyclass(frozen, module = "memberkit.chat", name = "Assistant")]
pub(crate) struct Assistant(Arc<CoreAssistant>);

/// A message read by `Assistant.read`, awaiting the record of its member;
/// immutable (a reply takes a copy, so a reading may be replied to again).
#[pyclass(frozen, module = "memberkit.chat", name = "Reading")]
pub(crate) struct Reading {
    reading: CoreReading,
    /// The message, for the slots' character offsets.
    message: String,
}

#[pymethods]
impl Reading {
    /// The member number to look up: the one this message gives before
    /// verification, else the conversation's; `None` before any.
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

/// `reply` as a `memberkit.chat.Reply`. Made without the dataclass's
/// `__init__`, whose six frozen-field assignments cost more than the rest
/// of the conversion: its fields go straight into its `__dict__`.
fn reply_object(py: Python<'_>, reply: CoreReply, message: String) -> PyResult<Bound<'_, PyAny>> {
    let class = reply_class(py)?;
    let object = class.call_method1(intern!(py, "__new__"), (class,))?;
    let fields = object
        .getattr(intern!(py, "__dict__"))?
        .cast_into::<PyDict>()?;
    fields.set_item(intern!(py, "step"), PyString::intern(py, reply.step.name()))?;
    fields.set_item(intern!(py, "text"), reply.text.as_str())?;
    fields.set_item(
        intern!(py, "language"),
        PyString::intern(py, reply.language.code()),
    )?;
    fields.set_item(intern!(py, "intent"), PyString::intern(py, &reply.intent))?;
    fields.set_item(intern!(py, "confidence"), f32_as_f64(reply.confidence))?;
    let core = ChatReply {
        reply,
        message,
        state_json: OnceLock::new(),
    };
    fields.set_item(intern!(py, "_reply"), Bound::new(py, core)?)?;
    Ok(object)
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
            dict.del_item(intern!(py, "step"))?;
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

impl Assistant {
    /// Reads `message` with the GIL released (the Python objects the
    /// inputs borrow from stay held, and are let go, with the GIL).
    fn read_core(
        &self,
        py: Python<'_>,
        state: &StateInput,
        message: &str,
        today: Day,
    ) -> PyResult<CoreReading> {
        let assistant = &*self.0;
        py.detach(|| state.with(|state| assistant.read(state, message, today.0)))
            .map_err(to_py)
    }

    /// Replies to `reading` with the GIL released, the member's record
    /// parsed there too.
    fn reply_core(
        &self,
        py: Python<'_>,
        reading: CoreReading,
        member: Option<&MemberInput>,
        book: Option<&BookAt>,
    ) -> PyResult<CoreReply> {
        let assistant = &*self.0;
        py.detach(|| reply_one(assistant, reading, member, book))
            .map_err(to_py)
    }
}

#[pymethods]
impl Assistant {
    /// The assistant for `club` (a dict or JSON text: `{"catalog": [plans],
    /// "billing": {config}, "names": [{"list", "id", "names"}]}`, only
    /// `catalog` required), with `config` (the settings, each optional)
    /// and `model` (a `memberkit.intent.Model`; the shipped one by default).
    #[new]
    #[pyo3(signature = (club, config = None, model = None))]
    fn new(
        club: &Bound<'_, PyAny>,
        config: Option<&Bound<'_, PyAny>>,
        model: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let club = json_of(Some(club), "club", JSON_FORMS)?
            .ok_or_else(|| PyTypeError::new_err("club is a dict (a mapping) or JSON text"))?;
        let club = Club::from_json(&club).map_err(to_py)?;
        let config = match json_of(config, "config", JSON_FORMS)? {
            Some(json) => ChatConfig::from_json(&json).map_err(to_py)?,
            None => ChatConfig::default(),
        };
        CoreAssistant::new(model_of(model)?, club, config)
            .map(|a| Assistant(Arc::new(a)))
            .map_err(to_py)
    }

    /// Reads `message`, the member's next message in the conversation
    /// `state` (a dict, its JSON text, the previous `Reply`, or `None` for a
    /// new conversation), on `today`: classified, its details found.
    fn read(
        &self,
        py: Python<'_>,
        state: Option<&Bound<'_, PyAny>>,
        message: &str,
        today: Day,
    ) -> PyResult<Reading> {
        let reading = self.read_core(py, &StateInput::of(state)?, message, today)?;
        Ok(Reading {
            reading,
            message: message.to_owned(),
        })
    }

    /// The next step for `reading`, with the host's record of its member
    /// (a dict or its JSON text; `None` when there is no number or no such
    /// member), and the booking `book` (a `SharedBook`, or a `Book` with
    /// its `rules`) at `now` for booking classes and questions about
    /// bookings (without one, the host answers those).
    #[pyo3(signature = (reading, member = None, *, book = None, rules = None, now = None))]
    fn reply<'py>(
        &self,
        py: Python<'py>,
        reading: &Reading,
        member: Option<&Bound<'py, PyAny>>,
        book: Option<&Bound<'py, PyAny>>,
        rules: Option<&Bound<'py, PyAny>>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let member = MemberInput::of(member)?;
        let book = book_at(book, rules, now)?;
        let reply = self.reply_core(py, reading.reading.clone(), member.as_ref(), book.as_ref())?;
        reply_object(py, reply, reading.message.clone())
    }

    /// `read`, then `reply` with `lookup(member_number)` (called only when
    /// the conversation names a member number).
    #[pyo3(signature = (state, message, today, lookup, *, book = None, rules = None, now = None))]
    #[allow(clippy::too_many_arguments)]
    fn turn<'py>(
        &self,
        py: Python<'py>,
        state: Option<&Bound<'py, PyAny>>,
        message: &str,
        today: Day,
        lookup: &Bound<'py, PyAny>,
        book: Option<&Bound<'py, PyAny>>,
        rules: Option<&Bound<'py, PyAny>>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let book = book_at(book, rules, now)?;
        let reading = self.read_core(py, &StateInput::of(state)?, message, today)?;
        let member = match reading.member_number() {
            Some(number) => MemberInput::of(Some(&lookup.call1((number,))?))?,
            None => None,
        };
        let reply = self.reply_core(py, reading, member.as_ref(), book.as_ref())?;
        reply_object(py, reply, message.to_owned())
    }

    /// `read` of many `(state, message)` pairs on `today`, with the GIL
    /// released for all of them at once.
    fn read_many(
        &self,
        py: Python<'_>,
        messages: Vec<(Option<Bound<'_, PyAny>>, PyBackedStr)>,
        today: Day,
    ) -> PyResult<Vec<Reading>> {
        let inputs = messages
            .iter()
            .map(|(state, message)| Ok((StateInput::of(state.as_ref())?, &**message)))
            .collect::<PyResult<Vec<_>>>()?;
        let assistant = &*self.0;
        let readings = py
            .detach(|| {
                inputs
                    .iter()
                    .map(|(state, message)| state.with(|s| assistant.read(s, message, today.0)))
                    .collect::<Result<Vec<_>, ChatError>>()
            })
            .map_err(to_py)?;
        Ok(readings
            .into_iter()
            .zip(&messages)
            .map(|(reading, (_, message))| Reading {
                reading,
                message: message.to_string(),
            })
            .collect())
    }

    /// `reply` to many `(reading, member)` pairs (with one `book` at `now`
    /// for all; a `SharedBook`'s lock taken for each reply in turn), with
    /// the GIL released for all of them at once.
    #[pyo3(signature = (readings, *, book = None, rules = None, now = None))]
    fn reply_many<'py>(
        &self,
        py: Python<'py>,
        readings: Vec<(PyRef<'py, Reading>, Option<Bound<'py, PyAny>>)>,
        book: Option<&Bound<'py, PyAny>>,
        rules: Option<&Bound<'py, PyAny>>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let book = book_at(book, rules, now)?;
        let book = book.as_ref();
        let members = readings
            .iter()
            .map(|(_, member)| MemberInput::of(member.as_ref()))
            .collect::<PyResult<Vec<_>>>()?;
        let assistant = &*self.0;
        let pairs: Vec<(&CoreReading, Option<&MemberInput>)> = readings
            .iter()
            .zip(&members)
            .map(|((reading, _), member)| (&reading.reading, member.as_ref()))
            .collect();
        let replies = py
            .detach(|| {
                pairs
                    .into_iter()
                    .map(|(reading, member)| reply_one(assistant, reading.clone(), member, book))
                    .collect::<Result<Vec<_>, ChatError>>()
            })
            .map_err(to_py)?;
        replies
            .into_iter()
            .zip(&readings)
            .map(|(reply, (reading, _))| reply_object(py, reply, reading.message.clone()))
            .collect()
    }

    fn __repr__(&self) -> String {
        let plans: Vec<String> = self
            .0
            .club()
            .catalog
            .plans()
            .map(|p| format!("'{}'", p.id))
            .collect();
        format!("Assistant(plans=[{}])", plans.join(", "))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Assistant>()?;
    m.add_class::<Reading>()?;
    m.add_class::<ChatReply>()?;
    Ok(())
}
