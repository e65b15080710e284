//! The events a booking command returns, kept as Rust data: each item is an
//! event dict (the JSON event's shape, instants as aware datetimes) made
//! when read, so a caller that reads none pays for none.

use crate::convert::dumps_list;
use crate::errors::to_py;
use crate::pyvalue::to_py as value;
use memberkit::booking::{Event, events_from_json, events_to_json};
use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyList, PySlice, PyTuple};

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

/// The `"type"` memberkit's JSON gives an event.
fn event_type(event: &Event) -> &'static str {
    match event {
        Event::SessionScheduled { .. } => "session_scheduled",
        Event::MemberSet { .. } => "member_set",
        Event::PackAdded { .. } => "pack_added",
        Event::Booked { .. } => "booked",
        Event::Waitlisted { .. } => "waitlisted",
        Event::OfferMade { .. } => "offer_made",
        Event::OfferExpired { .. } => "offer_expired",
        Event::OfferDeclined { .. } => "offer_declined",
        Event::OfferWithdrawn { .. } => "offer_withdrawn",
        Event::Promoted { .. } => "promoted",
        Event::LeftWaitlist { .. } => "left_waitlist",
        Event::Cancelled { .. } => "cancelled",
        Event::Released { .. } => "released",
        Event::MovedToWaitlist { .. } => "moved_to_waitlist",
        Event::CapacityChanged { .. } => "capacity_changed",
        Event::SessionCancelled { .. } => "session_cancelled",
        Event::WaitlistClosed { .. } => "waitlist_closed",
        Event::CheckedIn { .. } => "checked_in",
        Event::NoShow { .. } => "no_show",
        Event::AttendanceClosed { .. } => "attendance_closed",
        Event::CreditReserved { .. } => "credit_reserved",
        Event::CreditConsumed { .. } => "credit_consumed",
        Event::CreditReturned { .. } => "credit_returned",
        Event::CreditForfeited { .. } => "credit_forfeited",
        Event::CreditsExpired { .. } => "credits_expired",
        Event::FeeCharged { .. } => "fee_charged",
        Event::StrikeRecorded { .. } => "strike_recorded",
        Event::BookingLocked { .. } => "booking_locked",
    }
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
        let py = index.py();
        let len = self.0.len();
        if let Ok(slice) = index.cast::<PySlice>() {
            let range = slice.indices(len as isize)?;
            let picked: Vec<&Event> = (0..range.slicelength)
                .map(|k| &self.0[(range.start + k as isize * range.step) as usize])
                .collect();
            return value(py, &picked);
        }
        let index: isize = index.extract().map_err(|err: PyErr| {
            if err.is_instance_of::<PyTypeError>(py) {
                let type_name = index.get_type().name().map(|n| n.to_string());
                PyTypeError::new_err(format!(
                    "Events indices must be integers or slices, not {}",
                    type_name.unwrap_or_default()
                ))
            } else {
                PyIndexError::new_err("Events index out of range")
            }
        })?;
        let position = if index < 0 {
            index + len as isize
        } else {
            index
        };
        if !(0..len as isize).contains(&position) {
            return Err(PyIndexError::new_err("Events index out of range"));
        }
        value(py, &self.0[position as usize])
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
        } else if other.is_instance_of::<PyList>() || other.is_instance_of::<PyTuple>() {
            let items = other.try_iter()?.collect::<PyResult<Vec<_>>>()?;
            self.to_list(py)?.eq(PyList::new(py, items)?)?
        } else {
            return Ok(py.NotImplemented().into_bound(py));
        };
        Ok(PyBool::new(py, equal).to_owned().into_any())
    }

    /// The events' types, in order: `["cancelled", "promoted"]`.
    fn types(&self) -> Vec<&'static str> {
        self.0.iter().map(event_type).collect()
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
