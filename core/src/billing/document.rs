//! Invoices and credit notes: lines, consumption tax per rate, totals and
//! collection dates.

use super::proration::div_round;
use super::{BillingConfig, BillingError, Collection};
use crate::calendar::{NaiveDate, Period, days_in_month, next_business_day};
use crate::membership::TaxRate;
use crate::money::{Currency, Money, RoundingMode};
use chrono::Datelike;
use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::fmt;

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
    /// A one-off charge the host added to the account.
    Charge,
    /// A discount on a plan fee (negative).
    Discount,
}

/// How a line is taxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxCategory {
    /// The rate category.
    pub rate: TaxRate,
    /// Whether the amount includes the tax (内税) or not (外税).
    pub included: bool,
}

/// The number of tax categories: three rates, tax included or not.
const CATEGORIES: usize = 6;

impl TaxCategory {
    /// Every category, in the order documents list their taxes.
    const ALL: [TaxCategory; CATEGORIES] = [
        TaxCategory::new(TaxRate::Standard, false),
        TaxCategory::new(TaxRate::Standard, true),
        TaxCategory::new(TaxRate::Reduced, false),
        TaxCategory::new(TaxRate::Reduced, true),
        TaxCategory::new(TaxRate::Exempt, false),
        TaxCategory::new(TaxRate::Exempt, true),
    ];

    const fn new(rate: TaxRate, included: bool) -> Self {
        Self { rate, included }
    }

    /// The category's index in [`Self::ALL`].
    fn slot(self) -> usize {
        let rate = match self.rate {
            TaxRate::Standard => 0,
            TaxRate::Reduced => 1,
            TaxRate::Exempt => 2,
        };
        rate * 2 + usize::from(self.included)
    }
}

/// One line of a document. Credits are negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// What it bills, in words.
    pub description: String,
    /// What it bills.
    pub kind: LineKind,
    /// The plan it comes from.
    pub plan: CompactString,
    /// The days it covers, for period fees.
    pub period: Option<Period>,
    /// How many.
    pub quantity: u32,
    /// The full price the line is a share of.
    pub unit_price: Money,
    /// How the share billed was found, for prorated lines.
    pub proration: Option<Proration>,
    /// The amount: `unit_price × quantity`, or its prorated share; negative for credits.
    pub amount: Money,
    /// How it is taxed.
    pub tax: TaxCategory,
    /// Whether the line gives back what an earlier document charged (days
    /// no longer owed, a refunded fee), whatever its amount: a credit for
    /// days billed free is zero. Discounts are not credits. Serialized only
    /// when true.
    #[serde(default, skip_serializing_if = "is_false")]
    pub credit: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// How a prorated line's share of its full price was found; serialized as
/// `"17/30"` or `"free"`.
///
/// ```
/// use memberkit::billing::Proration;
/// let share: Proration = serde_json::from_str(r#""17/30""#)?;
/// assert_eq!(share, Proration::Share { part: 17, whole: 30 });
/// assert_eq!(share.to_string(), "17/30");
/// assert!(serde_json::from_str::<Proration>(r#""31/30""#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proration {
    /// `part / whole` of the price: days of the period, or a first-period
    /// table's fraction.
    Share {
        /// The part billed.
        part: u32,
        /// The whole it is a part of; above zero, at least `part`.
        whole: u32,
    },
    /// A first period the business does not charge.
    Free,
}

impl fmt::Display for Proration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Share { part, whole } => write!(f, "{part}/{whole}"),
            Self::Free => f.write_str("free"),
        }
    }
}

impl Serialize for Proration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Proration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        if text == "free" {
            return Ok(Self::Free);
        }
        let share = text.split_once('/').and_then(|(part, whole)| {
            let (part, whole) = (part.parse::<u32>().ok()?, whole.parse::<u32>().ok()?);
            (whole > 0 && part <= whole).then_some(Self::Share { part, whole })
        });
        share.ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid proration {text:?}: expected \"part/whole\" (0 <= part <= whole, whole > 0) or \"free\""
            ))
        })
    }
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
    pub id: CompactString,
    /// Invoice or credit note.
    pub kind: DocumentKind,
    /// The account billed.
    pub account: CompactString,
    /// The issue date.
    #[serde(serialize_with = "crate::digits::serialize_date")]
    pub date: NaiveDate,
    /// When it is collected (invoices) or settled (credit notes).
    #[serde(serialize_with = "crate::digits::serialize_date")]
    pub collection_date: NaiveDate,
    /// For a credit note: the invoice it corrects.
    pub corrects: Option<CompactString>,
    /// The lines.
    pub lines: SmallVec<[Line; 1]>,
    /// Consumption tax per rate.
    pub taxes: SmallVec<[TaxSummary; 1]>,
    /// Lines plus tax not included in them; negative for credit notes.
    pub total: Money,
    /// Earlier credit used to pay this invoice.
    pub credit_applied: Money,
    /// What is paid back to the member (refund credit notes).
    pub refund: Money,
    /// What is to be collected.
    pub amount_due: Money,
}

impl Document {
    /// The consumption tax of the document's lines at `rate` whose amounts
    /// include the tax (`included`) or not; `None` when it has no such lines
    /// or `rate` is [`TaxRate::Exempt`] (not taxed, so never summarized).
    ///
    /// # Example
    /// ```
    /// use memberkit::billing::{BillingAccount, BillingConfig, bill};
    /// use memberkit::calendar::date;
    /// use memberkit::membership::{Catalog, Command, Membership, TaxRate, decide};
    /// use memberkit::money::{Currency, Money};
    ///
    /// let catalog = Catalog::from_json(r#"[{"id": "regular", "name": "Regular",
    ///     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": true,
    ///     "interval": {"unit": "month", "count": 1}}]"#)?;
    /// let join = Command::Join { plan: "regular".into(), start: date(2026, 5, 1)?, trial: false };
    /// let events = decide(&Membership::default(), &catalog, &join, date(2026, 5, 1)?)?;
    /// let run = bill(&BillingAccount::new("m-1"), &events, &catalog, &BillingConfig::default(), date(2026, 5, 1)?)?;
    /// let invoice = &run.documents[0];
    /// let standard = invoice.tax_for(TaxRate::Standard, true).map(|t| t.tax);
    /// assert_eq!(standard, Some(Money::from_minor(800, Currency::JPY))); // 10 % included in ¥8,800
    /// assert_eq!(invoice.tax_for(TaxRate::Standard, false), None);
    /// assert_eq!(invoice.tax_for(TaxRate::Reduced, true), None);
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn tax_for(&self, rate: TaxRate, included: bool) -> Option<&TaxSummary> {
        self.taxes
            .iter()
            .find(|tax| tax.rate == rate && tax.included == included)
    }
}

/// The consumption tax summaries and the total of `lines`.
pub(super) fn taxes_and_total(
    lines: &[Line],
    config: &BillingConfig,
) -> Result<(SmallVec<[TaxSummary; 1]>, Money), BillingError> {
    let first = lines.first().ok_or(BillingError::EmptyDocument)?;
    let currency = first.amount.currency();
    let mut taxes = SmallVec::new();
    // The usual document: lines of one category, summed without the table.
    if lines.iter().all(|line| line.tax == first.tax) {
        let mut taxable = first.amount;
        for line in &lines[1..] {
            taxable = taxable.checked_add(line.amount)?;
        }
        let (summary, total) = category_tax(first.tax, taxable, currency, config)?;
        if let Some(summary) = summary {
            taxes.push(summary);
        }
        return Ok((taxes, total));
    }
    // The lines' sum per category, in the order of (rate, included).
    let mut sums: [Option<Money>; CATEGORIES] = [None; CATEGORIES];
    for line in lines {
        let sum = &mut sums[line.tax.slot()];
        *sum = Some(match sum {
            Some(sum) => sum.checked_add(line.amount)?,
            None => line.amount,
        });
    }
    // Sized to fit: a batch keeps every document.
    let taxed = TaxCategory::ALL
        .iter()
        .zip(&sums)
        .filter(|(category, sum)| category.rate != TaxRate::Exempt && sum.is_some())
        .count();
    // Reserved in place: `SmallVec::with_capacity` returns (copies) its inline buffer.
    taxes.reserve_exact(taxed);
    let mut total = Money::zero(currency);
    for (category, taxable) in TaxCategory::ALL.into_iter().zip(sums) {
        let Some(taxable) = taxable else { continue };
        let (summary, sum) = category_tax(category, taxable, currency, config)?;
        if let Some(summary) = summary {
            taxes.push(summary);
        }
        total = total.checked_add(sum)?;
    }
    Ok((taxes, total))
}

/// The tax summary of the lines of one category summing to `taxable` (none
/// for tax-exempt lines), and what they add to the total: `taxable`, plus
/// the tax when it is not included.
fn category_tax(
    category: TaxCategory,
    taxable: Money,
    currency: Currency,
    config: &BillingConfig,
) -> Result<(Option<TaxSummary>, Money), BillingError> {
    let percent = match category.rate {
        TaxRate::Standard => config.standard_rate,
        TaxRate::Reduced => config.reduced_rate,
        TaxRate::Exempt => Decimal::ZERO,
    };
    let mut tax = tax_on(
        taxable,
        currency,
        percent,
        category.included,
        config.tax_rounding,
    );
    if taxable.is_negative() {
        tax = tax.negated();
    }
    let sum = if category.included {
        taxable
    } else {
        taxable.checked_add(tax)?
    };
    let summary = (category.rate != TaxRate::Exempt).then_some(TaxSummary {
        rate: category.rate,
        percent,
        included: category.included,
        taxable,
        tax,
    });
    Ok((summary, sum))
}

/// The tax on `|taxable|` at `percent` in `currency`, rounded once with
/// `mode`: `base × percent / (1 + percent)` when included, else `base × percent`.
fn tax_on(
    taxable: Money,
    currency: Currency,
    percent: Decimal,
    included: bool,
    mode: RoundingMode,
) -> Money {
    minor_unit_tax(taxable, currency, percent, included, mode).unwrap_or_else(|| {
        let base = taxable.amount().abs();
        let exact = if included {
            base * percent / (Decimal::ONE + percent)
        } else {
            base * percent
        };
        Money::round(exact, currency, mode)
    })
}

/// [`tax_on`] in whole minor units, for rates of at most six decimals and
/// amounts that fit: exact, where the decimal division is exact to 28
/// digits, so both round alike — an exact quotient the same way, any other
/// one at least `1 / (2 × (10^6 + rate))` of a unit from where rounding
/// changes. `None` outside that range.
fn minor_unit_tax(
    taxable: Money,
    currency: Currency,
    percent: Decimal,
    included: bool,
    mode: RoundingMode,
) -> Option<Money> {
    const WHOLE: [i64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    if percent.is_sign_negative() || taxable.currency() != currency {
        return None;
    }
    let whole = *WHOLE.get(percent.scale() as usize)?;
    let rate = i64::try_from(percent.mantissa()).ok()?;
    let base = taxable.to_minor().ok()?.unsigned_abs();
    let denominator = if included {
        whole.checked_add(rate)?
    } else {
        whole
    };
    // Below 2^127: two factors below 2^64 and 2^63.
    let product = i128::from(base) * i128::from(rate);
    let minor = div_round(product, i128::from(denominator), mode);
    Some(Money::from_minor(i64::try_from(minor).ok()?, currency))
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
            Ok(next_business_day(debit, &config.holidays)?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_unit_tax_is_the_decimal_tax() {
        let rates = ["0.10", "0.08", "0", "0.075", "0.123456", "1", "0.1234567"];
        for mode in RoundingMode::ALL {
            for rate in rates {
                let percent: Decimal = rate.parse().unwrap();
                for minor in (0..2_000).chain([8_800, 4_693, 999_999_999, i64::MAX / 10_000_000]) {
                    for currency in [Currency::JPY, Currency::USD] {
                        for included in [false, true] {
                            let taxable = Money::from_minor(-minor, currency);
                            let base = taxable.amount().abs();
                            let exact = if included {
                                base * percent / (Decimal::ONE + percent)
                            } else {
                                base * percent
                            };
                            let expected = Money::round(exact, currency, mode);
                            let tax = tax_on(taxable, currency, percent, included, mode);
                            assert_eq!(tax, expected, "{mode} {rate} {minor} {included}");
                            assert_eq!(tax.amount().scale(), expected.amount().scale());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn tax_categories_are_listed_in_slot_order() {
        for (i, category) in TaxCategory::ALL.into_iter().enumerate() {
            assert_eq!(category.slot(), i);
        }
    }

    #[test]
    fn prorations_read_back_what_they_write() {
        let shares = [(0, 1), (17, 30), (2, 3), (u32::MAX, u32::MAX)];
        let prorations = shares
            .map(|(part, whole)| Proration::Share { part, whole })
            .into_iter()
            .chain([Proration::Free]);
        for proration in prorations {
            let json = serde_json::to_string(&proration).unwrap();
            assert_eq!(json, format!("\"{proration}\""));
            assert_eq!(serde_json::from_str::<Proration>(&json).unwrap(), proration);
        }
        assert_eq!(
            Proration::Share {
                part: 17,
                whole: 30
            }
            .to_string(),
            "17/30"
        );
        for bad in [
            "\"\"",
            "\"17\"",
            "\"17/\"",
            "\"/30\"",
            "\"31/30\"",
            "\"1/0\"",
            "\"a/b\"",
            "\"Free\"",
            "17",
        ] {
            assert!(serde_json::from_str::<Proration>(bad).is_err(), "{bad}");
        }
    }
}
