//! The billing run: compares what the timeline says is owed with what the
//! ledger says was billed, term by term, adds the host's charges and
//! discounts, and issues the difference as documents.
//!
//! Batch runs bill every account on each billing date, so a run keeps to
//! flat sorted lists of borrowed keys rather than nested maps, walks each
//! schedule once, and writes document text without `format!`.

use super::assemble::{LedgerChanges, assemble};
use super::pending::PendingLines;
use super::term::TermBilling;
use super::timeline::terms;
use super::{BillingAccount, BillingConfig, BillingError, Document};
use crate::calendar::NaiveDate;
use crate::membership::{Catalog, Event};
use smallvec::SmallVec;

/// The result of a billing run: the documents issued and the account's next ledger.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BillingRun {
    /// Invoices and credit notes, by date.
    pub documents: Vec<Document>,
    /// The ledger to store for the next run.
    pub account: BillingAccount,
}

/// Bills one account through `through` (included): every charge and credit
/// dated on or before it that `account` has not been billed yet. Returns
/// the documents and the next ledger; [`bill_in_place`] updates the ledger
/// instead of copying it.
///
/// # Errors
/// [`BillingError`] for a plan the catalog lacks, mixed currencies, or dates
/// at the edge of the calendar.
pub fn bill(
    account: &BillingAccount,
    events: &[Event],
    catalog: &Catalog,
    config: &BillingConfig,
    through: NaiveDate,
) -> Result<BillingRun, BillingError> {
    let mut next = account.clone();
    let documents = bill_in_place(&mut next, events, catalog, config, through)?;
    Ok(BillingRun {
        documents,
        account: next,
    })
}

/// [`bill`] that records the run in `account` and returns the documents.
/// On an error `account` is left as it was.
///
/// ```
/// use memberkit::billing::{BillingAccount, BillingConfig, bill_in_place};
/// use memberkit::calendar::date;
/// use memberkit::membership::{Catalog, Command, Membership, decide};
///
/// let catalog = Catalog::from_json(r#"[{"id": "regular", "name": "Regular",
///     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": true,
///     "interval": {"unit": "month", "count": 1}}]"#)?;
/// let join = Command::Join { plan: "regular".into(), start: date(2026, 4, 1)?, trial: false };
/// let events = decide(&Membership::default(), &catalog, &join, date(2026, 4, 1)?)?;
/// let (config, mut account) = (BillingConfig::default(), BillingAccount::new("m-001"));
///
/// let april = bill_in_place(&mut account, &events, &catalog, &config, date(2026, 4, 30)?)?;
/// assert_eq!(april[0].id, "m-001-20260401-1");
/// let may = bill_in_place(&mut account, &events, &catalog, &config, date(2026, 5, 1)?)?;
/// assert_eq!(may[0].id, "m-001-20260501-1");
/// assert_eq!(account.documents_issued(), 2);
/// # Ok::<(), memberkit::Error>(())
/// ```
///
/// # Errors
/// As [`bill`].
pub fn bill_in_place(
    account: &mut BillingAccount,
    events: &[Event],
    catalog: &Catalog,
    config: &BillingConfig,
    through: NaiveDate,
) -> Result<Vec<Document>, BillingError> {
    let terms = terms(events, catalog);
    // Built and dropped in place: the run's lists keep their first items
    // inline, and moving them is copying them.
    let mut changes = LedgerChanges {
        credit: account.credit,
        entries: SmallVec::new(),
    };
    let documents = {
        let mut pending = PendingLines::new();
        for term in &terms {
            let billing = TermBilling::new(term, account, catalog, config, through)?;
            billing.pieces(&mut pending)?;
            billing.one_offs(&mut pending)?;
        }
        super::adjustments::add(account, config, through, &mut pending)?;
        if pending.is_empty() {
            return Ok(Vec::new());
        }
        assemble(account, &mut pending, config, &mut changes)?
    };
    // The lines, gone now, borrowed the ledger that the changes change.
    changes.apply(account, &documents);
    Ok(documents)
}

/// Bills many accounts through one date with [`bill_in_place`], each
/// ledger updated in place, one account each time the iterator is advanced:
/// a run over a million accounts can store each result as it comes rather
/// than hold them all. Each result stands alone, so one account's error
/// (which leaves its ledger as it was) does not stop the others.
///
/// ```
/// use memberkit::billing::{BillingAccount, BillingConfig, bill_all};
/// use memberkit::calendar::date;
/// use memberkit::membership::{Catalog, Command, Membership, decide};
///
/// let catalog = Catalog::from_json(r#"[{"id": "regular", "name": "Regular",
///     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": true,
///     "interval": {"unit": "month", "count": 1}}]"#)?;
/// let join = Command::Join { plan: "regular".into(), start: date(2026, 4, 1)?, trial: false };
/// let events = decide(&Membership::default(), &catalog, &join, date(2026, 4, 1)?)?;
/// let mut accounts = vec![BillingAccount::new("m-1"), BillingAccount::new("m-2")];
/// let config = BillingConfig::default();
///
/// let run = bill_all(
///     accounts.iter_mut().map(|a| (a, events.as_slice())),
///     &catalog,
///     &config,
///     date(2026, 4, 1)?,
/// );
/// for documents in run {
///     assert_eq!(documents?.len(), 1); // store them with the account here
/// }
/// assert_eq!(accounts[1].documents_issued(), 1);
/// # Ok::<(), memberkit::Error>(())
/// ```
pub fn bill_all<'a, I>(
    accounts: I,
    catalog: &'a Catalog,
    config: &'a BillingConfig,
    through: NaiveDate,
) -> impl Iterator<Item = Result<Vec<Document>, BillingError>> + 'a
where
    I: IntoIterator<Item = (&'a mut BillingAccount, &'a [Event])>,
    I::IntoIter: 'a,
{
    accounts
        .into_iter()
        .map(move |(account, events)| bill_in_place(account, events, catalog, config, through))
}
