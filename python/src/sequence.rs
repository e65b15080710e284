//! What the lazily read sequences (`dunning.Events`, `booking.Events`)
//! share: indexing and slicing into Python values, and equality with a list.

use crate::pyvalue::to_py as value;
use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PySlice, PyTuple};
use serde::Serialize;

/// `items[index]` as a Python value (negative counts from the end), or a
/// list of them for a slice; `what` names the sequence in errors.
pub(crate) fn item<'py, T: Serialize>(
    items: &[T],
    index: &Bound<'py, PyAny>,
    what: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let py = index.py();
    let len = items.len();
    if let Ok(slice) = index.cast::<PySlice>() {
        let range = slice.indices(len as isize)?;
        let picked: Vec<&T> = (0..range.slicelength)
            .map(|k| &items[(range.start + k as isize * range.step) as usize])
            .collect();
        return value(py, &picked);
    }
    let index: isize = index.extract().map_err(|err: PyErr| {
        if err.is_instance_of::<PyTypeError>(py) {
            let type_name = index.get_type().name().map(|n| n.to_string());
            PyTypeError::new_err(format!(
                "{what} indices must be integers or slices, not {}",
                type_name.unwrap_or_default()
            ))
        } else {
            PyIndexError::new_err(format!("{what} index out of range"))
        }
    })?;
    let position = if index < 0 {
        index + len as isize
    } else {
        index
    };
    if !(0..len as isize).contains(&position) {
        return Err(PyIndexError::new_err(format!("{what} index out of range")));
    }
    value(py, &items[position as usize])
}

/// Whether `items` as Python values equal `other`, a list or tuple; `None`
/// for anything else (the caller answers `NotImplemented`).
pub(crate) fn equals_list<T: Serialize + ?Sized>(
    items: &T,
    other: &Bound<'_, PyAny>,
) -> PyResult<Option<bool>> {
    if !(other.is_instance_of::<PyList>() || other.is_instance_of::<PyTuple>()) {
        return Ok(None);
    }
    let py = other.py();
    let others = other.try_iter()?.collect::<PyResult<Vec<_>>>()?;
    Ok(Some(value(py, items)?.eq(PyList::new(py, others)?)?))
}

/// The methods of a lazily read `Events` class over a `Vec` of a core event
/// type that has `name()`, written as JSON by `$to_json`: `len`, `bool`,
/// indexing and slicing, iteration, equality with `Events` or a list of
/// event dicts, `types()`, `to_list()`, `to_json()` and `repr`. The
/// module using it imports `pyo3::prelude::*`.
macro_rules! lazy_events {
    ($events:ident, $event:ty, $to_json:path) => {
        #[::pyo3::pymethods]
        impl $events {
            fn __len__(&self) -> usize {
                self.0.len()
            }

            fn __bool__(&self) -> bool {
                !self.0.is_empty()
            }

            /// `events[i]` (negative counts from the end) is an event dict;
            /// `events[i:j:k]` a list of them.
            fn __getitem__<'py>(
                &self,
                index: &::pyo3::Bound<'py, ::pyo3::PyAny>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                $crate::sequence::item(&self.0, index, "Events")
            }

            fn __iter__<'py>(
                &self,
                py: ::pyo3::Python<'py>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                Ok(self.to_list(py)?.try_iter()?.into_any())
            }

            /// Equal to `Events` with equal events, or to a list or tuple of
            /// the same event dicts.
            fn __eq__<'py>(
                &self,
                other: &::pyo3::Bound<'py, ::pyo3::PyAny>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                let py = other.py();
                let equal = if let Ok(other) = other.cast::<$events>() {
                    self.0 == other.get().0
                } else if let Some(equal) = $crate::sequence::equals_list(&self.0, other)? {
                    equal
                } else {
                    return Ok(py.NotImplemented().into_bound(py));
                };
                Ok(::pyo3::types::PyBool::new(py, equal).to_owned().into_any())
            }

            /// The events' types, in order, e.g. `["cancelled", "promoted"]`.
            fn types(&self) -> Vec<&'static str> {
                self.0.iter().map(<$event>::name).collect()
            }

            fn to_list<'py>(
                &self,
                py: ::pyo3::Python<'py>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                $crate::pyvalue::to_py(py, &self.0)
            }

            fn to_json(&self) -> String {
                $to_json(&self.0)
            }

            fn __repr__(&self) -> String {
                let types: Vec<String> = self.types().iter().map(|t| format!("'{t}'")).collect();
                format!("Events([{}])", types.join(", "))
            }
        }
    };
}
pub(crate) use lazy_events;
