//! Dunning: a policy, an account's receivables (commands, events and states
//! as dicts through memberkit JSON, as for memberkit.membership), its
//! queries and member-facing timeline, and the batch advance with the GIL
//! released. `memberkit/dunning.py` documents the API.

use crate::convert::{Day, PyDay, Untracked, dumps, dumps_list, str_repr};
use crate::errors::{invalid_argument, to_py};
use crate::money::Money;
use crate::pyvalue::to_py as value;
use memberkit::dunning::{
    Command, DunningError, Event, Language, Planned as CorePlanned, Policy as CorePolicy,
    Receivables as CoreReceivables, advance_all as advance_all_core, decide, events_from_json,
    events_to_json, membership_commands as membership_commands_core,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyList, PyMapping, PyString, PyTuple};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

/// A validated dunning policy; immutable, shared freely between threads.
#[pyclass(frozen, module = "memberkit.dunning", name = "Policy", eq)]
#[derive(PartialEq)]
pub(crate) struct Policy(Arc<CorePolicy>);

#[pymethods]
impl Policy {
    /// Reads a policy from a dict (with `fields` merged over it) or JSON text.
    #[new]
    #[pyo3(signature = (policy = None, /, **fields))]
    fn new(
        py: Python<'_>,
        policy: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let more = fields.filter(|f| !f.is_empty());
        let json = match policy {
            Some(text) if text.is_instance_of::<PyString>() => {
                if more.is_some() {
                    return Err(PyTypeError::new_err(
                        "fields cannot be added to a policy given as JSON text",
                    ));
                }
                text.extract::<PyBackedStr>()?.to_string()
            }
            _ => {
                let merged = PyDict::new(py);
                if let Some(policy) = policy {
                    let mapping = policy.cast::<PyMapping>().map_err(|_| {
                        PyTypeError::new_err("a policy is a dict (a mapping) or JSON text")
                    })?;
                    merged.update(mapping)?;
                }
                if let Some(more) = more {
                    merged.update(more.as_mapping())?;
                }
                dumps(merged.as_any())?
            }
        };
        CorePolicy::from_json(&json)
            .map(|p| Policy(Arc::new(p)))
            .map_err(to_py)
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value(py, &*self.0)
    }

    fn to_json(&self) -> String {
        self.0.to_json()
    }

    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency().code()
    }

    #[getter]
    fn grace_days(&self) -> u32 {
        self.0.grace_days()
    }

    #[getter]
    fn steps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value(py, self.0.steps())
    }

    fn __repr__(&self) -> String {
        format!(
            "Policy(currency='{}', grace_days={}, steps={})",
            self.0.currency(),
            self.0.grace_days(),
            self.0.steps().len()
        )
    }
}

/// An account's receivables under a policy: its invoices and their dunning
/// cases, behind one lock.
//
// Holds no Python object but its `Policy` (which holds none), so it can never
// be part of a reference cycle: every one is made `Untracked`.
#[pyclass(frozen, module = "memberkit.dunning", name = "Receivables")]
pub(crate) struct Receivables {
    policy: Py<Policy>,
    state: Mutex<CoreReceivables>,
}

impl Receivables {
    /// The state, locked. A batch advance holds its accounts' locks with
    /// the GIL released, so waiting for one releases the GIL too.
    fn lock(&self, py: Python<'_>) -> MutexGuard<'_, CoreReceivables> {
        loop {
            match self.state.try_lock() {
                Ok(state) => return state,
                Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => py.detach(|| drop(self.state.lock())),
            }
        }
    }

    /// A copy of the state.
    pub(crate) fn current(&self, py: Python<'_>) -> CoreReceivables {
        self.lock(py).clone()
    }

    fn rules(&self) -> &CorePolicy {
        &self.policy.get().0
    }

    /// Decides `command` on the locked state, applying the events if `apply`.
    fn run<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        at: Day,
        apply: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let command = Command::from_json(&dumps(command)?).map_err(to_py)?;
        let events = {
            let mut state = self.lock(py);
            let events = decide(&state, self.rules(), &command, at.0).map_err(to_py)?;
            if apply {
                events.iter().for_each(|event| state.apply_mut(event));
            }
            events
        };
        value(py, &events)
    }
}

/// The language of a member-facing message from its code.
fn language(code: &str) -> PyResult<Language> {
    code.parse().map_err(to_py)
}

/// Events given as an `Events` or as event dicts.
fn events_of(events: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    if let Ok(events) = events.cast::<Events>() {
        return Ok(events.get().0.clone());
    }
    let items = events.try_iter()?.collect::<PyResult<Vec<_>>>()?;
    events_from_json(&dumps_list(events.py(), items)?).map_err(to_py)
}

#[pymethods]
impl Receivables {
    // Returning an object from `#[new]` ignores `cls`: fine while
    // `Receivables` cannot be subclassed.
    #[new]
    #[pyo3(signature = (policy, state = None))]
    fn new(
        policy: Bound<'_, Policy>,
        state: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Untracked<Self>> {
        let state = match state {
            None => CoreReceivables::default(),
            Some(text) if text.is_instance_of::<PyString>() => {
                CoreReceivables::from_json(&text.extract::<PyBackedStr>()?).map_err(to_py)?
            }
            Some(state) => CoreReceivables::from_json(&dumps(state)?).map_err(to_py)?,
        };
        Ok(Untracked(Receivables {
            policy: policy.unbind(),
            state: Mutex::new(state),
        }))
    }

    /// The events that would follow `command` made on `at`; nothing changes.
    fn decide<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        at: Day,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.run(py, command, at, false)
    }

    /// Decides `command` made on `at` and applies the events, under one lock.
    fn execute<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        at: Day,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.run(py, command, at, true)
    }

    /// Applies events decided earlier (event dicts or an `Events`).
    fn apply(&self, py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<()> {
        let events = events_of(events)?;
        let mut state = self.lock(py);
        events.iter().for_each(|event| state.apply_mut(event));
        Ok(())
    }

    #[getter]
    fn policy(&self, py: Python<'_>) -> Py<Policy> {
        self.policy.clone_ref(py)
    }

    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.lock(py).clone();
        value(py, &state)
    }

    fn to_json(&self, py: Python<'_>) -> String {
        self.lock(py).to_json()
    }

    #[getter]
    fn version(&self, py: Python<'_>) -> u64 {
        self.lock(py).version
    }

    #[getter]
    fn standing(&self, py: Python<'_>) -> &'static str {
        self.lock(py).standing.name()
    }

    #[getter]
    fn restrictions(&self, py: Python<'_>) -> Vec<String> {
        self.lock(py)
            .restrictions
            .iter()
            .map(|r| r.to_string())
            .collect()
    }

    fn is_restricted(&self, py: Python<'_>, restriction: &str) -> bool {
        self.lock(py).is_restricted(restriction)
    }

    #[getter]
    fn unpaid_balance(&self, py: Python<'_>) -> Option<Money> {
        self.lock(py).unpaid_balance().map(Money::from)
    }

    #[getter]
    fn total_collected(&self, py: Python<'_>) -> Option<Money> {
        self.lock(py).total_collected().map(Money::from)
    }

    #[getter]
    fn totals<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let totals = self.lock(py).totals();
        totals.map(|t| value(py, &t)).transpose()
    }

    fn open_invoices<'py>(&self, py: Python<'py>, at: Day) -> PyResult<Bound<'py, PyAny>> {
        let open = self.lock(py).open_invoices(at.0);
        value(py, &open)
    }

    #[getter]
    fn oldest_unpaid<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let oldest = self.lock(py).oldest_unpaid().cloned();
        oldest.map(|invoice| value(py, &invoice)).transpose()
    }

    fn view<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let view = self.lock(py).view();
        value(py, &view)
    }

    /// The steps still to come, in date order, each told in `language`.
    #[pyo3(signature = (language = "ja"))]
    fn timeline<'py>(&self, py: Python<'py>, language: &str) -> PyResult<Bound<'py, PyList>> {
        let language = self::language(language)?;
        let planned = self.lock(py).timeline(self.rules()).map_err(to_py)?;
        PyList::new(
            py,
            planned
                .into_iter()
                .map(|planned| Untracked(Planned { planned, language })),
        )
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let state = self.lock(py);
        let balance = state
            .unpaid_balance()
            .map_or("None".into(), |b| Money::from(b).__repr__());
        format!(
            "Receivables(standing='{}', unpaid_balance={balance}, version={})",
            state.standing, state.version
        )
    }
}

/// A step still to come for an unpaid invoice, with what the member is told.
#[pyclass(frozen, module = "memberkit.dunning", name = "Planned", eq)]
#[derive(PartialEq)]
pub(crate) struct Planned {
    planned: CorePlanned,
    language: Language,
}

#[pymethods]
impl Planned {
    #[getter]
    fn on(&self) -> PyDay {
        PyDay(self.planned.on)
    }

    #[getter]
    fn invoice(&self) -> &str {
        &self.planned.invoice
    }

    #[getter]
    fn step(&self) -> u8 {
        self.planned.step
    }

    #[getter]
    fn action(&self) -> &'static str {
        self.planned.action.name()
    }

    #[getter]
    fn amount(&self) -> Money {
        self.planned.amount.into()
    }

    /// The core's sentence for the member, in the timeline's language.
    #[getter]
    fn message(&self) -> String {
        self.planned.message(self.language)
    }

    #[getter]
    fn language(&self) -> &'static str {
        self.language.code()
    }

    /// The step as a dict: `on`, `invoice`, `step`, `action` and its fields, `amount`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value(py, &self.planned)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Planned('{}', '{}', invoice={}, amount={})",
            self.planned.on,
            self.planned.action.name(),
            str_repr(py, &self.planned.invoice)?,
            Money::from(self.planned.amount).__repr__()
        ))
    }
}

/// An account's events from a batch advance, kept as Rust data: each item
/// is an event dict made when read.
//
// Holds no Python object: made `Untracked`.
#[pyclass(frozen, module = "memberkit.dunning", name = "Events")]
pub(crate) struct Events(Vec<Event>);

crate::sequence::lazy_events!(Events, Event, events_to_json);

/// The membership commands that dunning events call for, as dicts.
#[pyfunction]
fn membership_commands<'py>(events: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let commands = membership_commands_core(&events_of(events)?);
    value(events.py(), &commands)
}

/// One changed account of a batch advance: `(account, Events)`, or
/// `(account, exception)` for an account its advance refused.
struct Changed<'a, 'py>(
    &'a Bound<'py, Receivables>,
    Result<Vec<Event>, DunningError>,
);

impl<'py> IntoPyObject<'py> for Changed<'_, 'py> {
    type Target = PyTuple;
    type Output = Bound<'py, PyTuple>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let outcome = match self.1 {
            Ok(events) => Untracked(Events(events)).into_pyobject(py)?.into_any(),
            Err(err) => to_py(err).into_value(py).into_bound(py).into_any(),
        };
        PyTuple::new(py, [self.0.clone().into_any(), outcome])
    }
}

/// Advances every account to `at` with one call of the core's
/// `advance_all`, the GIL released; returns the accounts that changed, each
/// with its `Events` (already applied) or the exception its advance raised.
#[pyfunction]
fn advance_all<'py>(
    py: Python<'py>,
    accounts: &Bound<'py, PyAny>,
    policy: &Bound<'py, Policy>,
    at: Day,
) -> PyResult<Bound<'py, PyList>> {
    let policy = &policy.get().0;
    let mut taken: Vec<Bound<'py, Receivables>> = Vec::with_capacity(accounts.len().unwrap_or(0));
    for (i, item) in accounts.try_iter()?.enumerate() {
        let account = item?.cast_into::<Receivables>().map_err(|_| {
            PyTypeError::new_err(format!(
                "accounts[{i}] is not a memberkit.dunning.Receivables"
            ))
        })?;
        let own = &account.get().policy.get().0;
        if !Arc::ptr_eq(own, policy) && **own != **policy {
            return Err(invalid_argument(format!(
                "accounts[{i}] follows another policy than the one given"
            )));
        }
        taken.push(account);
    }
    // Every account locked before anything is advanced; a lock held
    // elsewhere is another batch advancing it (or the account given twice).
    let mut guards = Vec::with_capacity(taken.len());
    for (i, account) in taken.iter().enumerate() {
        match account.get().state.try_lock() {
            Ok(state) => guards.push(state),
            Err(TryLockError::Poisoned(poisoned)) => guards.push(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => {
                return Err(invalid_argument(format!(
                    "accounts[{i}] is being advanced already: a Receivables may appear once \
                     in a batch and be advanced by one batch at a time"
                )));
            }
        }
    }
    // Advanced where they are, behind their locks.
    let states: Vec<&mut CoreReceivables> = guards.iter_mut().map(|state| &mut **state).collect();
    let policy: &CorePolicy = policy;
    let changed = py.detach(move || advance_all_core(states, policy, at.0));
    drop(guards);
    PyList::new(
        py,
        changed
            .into_iter()
            .map(|(i, outcome)| Changed(&taken[i], outcome)),
    )
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Policy>()?;
    m.add_class::<Receivables>()?;
    m.add_class::<Planned>()?;
    m.add_class::<Events>()?;
    m.add_function(wrap_pyfunction!(membership_commands, m)?)?;
    m.add_function(wrap_pyfunction!(advance_all, m)?)?;
    Ok(())
}
