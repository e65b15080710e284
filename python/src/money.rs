//! `memberkit.Money` and the money functions.

use crate::convert::Exact;
use crate::errors::to_py;
use memberkit::money::{Currency, Money as CoreMoney, RoundingMode};
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::PyInt;
use rust_decimal::Decimal;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

fn currency(code: &str) -> PyResult<Currency> {
    Currency::from_code(code).map_err(to_py)
}

fn rounding(mode: &str) -> PyResult<RoundingMode> {
    mode.parse().map_err(to_py)
}

/// An amount of a currency, always a whole number of its minor units.
#[pyclass(frozen, module = "memberkit", name = "Money")]
#[derive(Clone, Copy)]
pub(crate) struct Money(CoreMoney);

impl Money {
    pub(crate) fn inner(&self) -> CoreMoney {
        self.0
    }

    /// `amount` (decimal text, as `Money(amount, code)` reads it) of the
    /// currency `code`, when both are valid.
    pub(crate) fn from_texts(amount: &str, code: &str) -> Option<Self> {
        let amount: Decimal = amount.trim().parse().ok()?;
        let currency = Currency::from_code(code).ok()?;
        CoreMoney::new(amount, currency).ok().map(Money)
    }
}

impl From<CoreMoney> for Money {
    fn from(money: CoreMoney) -> Self {
        Money(money)
    }
}

#[pymethods]
impl Money {
    #[new]
    fn new(amount: Exact, currency_code: &str) -> PyResult<Self> {
        CoreMoney::new(amount.0, currency(currency_code)?)
            .map(Money)
            .map_err(to_py)
    }

    #[staticmethod]
    fn from_minor(minor: i64, currency_code: &str) -> PyResult<Self> {
        Ok(Money(CoreMoney::from_minor(
            minor,
            currency(currency_code)?,
        )))
    }

    #[staticmethod]
    #[pyo3(signature = (amount, currency_code, mode = "floor"))]
    fn round(amount: Exact, currency_code: &str, mode: &str) -> PyResult<Self> {
        Ok(Money(CoreMoney::round(
            amount.0,
            currency(currency_code)?,
            rounding(mode)?,
        )))
    }

    #[getter]
    fn amount(&self) -> Decimal {
        self.0.amount()
    }

    #[getter]
    fn currency(&self) -> &'static str {
        self.0.currency().code()
    }

    #[getter]
    fn minor(&self) -> PyResult<i64> {
        self.0.to_minor().map_err(to_py)
    }

    fn allocate(&self, parts: i64) -> PyResult<Vec<Money>> {
        let parts: usize = memberkit::count("parts", parts).map_err(to_py)?;
        wrap(self.0.allocate(parts))
    }

    fn allocate_by_ratios(&self, ratios: Vec<Exact>) -> PyResult<Vec<Money>> {
        let ratios: Vec<Decimal> = ratios.into_iter().map(|r| r.0).collect();
        wrap(self.0.allocate_by_ratios(&ratios))
    }

    fn __add__(&self, other: &Money) -> PyResult<Money> {
        self.0.checked_add(other.0).map(Money).map_err(to_py)
    }

    /// `0 + money` is `money`, so that `sum(moneys)` needs no start value;
    /// any other left operand is not added (`TypeError`).
    fn __radd__<'py>(&self, other: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = other.py();
        let zero =
            other.is_exact_instance_of::<PyInt>() && other.extract::<i64>().is_ok_and(|n| n == 0);
        if zero {
            Ok(Bound::new(py, *self)?.into_any())
        } else {
            Ok(py.NotImplemented().into_bound(py))
        }
    }

    fn __sub__(&self, other: &Money) -> PyResult<Money> {
        self.0.checked_sub(other.0).map(Money).map_err(to_py)
    }

    fn __mul__(&self, quantity: i64) -> PyResult<Money> {
        self.0.checked_mul(quantity).map(Money).map_err(to_py)
    }

    fn __rmul__(&self, quantity: i64) -> PyResult<Money> {
        self.__mul__(quantity)
    }

    fn __neg__(&self) -> Money {
        Money(self.0.negated())
    }

    fn __bool__(&self) -> bool {
        !self.0.is_zero()
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<Money>() else {
            return Ok(py.NotImplemented());
        };
        let other = other.get().0;
        let result = match op {
            CompareOp::Eq => self.0 == other,
            CompareOp::Ne => self.0 != other,
            _ => op.matches(self.0.checked_cmp(&other).map_err(to_py)?),
        };
        Ok(pyo3::types::PyBool::new(py, result)
            .to_owned()
            .into_any()
            .unbind())
    }

    fn __hash__(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.0.hash(&mut hasher);
        hasher.finish()
    }

    pub(crate) fn __repr__(&self) -> String {
        format!("Money('{}', '{}')", self.0.amount(), self.0.currency())
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }
}

fn wrap(parts: Result<Vec<CoreMoney>, memberkit::money::MoneyError>) -> PyResult<Vec<Money>> {
    parts
        .map(|parts| parts.into_iter().map(Money).collect())
        .map_err(to_py)
}

/// The number of decimal places of a currency's minor unit: 0 for JPY, 2 for USD.
#[pyfunction]
fn minor_units(currency_code: &str) -> PyResult<u32> {
    Ok(currency(currency_code)?.minor_units())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Money>()?;
    m.add_function(wrap_pyfunction!(minor_units, m)?)?;
    let codes: Vec<&str> = Currency::ALL.iter().map(|c| c.code()).collect();
    m.add("CURRENCIES", codes)?;
    let modes: Vec<&str> = RoundingMode::ALL.iter().map(|m| m.name()).collect();
    m.add("ROUNDING_MODES", modes)?;
    Ok(())
}
