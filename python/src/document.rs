//! `memberkit.billing.Documents` and `Document`: the invoices and credit
//! notes of a billing run, kept as Rust data and converted only when read.

use crate::calendar::Period;
use crate::convert::{PyDay, Untracked, loads, str_repr};
use crate::errors::invalid_argument;
use crate::money::Money;
use memberkit::billing::{
    Document as CoreDocument, DocumentKind, Line as CoreLine, LineKind, Proration,
    TaxCategory as CoreTaxCategory, TaxSummary as CoreTaxSummary,
};
use memberkit::json::to_json;
use memberkit::membership::TaxRate;
use pyo3::exceptions::{PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyList, PySlice, PyTuple, PyType};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The documents issued by one billing run: an immutable sequence of
/// `Document`, each made when read; equal to a list of the same documents.
//
// A batch thus makes one object per account, not one per document. A
// `Documents` holds no Python object, and a `Document`, a `Line` or an
// iterator holds only its `Documents`, so none of them can be part of a
// reference cycle: all are made [`Untracked`].
#[pyclass(frozen, sequence, module = "memberkit.billing", name = "Documents")]
pub(crate) struct Documents(Vec<CoreDocument>);

impl Documents {
    /// A run's documents, to be made a Python object.
    pub(crate) fn new(documents: Vec<CoreDocument>) -> Untracked<Documents> {
        Untracked(Documents(documents))
    }

    /// Whether `other` is a `Document` equal to `doc`.
    fn matches(doc: &CoreDocument, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Document>()
            .is_ok_and(|other| other.get().doc() == doc)
    }

    /// Whether the items of `items` are `Document`s equal to these, in order.
    fn equals_items<'py>(
        &self,
        len: usize,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
    ) -> bool {
        len == self.0.len()
            && self
                .0
                .iter()
                .zip(items)
                .all(|(doc, item)| Self::matches(doc, &item))
    }
}

/// The `index`-th document of `documents`, which must be in range.
fn item(documents: &Bound<'_, Documents>, index: usize) -> Untracked<Document> {
    debug_assert!(index < documents.get().0.len());
    let run = documents.clone().unbind();
    Untracked(Document { run, index })
}

/// `index` of a sequence of `len` items as Python reads it (negative
/// indices count from the end), or `IndexError`.
fn position(index: isize, len: usize) -> PyResult<usize> {
    let len = len as isize;
    let index = if index < 0 { index + len } else { index };
    if (0..len).contains(&index) {
        Ok(index as usize)
    } else {
        Err(PyIndexError::new_err("Documents index out of range"))
    }
}

/// `start`/`stop` of `index`/`list.index` clamped to `0..=len`.
fn clamp(bound: isize, len: usize) -> usize {
    let len = len as isize;
    (if bound < 0 { bound + len } else { bound }).clamp(0, len) as usize
}

#[pymethods]
impl Documents {
    fn __len__(&self) -> usize {
        self.0.len()
    }

    /// `documents[i]` (negative counts from the end) is a `Document`;
    /// `documents[i:j:k]` is a list of them.
    fn __getitem__<'py>(
        slf: &Bound<'py, Self>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let len = slf.get().0.len();
        if let Ok(slice) = index.cast::<PySlice>() {
            let range = slice.indices(len as isize)?;
            let items = (0..range.slicelength)
                .map(|k| item(slf, (range.start + k as isize * range.step) as usize));
            return PyList::new(slf.py(), items).map(Bound::into_any);
        }
        let index: isize = index.extract().map_err(|err: PyErr| {
            if err.is_instance_of::<PyTypeError>(slf.py()) {
                let type_name = index.get_type().name().map(|n| n.to_string());
                PyTypeError::new_err(format!(
                    "Documents indices must be integers or slices, not {}",
                    type_name.unwrap_or_default()
                ))
            } else {
                // Too large for an index: out of range like any other.
                PyIndexError::new_err("Documents index out of range")
            }
        })?;
        item(slf, position(index, len)?)
            .into_pyobject(slf.py())
            .map(Bound::into_any)
    }

    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, DocumentsIterator>> {
        Untracked(DocumentsIterator {
            documents: slf.clone().unbind(),
            next: AtomicUsize::new(0),
        })
        .into_pyobject(slf.py())
    }

    fn __contains__(&self, value: &Bound<'_, PyAny>) -> bool {
        self.0.iter().any(|doc| Self::matches(doc, value))
    }

    /// The position of the first document equal to `value` from `start`
    /// and before `stop`; `ValueError` if there is none.
    #[pyo3(signature = (value, start = 0, stop = isize::MAX, /))]
    fn index(&self, value: &Bound<'_, PyAny>, start: isize, stop: isize) -> PyResult<usize> {
        let (start, stop) = (clamp(start, self.0.len()), clamp(stop, self.0.len()));
        (start..stop.max(start))
            .find(|&i| Self::matches(&self.0[i], value))
            .ok_or_else(|| PyValueError::new_err("the document is not in Documents"))
    }

    /// How many documents equal `value`.
    #[pyo3(signature = (value, /))]
    fn count(&self, value: &Bound<'_, PyAny>) -> usize {
        self.0
            .iter()
            .filter(|doc| Self::matches(doc, value))
            .count()
    }

    /// Equal to `Documents`, or to a list or tuple of `Document`s, with
    /// equal documents in the same order.
    fn __eq__<'py>(&self, other: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = other.py();
        let equal = if let Ok(other) = other.cast::<Documents>() {
            self.0 == other.get().0
        } else if let Ok(list) = other.cast::<PyList>() {
            self.equals_items(list.len(), list.iter())
        } else if let Ok(tuple) = other.cast::<PyTuple>() {
            self.equals_items(tuple.len(), tuple.iter())
        } else {
            return Ok(py.NotImplemented().into_bound(py));
        };
        Ok(PyBool::new(py, equal).to_owned().into_any())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let items = self
            .0
            .iter()
            .map(|doc| repr(py, doc))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(format!("Documents([{}])", items.join(", ")))
    }
}

/// An iterator over a `Documents`.
#[pyclass(frozen, module = "memberkit.billing", name = "DocumentsIterator")]
pub(crate) struct DocumentsIterator {
    documents: Py<Documents>,
    next: AtomicUsize,
}

#[pymethods]
impl DocumentsIterator {
    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, Document>>> {
        let documents = self.documents.bind(py);
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        if index < documents.get().0.len() {
            item(documents, index).into_pyobject(py).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// An invoice or a credit note; read-only. It refers to its run's
/// `Documents`, so making one moves no document.
#[pyclass(frozen, module = "memberkit.billing", name = "Document", eq)]
pub(crate) struct Document {
    run: Py<Documents>,
    index: usize,
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.doc() == other.doc()
    }
}

impl Document {
    /// The document itself.
    fn doc(&self) -> &CoreDocument {
        &self.run.get().0[self.index]
    }
}

/// `Document('m-1-20260420-1', kind='invoice', date='2026-04-20', total=Money('8726', 'JPY'))`.
fn repr(py: Python<'_>, doc: &CoreDocument) -> PyResult<String> {
    Ok(format!(
        "Document({}, kind='{}', date='{}', total={})",
        str_repr(py, &doc.id)?,
        kind(doc),
        doc.date,
        Money::from(doc.total).__repr__()
    ))
}

fn kind(doc: &CoreDocument) -> &'static str {
    match doc.kind {
        DocumentKind::Invoice => "invoice",
        DocumentKind::CreditNote => "credit_note",
    }
}

#[pymethods]
impl Document {
    #[getter]
    fn id(&self) -> &str {
        &self.doc().id
    }

    #[getter]
    fn kind(&self) -> &'static str {
        kind(self.doc())
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

    /// The lines, as a list of `Line`s made on each read.
    #[getter]
    fn lines<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let lines = (0..self.doc().lines.len()).map(|index| {
            Untracked(Line {
                run: self.run.clone_ref(py),
                document: self.index,
                index,
            })
        });
        PyList::new(py, lines)
    }

    /// The consumption tax per rate and inclusion, as a list of `TaxSummary`s.
    #[getter]
    fn taxes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let taxes = self
            .doc()
            .taxes
            .iter()
            .cloned()
            .map(|tax| Untracked(TaxSummary(tax)));
        PyList::new(py, taxes)
    }

    /// The tax of the lines at `rate` (`"standard"`, `"reduced"`): those
    /// whose amounts include it (`included=True`) or not (`False`), or, by
    /// default, whichever the document has — `InvalidArgumentError` if it
    /// has both. `None` when it has none (always for `"exempt"`).
    #[pyo3(signature = (rate, included = None))]
    fn tax_for(
        &self,
        rate: &str,
        included: Option<bool>,
    ) -> PyResult<Option<Untracked<TaxSummary>>> {
        let (doc, rate) = (self.doc(), tax_rate(rate)?);
        let found = match included {
            Some(included) => doc.tax_for(rate, included),
            None => match (doc.tax_for(rate, true), doc.tax_for(rate, false)) {
                (Some(_), Some(_)) => {
                    return Err(invalid_argument(format!(
                        "document {} has {} rate tax both included in its lines' amounts \
                         and added to them: pass included=True or included=False",
                        doc.id,
                        rate_name(rate)
                    )));
                }
                (included, excluded) => included.or(excluded),
            },
        };
        Ok(found.cloned().map(|tax| Untracked(TaxSummary(tax))))
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.to_json())
    }

    fn to_json(&self) -> String {
        to_json(self.doc())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr(py, self.doc())
    }
}

/// One line of a document; read-only. It refers to its run's `Documents`,
/// so making one moves no line; its fields are converted when read.
#[pyclass(frozen, module = "memberkit.billing", name = "Line", eq)]
pub(crate) struct Line {
    run: Py<Documents>,
    document: usize,
    index: usize,
}

impl PartialEq for Line {
    fn eq(&self, other: &Self) -> bool {
        self.line() == other.line()
    }
}

impl Line {
    /// The line itself.
    fn line(&self) -> &CoreLine {
        &self.run.get().0[self.document].lines[self.index]
    }
}

/// The names memberkit's JSON gives line kinds.
fn line_kind(kind: LineKind) -> &'static str {
    match kind {
        LineKind::PlanFee => "plan_fee",
        LineKind::PauseFee => "pause_fee",
        LineKind::AdmissionFee => "admission_fee",
        LineKind::TrialFee => "trial_fee",
        LineKind::EarlyTerminationFee => "early_termination_fee",
        LineKind::Charge => "charge",
        LineKind::Discount => "discount",
    }
}

/// The names memberkit's JSON gives tax rates.
fn rate_name(rate: TaxRate) -> &'static str {
    match rate {
        TaxRate::Standard => "standard",
        TaxRate::Reduced => "reduced",
        TaxRate::Exempt => "exempt",
    }
}

/// A tax rate from its name.
fn tax_rate(name: &str) -> PyResult<TaxRate> {
    [TaxRate::Standard, TaxRate::Reduced, TaxRate::Exempt]
        .into_iter()
        .find(|rate| rate_name(*rate) == name)
        .ok_or_else(|| {
            invalid_argument(format!(
                "unknown tax rate {name:?}: expected \"standard\", \"reduced\" or \"exempt\""
            ))
        })
}

/// `fractions.Fraction`.
fn fraction_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static FRACTION: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    FRACTION.import(py, "fractions", "Fraction")
}

#[pymethods]
impl Line {
    #[getter]
    fn description(&self) -> &str {
        &self.line().description
    }

    #[getter]
    fn kind(&self) -> &'static str {
        line_kind(self.line().kind)
    }

    #[getter]
    fn plan(&self) -> &str {
        &self.line().plan
    }

    #[getter]
    fn period(&self) -> Option<Period> {
        self.line().period.map(Period::from)
    }

    #[getter]
    fn quantity(&self) -> u32 {
        self.line().quantity
    }

    #[getter]
    fn unit_price(&self) -> Money {
        self.line().unit_price.into()
    }

    /// The share of `unit_price` billed, `part / whole` as a
    /// `fractions.Fraction`; `Fraction(0)` for a first period billed free
    /// (see `free`); `None` for a line not prorated.
    #[getter]
    fn proration<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let (part, whole) = match self.line().proration {
            None => return Ok(None),
            Some(Proration::Share { part, whole }) => (part, whole),
            Some(Proration::Free) => (0, 1),
        };
        fraction_type(py)?.call1((part, whole)).map(Some)
    }

    /// Whether the line is a first period the business does not charge
    /// (its `proration` is then `Fraction(0)`).
    #[getter]
    fn free(&self) -> bool {
        self.line().proration == Some(Proration::Free)
    }

    #[getter]
    fn amount(&self) -> Money {
        self.line().amount.into()
    }

    #[getter]
    fn tax(&self) -> Untracked<TaxCategory> {
        Untracked(TaxCategory(self.line().tax))
    }

    /// Whether the line gives back what an earlier document charged,
    /// whatever its amount (a credit for days billed free is zero);
    /// discounts are not credits.
    #[getter]
    fn is_credit(&self) -> bool {
        self.line().credit
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json(self.line()))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let line = self.line();
        Ok(format!(
            "Line({}, kind='{}', amount={})",
            str_repr(py, &line.description)?,
            line_kind(line.kind),
            Money::from(line.amount).__repr__()
        ))
    }
}

/// How an amount is taxed: the rate (`"standard"`, `"reduced"`, `"exempt"`)
/// and whether the amount includes the tax.
#[pyclass(frozen, eq, hash, module = "memberkit.billing", name = "TaxCategory")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct TaxCategory(CoreTaxCategory);

#[pymethods]
impl TaxCategory {
    #[new]
    #[pyo3(signature = (rate, *, included))]
    fn new(rate: &str, included: bool) -> PyResult<Self> {
        let rate = tax_rate(rate)?;
        Ok(TaxCategory(CoreTaxCategory { rate, included }))
    }

    #[getter]
    fn rate(&self) -> &'static str {
        rate_name(self.0.rate)
    }

    #[getter]
    fn included(&self) -> bool {
        self.0.included
    }

    fn __repr__(&self) -> String {
        let included = if self.0.included { "True" } else { "False" };
        format!("TaxCategory('{}', included={included})", self.rate())
    }
}

/// The consumption tax of one rate on a document, over the lines of that
/// rate and inclusion, rounded once; read-only.
#[pyclass(frozen, eq, module = "memberkit.billing", name = "TaxSummary")]
#[derive(PartialEq)]
pub(crate) struct TaxSummary(CoreTaxSummary);

#[pymethods]
impl TaxSummary {
    #[getter]
    fn rate(&self) -> &'static str {
        rate_name(self.0.rate)
    }

    /// The rate as a `decimal.Decimal`, e.g. `Decimal('0.10')`.
    #[getter]
    fn percent(&self) -> rust_decimal::Decimal {
        self.0.percent
    }

    #[getter]
    fn included(&self) -> bool {
        self.0.included
    }

    #[getter]
    fn taxable(&self) -> Money {
        self.0.taxable.into()
    }

    #[getter]
    fn tax(&self) -> Money {
        self.0.tax.into()
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json(&self.0))
    }

    fn __repr__(&self) -> String {
        let included = if self.0.included { "True" } else { "False" };
        format!(
            "TaxSummary('{}', included={included}, taxable={}, tax={})",
            self.rate(),
            Money::from(self.0.taxable).__repr__(),
            Money::from(self.0.tax).__repr__()
        )
    }
}
