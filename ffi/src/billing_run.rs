//! The typed billing run: `MkAccount`s billed in place through a date, the
//! documents read through accessors (no JSON unless asked for).
//!
//! Strings in the results are `MkStr` views borrowed from the run: valid
//! until mk_billing_run_free, not NUL-terminated.

use crate::billing::{MkBillingConfig, config_ref};
use crate::calendar::{MkDate, MkPeriod, to_c as date_to_c, to_date};
use crate::error::{Failure, MkStatus};
use crate::handle::{Handle, free, hand_out, handle, handle_mut};
use crate::ledger::{MkAccount, MkEventLog};
use crate::membership::{MkCatalog, catalog_ref};
use crate::money::{MkMoney, to_c};
use crate::strings::{write_out, write_string};
use memberkit::billing::{
    BillingAccount, Document, DocumentKind, Line, LineKind, Proration, TaxSummary, bill_all,
};
use memberkit::json::to_json;
use memberkit::membership::{Event, TaxRate};
use std::ffi::c_char;

/// A borrowed UTF-8 string: `len` bytes at `ptr`, not NUL-terminated
/// (print with `"%.*s", (int)s.len, s.ptr`). `ptr` is NULL, and `len` 0,
/// for a value that is absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct MkStr {
    /// The first byte, or NULL when absent.
    pub ptr: *const c_char,
    /// The number of bytes.
    pub len: usize,
}

impl MkStr {
    fn of(text: &str) -> Self {
        Self {
            ptr: text.as_ptr().cast(),
            len: text.len(),
        }
    }

    const ABSENT: Self = Self {
        ptr: std::ptr::null(),
        len: 0,
    };
}

/// The kind of a document: one of the MK_DOCUMENT_* values.
pub type MkDocumentKind = u32;
/// An invoice: charges, possibly with credits netted in.
pub const MK_DOCUMENT_INVOICE: MkDocumentKind = 0;
/// A credit note: credits only.
pub const MK_DOCUMENT_CREDIT_NOTE: MkDocumentKind = 1;

/// What a line bills: one of the MK_LINE_* values.
pub type MkLineKind = u32;
/// The plan fee for (part of) a period.
pub const MK_LINE_PLAN_FEE: MkLineKind = 0;
/// The pause fee (休会費) for (part of) a paused period.
pub const MK_LINE_PAUSE_FEE: MkLineKind = 1;
/// The admission fee (入会金).
pub const MK_LINE_ADMISSION_FEE: MkLineKind = 2;
/// The trial's price.
pub const MK_LINE_TRIAL_FEE: MkLineKind = 3;
/// The early-termination fee of a cancel inside the minimum term.
pub const MK_LINE_EARLY_TERMINATION_FEE: MkLineKind = 4;
/// A one-off charge the host added to the account.
pub const MK_LINE_CHARGE: MkLineKind = 5;
/// A discount on a plan fee (negative).
pub const MK_LINE_DISCOUNT: MkLineKind = 6;

/// A consumption-tax rate category: one of the MK_TAX_RATE_* values.
pub type MkTaxRate = u32;
/// The standard rate (10 %).
pub const MK_TAX_RATE_STANDARD: MkTaxRate = 0;
/// The reduced rate (8 %).
pub const MK_TAX_RATE_REDUCED: MkTaxRate = 1;
/// Not taxed.
pub const MK_TAX_RATE_EXEMPT: MkTaxRate = 2;

/// How a line's share of its full price was found: one of the
/// MK_PRORATION_* values.
pub type MkProrationKind = u32;
/// The full price: not prorated.
pub const MK_PRORATION_NONE: MkProrationKind = 0;
/// `part / whole` of the price (日割り: days of the period).
pub const MK_PRORATION_SHARE: MkProrationKind = 1;
/// A first period the business does not charge.
pub const MK_PRORATION_FREE: MkProrationKind = 2;

/// One account's outcome in a run.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct MkBillingOutcome {
    /// MK_STATUS_OK, or why the account was not billed (it is left as it was).
    pub status: MkStatus,
    /// The number of documents issued to it (0 on a failure).
    pub documents: usize,
    /// The error's message; empty on success.
    pub message: MkStr,
    /// The error's stable code (as mk_last_error_code); empty on success.
    pub code: MkStr,
}

/// A run's size.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct MkBillingRunSummary {
    /// The accounts given to the run.
    pub accounts: usize,
    /// The documents issued, over every account.
    pub documents: usize,
    /// The accounts that failed.
    pub failed: usize,
}

/// An invoice or credit note. Its lines and taxes are read with
/// mk_billing_run_line and mk_billing_run_tax.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct MkDocument {
    /// Stable id: `{account}-{YYYYMMDD}-{n}`.
    pub id: MkStr,
    /// MK_DOCUMENT_INVOICE or MK_DOCUMENT_CREDIT_NOTE.
    pub kind: MkDocumentKind,
    /// The account billed.
    pub account: MkStr,
    /// The issue date.
    pub date: MkDate,
    /// When it is collected (invoices) or settled (credit notes).
    pub collection_date: MkDate,
    /// For a credit note: the id of the invoice it corrects; absent otherwise.
    pub corrects: MkStr,
    /// The number of lines.
    pub lines: usize,
    /// The number of tax summaries (one per rate and inclusion).
    pub taxes: usize,
    /// Lines plus tax not included in them; negative for credit notes.
    pub total: MkMoney,
    /// Earlier credit used to pay this invoice.
    pub credit_applied: MkMoney,
    /// What is paid back to the member (refund credit notes).
    pub refund: MkMoney,
    /// What is to be collected.
    pub amount_due: MkMoney,
}

/// One line of a document. Credits are negative.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct MkLine {
    /// What it bills, in words.
    pub description: MkStr,
    /// One of the MK_LINE_* values.
    pub kind: MkLineKind,
    /// The plan it comes from (empty for a host's charge).
    pub plan: MkStr,
    /// Whether `period` holds the days the line covers (period fees).
    pub has_period: bool,
    /// The days it covers, when `has_period`.
    pub period: MkPeriod,
    /// How many.
    pub quantity: u32,
    /// The full price the line is a share of.
    pub unit_price: MkMoney,
    /// One of the MK_PRORATION_* values.
    pub proration: MkProrationKind,
    /// For MK_PRORATION_SHARE: the part billed (days), else 0.
    pub proration_part: u32,
    /// For MK_PRORATION_SHARE: the whole it is a part of, else 0.
    pub proration_whole: u32,
    /// The amount; negative for credits.
    pub amount: MkMoney,
    /// One of the MK_TAX_RATE_* values.
    pub tax_rate: MkTaxRate,
    /// Whether the amount includes the tax (内税) or not (外税).
    pub tax_included: bool,
    /// Whether the line gives back what an earlier document charged.
    pub credit: bool,
}

/// The consumption tax of one rate on a document, rounded once.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct MkTaxSummary {
    /// One of the MK_TAX_RATE_* values.
    pub rate: MkTaxRate,
    /// The rate as `percent_mantissa × 10^-percent_scale` (0.10: 10 and 2).
    pub percent_mantissa: i64,
    /// See `percent_mantissa`.
    pub percent_scale: u32,
    /// Whether the lines' amounts include the tax.
    pub included: bool,
    /// The sum of the lines' amounts at this rate.
    pub taxable: MkMoney,
    /// The tax on them.
    pub tax: MkMoney,
}

/// The results of mk_bill_run: for each account in order, the documents
/// issued or the error. Immutable: readable from many threads at once.
pub struct MkBillingRun(Vec<Result<Vec<Document>, Failure>>);

impl Handle for MkBillingRun {
    const KIND: &'static str = "billing run";
}

/// Bills `count` accounts through `through` (included), each with its
/// membership's events (`logs[i]` for `accounts[i]`; one log may serve
/// many accounts), recording each run in its `MkAccount`; writes the
/// results to `*out_run` (free with mk_billing_run_free). An account that
/// fails is left as it was and does not stop the others: its outcome holds
/// the error. The same account twice is MK_STATUS_INVALID_ARGUMENT, and
/// nothing is billed.
///
/// # Safety
/// Handles are live; `accounts` and `logs` point to `count` handles each
/// (either may be NULL when `count` is 0); no other thread uses the
/// accounts during the call; `out_run` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_bill_run(
    catalog: *const MkCatalog,
    config: *const MkBillingConfig,
    accounts: *const *mut MkAccount,
    logs: *const *const MkEventLog,
    count: usize,
    through: MkDate,
    out_run: *mut *mut MkBillingRun,
) -> MkStatus {
    entry!({
        let catalog = unsafe { catalog_ref(catalog) }?;
        let config = unsafe { config_ref(config) }?;
        let through = to_date(through)?;
        if out_run.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out_run is NULL"));
        }
        let accounts = unsafe { array(accounts, count, "accounts") }?;
        let logs = unsafe { array(logs, count, "logs") }?;
        distinct(accounts)?;
        let mut runs: Vec<(&mut BillingAccount, &[Event])> = Vec::with_capacity(count);
        for (i, (&account, &log)) in accounts.iter().zip(logs).enumerate() {
            // Distinct (checked above), unshared by the contract.
            let account = unsafe { handle_mut(account, format_args!("accounts[{i}]")) }?;
            let log = unsafe { handle(log, format_args!("logs[{i}]")) }?;
            runs.push((&mut account.0, log.0.as_slice()));
        }
        let results = bill_all(runs, catalog, config, through)
            .map(|result| result.map_err(Failure::from))
            .collect();
        unsafe { hand_out(out_run, "out_run", MkBillingRun(results)) }
    })
}

/// Writes the run's size to `*out`.
///
/// # Safety
/// `run` is a live handle; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_run_summary(
    run: *const MkBillingRun,
    out: *mut MkBillingRunSummary,
) -> MkStatus {
    entry!({
        let run = unsafe { handle(run, "run") }?;
        let mut summary = MkBillingRunSummary {
            accounts: run.0.len(),
            ..MkBillingRunSummary::default()
        };
        for outcome in &run.0 {
            match outcome {
                Ok(documents) => summary.documents += documents.len(),
                Err(_) => summary.failed += 1,
            }
        }
        unsafe { write_out(out, "out", summary) }
    })
}

/// Writes the outcome of the run's `account`-th account to `*out`.
///
/// # Safety
/// `run` is a live handle; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_run_outcome(
    run: *const MkBillingRun,
    account: usize,
    out: *mut MkBillingOutcome,
) -> MkStatus {
    entry!({
        let run = unsafe { handle(run, "run") }?;
        let outcome = match at(&run.0, account, "account")? {
            Ok(documents) => MkBillingOutcome {
                status: MkStatus::Ok,
                documents: documents.len(),
                message: MkStr::of(""),
                code: MkStr::of(""),
            },
            Err(failure) => MkBillingOutcome {
                status: failure.status,
                documents: 0,
                message: MkStr::of(&failure.message),
                code: MkStr::of(failure.code),
            },
        };
        unsafe { write_out(out, "out", outcome) }
    })
}

/// Writes the `index`-th document issued to the run's `account`-th account
/// to `*out`.
///
/// # Safety
/// `run` is a live handle; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_run_document(
    run: *const MkBillingRun,
    account: usize,
    index: usize,
    out: *mut MkDocument,
) -> MkStatus {
    entry!({
        let doc = unsafe { document(run, account, index) }?;
        let view = MkDocument {
            id: MkStr::of(&doc.id),
            kind: match doc.kind {
                DocumentKind::Invoice => MK_DOCUMENT_INVOICE,
                DocumentKind::CreditNote => MK_DOCUMENT_CREDIT_NOTE,
            },
            account: MkStr::of(&doc.account),
            date: date_to_c(doc.date),
            collection_date: date_to_c(doc.collection_date),
            corrects: doc.corrects.as_deref().map_or(MkStr::ABSENT, MkStr::of),
            lines: doc.lines.len(),
            taxes: doc.taxes.len(),
            total: to_c(doc.total)?,
            credit_applied: to_c(doc.credit_applied)?,
            refund: to_c(doc.refund)?,
            amount_due: to_c(doc.amount_due)?,
        };
        unsafe { write_out(out, "out", view) }
    })
}

/// Writes line `line` of a document (as mk_billing_run_document) to `*out`.
///
/// # Safety
/// `run` is a live handle; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_run_line(
    run: *const MkBillingRun,
    account: usize,
    index: usize,
    line: usize,
    out: *mut MkLine,
) -> MkStatus {
    entry!({
        let doc = unsafe { document(run, account, index) }?;
        let view = line_view(at(&doc.lines, line, "line")?)?;
        unsafe { write_out(out, "out", view) }
    })
}

/// Writes tax summary `tax` of a document (as mk_billing_run_document) to `*out`.
///
/// # Safety
/// `run` is a live handle; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_run_tax(
    run: *const MkBillingRun,
    account: usize,
    index: usize,
    tax: usize,
    out: *mut MkTaxSummary,
) -> MkStatus {
    entry!({
        let doc = unsafe { document(run, account, index) }?;
        let view = tax_view(at(&doc.taxes, tax, "tax")?)?;
        unsafe { write_out(out, "out", view) }
    })
}

/// Writes a document (as mk_billing_run_document) as JSON, the form
/// mk_bill returns, to `*out_json` (free with mk_string_free).
///
/// # Safety
/// `run` is a live handle; `out_json` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_run_document_json(
    run: *const MkBillingRun,
    account: usize,
    index: usize,
    out_json: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let doc = unsafe { document(run, account, index) }?;
        unsafe { write_string(out_json, "out_json", to_json(doc)) }
    })
}

/// Frees a run and every string it lent. NULL is accepted and ignored.
///
/// # Safety
/// `run` is NULL or a handle from mk_bill_run not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_run_free(run: *mut MkBillingRun) {
    unsafe { free(run) }
}

/// The `count` handles at `ptr`; NULL only when `count` is 0.
///
/// # Safety
/// `ptr` is NULL or points to `count` readable pointers.
unsafe fn array<'a, T>(ptr: *const T, count: usize, name: &str) -> Result<&'a [T], Failure> {
    if count == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::new(
            MkStatus::NullPointer,
            format!("{name} is NULL"),
        ));
    }
    // SAFETY: `count` readable elements by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// Refuses an account given twice: a run bills each in place once.
fn distinct(accounts: &[*mut MkAccount]) -> Result<(), Failure> {
    let mut order: Vec<usize> = (0..accounts.len()).collect();
    order.sort_unstable_by_key(|&i| accounts[i]);
    for pair in order.windows(2) {
        let (a, b) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
        if accounts[a] == accounts[b] && !accounts[a].is_null() {
            return Err(Failure::new(
                MkStatus::InvalidArgument,
                format!("accounts[{a}] and accounts[{b}] are the same account"),
            ));
        }
    }
    Ok(())
}

/// `items[index]`, or MK_STATUS_INVALID_ARGUMENT naming `what`.
fn at<'a, T>(items: &'a [T], index: usize, what: &str) -> Result<&'a T, Failure> {
    items.get(index).ok_or_else(|| {
        Failure::new(
            MkStatus::InvalidArgument,
            format!("{what} {index} is out of range (there are {})", items.len()),
        )
    })
}

/// The `index`-th document of the run's `account`-th account.
///
/// # Safety
/// `run` is NULL or a live handle.
unsafe fn document<'a>(
    run: *const MkBillingRun,
    account: usize,
    index: usize,
) -> Result<&'a Document, Failure> {
    let run = unsafe { handle(run, "run") }?;
    match at(&run.0, account, "account")? {
        Ok(documents) => at(documents, index, "document"),
        Err(failure) => Err(Failure::new(
            MkStatus::InvalidArgument,
            format!("account {account} was not billed: {}", failure.message),
        )),
    }
}

/// `MkLine::period` of a line without one: all zeros.
const NO_PERIOD: MkPeriod = {
    let zero = MkDate {
        year: 0,
        month: 0,
        day: 0,
    };
    MkPeriod {
        start: zero,
        end: zero,
    }
};

fn line_view(line: &Line) -> Result<MkLine, Failure> {
    let period = line.period.map(|p| MkPeriod {
        start: date_to_c(p.start()),
        end: date_to_c(p.end()),
    });
    let (proration, part, whole) = match line.proration {
        None => (MK_PRORATION_NONE, 0, 0),
        Some(Proration::Share { part, whole }) => (MK_PRORATION_SHARE, part, whole),
        Some(Proration::Free) => (MK_PRORATION_FREE, 0, 0),
    };
    Ok(MkLine {
        description: MkStr::of(&line.description),
        kind: match line.kind {
            LineKind::PlanFee => MK_LINE_PLAN_FEE,
            LineKind::PauseFee => MK_LINE_PAUSE_FEE,
            LineKind::AdmissionFee => MK_LINE_ADMISSION_FEE,
            LineKind::TrialFee => MK_LINE_TRIAL_FEE,
            LineKind::EarlyTerminationFee => MK_LINE_EARLY_TERMINATION_FEE,
            LineKind::Charge => MK_LINE_CHARGE,
            LineKind::Discount => MK_LINE_DISCOUNT,
        },
        plan: MkStr::of(&line.plan),
        has_period: period.is_some(),
        period: period.unwrap_or(NO_PERIOD),
        quantity: line.quantity,
        unit_price: to_c(line.unit_price)?,
        proration,
        proration_part: part,
        proration_whole: whole,
        amount: to_c(line.amount)?,
        tax_rate: tax_rate(line.tax.rate),
        tax_included: line.tax.included,
        credit: line.credit,
    })
}

fn tax_view(tax: &TaxSummary) -> Result<MkTaxSummary, Failure> {
    let mantissa = i64::try_from(tax.percent.mantissa()).map_err(|_| {
        Failure::new(
            MkStatus::AmountOutOfRange,
            "the tax rate does not fit in 64 bits",
        )
    })?;
    Ok(MkTaxSummary {
        rate: tax_rate(tax.rate),
        percent_mantissa: mantissa,
        percent_scale: tax.percent.scale(),
        included: tax.included,
        taxable: to_c(tax.taxable)?,
        tax: to_c(tax.tax)?,
    })
}

fn tax_rate(rate: TaxRate) -> MkTaxRate {
    match rate {
        TaxRate::Standard => MK_TAX_RATE_STANDARD,
        TaxRate::Reduced => MK_TAX_RATE_REDUCED,
        TaxRate::Exempt => MK_TAX_RATE_EXEMPT,
    }
}
