//! Billing: a config, single and batch runs (JSON text in and out, the GIL
//! released while billing), and scalar proration.

use crate::convert::Day;
use crate::errors::to_py;
use crate::membership::Catalog;
use crate::money::Money;
use memberkit::billing::{BillingAccount, BillingConfig as CoreConfig, bill, prorate};
use memberkit::membership::{events_from_json, to_json};
use memberkit::money::RoundingMode;
use pyo3::prelude::*;
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

/// Bills one account; returns the run as JSON.
#[pyfunction]
#[pyo3(signature = (catalog, config, account_json, account_id, events_json, through))]
fn bill_json(
    py: Python<'_>,
    catalog: &Catalog,
    config: &BillingConfig,
    account_json: Option<&str>,
    account_id: &str,
    events_json: &str,
    through: Day,
) -> PyResult<String> {
    let account = match account_json {
        Some(json) => BillingAccount::from_json(json).map_err(to_py)?,
        None => BillingAccount::new(account_id),
    };
    let events = events_from_json(events_json).map_err(to_py)?;
    let (catalog, config) = (catalog.shared(), Arc::clone(&config.0));
    let run = py
        .detach(|| bill(&account, &events, &catalog, &config, through.0))
        .map_err(to_py)?;
    Ok(to_json(&run))
}

/// Bills a batch of `{"account", "events"}` histories with the GIL released;
/// returns the JSON of [`memberkit::billing::bill_batch_json`].
#[pyfunction]
fn bill_batch_json(
    py: Python<'_>,
    catalog: &Catalog,
    config: &BillingConfig,
    histories_json: &str,
    through: Day,
) -> PyResult<String> {
    let (catalog, config) = (catalog.shared(), Arc::clone(&config.0));
    let histories_json = histories_json.to_owned();
    py.detach(move || {
        memberkit::billing::bill_batch_json(&histories_json, &catalog, &config, through.0)
    })
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
    m.add_function(wrap_pyfunction!(bill_json, m)?)?;
    m.add_function(wrap_pyfunction!(bill_batch_json, m)?)?;
    m.add_function(wrap_pyfunction!(prorate_py, m)?)?;
    Ok(())
}
