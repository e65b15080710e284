//! Invoices and credit notes: lines, consumption tax per rate, totals and
//! collection dates.

use super::proration::div_round;
use super::{BillingConfig, BillingError, Collection};
use crate::calendar::{NaiveDate, Period, days_in_month};
use crate::membership::TaxRate;
use crate::money::{Currency, Money, RoundingMode};
use chrono::{Datelike, Weekday};
use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

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
    /// The share billed, as `part/whole` days, for prorated lines.
    pub proration: Option<CompactString>,
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
    pub id: CompactString,
    /// Invoice or credit note.
    pub kind: DocumentKind,
    /// The account billed.
    pub account: CompactString,
    /// The issue date.
    pub date: NaiveDate,
    /// When it is collected (invoices) or settled (credit notes).
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

/// The consumption tax summaries and the total of `lines`.
pub(super) fn taxes_and_total(
    lines: &[Line],
    config: &BillingConfig,
) -> Result<(SmallVec<[TaxSummary; 1]>, Money), BillingError> {
    let currency = lines
        .first()
        .map(|l| l.amount.currency())
        .ok_or(BillingError::EmptyDocument)?;
    // The lines' sum per category, in the order of (rate, included).
    let mut sums: [Option<Money>; CATEGORIES] = [None; CATEGORIES];
    for line in lines {
        let sum = &mut sums[line.tax.slot()];
        *sum = Some(match sum {
            Some(sum) => sum.checked_add(line.amount)?,
            None => line.amount,
        });
    }
    // The first category's sum is the total so far: no arithmetic.
    let mut total: Option<Money> = None;
    // Sized to fit: a batch keeps every document.
    let taxed = TaxCategory::ALL
        .iter()
        .zip(&sums)
        .filter(|(category, sum)| category.rate != TaxRate::Exempt && sum.is_some())
        .count();
    // Reserved in place: `SmallVec::with_capacity` returns (copies) its inline buffer.
    let mut taxes = SmallVec::new();
    taxes.reserve_exact(taxed);
    for (category, taxable) in TaxCategory::ALL.into_iter().zip(sums) {
        let Some(taxable) = taxable else { continue };
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
        let mut sum = match total {
            Some(total) => total.checked_add(taxable)?,
            None => taxable,
        };
        if !category.included {
            sum = sum.checked_add(tax)?;
        }
        total = Some(sum);
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
    Ok((taxes, total.unwrap_or(Money::zero(currency))))
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
    if percent.is_sign_negative() || percent.scale() > 6 || taxable.currency() != currency {
        return None;
    }
    let rate = percent.mantissa();
    let whole = 10_i128.pow(percent.scale());
    let base = i128::from(taxable.to_minor().ok()?.unsigned_abs());
    let denominator = if included { whole + rate } else { whole };
    let minor = div_round(base.checked_mul(rate)?, denominator, mode);
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

/// A document's id: `{account}-{YYYYMMDD}-{seq}`, inline when it is short.
pub(super) fn document_id(account: &str, date: NaiveDate, seq: u32) -> CompactString {
    let Some(d) = digits_of(date) else {
        return compact_str::format_compact!("{account}-{}-{seq}", date.format("%Y%m%d"));
    };
    // The part after the account, written once: "-YYYYMMDD-" and the number.
    let mut suffix = [0_u8; 20];
    suffix[0] = b'-';
    suffix[1..9].copy_from_slice(&[d[0], d[1], d[2], d[3], d[5], d[6], d[8], d[9]]);
    suffix[9] = b'-';
    let mut digits = [0_u8; 20];
    let number = decimal(u64::from(seq), &mut digits);
    suffix[10..10 + number.len()].copy_from_slice(number);
    let suffix = &suffix[..10 + number.len()];
    // Most ids fit inline: made from one buffer, in one piece.
    let mut whole = [0_u8; 24];
    if let Some(room) = whole.get_mut(..account.len() + suffix.len()) {
        room[..account.len()].copy_from_slice(account.as_bytes());
        room[account.len()..].copy_from_slice(suffix);
        return CompactString::from(ascii(room));
    }
    let mut id = CompactString::with_capacity(account.len() + suffix.len());
    id.push_str(account);
    id.push_str(ascii(suffix));
    id
}

/// Appends `date` as its `Display` writes it (`2026-04-15`); years 0–9999
/// are written directly, others (signed) through `Display`.
pub(super) fn push_date(out: &mut String, date: NaiveDate) {
    match digits_of(date) {
        Some(digits) => out.push_str(ascii(&digits)),
        None => out.push_str(&date.to_string()),
    }
}

/// Appends `first to last`, each date as [`push_date`] writes it.
pub(super) fn push_dates(out: &mut String, first: NaiveDate, last: NaiveDate) {
    let (Some(a), Some(b)) = (digits_of(first), digits_of(last)) else {
        push_date(out, first);
        out.push_str(" to ");
        push_date(out, last);
        return;
    };
    // Written at once: one check that the text is text, one copy.
    let mut text = *b"0000-00-00 to 0000-00-00";
    text[..10].copy_from_slice(&a);
    text[14..].copy_from_slice(&b);
    out.push_str(ascii(&text));
}

/// Whether `text` is `date` as [`push_date`] writes it.
pub(super) fn is_date_text(text: &str, date: NaiveDate) -> bool {
    match digits_of(date) {
        Some(digits) => text.as_bytes() == digits,
        None => text == date.to_string(),
    }
}

/// `date` as the bytes of `YYYY-MM-DD`, for years 0–9999.
fn digits_of(date: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let mut out = *b"0000-00-00";
    write_digits(&mut out[..4], year);
    write_digits(&mut out[5..7], date.month());
    write_digits(&mut out[8..], date.day());
    Some(out)
}

/// Writes the last `out.len()` decimal digits of `n` into `out`.
fn write_digits(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// ASCII digits and dashes (and an account id) as text.
fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// `part/whole`, as a proration is shown.
pub(super) fn fraction_text(part: u32, whole: u32) -> CompactString {
    let (mut first, mut second) = ([0_u8; 20], [0_u8; 20]);
    let (part, whole) = (
        decimal(u64::from(part), &mut first),
        decimal(u64::from(whole), &mut second),
    );
    let mut text = [0_u8; 21];
    text[..part.len()].copy_from_slice(part);
    text[part.len()] = b'/';
    text[part.len() + 1..part.len() + 1 + whole.len()].copy_from_slice(whole);
    CompactString::from(ascii(&text[..part.len() + 1 + whole.len()]))
}

/// The decimal digits of `n`, written at the end of `buffer`.
fn decimal(n: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut start = buffer.len();
    let mut rest = n;
    loop {
        start -= 1;
        buffer[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    &buffer[start..]
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
    fn text_helpers_write_what_format_writes() {
        let days = [
            (2026, 4, 5),
            (999, 12, 31),
            (9999, 1, 1),
            (10_000, 1, 1),
            (-1, 2, 3),
        ];
        for (y, m, d) in days {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut text = String::new();
            push_date(&mut text, day);
            assert_eq!(text, day.to_string());
            let mut range = String::new();
            push_dates(&mut range, day, day);
            assert_eq!(range, format!("{day} to {day}"));
            assert!(is_date_text(&text, day));
            assert!(!is_date_text(&text, day.succ_opt().unwrap()));
            let id = format!("m-1-{}-12", day.format("%Y%m%d"));
            assert_eq!(document_id("m-1", day, 12), id);
            let long = "an-account-id-longer-than-an-inline-id";
            let long_id = format!("{long}-{}-3", day.format("%Y%m%d"));
            assert_eq!(document_id(long, day, 3), long_id);
        }
        for n in [0, 7, 10, 31, 4_294_967_295, u64::MAX] {
            assert_eq!(ascii(decimal(n, &mut [0; 20])), n.to_string());
        }
        for (part, whole) in [(0, 1), (17, 30), (u32::MAX, u32::MAX)] {
            assert_eq!(fraction_text(part, whole), format!("{part}/{whole}"));
        }
    }
}
