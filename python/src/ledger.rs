//! What a billing run reads: an account's ledger (`Account`, billed in place)
//! and its membership's events (`EventLog`, parsed once, immutable).

use crate::convert::{Day, PyDay, Untracked, dumps, dumps_list, loads, str_repr};
use crate::errors::to_py;
use crate::money::Money;
use memberkit::billing::BillingAccount;
use memberkit::json::{from_json, to_json};
use memberkit::membership::{Event, events_from_json, events_to_json};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use std::sync::Arc;

/// An account's billing ledger: what has been billed, the documents issued,
/// the credit carried forward, and the host's charges and discounts.
/// Billing updates it in place; a run that is billing it holds it
/// exclusively, so using it meanwhile raises instead of waiting.
#[pyclass(module = "memberkit.billing", name = "Account", eq)]
#[derive(PartialEq)]
pub(crate) struct Account(pub(crate) BillingAccount);

#[pymethods]
impl Account {
    // An `Account` holds no Python object, so every one is made `Untracked`
    // (returning an object from `#[new]` ignores `cls`: fine while `Account`
    // cannot be subclassed).
    #[new]
    #[pyo3(signature = (account_id, charges = Vec::new(), discounts = Vec::new(), *, billed_until = None))]
    fn new(
        py: Python<'_>,
        account_id: PyBackedStr,
        charges: Vec<Bound<'_, PyAny>>,
        discounts: Vec<Bound<'_, PyAny>>,
        billed_until: Option<Day>,
    ) -> PyResult<Untracked<Self>> {
        let mut account = Account(match billed_until {
            Some(Day(day)) => BillingAccount::migrated(&*account_id, day),
            None => BillingAccount::new(&*account_id),
        });
        account.add_charges(py, charges)?;
        account.add_discounts(py, discounts)?;
        Ok(Untracked(account))
    }

    #[staticmethod]
    fn from_dict(account: &Bound<'_, PyAny>) -> PyResult<Untracked<Self>> {
        Self::from_json(&dumps(account)?)
    }

    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Untracked<Self>> {
        BillingAccount::from_json(json)
            .map(|account| Untracked(Account(account)))
            .map_err(to_py)
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.to_json())
    }

    fn to_json(&self) -> String {
        to_json(&self.0)
    }

    /// Adds one-off charges (`{"id", "on", "description", "amount", "tax"}`).
    fn add_charges(&mut self, py: Python<'_>, charges: Vec<Bound<'_, PyAny>>) -> PyResult<()> {
        self.0.charges.extend(parse_list(py, charges, "charges")?);
        Ok(())
    }

    /// Adds discounts (`{"id", "description", "from", "periods", "off"}`).
    fn add_discounts(&mut self, py: Python<'_>, discounts: Vec<Bound<'_, PyAny>>) -> PyResult<()> {
        self.0
            .discounts
            .extend(parse_list(py, discounts, "discounts")?);
        Ok(())
    }

    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    #[getter]
    fn credit(&self) -> Option<Money> {
        self.0.credit.map(Money::from)
    }

    /// For a member migrated in: the first day memberkit bills.
    #[getter]
    fn billed_until(&self) -> Option<PyDay> {
        self.0.billed_until.map(PyDay)
    }

    #[getter]
    fn documents_issued(&self) -> u32 {
        self.0.documents_issued()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let credit = self
            .0
            .credit
            .map_or("None".into(), |c| Money::from(c).__repr__());
        Ok(format!(
            "Account({}, documents_issued={}, credit={credit})",
            str_repr(py, &self.0.id)?,
            self.0.documents_issued()
        ))
    }
}

/// `items` (dicts) read as core values through JSON; `what` names them in errors.
fn parse_list<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    items: Vec<Bound<'_, PyAny>>,
    what: &'static str,
) -> PyResult<Vec<T>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    from_json(&dumps_list(py, items)?, what).map_err(to_py)
}

/// A membership's events, parsed once; immutable, so billing runs on other
/// threads read it freely. Shared, not copied, with the `Membership` whose
/// history it is.
#[pyclass(frozen, module = "memberkit.billing", name = "EventLog", eq)]
#[derive(PartialEq)]
pub(crate) struct EventLog(pub(crate) Arc<Vec<Event>>);

#[pymethods]
impl EventLog {
    #[new]
    fn new(py: Python<'_>, events: Vec<Bound<'_, PyAny>>) -> PyResult<Self> {
        Self::from_json(&dumps_list(py, events)?)
    }

    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Self> {
        events_from_json(json)
            .map(|events| EventLog(Arc::new(events)))
            .map_err(to_py)
    }

    fn to_json(&self) -> String {
        events_to_json(&self.0)
    }

    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.to_json())
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        format!("EventLog(<{} events>)", self.0.len())
    }
}
