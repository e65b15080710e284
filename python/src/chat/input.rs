//! What the chat calls take, as given from Python: JSON text or mappings
//! for configs, states and member records, a booking book with its rules,
//! the intent model.

use super::{ChatReply, reply_class};
use crate::booking::{Book, Rules, SharedBook};
use crate::convert::{dumps, instant};
use crate::errors::{invalid_argument, to_py};
use crate::intent::IntentModel;
use crate::pyvalue::de::{Failure, from_py};
use memberkit::booking::{Book as CoreBook, Instant, Rules as CoreRules};
use memberkit::chat::{
    Assistant as CoreAssistant, Bookings, ChatError, ChatState, Member, Reading as CoreReading,
    Reply as CoreReply,
};
use memberkit::intent::{Model, default_model};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyMapping, PyString};
use std::ops::Deref;
use std::sync::Arc;

/// JSON text given for a value: a Python `str` itself (not copied), or a
/// mapping written by `memberkit.membership._dumps`.
pub(super) enum Json {
    Text(PyBackedStr),
    Written(String),
}

impl Deref for Json {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Json::Text(text) => text,
            Json::Written(text) => text,
        }
    }
}

/// The forms a member record, a club or a config may take.
pub(super) const JSON_FORMS: &str = "a dict (a mapping), JSON text or None";

/// `obj` as JSON text; `None` for `None`; a `TypeError` saying `what` is
/// one of `forms` for anything but text and mappings.
pub(super) fn json_of(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
    forms: &str,
) -> PyResult<Option<Json>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(Some(Json::Text(text.extract()?)));
    }
    if obj.cast::<PyMapping>().is_ok() {
        return dumps(obj).map(|text| Some(Json::Written(text)));
    }
    let type_name = obj.get_type().name()?;
    Err(PyTypeError::new_err(format!(
        "{what} is {forms}, not {type_name}"
    )))
}

/// A Python error, or a value of the wrong shape as memberkit's error.
fn read_failure(failure: Failure) -> PyErr {
    match failure {
        Failure::Json(err) => to_py(ChatError::Json(err)),
        Failure::Python(err) => err,
    }
}

/// A conversation state as given: none (a new conversation), one at hand (a
/// previous reply's, or read from a mapping), or JSON text to parse.
pub(super) enum StateInput {
    New,
    Taken(Box<ChatState>),
    Json(Json),
}

/// A member record as given: JSON text (parsed with the GIL released), or
/// read from a mapping.
pub(super) enum MemberInput {
    Json(PyBackedStr),
    Read(Box<Member>),
}

impl MemberInput {
    pub(super) fn of(member: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Self>> {
        let Some(member) = member.filter(|m| !m.is_none()) else {
            return Ok(None);
        };
        if let Ok(text) = member.cast::<PyString>() {
            return Ok(Some(Self::Json(text.extract()?)));
        }
        if member.cast::<PyMapping>().is_ok() {
            let record = from_py(member, "chat member").map_err(read_failure)?;
            return Ok(Some(Self::Read(Box::new(record))));
        }
        let type_name = member.get_type().name()?;
        Err(PyTypeError::new_err(format!(
            "a member record is {JSON_FORMS}, not {type_name}"
        )))
    }
}

impl StateInput {
    pub(super) fn of(state: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        if let Some(state) = state
            && state.get_type().is(reply_class(state.py())?)
        {
            let reply = state.getattr(intern!(state.py(), "_reply"))?;
            let reply = reply.cast::<ChatReply>()?;
            return Ok(Self::Taken(Box::new(reply.get().reply.state.clone())));
        }
        if let Some(state) = state.filter(|s| !s.is_instance_of::<PyString>())
            && state.cast::<PyMapping>().is_ok()
        {
            let state = from_py(state, "chat state").map_err(read_failure)?;
            return Ok(Self::Taken(Box::new(state)));
        }
        let forms = "a dict (a mapping), JSON text, a Reply or None";
        Ok(match json_of(state, "state", forms)? {
            Some(json) => Self::Json(json),
            None => Self::New,
        })
    }

    /// `f` of the state, parsed if need be.
    pub(super) fn with<R>(&self, f: impl FnOnce(&ChatState) -> R) -> Result<R, ChatError> {
        match self {
            Self::New => Ok(f(&ChatState::default())),
            Self::Taken(state) => Ok(f(state)),
            Self::Json(json) => Ok(f(&ChatState::from_json(json)?)),
        }
    }
}

/// The booking book a reply works on: a `SharedBook` (read under its
/// lock, not copied) or a `Book` value with its rules; and the instant of
/// the message.
pub(super) enum BookInput {
    Shared(Py<SharedBook>),
    Value(Arc<CoreBook>, Arc<CoreRules>),
}

pub(super) struct BookAt {
    book: BookInput,
    now: Instant,
}

pub(super) fn book_at(
    book: Option<&Bound<'_, PyAny>>,
    rules: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<BookAt>> {
    let rules = rules.filter(|r| !r.is_none());
    let Some(book) = book.filter(|b| !b.is_none()) else {
        if rules.is_some() {
            return Err(invalid_argument("rules go with a book".into()));
        }
        return Ok(None);
    };
    let book = if let Ok(shared) = book.cast::<SharedBook>() {
        if rules.is_some() {
            return Err(invalid_argument(
                "a SharedBook has its own rules: give rules only with a Book".into(),
            ));
        }
        BookInput::Shared(shared.clone().unbind())
    } else if let Ok(value) = book.cast::<Book>() {
        let rules = rules
            .ok_or_else(|| invalid_argument("a Book needs its rules (rules=)".into()))?
            .cast::<Rules>()
            .map_err(|_| PyTypeError::new_err("rules are memberkit.booking.Rules"))?;
        BookInput::Value(value.get().shared(), rules.get().shared())
    } else {
        return Err(PyTypeError::new_err(
            "book is a memberkit.booking.SharedBook or Book",
        ));
    };
    let now = now
        .filter(|n| !n.is_none())
        .ok_or_else(|| invalid_argument("now (an aware datetime) is needed with a book".into()))?;
    Ok(Some(BookAt {
        book,
        now: instant(now, "now")?,
    }))
}

/// `f` of the bookings `at` names (a shared book read under its lock).
fn with_bookings<R>(at: Option<&BookAt>, f: impl FnOnce(Option<Bookings<'_>>) -> R) -> R {
    let Some(BookAt { book, now }) = at else {
        return f(None);
    };
    let now = *now;
    match book {
        BookInput::Value(book, rules) => f(Some(Bookings { book, rules, now })),
        BookInput::Shared(shared) => shared
            .get()
            .read_with_rules(|book, rules| f(Some(Bookings { book, rules, now }))),
    }
}

/// The core's reply to `reading`, the member's record parsed first if it
/// came as text (run with the GIL released).
pub(super) fn reply_one(
    assistant: &CoreAssistant,
    reading: CoreReading,
    member: Option<&MemberInput>,
    book: Option<&BookAt>,
) -> Result<CoreReply, ChatError> {
    let parsed = match member {
        Some(MemberInput::Json(json)) => Some(Member::from_json(json)?),
        _ => None,
    };
    let member = match member {
        Some(MemberInput::Read(member)) => Some(&**member),
        _ => parsed.as_ref(),
    };
    Ok(with_bookings(book, |bookings| {
        assistant.reply_with(reading, member, bookings)
    }))
}

/// The model an assistant is made with: a `memberkit.intent.Model`, the
/// extension's `IntentModel`, or the shipped one.
pub(super) fn model_of(model: Option<&Bound<'_, PyAny>>) -> PyResult<Model> {
    let Some(model) = model.filter(|m| !m.is_none()) else {
        return default_model().map_err(to_py);
    };
    let inner = match model.cast::<IntentModel>() {
        Ok(inner) => inner.clone(),
        Err(_) => model
            .getattr(intern!(model.py(), "_inner"))
            .ok()
            .and_then(|inner| inner.cast_into::<IntentModel>().ok())
            .ok_or_else(|| {
                PyTypeError::new_err(
                    "model is a memberkit.intent.Model (or None for the shipped one)",
                )
            })?,
    };
    Ok((*inner.get().shared()).clone())
}
