//! How a business bills: timing, first-period rule, day count, rounding,
//! tax rates and collection dates.

use super::DayCount;
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

/// One row of a first-period table: joining on a day of the month from
/// `from_day` to `to_day` (inclusive) pays `fraction` of the fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstPeriodRow {
    /// First day of the month of the row, 1–31.
    pub from_day: u32,
    /// Last day of the month of the row, 1–31.
    pub to_day: u32,
    /// The share of the fee, between 0 and 1.
    pub fraction: Decimal,
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
