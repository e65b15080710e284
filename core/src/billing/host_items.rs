//! What a host adds to an account besides the membership's fees: one-off
//! charges and discounts on the plan fee.

use super::TaxCategory;
use crate::calendar::NaiveDate;
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A one-off charge (a towel rental, a lesson ticket), billed once on `on`.
///
/// ```
/// use memberkit::billing::{BillingAccount, BillingConfig, Charge, TaxCategory, bill};
/// use memberkit::calendar::date;
/// use memberkit::membership::{Catalog, TaxRate};
/// use memberkit::money::{Currency, Money};
///
/// let mut account = BillingAccount::new("M-1");
/// account.charges.push(Charge {
///     id: "towel-0412".into(),
///     on: date(2026, 4, 12)?,
///     description: "Towel rental".into(),
///     amount: Money::from_minor(220, Currency::JPY),
///     tax: TaxCategory { rate: TaxRate::Standard, included: true },
/// });
/// let run = bill(&account, &[], &Catalog::default(), &BillingConfig::default(), date(2026, 4, 30)?)?;
/// assert_eq!(run.documents[0].total, Money::from_minor(220, Currency::JPY));
/// assert!(bill(&run.account, &[], &Catalog::default(), &BillingConfig::default(), date(2026, 4, 30)?)?.documents.is_empty());
/// # Ok::<(), memberkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charge {
    /// Unique within the account; a charge is billed once per id.
    pub id: String,
    /// The day it is billed.
    pub on: NaiveDate,
    /// What it is, as shown on the invoice.
    pub description: String,
    /// The amount (not negative).
    pub amount: Money,
    /// How it is taxed.
    pub tax: TaxCategory,
}

/// What a discount takes off each plan fee it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum DiscountOff {
    /// A fixed amount, at most the fee.
    Amount {
        /// The amount.
        amount: Money,
    },
    /// A percentage of the fee (0–100), rounded with the billing config's mode.
    Percent {
        /// The percentage.
        percent: Decimal,
    },
}

/// A discount on the first `periods` plan-fee charges on or after `from`
/// (a campaign: "half price for two months").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discount {
    /// Unique within the account.
    pub id: String,
    /// What it is, as shown on the invoice.
    pub description: String,
    /// The first day a discounted fee may start.
    pub from: NaiveDate,
    /// How many plan-fee charges it applies to (at least 1).
    pub periods: u32,
    /// What it takes off.
    pub off: DiscountOff,
}
