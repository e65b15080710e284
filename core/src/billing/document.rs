//! Invoices and credit notes: lines, consumption tax per rate, totals and
//! collection dates.

use super::{BillingConfig, BillingError, Collection};
use crate::calendar::{NaiveDate, Period, days_in_month};
use crate::membership::{PlanId, TaxRate};
use crate::money::Money;
use chrono::{Datelike, Weekday};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What a line bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// The plan fee for (part of) a period.
    PlanFee,
    /// The pause fee (休会費) for (part of) a paused period.
    PauseFee,
    /// The admission fee (入会金).
    AdmissionFee,
    /// The trial's price.
    TrialFee,
    /// The early-termination fee of a cancel inside the minimum term.
    EarlyTerminationFee,
}

/// How a line is taxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxCategory {
    /// The rate category.
    pub rate: TaxRate,
    /// Whether the amount includes the tax (内税) or not (外税).
    pub included: bool,
}

/// One line of a document. Credits are negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// What it bills, in words.
    pub description: String,
    /// What it bills.
    pub kind: LineKind,
    /// The plan it comes from.
    pub plan: PlanId,
    /// The days it covers, for period fees.
    pub period: Option<Period>,
    /// How many.
    pub quantity: u32,
    /// The full price the line is a share of.
    pub unit_price: Money,
    /// The share billed, as `part/whole` days, for prorated lines.
    pub proration: Option<String>,
    /// The amount: `unit_price × quantity`, or its prorated share; negative for credits.
    pub amount: Money,
    /// How it is taxed.
    pub tax: TaxCategory,
}

/// The consumption tax of one rate on a document: computed once over the
/// lines of that rate and rounded once (the qualified-invoice rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxSummary {
    /// The rate category.
    pub rate: TaxRate,
    /// The rate, e.g. `0.10`.
    pub percent: Decimal,
    /// Whether the lines' amounts include the tax.
    pub included: bool,
    /// The sum of the lines' amounts at this rate.
    pub taxable: Money,
    /// The tax on them.
    pub tax: Money,
}

/// An invoice or a credit note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Charges (possibly with credits netted in).
    Invoice,
    /// Credits only.
    CreditNote,
}

/// A document issued by a billing run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: `{account}-{YYYYMMDD}-{n}`, the n-th document of the account on that date.
    pub id: String,
    /// Invoice or credit note.
    pub kind: DocumentKind,
    /// The account billed.
    pub account: String,
    /// The issue date.
    pub date: NaiveDate,
    /// When it is collected (invoices) or settled (credit notes).
    pub collection_date: NaiveDate,
    /// For a credit note: the invoice it corrects.
    pub corrects: Option<String>,
    /// The lines.
    pub lines: Vec<Line>,
    /// Consumption tax per rate.
    pub taxes: Vec<TaxSummary>,
    /// Lines plus tax not included in them; negative for credit notes.
    pub total: Money,
    /// Earlier credit used to pay this invoice.
    pub credit_applied: Money,
    /// What is paid back to the member (refund credit notes).
    pub refund: Money,
    /// What is to be collected.
    pub amount_due: Money,
}

/// The consumption tax summaries and the total of `lines`.
pub(super) fn taxes_and_total(
    lines: &[Line],
    config: &BillingConfig,
) -> Result<(Vec<TaxSummary>, Money), BillingError> {
    let currency = lines
        .first()
        .map(|l| l.amount.currency())
        .ok_or(BillingError::EmptyDocument)?;
    let mut groups: Vec<(TaxCategory, Money)> = Vec::new();
    for line in lines {
        match groups
            .iter_mut()
            .find(|(category, _)| *category == line.tax)
        {
            Some((_, sum)) => *sum = sum.checked_add(line.amount)?,
            None => groups.push((line.tax, line.amount)),
        }
    }
    groups.sort_by_key(|(c, _)| (c.rate as u8, c.included));
    let mut total = Money::zero(currency);
    let mut taxes = Vec::new();
    for (category, taxable) in groups {
        let percent = match category.rate {
            TaxRate::Standard => config.standard_rate,
            TaxRate::Reduced => config.reduced_rate,
            TaxRate::Exempt => Decimal::ZERO,
        };
        let base = taxable.amount().abs();
        let exact = if category.included {
            base * percent / (Decimal::ONE + percent)
        } else {
            base * percent
        };
        let mut tax = Money::round(exact, currency, config.tax_rounding);
        if taxable.is_negative() {
            tax = tax.negated();
        }
        total = total.checked_add(taxable)?;
        if !category.included {
            total = total.checked_add(tax)?;
        }
        if category.rate != TaxRate::Exempt {
            taxes.push(TaxSummary {
                rate: category.rate,
                percent,
                included: category.included,
                taxable,
                tax,
            });
        }
    }
    Ok((taxes, total))
}

/// The date an invoice issued on `date` is collected.
pub(super) fn collection_date(
    date: NaiveDate,
    config: &BillingConfig,
) -> Result<NaiveDate, BillingError> {
    match config.collection {
        Collection::InvoiceDate => Ok(date),
        Collection::DebitDay { day } => {
            let in_month = |d: NaiveDate| -> Result<NaiveDate, BillingError> {
                let last = days_in_month(d.year(), d.month()).unwrap_or(28);
                Ok(crate::calendar::date(d.year(), d.month(), day.min(last))?)
            };
            let mut debit = in_month(date)?;
            if debit < date {
                debit = in_month(crate::calendar::add_months(
                    date.with_day(1).unwrap_or(date),
                    1,
                )?)?;
            }
            next_business_day(debit, &config.holidays)
        }
    }
}

/// `date`, or the first day after it that is neither a weekend day nor a holiday.
///
/// # Errors
/// [`BillingError::Calendar`] at the end of the calendar.
pub fn next_business_day(
    date: NaiveDate,
    holidays: &[NaiveDate],
) -> Result<NaiveDate, BillingError> {
    let mut day = date;
    // Holiday lists are finite, so this ends.
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || holidays.contains(&day) {
        day = day
            .succ_opt()
            .ok_or(crate::calendar::CalendarError::OutOfRange {
                operation: "business days",
            })?;
    }
    Ok(day)
}
