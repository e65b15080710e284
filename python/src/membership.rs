//! The membership catalog and decider, with commands, events and states as
//! JSON text; `memberkit/membership.py` turns them into dicts.

use crate::convert::Day;
use crate::errors::to_py;
use crate::ledger::EventLog;
use memberkit::membership::{
    Catalog as CoreCatalog, Command, Event, Membership as CoreMembership, decide, events_from_json,
    events_to_json, to_json,
};
use pyo3::prelude::*;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A catalog of plans, immutable once made and shared freely between threads.
#[pyclass(frozen, module = "memberkit._memberkit", name = "Catalog")]
pub(crate) struct Catalog(Arc<CoreCatalog>);

impl Catalog {
    pub(crate) fn shared(&self) -> Arc<CoreCatalog> {
        Arc::clone(&self.0)
    }
}

#[pymethods]
impl Catalog {
    #[new]
    fn new(plans_json: &str) -> PyResult<Self> {
        CoreCatalog::from_json(plans_json)
            .map(|c| Catalog(Arc::new(c)))
            .map_err(to_py)
    }

    fn plan_ids(&self) -> Vec<String> {
        self.0.plans().map(|p| p.id.to_string()).collect()
    }
}

/// One membership: its state and the events executed or applied on it
/// since it was made, behind one lock, and the catalog it follows.
#[pyclass(frozen, module = "memberkit._memberkit", name = "Membership")]
pub(crate) struct Membership {
    catalog: Arc<CoreCatalog>,
    state: Mutex<History>,
}

/// A membership's state and the events that made it on this object.
struct History {
    state: CoreMembership,
    /// Shared with the `EventLog`s handed out; copied only when one is
    /// still held as new events arrive.
    events: Arc<Vec<Event>>,
}

impl History {
    /// Applies `events` to the state and records them.
    fn record(&mut self, events: Vec<Event>) {
        self.state = events.iter().fold(self.state.clone(), |m, e| m.apply(e));
        Arc::make_mut(&mut self.events).extend(events);
    }
}

impl Membership {
    fn lock(&self) -> MutexGuard<'_, History> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn state(&self) -> CoreMembership {
        self.lock().state.clone()
    }
}

#[pymethods]
impl Membership {
    #[new]
    #[pyo3(signature = (catalog, state_json = None))]
    fn new(catalog: &Catalog, state_json: Option<&str>) -> PyResult<Self> {
        let state = match state_json {
            Some(json) => CoreMembership::from_json(json).map_err(to_py)?,
            None => CoreMembership::default(),
        };
        Ok(Membership {
            catalog: Arc::clone(&catalog.0),
            state: Mutex::new(History {
                state,
                events: Arc::default(),
            }),
        })
    }

    /// Decides without changing the state; returns the events as JSON.
    fn decide(&self, command_json: &str, at: Day) -> PyResult<String> {
        let command = Command::from_json(command_json).map_err(to_py)?;
        let events = decide(&self.state(), &self.catalog, &command, at.0).map_err(to_py)?;
        Ok(events_to_json(&events))
    }

    /// Decides, applies and records under one lock; returns the events as JSON.
    fn execute(&self, command_json: &str, at: Day) -> PyResult<String> {
        let command = Command::from_json(command_json).map_err(to_py)?;
        let mut history = self.lock();
        let events = decide(&history.state, &self.catalog, &command, at.0).map_err(to_py)?;
        let json = events_to_json(&events);
        history.record(events);
        Ok(json)
    }

    /// Applies and records events decided earlier.
    fn apply(&self, events_json: &str) -> PyResult<()> {
        let events = events_from_json(events_json).map_err(to_py)?;
        self.lock().record(events);
        Ok(())
    }

    /// The events executed or applied since this object was made, in order.
    #[getter]
    fn events(&self) -> EventLog {
        EventLog(Arc::clone(&self.lock().events))
    }

    fn state_json(&self) -> String {
        self.state().to_json()
    }

    #[getter]
    fn status(&self) -> &'static str {
        self.state().status.name()
    }

    #[getter]
    fn version(&self) -> u64 {
        self.state().version
    }

    fn view_json(&self, on: Day) -> PyResult<String> {
        self.state()
            .view(&self.catalog, on.0)
            .map(|v| to_json(&v))
            .map_err(to_py)
    }

    fn booking_allowance_json(&self, on: Day, used: u32) -> PyResult<String> {
        let allowance = self
            .state()
            .booking_allowance(&self.catalog, on.0, used)
            .map_err(to_py)?;
        Ok(to_json(&allowance))
    }
}

/// Validates a plan given as JSON and returns it with every default filled in.
#[pyfunction]
fn normalize_plan_json(plan_json: &str) -> PyResult<String> {
    memberkit::membership::Plan::from_json(plan_json)
        .map(|p| p.to_json())
        .map_err(to_py)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(normalize_plan_json, m)?)?;
    m.add_class::<Catalog>()?;
    m.add_class::<Membership>()?;
    Ok(())
}
