//! Booking: rules, a book as a value, a book shared between threads, and
//! the events they return. Converts and delegates: every rule is the core's.
//! `memberkit/booking.py` documents the API.

mod events;

use crate::convert::{Text, dumps, instant};
use crate::dunning::Receivables;
use crate::errors::to_py;
use crate::membership::{Catalog, Membership};
use crate::pyvalue::{instant as py_instant, to_py as value};
use events::{Events, events_of};
use memberkit::booking::{
    Book as CoreBook, CancelledBy, Command, Eligibility, Instant, Rules as CoreRules,
    SharedBook as CoreShared, decide,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyMapping, PyString};
use std::sync::Arc;

/// Validated booking rules; immutable, shared freely between threads.
#[pyclass(frozen, module = "memberkit.booking", name = "Rules", eq)]
#[derive(PartialEq)]
pub(crate) struct Rules(Arc<CoreRules>);

impl Rules {
    /// The rules, shared (the chat assistant books with them).
    pub(crate) fn shared(&self) -> Arc<CoreRules> {
        Arc::clone(&self.0)
    }
}

/// JSON text of a dict (with `fields` merged over it) or the text given.
fn config_json(
    py: Python<'_>,
    config: Option<&Bound<'_, PyAny>>,
    fields: Option<&Bound<'_, PyDict>>,
    what: &str,
) -> PyResult<String> {
    let more = fields.filter(|f| !f.is_empty());
    if let Some(text) = config.filter(|c| c.is_instance_of::<PyString>()) {
        if more.is_some() {
            return Err(PyTypeError::new_err(format!(
                "fields cannot be added to {what} given as JSON text"
            )));
        }
        return Ok(text.extract::<PyBackedStr>()?.to_string());
    }
    let merged = PyDict::new(py);
    if let Some(config) = config {
        let mapping = config.cast::<PyMapping>().map_err(|_| {
            PyTypeError::new_err(format!("{what} is a dict (a mapping) or JSON text"))
        })?;
        merged.update(mapping)?;
    }
    if let Some(more) = more {
        merged.update(more.as_mapping())?;
    }
    dumps(merged.as_any())
}

/// A command given as a dict (or JSON text).
fn command_of(command: &Bound<'_, PyAny>) -> PyResult<Command> {
    let json = match command.cast::<PyString>() {
        Ok(text) => text.extract::<PyBackedStr>()?.to_string(),
        Err(_) => dumps(command)?,
    };
    Command::from_json(&json).map_err(to_py)
}

/// A seat count given as a Python int.
fn party(party: i64) -> PyResult<u32> {
    u32::try_from(party).map_err(|_| {
        to_py(memberkit::Error::CountOutOfRange {
            what: "party",
            value: party,
            max: u32::MAX.into(),
        })
    })
}

#[pymethods]
impl Rules {
    /// Reads rules from a dict (with `fields` merged over it) or JSON text;
    /// no argument gives the default rules.
    #[new]
    #[pyo3(signature = (rules = None, /, **fields))]
    fn new(
        py: Python<'_>,
        rules: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let json = config_json(py, rules, fields, "booking rules")?;
        CoreRules::from_json(&json)
            .map(|r| Rules(Arc::new(r)))
            .map_err(to_py)
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value(py, &*self.0)
    }

    fn to_json(&self) -> String {
        self.0.to_json()
    }

    #[getter]
    fn policies(&self) -> Vec<String> {
        self.0.policies.keys().map(|k| k.to_string()).collect()
    }

    fn __repr__(&self) -> String {
        let names: Vec<String> = self.policies().iter().map(|p| format!("'{p}'")).collect();
        format!("Rules(policies=[{}])", names.join(", "))
    }
}

/// A book as a value: sessions, members and version. Never changes;
/// `apply` and `execute` return a new book.
#[pyclass(frozen, module = "memberkit.booking", name = "Book", eq)]
#[derive(PartialEq)]
pub(crate) struct Book(Arc<CoreBook>);

impl Book {
    /// The book, shared (the chat assistant answers from it).
    pub(crate) fn shared(&self) -> Arc<CoreBook> {
        Arc::clone(&self.0)
    }
}

/// Ids in order.
fn sorted<'a>(ids: impl Iterator<Item = &'a memberkit::booking::SessionId>) -> Vec<String> {
    let mut ids: Vec<String> = ids.map(|id| id.to_string()).collect();
    ids.sort_unstable();
    ids
}

/// A book given as a `Book`, a dict or JSON text.
fn book_of(book: &Bound<'_, PyAny>) -> PyResult<CoreBook> {
    if let Ok(book) = book.cast::<Book>() {
        return Ok((*book.get().0).clone());
    }
    let json = match book.cast::<PyString>() {
        Ok(text) => text.extract::<PyBackedStr>()?.to_string(),
        Err(_) => dumps(book)?,
    };
    CoreBook::from_json(&json).map_err(to_py)
}

#[pymethods]
impl Book {
    #[new]
    fn new() -> Self {
        Book(Arc::default())
    }

    /// A book saved with `to_json` (or as a dict).
    #[staticmethod]
    fn from_json(json: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Book(Arc::new(book_of(json)?)))
    }

    fn to_json(&self) -> String {
        self.0.to_json()
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value(py, &*self.0)
    }

    #[getter]
    fn version(&self) -> u64 {
        self.0.version
    }

    #[getter]
    fn as_of<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0.as_of.map(|at| py_instant(py, &at)).transpose()
    }

    #[getter]
    fn session_ids(&self) -> Vec<String> {
        sorted(self.0.sessions.keys())
    }

    #[getter]
    fn member_ids(&self) -> Vec<String> {
        sorted(self.0.members.keys())
    }

    /// The events that would follow `command` made at `at`; nothing changes.
    fn decide(
        &self,
        rules: &Rules,
        command: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<Events> {
        let command = command_of(command)?;
        let at = instant(at, "at")?;
        decide(&self.0, &rules.0, &command, at)
            .map(Events)
            .map_err(to_py)
    }

    /// The book after `events` (an `Events` or event dicts).
    fn apply(&self, events: &Bound<'_, PyAny>) -> PyResult<Self> {
        let events = events_of(events)?;
        let mut book = (*self.0).clone();
        events.iter().for_each(|e| book.apply_mut(e));
        Ok(Book(Arc::new(book)))
    }

    /// Decides `command` at `at`; returns the new book and the events.
    fn execute(
        &self,
        rules: &Rules,
        command: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<(Self, Events)> {
        let command = command_of(command)?;
        let at = instant(at, "at")?;
        let mut book = (*self.0).clone();
        let events = book.execute(&rules.0, &command, at).map_err(to_py)?;
        Ok((Book(Arc::new(book)), Events(events)))
    }

    fn session_view<'py>(
        &self,
        py: Python<'py>,
        session: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0
            .session_view(session)
            .map(|v| value(py, &v))
            .transpose()
    }

    fn member_view<'py>(
        &self,
        py: Python<'py>,
        member: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let at = instant(at, "at")?;
        self.0
            .member_view(member, at)
            .map(|v| value(py, &v))
            .transpose()
    }

    /// When `advance` next has something to do under `rules`, or `None`.
    fn next_due<'py>(&self, py: Python<'py>, rules: &Rules) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0
            .next_due(&rules.0)
            .map(|at| py_instant(py, &at))
            .transpose()
    }

    fn __repr__(&self) -> String {
        format!(
            "Book(version={}, sessions={}, members={})",
            self.0.version,
            self.0.sessions.len(),
            self.0.members.len()
        )
    }
}

/// A book and its rules behind the core's lock, for many threads: each call
/// converts its arguments, decides and applies under the lock (releasing the
/// GIL when it must wait for the lock, or for `advance`), and converts the
/// events back.
#[pyclass(frozen, module = "memberkit.booking", name = "SharedBook")]
pub(crate) struct SharedBook {
    rules: Arc<CoreRules>,
    inner: CoreShared,
}

impl SharedBook {
    /// `read` of the book and its rules, under the book's lock (the chat
    /// assistant answers and dry-runs bookings so, without a copy).
    pub(crate) fn read_with_rules<R>(&self, read: impl FnOnce(&CoreBook, &CoreRules) -> R) -> R {
        self.inner.read(|book| read(book, &self.rules))
    }
}

impl SharedBook {
    /// A short command runs with the GIL held when the book's lock is free
    /// (releasing and taking back the GIL costs more than the command); when
    /// another thread holds the lock, or for `advance`, which may copy the
    /// book, the GIL is released first.
    fn run(&self, py: Python<'_>, command: Command, at: Instant) -> PyResult<Events> {
        let quick = match command {
            Command::Advance => None,
            _ => self.inner.try_execute(&command, at),
        };
        quick
            .unwrap_or_else(|| py.detach(|| self.inner.execute(&command, at)))
            .map(Events)
            .map_err(to_py)
    }

    fn seat(
        &self,
        py: Python<'_>,
        at: &Bound<'_, PyAny>,
        make: impl FnOnce() -> Command,
    ) -> PyResult<Events> {
        let at = instant(at, "at")?;
        self.run(py, make(), at)
    }
}

#[pymethods]
impl SharedBook {
    #[new]
    #[pyo3(signature = (rules, book = None))]
    fn new(rules: &Rules, book: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let book = book.map(book_of).transpose()?.unwrap_or_default();
        Ok(SharedBook {
            rules: Arc::clone(&rules.0),
            inner: CoreShared::new((*rules.0).clone(), book),
        })
    }

    #[getter]
    fn rules(&self) -> Rules {
        Rules(Arc::clone(&self.rules))
    }

    /// Decides and applies `command` (a dict) at `at`, atomically.
    fn execute(
        &self,
        py: Python<'_>,
        command: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<Events> {
        let command = command_of(command)?;
        let at = instant(at, "at")?;
        self.run(py, command, at)
    }

    #[pyo3(signature = (session, member, at, party = 1))]
    fn book(
        &self,
        py: Python<'_>,
        session: Text<'_>,
        member: Text<'_>,
        at: &Bound<'_, PyAny>,
        party: i64,
    ) -> PyResult<Events> {
        let party = self::party(party)?;
        self.seat(py, at, || Command::Book {
            session: session.0.into(),
            member: member.0.into(),
            party,
        })
    }

    #[pyo3(signature = (session, member, at, by_staff = false))]
    fn cancel(
        &self,
        py: Python<'_>,
        session: Text<'_>,
        member: Text<'_>,
        at: &Bound<'_, PyAny>,
        by_staff: bool,
    ) -> PyResult<Events> {
        let by = if by_staff {
            CancelledBy::Staff
        } else {
            CancelledBy::Member
        };
        self.seat(py, at, || Command::Cancel {
            session: session.0.into(),
            member: member.0.into(),
            by,
        })
    }

    #[pyo3(signature = (session, member, at, party = 1))]
    fn join_waitlist(
        &self,
        py: Python<'_>,
        session: Text<'_>,
        member: Text<'_>,
        at: &Bound<'_, PyAny>,
        party: i64,
    ) -> PyResult<Events> {
        let party = self::party(party)?;
        self.seat(py, at, || Command::JoinWaitlist {
            session: session.0.into(),
            member: member.0.into(),
            party,
        })
    }

    fn leave_waitlist(
        &self,
        py: Python<'_>,
        session: Text<'_>,
        member: Text<'_>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<Events> {
        self.seat(py, at, || Command::LeaveWaitlist {
            session: session.0.into(),
            member: member.0.into(),
        })
    }

    fn accept_offer(
        &self,
        py: Python<'_>,
        session: Text<'_>,
        member: Text<'_>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<Events> {
        self.seat(py, at, || Command::AcceptOffer {
            session: session.0.into(),
            member: member.0.into(),
        })
    }

    fn decline_offer(
        &self,
        py: Python<'_>,
        session: Text<'_>,
        member: Text<'_>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<Events> {
        self.seat(py, at, || Command::DeclineOffer {
            session: session.0.into(),
            member: member.0.into(),
        })
    }

    fn check_in(
        &self,
        py: Python<'_>,
        session: Text<'_>,
        member: Text<'_>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<Events> {
        self.seat(py, at, || Command::CheckIn {
            session: session.0.into(),
            member: member.0.into(),
        })
    }

    fn mark_no_show(
        &self,
        py: Python<'_>,
        session: Text<'_>,
        member: Text<'_>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<Events> {
        self.seat(py, at, || Command::MarkNoShow {
            session: session.0.into(),
            member: member.0.into(),
        })
    }

    /// Lets time pass to `at` ({"type": "advance"}).
    fn advance(&self, py: Python<'_>, at: &Bound<'_, PyAny>) -> PyResult<Events> {
        self.seat(py, at, || Command::Advance)
    }

    fn session_view<'py>(
        &self,
        py: Python<'py>,
        session: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let view = py.detach(|| self.inner.session_view(session));
        view.map(|v| value(py, &v)).transpose()
    }

    fn member_view<'py>(
        &self,
        py: Python<'py>,
        member: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let at = instant(at, "at")?;
        let view = py.detach(|| self.inner.member_view(member, at));
        view.map(|v| value(py, &v)).transpose()
    }

    /// A copy of the book, as a `Book`.
    fn snapshot(&self, py: Python<'_>) -> Book {
        Book(Arc::new(py.detach(|| self.inner.snapshot())))
    }

    /// When `advance` next has something to do, or `None`.
    fn next_due<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let due = py.detach(|| self.inner.next_due());
        due.map(|at| py_instant(py, &at)).transpose()
    }

    #[getter]
    fn version(&self, py: Python<'_>) -> u64 {
        py.detach(|| self.inner.version())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("SharedBook(version={})", self.version(py))
    }
}

/// A member's eligibility (a dict for `set_member`) read from their
/// membership and, when given, their dunning account.
#[pyfunction]
#[pyo3(signature = (membership, catalog, receivables = None))]
fn eligibility_from_records<'py>(
    py: Python<'py>,
    membership: &Membership,
    catalog: &Catalog,
    receivables: Option<&Receivables>,
) -> PyResult<Bound<'py, PyAny>> {
    let state = membership.state();
    let account = receivables.map(|r| r.current(py));
    let eligibility =
        Eligibility::from_records(&state, &catalog.shared(), account.as_ref()).map_err(to_py)?;
    value(py, &eligibility)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Rules>()?;
    m.add_class::<Book>()?;
    m.add_class::<SharedBook>()?;
    m.add_class::<Events>()?;
    m.add_function(wrap_pyfunction!(eligibility_from_records, m)?)?;
    Ok(())
}
