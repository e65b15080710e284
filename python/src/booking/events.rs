//! The events a booking command returns, kept as Rust data: each item is an
//! event dict (the JSON event's shape, instants as aware datetimes) made
//! when read, so a caller that reads none pays for none.

use crate::convert::dumps_list;
use crate::errors::to_py;
use crate::pyvalue::to_py as value;
use memberkit::booking::{Event, events_from_json, events_to_json};
use pyo3::prelude::*;
use pyo3::types::PyBool;

// Holds no Python object.
#[pyclass(frozen, module = "memberkit.booking", name = "BookingEvents")]
pub(crate) struct Events(pub(crate) Vec<Event>);

/// Events given as an `Events` or as event dicts.
pub(crate) fn events_of(events: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    if let Ok(events) = events.cast::<Events>() {
        return Ok(events.get().0.clone());
    }
    let items = events.try_iter()?.collect::<PyResult<Vec<_>>>()?;
    events_from_json(&dumps_list(events.py(), items)?).map_err(to_py)
}

#[pymethods]
impl Events {
    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __bool__(&self) -> bool {
        !self.0.is_empty()
    }

    /// `events[i]` (negative counts from the end) is an event dict;
    /// `events[i:j:k]` a list of them.
    fn __getitem__<'py>(&self, index: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        crate::sequence::item(&self.0, index, "Events")
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.to_list(py)?.try_iter()?.into_any())
    }

    /// Equal to `Events` with equal events, or to a list or tuple of the
    /// same event dicts.
    fn __eq__<'py>(&self, other: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = other.py();
        let equal = if let Ok(other) = other.cast::<Events>() {
            self.0 == other.get().0
        } else if let Some(equal) = crate::sequence::equals_list(&self.0, other)? {
            equal
        } else {
            return Ok(py.NotImplemented().into_bound(py));
        };
        Ok(PyBool::new(py, equal).to_owned().into_any())
    }

    /// The events' types, in order: `["cancelled", "promoted"]`.
    fn types(&self) -> Vec<&'static str> {
        self.0.iter().map(Event::name).collect()
    }

    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value(py, &self.0)
    }

    fn to_json(&self) -> String {
        events_to_json(&self.0)
    }

    fn __repr__(&self) -> String {
        let types: Vec<String> = self.types().iter().map(|t| format!("'{t}'")).collect();
        format!("Events([{}])", types.join(", "))
    }
}
