//! The events a booking command returns, kept as Rust data: each item is an
//! event dict (the JSON event's shape, instants as aware datetimes) made
//! when read, so a caller that reads none pays for none.

use crate::convert::dumps_list;
use crate::errors::to_py;
use memberkit::booking::{Event, events_from_json, events_to_json};
use pyo3::prelude::*;

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

crate::sequence::lazy_events!(Events, Event, events_to_json);
