//! Billing: a config, single and batch runs over `Account`s and `EventLog`s
//! (the GIL released while billing), a JSON-text batch run, and scalar
//! proration.

use crate::convert::Day;
use crate::document::{Document, Documents, Line, TaxCategory, TaxSummary};
use crate::errors::{invalid_argument, to_py};
use crate::ledger::{Account, EventLog};
use crate::membership::Catalog;
use crate::money::Money;
use memberkit::billing::{
    BillingAccount, BillingConfig as CoreConfig, BillingError, Document as CoreDocument, bill_all,
    bill_batch_json as bill_batch_json_core, bill_in_place, prorate,
};
use memberkit::membership::{Event, to_json};
use memberkit::money::RoundingMode;
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use std::sync::Arc;

/// How a business bills; immutable.
#[pyclass(frozen, module = "memberkit._memberkit", name = "BillingConfig")]
pub(crate) struct BillingConfig(Arc<CoreConfig>);

#[pymethods]
impl BillingConfig {
    #[new]
    fn new(config_json: &str) -> PyResult<Self> {
        CoreConfig::from_json(config_json)
            .map(|c| BillingConfig(Arc::new(c)))
            .map_err(to_py)
    }

    fn to_json(&self) -> String {
        to_json(&*self.0)
    }
}

/// Bills one account through `through` with the GIL released, recording the
/// run in `account`; returns the documents issued.
#[pyfunction]
fn bill<'py>(
    py: Python<'py>,
    catalog: &Catalog,
    config: &BillingConfig,
    account: &Bound<'py, Account>,
    events: &Bound<'py, EventLog>,
    through: Day,
) -> PyResult<Bound<'py, Documents>> {
    let mut account = borrow(account, || "the account".into())?;
    let (ledger, events) = (&mut account.0, events.get().0.as_slice());
    let (catalog, config) = (catalog.shared(), &*config.0);
    let documents = py
        .detach(|| bill_in_place(ledger, events, &catalog, config, through.0))
        .map_err(to_py)?;
    Documents::new(documents).into_pyobject(py)
}

/// Bills `(Account, EventLog)` histories with [`bill_all`] and the GIL
/// released (a `Membership` in place of an `EventLog` gives its `events`);
/// each item of the result is the `Documents` issued or the exception that
/// account raised.
#[pyfunction]
fn bill_many<'py>(
    py: Python<'py>,
    catalog: &Catalog,
    config: &BillingConfig,
    histories: &Bound<'py, PyAny>,
    through: Day,
) -> PyResult<Bound<'py, PyList>> {
    // One pass: each pair checked, its account taken for the run.
    let mut taken = Vec::with_capacity(histories.len().unwrap_or(0));
    for (i, item) in histories.try_iter()?.enumerate() {
        let item = item?;
        let (account, events) = history(&item).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "histories[{i}] must be an (Account, EventLog) or (Account, Membership) pair"
            ))
        })?;
        taken.push((borrow(&account, || format!("histories[{i}]"))?, events));
    }
    let runs: Vec<(&mut BillingAccount, &[Event])> = taken
        .iter_mut()
        .map(|(account, events)| (&mut account.0, events.get().0.as_slice()))
        .collect();
    let (catalog, config) = (catalog.shared(), &*config.0);
    // Errors boxed: the results held until the GIL is back stay small.
    let results: Vec<_> = py.detach(|| {
        bill_all(runs, &catalog, config, through.0)
            .map(|result| result.map_err(Box::new))
            .collect()
    });
    PyList::new(py, results.into_iter().map(Outcome))
}

/// The account and events of an `(Account, EventLog)` pair, or of an
/// `(Account, Membership)` pair (whatever its `events` attribute is: a
/// membership's `EventLog`), the account borrowed from it.
fn history<'a, 'py>(
    item: &'a Bound<'py, PyAny>,
) -> Option<(Borrowed<'a, 'py, Account>, Bound<'py, EventLog>)> {
    let pair = item.cast::<PyTuple>().ok().filter(|pair| pair.len() == 2)?;
    let account = pair.get_borrowed_item(0).ok()?.cast::<Account>().ok()?;
    let second = pair.get_borrowed_item(1).ok()?;
    let events = match second.cast::<EventLog>() {
        Ok(log) => log.to_owned(),
        Err(_) => second
            .getattr(intern!(item.py(), "events"))
            .ok()?
            .cast_into::<EventLog>()
            .ok()?,
    };
    Some((account, events))
}

/// One account's outcome in a batch, made a Python object as the result
/// list is filled: its `Documents`, or the exception it raised.
struct Outcome(Result<Vec<CoreDocument>, Box<BillingError>>);

impl<'py> IntoPyObject<'py> for Outcome {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.0 {
            Ok(documents) => Ok(Documents::new(documents).into_pyobject(py)?.into_any()),
            Err(err) => Ok(to_py(*err).into_value(py).into_bound(py).into_any()),
        }
    }
}

/// Takes `account` for a run; refuses one that a run is billing already.
fn borrow<'py>(
    account: &Bound<'py, Account>,
    what: impl FnOnce() -> String,
) -> PyResult<PyRefMut<'py, Account>> {
    account.try_borrow_mut().map_err(|_| {
        invalid_argument(format!(
            "{} is being billed already: an Account may appear once in a batch \
             and be billed by one thread at a time",
            what()
        ))
    })
}

/// Bills a batch of `{"account", "events"}` histories given as JSON text,
/// with the GIL released; returns the JSON of
/// [`memberkit::billing::bill_batch_json`].
#[pyfunction]
fn bill_batch_json(
    py: Python<'_>,
    catalog: &Catalog,
    config: &BillingConfig,
    histories_json: &str,
    through: Day,
) -> PyResult<String> {
    let (catalog, config) = (catalog.shared(), &*config.0);
    py.detach(|| bill_batch_json_core(histories_json, &catalog, config, through.0))
        .map_err(to_py)
}

/// `price × part / whole`, rounded once with `mode`.
#[pyfunction]
#[pyo3(name = "prorate", signature = (price, part, whole, mode = "floor"))]
fn prorate_py(price: &Money, part: u32, whole: u32, mode: &str) -> PyResult<Money> {
    let mode: RoundingMode = mode.parse().map_err(to_py)?;
    prorate(price.inner(), part, whole, mode)
        .map(Money::from)
        .map_err(to_py)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<BillingConfig>()?;
    m.add_class::<Account>()?;
    m.add_class::<EventLog>()?;
    m.add_class::<Document>()?;
    m.add_class::<Documents>()?;
    m.add_class::<Line>()?;
    m.add_class::<TaxCategory>()?;
    m.add_class::<TaxSummary>()?;
    m.add_function(wrap_pyfunction!(bill, m)?)?;
    m.add_function(wrap_pyfunction!(bill_many, m)?)?;
    m.add_function(wrap_pyfunction!(bill_batch_json, m)?)?;
    m.add_function(wrap_pyfunction!(prorate_py, m)?)?;
    Ok(())
}
