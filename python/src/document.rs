//! `memberkit.billing.Document`: an issued invoice or credit note, kept as
//! Rust data and converted only when an attribute is read.

use crate::convert::{PyDay, loads, str_repr};
use crate::money::Money;
use memberkit::billing::{Document as CoreDocument, DocumentKind};
use memberkit::json::to_json;
use pyo3::prelude::*;
use std::sync::Arc;

/// An invoice or a credit note; read-only. The documents of one run share
/// their vector, so making one moves no document.
#[pyclass(frozen, module = "memberkit.billing", name = "Document", eq)]
pub(crate) struct Document {
    run: Arc<Vec<CoreDocument>>,
    index: usize,
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.doc() == other.doc()
    }
}

impl Document {
    /// The Python objects of a run's documents.
    pub(crate) fn new_all(
        py: Python<'_>,
        documents: Vec<CoreDocument>,
    ) -> PyResult<Vec<Bound<'_, Document>>> {
        let run = Arc::new(documents);
        (0..run.len())
            .map(|index| {
                let run = Arc::clone(&run);
                Bound::new(py, Document { run, index }).map(untracked)
            })
            .collect()
    }

    /// The document itself.
    fn doc(&self) -> &CoreDocument {
        &self.run[self.index]
    }
}

/// `document`, out of the cyclic garbage collector's sight. A `Document`
/// holds no Python object, so it can never be part of a reference cycle
/// (CPython untracks tuples and dicts of atoms alike); untracked, the
/// collector no longer walks every document of a batch at each pass.
fn untracked(document: Bound<'_, Document>) -> Bound<'_, Document> {
    // SAFETY: `document` is a live object of a GC type; untracking an
    // object is allowed at any time, and again when it is freed.
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(document.as_ptr().cast()) };
    document
}

#[pymethods]
impl Document {
    #[getter]
    fn id(&self) -> &str {
        &self.doc().id
    }

    #[getter]
    fn kind(&self) -> &'static str {
        match self.doc().kind {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    #[getter]
    fn account(&self) -> &str {
        &self.doc().account
    }

    #[getter]
    fn date(&self) -> PyDay {
        PyDay(self.doc().date)
    }

    #[getter]
    fn collection_date(&self) -> PyDay {
        PyDay(self.doc().collection_date)
    }

    #[getter]
    fn corrects(&self) -> Option<&str> {
        self.doc().corrects.as_deref()
    }

    #[getter]
    fn total(&self) -> Money {
        self.doc().total.into()
    }

    #[getter]
    fn credit_applied(&self) -> Money {
        self.doc().credit_applied.into()
    }

    #[getter]
    fn refund(&self) -> Money {
        self.doc().refund.into()
    }

    #[getter]
    fn amount_due(&self) -> Money {
        self.doc().amount_due.into()
    }

    /// The lines as dicts, built on each read.
    #[getter]
    fn lines<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json(&self.doc().lines))
    }

    /// The consumption tax per rate as dicts, built on each read.
    #[getter]
    fn taxes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json(&self.doc().taxes))
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.to_json())
    }

    fn to_json(&self) -> String {
        to_json(self.doc())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Document({}, kind='{}', date='{}', total={})",
            str_repr(py, &self.doc().id)?,
            self.kind(),
            self.doc().date,
            Money::from(self.doc().total).__repr__()
        ))
    }
}
