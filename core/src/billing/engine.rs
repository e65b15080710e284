//! The billing run: compares what the timeline says is owed with what the
//! ledger says was billed, and issues the difference as documents.
//!
//! Batch runs bill every account on each billing date, so a run keeps to
//! flat sorted lists of borrowed keys rather than nested maps, walks each
//! schedule once, and writes document text without `format!`.

use super::document::{
    collection_date, document_id, is_date_text, push_date, push_dates, taxes_and_total,
};
use super::ledger::{BilledOneOff, BilledPiece, PieceKind};
use super::proration::piece_days;
use super::timeline::{Mode, OneOff, OneOffKind, Segment, Term, terms};
use super::{
    BillingAccount, BillingConfig, BillingError, Document, DocumentKind, FirstPeriod, Line,
    LineKind, Proration, TaxCategory, Timing, prorate,
};
use crate::calendar::{CalendarError, IntervalUnit, NaiveDate, Period, Schedule};
use crate::membership::{Alignment, Catalog, Event, Plan, RefundPolicy, TaxRate};
use crate::money::{Currency, Money};
use chrono::Datelike;
use compact_str::CompactString;
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

/// An account's ledger and its membership's events: the input of a billing
/// run, as a host stores it. Serialized as `{"account": {...}, "events": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountHistory {
    /// The ledger so far.
    pub account: BillingAccount,
    /// The membership's events.
    pub events: Vec<Event>,
}

impl AccountHistory {
    /// Parses a JSON array of histories (the input of a batch run).
    ///
    /// # Errors
    /// [`BillingError::InvalidJson`] naming the bad field, e.g. `[3].events[0].on`.
    pub fn list_from_json(json: &str) -> Result<Vec<AccountHistory>, BillingError> {
        parse_json(json, "billing history")
    }
}

impl BillingAccount {
    /// Parses an account saved as JSON.
    ///
    /// # Errors
    /// [`BillingError::InvalidJson`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, BillingError> {
        parse_json(json, "billing account")
    }
}

/// Bills a JSON array of [`AccountHistory`] through `through` with
/// [`bill_all`]; returns a JSON array with, for each history in order, the
/// run (`{"documents": [...], "account": {...}}`) or
/// `{"error": {"kind": "unknown_plan", "message": "..."}}`.
///
/// # Errors
/// [`BillingError::InvalidJson`] for histories that do not parse; an
/// account's own error is its item's.
pub fn bill_batch_json(
    histories_json: &str,
    catalog: &Catalog,
    config: &BillingConfig,
    through: NaiveDate,
) -> Result<String, BillingError> {
    let mut histories = AccountHistory::list_from_json(histories_json)?;
    let results: Vec<_> = bill_all(
        histories
            .iter_mut()
            .map(|h| (&mut h.account, h.events.as_slice())),
        catalog,
        config,
        through,
    )
    .collect();
    let items: Vec<BatchItem<'_>> = histories
        .iter()
        .zip(&results)
        .map(|(history, result)| match result {
            Ok(documents) => BatchItem::Run {
                documents,
                account: &history.account,
            },
            Err(err) => BatchItem::Error {
                error: BatchError {
                    kind: err.kind().name(),
                    message: err.to_string(),
                },
            },
        })
        .collect();
    Ok(serde_json::to_string(&items).unwrap_or_default())
}

/// An item of [`bill_batch_json`], serialized straight to text (building a
/// `serde_json::Value` first took most of a batch run's time).
#[derive(serde::Serialize)]
#[serde(untagged)]
enum BatchItem<'a> {
    Run {
        documents: &'a [Document],
        account: &'a BillingAccount,
    },
    Error {
        error: BatchError,
    },
}

#[derive(serde::Serialize)]
struct BatchError {
    kind: &'static str,
    message: String,
}

fn parse_json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> Result<T, BillingError> {
    // Tracking the path slows a batch's parse, so only a failed parse is
    // repeated with it, to name where the input is wrong.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| BillingError::InvalidJson {
        what,
        path: err.path().to_string(),
        message: err.into_inner().to_string(),
    })
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

/// A line not yet on a document, with what it changes in the ledger. Plans
/// and documents are borrowed from the run's terms and the old ledger.
pub(super) struct Pending<'a> {
    pub(super) date: NaiveDate,
    pub(super) line: Line,
    pub(super) refund: bool,
    pub(super) corrects: Option<&'a str>,
    pub(super) effect: Effect<'a>,
}

pub(super) enum Effect<'a> {
    AddPiece {
        term: NaiveDate,
        period: NaiveDate,
        key: Key<'a>,
        piece: Period,
    },
    RemovePiece {
        term: NaiveDate,
        period: NaiveDate,
        key: Key<'a>,
        piece: Period,
    },
    AddOneOff {
        key: String,
        term: NaiveDate,
    },
    RemoveOneOff {
        key: &'a str,
    },
}

/// The lines of a run, with room for the usual few without allocating.
pub(super) type PendingLines<'a> = SmallVec<[Pending<'a>; 4]>;

/// What a piece is billed for: the fee and the plan.
type Key<'a> = (PieceKind, &'a str);

/// Days of a billing period owed for one key.
struct Owed<'a> {
    period: Period,
    key: Key<'a>,
    piece: Period,
}

/// Days of a billing period the ledger says were billed, and the document
/// that billed them.
struct Billed<'a> {
    period: NaiveDate,
    key: Key<'a>,
    piece: Period,
    document: &'a str,
}

/// Bills one term; `'t` borrows the run's terms and ledger, `'a` what the
/// terms borrow.
struct TermBilling<'t, 'a> {
    term: &'t Term<'a>,
    /// The term's plan, the one most lines are for.
    plan: &'t Plan,
    account: &'t BillingAccount,
    catalog: &'t Catalog,
    config: &'t BillingConfig,
    through: NaiveDate,
    schedule: Schedule,
    months: Option<u32>,
}

impl<'t, 'a: 't> TermBilling<'t, 'a> {
    fn new(
        term: &'t Term<'a>,
        account: &'t BillingAccount,
        catalog: &'t Catalog,
        config: &'t BillingConfig,
        through: NaiveDate,
    ) -> Result<Self, BillingError> {
        let plan = match term.catalog_plan {
            Some(plan) => plan,
            None => catalog.get(&term.plan)?,
        };
        let day = match plan.alignment {
            Alignment::Calendar => 1,
            Alignment::Anniversary => term.paid_from.day(),
            Alignment::DayOfMonth(day) => day,
        };
        let schedule = Schedule::on_day(term.paid_from, plan.interval, day)?;
        let months = match plan.interval.unit() {
            IntervalUnit::Month => Some(plan.interval.count()),
            IntervalUnit::Year => Some(plan.interval.count() * 12),
            IntervalUnit::Day | IntervalUnit::Week => None,
        };
        Ok(Self {
            term,
            plan,
            account,
            catalog,
            config,
            through,
            schedule,
            months,
        })
    }

    /// The pieces owed in the periods from `settled` on, by period start and
    /// key (otherwise in timeline order), with room reserved for about
    /// `expected` of them.
    fn owed(
        &self,
        settled: Option<NaiveDate>,
        expected: usize,
    ) -> Result<SmallVec<[Owed<'t>; 4]>, BillingError> {
        let mut owed = SmallVec::new();
        owed.reserve(expected);
        if self.term.cooled_off {
            return Ok(owed);
        }
        let index = self
            .schedule
            .index_of(self.through.max(self.term.paid_from))?;
        let current = self.schedule.period(index)?;
        let horizon = match self.config.timing {
            Timing::Advance => current.end(),
            Timing::Arrears => current.start(),
        };
        for segment in &self.term.segments {
            let from = settled.map_or(segment.from, |settled| segment.from.max(settled));
            let until = match segment.until {
                Some(until) => Some(self.paid_until(segment, until)?),
                None => None,
            };
            let end = match (self.config.timing, until) {
                (Timing::Arrears, Some(until)) if until <= self.through => until,
                (_, Some(until)) => until.min(horizon),
                (_, None) => horizon,
            };
            let Ok(range) = Period::new(from, end) else {
                continue;
            };
            let kind = match segment.mode {
                Mode::Active => PieceKind::Plan,
                Mode::Paused => PieceKind::Pause,
            };
            let key = (kind, segment.plan.as_ref());
            self.each_period(range, (index, current), |period| {
                let piece = Period::new(
                    period.start().max(range.start()),
                    period.end().min(range.end()),
                )?;
                owed.push(Owed { period, key, piece });
                Ok(())
            })?;
        }
        // One segment's periods come in order; several may interleave.
        if !owed.is_sorted_by(|a, b| (a.period.start(), a.key) <= (b.period.start(), b.key)) {
            owed.sort_by(|a, b| (a.period.start(), a.key).cmp(&(b.period.start(), b.key)));
        }
        Ok(owed)
    }

    /// Where the days owed for `segment`, which ends on `until`, end: on
    /// `until`, or, when a cancel ends the term then, mid-period, under a plan
    /// that refunds nothing and bills in advance, at the end of that period,
    /// which stays paid in full whether it was billed before the cancel was
    /// known or after. (An expiry ends the term on its day; billed in
    /// arrears, a period is charged for the days used.)
    fn paid_until(
        &self,
        segment: &Segment<'_>,
        until: NaiveDate,
    ) -> Result<NaiveDate, BillingError> {
        let refunds_nothing = || -> Result<bool, BillingError> {
            Ok(self.plan(segment.plan.as_ref())?.refund_policy == RefundPolicy::None)
        };
        if self.config.timing == Timing::Arrears
            || self.term.cancelled_on != Some(until)
            || !refunds_nothing()?
        {
            return Ok(until);
        }
        let last_day = until.pred_opt().ok_or(CalendarError::OutOfRange {
            operation: "the day before a cancel",
        })?;
        Ok(self.schedule.period_containing(last_day)?.end())
    }

    /// Calls `each` with the billing periods that overlap `range`, in order.
    /// Walks the schedule's boundaries, computing each one once and reusing
    /// `known`, the `k`-th period.
    fn each_period(
        &self,
        range: Period,
        known: (i64, Period),
        mut each: impl FnMut(Period) -> Result<(), BillingError>,
    ) -> Result<(), BillingError> {
        let boundary = |k: i64| match k.checked_sub(known.0) {
            Some(0) => Ok(known.1.start()),
            Some(1) => Ok(known.1.end()),
            _ => self.schedule.boundary(k),
        };
        let mut k = self.schedule.index_of(range.start())?;
        let mut start = boundary(k)?;
        loop {
            k = k.checked_add(1).ok_or(CalendarError::OutOfRange {
                operation: "schedule index",
            })?;
            let end = boundary(k)?;
            each(Period::new(start, end)?)?;
            if end >= range.end() {
                return Ok(());
            }
            start = end;
        }
    }

    /// The term's pieces in the ledger in the periods from `settled` on, by
    /// period start and key (otherwise in ledger order).
    fn billed(
        &self,
        settled: Option<NaiveDate>,
    ) -> Result<SmallVec<[Billed<'t>; 4]>, BillingError> {
        let of_term = || {
            self.account
                .pieces
                .iter()
                .filter(move |p| p.term == self.term.start && settled.is_none_or(|s| p.period >= s))
        };
        // A long membership has many: grown once, not doubling.
        let mut billed = SmallVec::new();
        billed.reserve_exact(of_term().count());
        for p in of_term() {
            billed.push(Billed {
                period: p.period,
                key: (p.kind, p.plan.as_str()),
                piece: Period::new(p.from, p.until)?,
                document: &p.document,
            });
        }
        // The ledger is mostly in order already.
        if !billed.is_sorted_by(|a: &Billed<'t>, b| (a.period, a.key) <= (b.period, b.key)) {
            billed.sort_by(|a: &Billed<'t>, b| (a.period, a.key).cmp(&(b.period, b.key)));
        }
        Ok(billed)
    }

    /// Where the periods that need looking at begin: before it, every period
    /// lies in the term's first segment, before any change, and the ledger
    /// bills it in one piece of that segment's fee, as it is owed — so a
    /// long membership's history is not walked again at every run. `None`
    /// when every period must be looked at.
    ///
    /// The ledger's pieces are read in order as a chain: the first from the
    /// segment's start, each next one from the end of the one before, which
    /// is so a whole period. The last settled period ends where a piece of
    /// the chain starts, on a boundary of the schedule, on or before
    /// `through` and the segment's first change.
    fn settled_until(&self) -> Result<Option<NaiveDate>, BillingError> {
        let Some(first) = self.term.segments.first() else {
            return Ok(None);
        };
        if self.term.cooled_off {
            return Ok(None);
        }
        let kind = match first.mode {
            Mode::Active => PieceKind::Plan,
            Mode::Paused => PieceKind::Pause,
        };
        let limit = first.until.unwrap_or(self.through).min(self.through);
        let mut settled = None;
        let mut previous: Option<&BilledPiece> = None;
        let pieces = self
            .account
            .pieces
            .iter()
            .filter(|p| p.term == self.term.start);
        for piece in pieces {
            let chained = match previous {
                None => piece.from == first.from && piece.period <= piece.from,
                Some(previous) => piece.period == previous.until && piece.from == piece.period,
            };
            if !chained || piece.kind != kind || piece.plan != first.plan.as_ref() {
                break;
            }
            if previous.is_some() {
                // The period before this piece's is whole and billed.
                if piece.period > limit {
                    break;
                }
                settled = Some(piece.period);
            }
            previous = Some(piece);
        }
        // A schedule changed since (a plan's billing day edited) settles nothing.
        let Some(at) = settled else { return Ok(None) };
        let on_schedule = self.schedule.boundary(self.schedule.index_of(at)?)? == at;
        Ok(on_schedule.then_some(at))
    }

    /// Charges what is owed and not billed, and credits what is billed and
    /// no longer owed, period by period.
    fn pieces(&self, out: &mut PendingLines<'t>) -> Result<(), BillingError> {
        let settled = self.settled_until()?;
        let billed = self.billed(settled)?;
        // Most periods billed are owed as they were, and one more is due.
        let owed = self.owed(settled, billed.len() + 2)?;
        let (mut owed, mut billed) = (owed.as_slice(), billed.as_slice());
        loop {
            let start = match (owed.first(), billed.first()) {
                (Some(o), Some(b)) => o.period.start().min(b.period),
                (Some(o), None) => o.period.start(),
                (None, Some(b)) => b.period,
                (None, None) => return Ok(()),
            };
            let (owed_here, owed_rest) = split_run(owed, |o| o.period.start() == start);
            let (billed_here, billed_rest) = split_run(billed, |b| b.period == start);
            let period = match owed_here.first() {
                Some(o) => o.period,
                None => self.schedule.period_containing(start)?,
            };
            self.reconcile(period, owed_here, billed_here, out)?;
            (owed, billed) = (owed_rest, billed_rest);
        }
    }

    /// [`Self::pieces`] for one period, key by key.
    fn reconcile(
        &self,
        period: Period,
        owed: &[Owed<'t>],
        billed: &[Billed<'t>],
        out: &mut PendingLines<'t>,
    ) -> Result<(), BillingError> {
        let (mut owed_rest, mut billed_rest) = (owed, billed);
        loop {
            let key = match (owed_rest.first(), billed_rest.first()) {
                (Some(o), Some(b)) => o.key.min(b.key),
                (Some(o), None) => o.key,
                (None, Some(b)) => b.key,
                (None, None) => return Ok(()),
            };
            let (owed_key, rest) = split_run(owed_rest, |o| o.key == key);
            owed_rest = rest;
            let (billed_key, rest) = split_run(billed_rest, |b| b.key == key);
            billed_rest = rest;
            match (owed_key, billed_key) {
                // The usual cases, without building interval lists: a piece
                // not billed yet, and a piece billed as it is owed.
                ([owing], []) => self.charge(period, key, owing.piece, out)?,
                ([owing], [had]) if owing.piece == had.piece => {}
                _ => self.reconcile_key(period, key, owed, owed_key, billed_key, out)?,
            }
        }
    }

    /// The general case of [`Self::reconcile`] for one key: `owed_key` and
    /// `billed_key` as interval lists, `owed` all of the period's owed pieces.
    fn reconcile_key(
        &self,
        period: Period,
        key: Key<'t>,
        owed: &[Owed<'t>],
        owed_key: &[Owed<'t>],
        billed_key: &[Billed<'t>],
        out: &mut PendingLines<'t>,
    ) -> Result<(), BillingError> {
        let owing = coalesce(owed_key.iter().map(|o| o.piece).collect());
        let had = coalesce(billed_key.iter().map(|b| b.piece).collect());
        for added in subtract(&owing, &had) {
            self.charge(period, key, added, out)?;
        }
        let removed = subtract(&had, &owing);
        if removed.is_empty() {
            return Ok(());
        }
        let covered = coalesce(owed.iter().map(|o| o.piece).collect());
        for removed in removed {
            let document = billed_key
                .iter()
                .find(|b| b.piece.contains(removed.start()))
                .map(|b| b.document);
            for (part, is_covered) in split_by(removed, &covered) {
                self.credit(period, key, part, is_covered, document, out)?;
            }
        }
        Ok(())
    }

    fn plan(&self, id: &str) -> Result<&'t Plan, BillingError> {
        if id == self.plan.id {
            return Ok(self.plan);
        }
        Ok(self.catalog.get(id)?)
    }

    fn price(&self, kind: PieceKind, plan: &Plan) -> Money {
        match kind {
            PieceKind::Plan => plan.price,
            PieceKind::Pause => plan
                .pause
                .as_ref()
                .map_or(Money::zero(plan.price.currency()), |p| p.monthly_fee),
        }
    }

    fn is_leading(&self, kind: PieceKind, period: Period, piece: Period) -> bool {
        kind == PieceKind::Plan
            && piece.start() == self.term.paid_from
            && period.start() < self.term.paid_from
    }

    /// The share of `price` that `piece` of `period` costs, and how it was found.
    fn share(
        &self,
        price: Money,
        period: Period,
        piece: Period,
    ) -> Result<(Money, Option<Proration>), BillingError> {
        if piece == period {
            return Ok((price, None));
        }
        let (part, whole) = piece_days(self.config.day_count, period, piece, self.months);
        Ok((
            prorate(price, part, whole, self.config.rounding)?,
            Some(Proration::Share { part, whole }),
        ))
    }

    fn charge(
        &self,
        period: Period,
        key: Key<'t>,
        piece: Period,
        out: &mut PendingLines<'t>,
    ) -> Result<(), BillingError> {
        let date = match self.config.timing {
            Timing::Advance => piece.start(),
            Timing::Arrears => piece.end(),
        };
        if date > self.through {
            return Ok(());
        }
        let plan = self.plan(key.1)?;
        let price = self.price(key.0, plan);
        let (amount, proration) = match (
            &self.config.first_period,
            self.is_leading(key.0, period, piece),
        ) {
            (FirstPeriod::Full, true) => (price, None),
            (FirstPeriod::Free, true) => (Money::zero(price.currency()), Some(Proration::Free)),
            (FirstPeriod::Table { rows }, true) => {
                let day = self.term.paid_from.day();
                match rows.iter().find(|r| (r.from_day..=r.to_day).contains(&day)) {
                    Some(row) => {
                        let (n, d) = (row.fraction.numerator(), row.fraction.denominator());
                        (
                            prorate(price, n, d, self.config.rounding)?,
                            Some(Proration::Share { part: n, whole: d }),
                        )
                    }
                    None => (price, None),
                }
            }
            _ => self.share(price, period, piece)?,
        };
        out.push(Pending {
            date,
            line: period_line(plan, key.0, piece, price, amount, proration, false),
            refund: false,
            corrects: None,
            effect: Effect::AddPiece {
                term: self.term.start,
                period: period.start(),
                key,
                piece,
            },
        });
        Ok(())
    }

    fn credit(
        &self,
        period: Period,
        key: Key<'t>,
        part: Period,
        replaced: bool,
        corrects: Option<&'t str>,
        out: &mut PendingLines<'t>,
    ) -> Result<(), BillingError> {
        // A credit is dated when its days stop being owed: the change that
        // removed them, or the end of a term refunded whole.
        let date = self
            .term
            .ended
            .map_or(part.start(), |ended| ended.max(part.start()));
        if date > self.through {
            return Ok(());
        }
        let plan = self.plan(key.1)?;
        let refund = match (self.term.cooled_off, replaced, plan.refund_policy) {
            (true, _, _) => true,
            (false, true, _) => false,
            (false, false, RefundPolicy::None) => return Ok(()),
            (false, false, RefundPolicy::ProratedCredit) => false,
            (false, false, RefundPolicy::ProratedRefund) => true,
        };
        let price = self.price(key.0, plan);
        let leading_free = matches!(self.config.first_period, FirstPeriod::Free)
            && key.0 == PieceKind::Plan
            && period.start() < self.term.paid_from
            && part.start() >= self.term.paid_from;
        let (amount, proration) = if leading_free {
            (Money::zero(price.currency()), Some(Proration::Free))
        } else {
            self.share(price, period, part)?
        };
        out.push(Pending {
            date,
            line: period_line(plan, key.0, part, price, amount.negated(), proration, true),
            refund,
            corrects,
            effect: Effect::RemovePiece {
                term: self.term.start,
                period: period.start(),
                key,
                piece: part,
            },
        });
        Ok(())
    }

    /// The ledger key of a one-off fee of this term: `{kind}:{term}:{on}`.
    fn one_off_key(&self, kind: OneOffKind, on: NaiveDate) -> String {
        let mut key = String::with_capacity(48);
        key.push_str(kind.name());
        key.push(':');
        push_date(&mut key, self.term.start);
        key.push(':');
        push_date(&mut key, on);
        key
    }

    /// Whether `key` is [`Self::one_off_key`] of `fee`, read without writing one.
    fn is_key_of(&self, fee: &OneOff<'_>, key: &str) -> bool {
        let dates = key
            .strip_prefix(fee.kind.name())
            .and_then(|rest| rest.strip_prefix(':'))
            .and_then(|rest| rest.split_once(':'));
        dates.is_some_and(|(term, on)| {
            is_date_text(term, self.term.start) && is_date_text(on, fee.on)
        })
    }

    fn one_offs(&self, out: &mut PendingLines<'t>) -> Result<(), BillingError> {
        let owed: &'t [OneOff<'a>] = if self.term.cooled_off {
            &[]
        } else {
            &self.term.one_offs
        };
        for fee in owed {
            let billed = |b: &BilledOneOff| self.is_key_of(fee, &b.key);
            if fee.on > self.through || self.account.one_offs.iter().any(billed) {
                continue;
            }
            let plan = self.plan(&fee.plan)?;
            out.push(Pending {
                date: fee.on,
                line: one_off_line(plan, fee.kind, fee.amount, false),
                refund: false,
                corrects: None,
                effect: Effect::AddOneOff {
                    key: self.one_off_key(fee.kind, fee.on),
                    term: self.term.start,
                },
            });
        }
        for billed in self
            .account
            .one_offs
            .iter()
            .filter(|b| b.term == self.term.start)
        {
            if owed.iter().any(|fee| self.is_key_of(fee, &billed.key)) {
                continue;
            }
            let Some(fee) = self
                .term
                .one_offs
                .iter()
                .find(|fee| self.is_key_of(fee, &billed.key))
            else {
                continue;
            };
            let date = self.term.ended.unwrap_or(self.through).min(self.through);
            let plan = self.plan(&fee.plan)?;
            out.push(Pending {
                date,
                line: one_off_line(plan, fee.kind, fee.amount.negated(), true),
                refund: true,
                corrects: Some(&billed.document),
                effect: Effect::RemoveOneOff { key: &billed.key },
            });
        }
        Ok(())
    }
}

/// Splits `items` after the leading run of items that are `same`.
fn split_run<T>(items: &[T], same: impl Fn(&T) -> bool) -> (&[T], &[T]) {
    let run = items.iter().position(|item| !same(item));
    items.split_at(run.unwrap_or(items.len()))
}

/// The union of `pieces` as disjoint periods in order, touching ones merged.
fn coalesce(mut pieces: Vec<Period>) -> Vec<Period> {
    pieces.sort();
    let mut out: Vec<Period> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match out.last_mut() {
            Some(last) if piece.start() <= last.end() => {
                if piece.end() > last.end() {
                    *last = Period::new(last.start(), piece.end()).unwrap_or(*last);
                }
            }
            _ => out.push(piece),
        }
    }
    out
}

/// `a` minus `b`, both disjoint periods in order (as [`coalesce`] makes
/// them), as disjoint periods in order.
fn subtract(a: &[Period], b: &[Period]) -> Vec<Period> {
    let mut out = Vec::new();
    for piece in a {
        let mut from = piece.start();
        for cut in b {
            if cut.end() <= from || cut.start() >= piece.end() {
                continue;
            }
            if let Ok(left) = Period::new(from, cut.start()) {
                out.push(left);
            }
            from = cut.end();
        }
        if let Ok(rest) = Period::new(from, piece.end()) {
            out.push(rest);
        }
    }
    out
}

/// Splits `piece` into the parts inside `cover` (true) and outside it
/// (false), in order; `cover` is disjoint periods in order.
fn split_by(piece: Period, cover: &[Period]) -> Vec<(Period, bool)> {
    let mut parts = Vec::new();
    let mut from = piece.start();
    for cut in cover {
        if cut.end() <= from || cut.start() >= piece.end() {
            continue;
        }
        if let Ok(outside) = Period::new(from, cut.start()) {
            parts.push((outside, false));
        }
        let until = cut.end().min(piece.end());
        if let Ok(inside) = Period::new(from.max(cut.start()), until) {
            parts.push((inside, true));
        }
        from = until;
    }
    if let Ok(outside) = Period::new(from, piece.end()) {
        parts.push((outside, false));
    }
    parts
}

fn tax_of(plan: &Plan) -> TaxCategory {
    TaxCategory {
        rate: plan.tax_rate,
        included: plan.price_includes_tax,
    }
}

fn period_line(
    plan: &Plan,
    kind: PieceKind,
    piece: Period,
    unit_price: Money,
    amount: Money,
    proration: Option<Proration>,
    credit: bool,
) -> Line {
    let (kind, what) = match kind {
        PieceKind::Plan => (LineKind::PlanFee, " fee, "),
        PieceKind::Pause => (LineKind::PauseFee, " pause fee, "),
    };
    let last_day = piece.end().pred_opt().unwrap_or(piece.end());
    let prefix = if credit { "Credit: " } else { "" };
    // "{prefix}{name} {what}, {start} to {last_day}"
    let mut description = String::with_capacity(prefix.len() + plan.name.len() + 40);
    for part in [prefix, &plan.name, what] {
        description.push_str(part);
    }
    push_dates(&mut description, piece.start(), last_day);
    Line {
        description,
        kind,
        plan: plan.id.clone(),
        period: Some(piece),
        quantity: 1,
        unit_price,
        proration,
        amount,
        tax: tax_of(plan),
        credit,
    }
}

fn one_off_line(plan: &Plan, kind: OneOffKind, amount: Money, credit: bool) -> Line {
    let (line_kind, what, tax) = match kind {
        OneOffKind::Admission => (LineKind::AdmissionFee, "admission fee", tax_of(plan)),
        OneOffKind::Trial => (LineKind::TrialFee, "trial", tax_of(plan)),
        OneOffKind::EarlyTermination => (
            LineKind::EarlyTerminationFee,
            "early-termination fee",
            TaxCategory {
                rate: TaxRate::Exempt,
                included: true,
            },
        ),
    };
    let prefix = if credit { "Refund: " } else { "" };
    let description = [prefix, &plan.name, " ", what].concat();
    Line {
        description,
        kind: line_kind,
        plan: plan.id.clone(),
        period: None,
        quantity: 1,
        unit_price: if credit { amount.negated() } else { amount },
        proration: None,
        amount,
        tax,
        credit,
    }
}

/// Groups the `pending` lines (drained) into documents by date (refunds
/// apart), numbers them and carries credit forward; returns the documents
/// and records in `changes` what they change in the ledger, which `account`
/// is left without until [`LedgerChanges::apply`].
fn assemble(
    account: &BillingAccount,
    pending: &mut PendingLines<'_>,
    config: &BillingConfig,
    changes: &mut LedgerChanges,
) -> Result<Vec<Document>, BillingError> {
    // By document; on each, credits first, then charges; otherwise in the
    // order they were found (the sort is stable).
    pending.sort_by_key(|p| (p.date, p.refund, !p.line.amount.is_negative()));
    // Each document's date, kind, currency and number of lines (those of
    // one date, refunds apart), so that each collection is sized to fit: a
    // batch keeps every document.
    let mut heads: SmallVec<[(NaiveDate, bool, Currency, usize); 4]> = SmallVec::new();
    for (i, item) in pending.iter().enumerate() {
        let same = |p: &Pending<'_>| (p.date, p.refund) == (item.date, item.refund);
        match heads.last_mut() {
            Some(head) if i > 0 && same(&pending[i - 1]) => head.3 += 1,
            _ => heads.push((item.date, item.refund, item.line.amount.currency(), 1)),
        }
    }
    let mut documents: Vec<Document> = Vec::with_capacity(heads.len());
    changes.entries.reserve_exact(pending.len());
    let mut items = pending.drain(..);
    for (date, refund, currency, size) in heads {
        // Documents come in date order: this one follows those of its date.
        let earlier = documents
            .iter()
            .rev()
            .take_while(|d| d.date == date)
            .count();
        let number = account.issued.on(date);
        let number = number.saturating_add(u32::try_from(earlier + 1).unwrap_or(u32::MAX));
        // Made in place in `documents` (a document is large), then
        // completed from its lines by `issue`.
        let zero = Money::zero(currency);
        documents.push(Document {
            id: document_id(&account.id, date, number),
            kind: DocumentKind::Invoice,
            account: account.id.clone(),
            date,
            collection_date: date,
            corrects: None,
            lines: SmallVec::new(),
            taxes: SmallVec::new(),
            total: zero,
            credit_applied: zero,
            refund: zero,
            amount_due: zero,
        });
        let Some(document) = documents.last_mut() else {
            break;
        };
        document.lines.reserve_exact(size);
        let mut corrects = None;
        for item in items.by_ref().take(size) {
            corrects = corrects.or(item.corrects);
            document.lines.push(item.line);
            changes.entries.push(item.effect.recorded(&document.id));
        }
        issue(document, refund, corrects, &mut changes.credit, config)?;
    }
    Ok(documents)
}

/// What a run's documents change in an account's ledger, besides counting
/// them.
struct LedgerChanges {
    /// The credit carried forward after the run.
    credit: Option<Money>,
    /// Pieces and one-off fees billed or credited, in order.
    entries: SmallVec<[LedgerChange; 4]>,
}

/// One change of [`LedgerChanges`], owning what it records so the ledger
/// it was computed from can be changed in place.
enum LedgerChange {
    AddPiece(BilledPiece),
    RemovePiece {
        term: NaiveDate,
        period: NaiveDate,
        kind: PieceKind,
        plan: String,
        piece: Period,
    },
    AddOneOff(BilledOneOff),
    RemoveOneOff(String),
}

impl LedgerChanges {
    /// Records `documents` and these changes in `account`, the ledger they
    /// were computed from.
    fn apply(&mut self, account: &mut BillingAccount, documents: &[Document]) {
        let dates = documents.chunk_by(|a, b| a.date == b.date).count();
        account.issued.reserve_exact(dates);
        for document in documents {
            account.issued.add(document.date);
        }
        account.credit = self.credit;
        // Grown to fit, not doubled: a batch keeps every ledger.
        let added = |is_piece: bool| {
            self.entries
                .iter()
                .filter(|change| match change {
                    LedgerChange::AddPiece(_) => is_piece,
                    LedgerChange::AddOneOff(_) => !is_piece,
                    _ => false,
                })
                .count()
        };
        account.pieces.reserve_exact(added(true));
        account.one_offs.reserve_exact(added(false));
        for change in self.entries.drain(..) {
            match change {
                LedgerChange::AddPiece(piece) => account.pieces.push(piece),
                LedgerChange::RemovePiece {
                    term,
                    period,
                    kind,
                    plan,
                    piece,
                } => remove_piece(account, (term, period, kind, &plan), piece),
                LedgerChange::AddOneOff(fee) => account.one_offs.push(fee),
                LedgerChange::RemoveOneOff(key) => account.one_offs.retain(|b| b.key != key),
            }
        }
    }
}

/// Completes `document` from its lines, in place: taxes, total, kind (a
/// `refund` or a negative total makes a credit note, correcting
/// `corrects`), the `credit` carried forward applied and updated, and the
/// collection date.
fn issue(
    document: &mut Document,
    refund: bool,
    corrects: Option<&str>,
    credit: &mut Option<Money>,
    config: &BillingConfig,
) -> Result<(), BillingError> {
    let (taxes, total) = taxes_and_total(&document.lines, config)?;
    let currency = total.currency();
    let kind = if refund || total.is_negative() {
        DocumentKind::CreditNote
    } else {
        DocumentKind::Invoice
    };
    let zero = Money::zero(currency);
    let carried = credit.unwrap_or(zero);
    let (credit_applied, refund_amount, amount_due, credit_after) = if refund {
        (zero, total.negated(), zero, carried)
    } else if total.is_negative() {
        (zero, zero, zero, carried.checked_sub(total)?)
    } else if credit.is_none() {
        // No credit to apply: the usual invoice, without money arithmetic.
        (zero, zero, total, zero)
    } else {
        let applied = if carried.amount() < total.amount() {
            carried
        } else {
            total
        };
        (
            applied,
            zero,
            total.checked_sub(applied)?,
            carried.checked_sub(applied)?,
        )
    };
    *credit = (!credit_after.is_zero()).then_some(credit_after);
    if kind == DocumentKind::Invoice {
        document.collection_date = collection_date(document.date, config)?;
    } else {
        document.corrects = corrects.map(CompactString::from);
    }
    document.kind = kind;
    document.taxes = taxes;
    document.total = total;
    document.credit_applied = credit_applied;
    document.refund = refund_amount;
    document.amount_due = amount_due;
    Ok(())
}

impl Effect<'_> {
    /// The ledger change of this effect of `document`.
    fn recorded(self, document: &CompactString) -> LedgerChange {
        match self {
            Effect::AddPiece {
                term,
                period,
                key: (kind, plan),
                piece,
            } => LedgerChange::AddPiece(BilledPiece {
                term,
                period,
                kind,
                plan: CompactString::from(plan),
                from: piece.start(),
                until: piece.end(),
                document: document.clone(),
            }),
            Effect::RemovePiece {
                term,
                period,
                key: (kind, plan),
                piece,
            } => LedgerChange::RemovePiece {
                term,
                period,
                kind,
                plan: plan.to_owned(),
                piece,
            },
            Effect::AddOneOff { key, term } => LedgerChange::AddOneOff(BilledOneOff {
                key: CompactString::from(key),
                term,
                document: document.clone(),
            }),
            Effect::RemoveOneOff { key } => LedgerChange::RemoveOneOff(key.to_owned()),
        }
    }
}

/// Removes the days of `piece` from the ledger's pieces of one term, period,
/// fee and plan, splitting a piece that only partly overlaps it.
fn remove_piece(
    account: &mut BillingAccount,
    (term, period, kind, plan): (NaiveDate, NaiveDate, PieceKind, &str),
    piece: Period,
) {
    let mut kept = Vec::with_capacity(account.pieces.len() + 1);
    for billed in account.pieces.drain(..) {
        let same = billed.term == term
            && billed.period == period
            && billed.kind == kind
            && billed.plan == plan;
        // The run read every piece of the term as a period, so a piece that
        // is not one is another term's.
        let whole = match Period::new(billed.from, billed.until) {
            Ok(whole) if same && whole.end() > piece.start() && whole.start() < piece.end() => {
                whole
            }
            _ => {
                kept.push(billed);
                continue;
            }
        };
        for rest in subtract(&[whole], &[piece]) {
            kept.push(BilledPiece {
                from: rest.start(),
                until: rest.end(),
                ..billed.clone()
            });
        }
    }
    account.pieces = kept;
}
