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
