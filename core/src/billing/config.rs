//! How a business bills: timing, first-period rule, day count, rounding,
//! tax rates and collection dates.

use super::{BillingError, DayCount};
use crate::calendar::NaiveDate;
use crate::money::RoundingMode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// When a period's fee is invoiced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// On the period's first day (前払い). The default.
    #[default]
    Advance,
    /// On the day after the period's last day (後払い).
    Arrears,
}

/// An exact share of a fee, written `"2/3"` (or `"0.5"`, or `1`): kept as a
/// ratio so that thirds stay exact until the one rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "serde_json::Value", into = "String")]
pub struct Fraction {
    numerator: u32,
    denominator: u32,
}

impl Fraction {
    /// `numerator / denominator`, at most 1.
    ///
    /// # Errors
    /// A message when the denominator is zero or the fraction exceeds 1.
    pub fn new(numerator: u32, denominator: u32) -> Result<Self, String> {
        if denominator == 0 || numerator > denominator {
            return Err(format!(
                "must be a fraction between 0 and 1, got {numerator}/{denominator}"
            ));
        }
        Ok(Self {
            numerator,
            denominator,
        })
    }

    /// The numerator.
    pub fn numerator(&self) -> u32 {
        self.numerator
    }

    /// The denominator.
    pub fn denominator(&self) -> u32 {
        self.denominator
    }
}

impl TryFrom<serde_json::Value> for Fraction {
    type Error = String;
    fn try_from(value: serde_json::Value) -> Result<Self, String> {
        let text = match &value {
            serde_json::Value::String(s) => s.trim().to_owned(),
            serde_json::Value::Number(n) => n.to_string(),
            other => return Err(format!("expected a fraction such as \"2/3\", got {other}")),
        };
        let bad = || format!("expected a fraction such as \"2/3\" or \"0.5\", got {text:?}");
        if let Some((n, d)) = text.split_once('/') {
            return Fraction::new(
                n.trim().parse().map_err(|_| bad())?,
                d.trim().parse().map_err(|_| bad())?,
            );
        }
        let decimal: Decimal = text.parse().map_err(|_| bad())?;
        let decimal = decimal.normalize();
        let denominator = 10_u32.checked_pow(decimal.scale()).ok_or_else(bad)?;
        let numerator = u32::try_from(decimal.mantissa()).map_err(|_| bad())?;
        Fraction::new(numerator, denominator)
    }
}

impl From<Fraction> for String {
    fn from(f: Fraction) -> String {
        format!("{}/{}", f.numerator, f.denominator)
    }
}

/// One row of a first-period table: joining on a day of the month from
/// `from_day` to `to_day` (inclusive) pays `fraction` of the fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstPeriodRow {
    /// First day of the month of the row, 1–31.
    pub from_day: u32,
    /// Last day of the month of the row, 1–31.
    pub to_day: u32,
    /// The share of the fee.
    pub fraction: Fraction,
}

/// What a member pays for the part period before the first billing day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum FirstPeriod {
    /// Daily proration (日割り): `price × days_left / days_in_period`. The default.
    #[default]
    Prorate,
    /// The full fee.
    Full,
    /// Nothing.
    Free,
    /// A share by the day of the month the paid membership starts.
    Table {
        /// The rows; a day no row covers pays the full fee.
        rows: Vec<FirstPeriodRow>,
    },
}

/// When an invoice is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum Collection {
    /// On the invoice date. The default.
    #[default]
    InvoiceDate,
    /// On the next debit day (口座振替日, e.g. the 27th) on or after the
    /// invoice date, moved to the next business day past weekends and holidays.
    DebitDay {
        /// The day of the month, 1–31 (clamped to short months).
        day: u32,
    },
}

/// How a business bills. Every field has a default; `{}` is a valid config:
/// billing in advance, daily proration on actual days, rounding down, 10 % and
/// 8 % consumption tax rounded down once per invoice and rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BillingConfig {
    /// When period fees are invoiced.
    pub timing: Timing,
    /// What the part period before the first billing day costs.
    pub first_period: FirstPeriod,
    /// How days are counted in proration.
    pub day_count: DayCount,
    /// How prorated amounts are rounded.
    pub rounding: RoundingMode,
    /// How consumption tax is rounded (once per invoice and rate).
    pub tax_rounding: RoundingMode,
    /// The standard consumption-tax rate.
    pub standard_rate: Decimal,
    /// The reduced consumption-tax rate.
    pub reduced_rate: Decimal,
    /// When invoices are collected.
    pub collection: Collection,
    /// Days that are not business days besides weekends (the host's holiday list).
    pub holidays: Vec<NaiveDate>,
}

impl Default for BillingConfig {
    fn default() -> Self {
        Self {
            timing: Timing::Advance,
            first_period: FirstPeriod::Prorate,
            day_count: DayCount::Actual,
            rounding: RoundingMode::Floor,
            tax_rounding: RoundingMode::Floor,
            standard_rate: Decimal::new(10, 2),
            reduced_rate: Decimal::new(8, 2),
            collection: Collection::InvoiceDate,
            holidays: Vec::new(),
        }
    }
}

impl BillingConfig {
    /// Parses and validates a config; `{}` gives the defaults.
    ///
    /// # Errors
    /// [`BillingError::InvalidConfig`] naming the path of the bad field.
    ///
    /// # Example
    /// ```
    /// use memberkit::billing::{BillingConfig, Timing};
    /// let config = BillingConfig::from_json(r#"{"timing": "arrears", "collection": {"kind": "debit_day", "day": 27}}"#)?;
    /// assert_eq!(config.timing, Timing::Arrears);
    /// let err = BillingConfig::from_json(r#"{"collection": {"kind": "debit_day", "day": 32}}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid billing config at collection.day: must be a day of the month, 1 to 31, got 32");
    /// # Ok::<(), memberkit::billing::BillingError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, BillingError> {
        let config: BillingConfig =
            crate::json::from_json(json, "billing config").map_err(|e| {
                BillingError::InvalidConfig {
                    path: e.path,
                    message: e.message,
                }
            })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what the JSON shape cannot: days of the month, fractions and rates in range.
    ///
    /// # Errors
    /// [`BillingError::InvalidConfig`] naming the path of the bad field.
    pub fn validate(&self) -> Result<(), BillingError> {
        let bad =
            |path: String, message: String| Err(BillingError::InvalidConfig { path, message });
        let day_ok = |day: u32| (1..=31).contains(&day);
        if let Collection::DebitDay { day } = self.collection
            && !day_ok(day)
        {
            return bad(
                "collection.day".into(),
                format!("must be a day of the month, 1 to 31, got {day}"),
            );
        }
        if let FirstPeriod::Table { rows } = &self.first_period {
            for (i, row) in rows.iter().enumerate() {
                for (field, day) in [("from_day", row.from_day), ("to_day", row.to_day)] {
                    if !day_ok(day) {
                        let path = format!("first_period.rows[{i}].{field}");
                        return bad(
                            path,
                            format!("must be a day of the month, 1 to 31, got {day}"),
                        );
                    }
                }
                if row.to_day < row.from_day {
                    return bad(
                        format!("first_period.rows[{i}].to_day"),
                        format!("must not be before from_day ({})", row.from_day),
                    );
                }
            }
        }
        for (path, rate) in [
            ("standard_rate", self.standard_rate),
            ("reduced_rate", self.reduced_rate),
        ] {
            if rate < Decimal::ZERO || rate >= Decimal::ONE {
                return bad(
                    path.into(),
                    format!("must be at least 0 and below 1, got {rate}"),
                );
            }
        }
        Ok(())
    }
}
