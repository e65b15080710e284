//! `memberkit.billing.Document`: an issued invoice or credit note, kept as
//! Rust data and converted only when an attribute is read.

use crate::convert::{PyDay, loads, str_repr};
use crate::money::Money;
use memberkit::billing::{Document as CoreDocument, DocumentKind};
use memberkit::json::to_json;
use pyo3::prelude::*;

/// An invoice or a credit note; read-only.
#[pyclass(frozen, module = "memberkit.billing", name = "Document", eq)]
#[derive(PartialEq)]
pub(crate) struct Document(pub(crate) CoreDocument);

impl Document {
    /// The Python objects of a run's documents.
    pub(crate) fn new_all(
        py: Python<'_>,
        documents: Vec<CoreDocument>,
    ) -> PyResult<Vec<Bound<'_, Document>>> {
        documents
            .into_iter()
            .map(|document| Bound::new(py, Document(document)).map(untracked))
            .collect()
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
        &self.0.id
    }

    #[getter]
    fn kind(&self) -> &'static str {
        match self.0.kind {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    #[getter]
    fn account(&self) -> &str {
        &self.0.account
    }

    #[getter]
    fn date(&self) -> PyDay {
        PyDay(self.0.date)
    }

    #[getter]
    fn collection_date(&self) -> PyDay {
        PyDay(self.0.collection_date)
    }

    #[getter]
    fn corrects(&self) -> Option<&str> {
        self.0.corrects.as_deref()
    }

    #[getter]
    fn total(&self) -> Money {
        self.0.total.into()
    }

    #[getter]
    fn credit_applied(&self) -> Money {
        self.0.credit_applied.into()
    }

    #[getter]
    fn refund(&self) -> Money {
        self.0.refund.into()
    }

    #[getter]
    fn amount_due(&self) -> Money {
        self.0.amount_due.into()
    }

    /// The lines as dicts, built on each read.
    #[getter]
    fn lines<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json(&self.0.lines))
    }

    /// The consumption tax per rate as dicts, built on each read.
    #[getter]
    fn taxes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json(&self.0.taxes))
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.to_json())
    }

    fn to_json(&self) -> String {
        to_json(&self.0)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Document({}, kind='{}', date='{}', total={})",
            str_repr(py, &self.0.id)?,
            self.kind(),
            self.0.date,
            Money::from(self.0.total).__repr__()
        ))
    }
}
