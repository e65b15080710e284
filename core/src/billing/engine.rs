//! The billing run: compares what the timeline says is owed with what the
//! ledger says was billed, and issues the difference as documents.

use super::document::{collection_date, taxes_and_total};
use super::ledger::{BilledOneOff, BilledPiece, PieceKind};
use super::proration::piece_days;
use super::timeline::{Mode, OneOffKind, Term, terms};
use super::{
    BillingAccount, BillingConfig, BillingError, Document, DocumentKind, FirstPeriod, Line,
    LineKind, TaxCategory, Timing, prorate,
};
use crate::calendar::{IntervalUnit, NaiveDate, Period, Schedule};
use crate::membership::{Alignment, Catalog, Event, Plan, RefundPolicy, TaxRate};
use crate::money::Money;
use chrono::Datelike;
use std::collections::{BTreeMap, BTreeSet};

/// The result of a billing run: the documents issued and the account's next ledger.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BillingRun {
    /// Invoices and credit notes, by date.
    pub documents: Vec<Document>,
    /// The ledger to store for the next run.
    pub account: BillingAccount,
}

/// Bills one account through `through` (included): every charge and credit
/// dated on or before it that `account` has not been billed yet.
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
    let mut pending = Vec::new();
    for term in terms(events, catalog) {
        let billing = TermBilling::new(&term, account, catalog, config, through)?;
        billing.pieces(&mut pending)?;
        billing.one_offs(&mut pending)?;
    }
    assemble(account, pending, config)
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

/// The results of a batch run as a JSON array: each item the run
/// (`{"documents": [...], "account": {...}}`) or
/// `{"error": {"kind": "unknown_plan", "message": "..."}}`.
pub fn batch_to_json(runs: &[Result<BillingRun, BillingError>]) -> String {
    let items: Vec<serde_json::Value> = runs
        .iter()
        .map(|run| match run {
            Ok(run) => serde_json::to_value(run).unwrap_or_default(),
            Err(err) => serde_json::json!({"error": {"kind": err.kind().name(), "message": err.to_string()}}),
        })
        .collect();
    serde_json::to_string(&items).unwrap_or_default()
}

fn parse_json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> Result<T, BillingError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| BillingError::InvalidJson {
        what,
        path: err.path().to_string(),
        message: err.into_inner().to_string(),
    })
}

/// Bills many accounts through one date; each result stands alone, so one
/// account's error does not stop the others.
pub fn bill_all<'a>(
    accounts: impl IntoIterator<Item = (&'a BillingAccount, &'a [Event])>,
    catalog: &Catalog,
    config: &BillingConfig,
    through: NaiveDate,
) -> Vec<Result<BillingRun, BillingError>> {
    accounts
        .into_iter()
        .map(|(account, events)| bill(account, events, catalog, config, through))
        .collect()
}

/// A line not yet on a document, with what it changes in the ledger.
struct Pending {
    date: NaiveDate,
    line: Line,
    refund: bool,
    corrects: Option<String>,
    effect: Effect,
}

enum Effect {
    AddPiece {
        term: NaiveDate,
        period: NaiveDate,
        kind: PieceKind,
        plan: String,
        piece: Period,
    },
    RemovePiece {
        term: NaiveDate,
        period: NaiveDate,
        kind: PieceKind,
        plan: String,
        piece: Period,
    },
    AddOneOff {
        key: String,
        term: NaiveDate,
    },
    RemoveOneOff {
        key: String,
    },
}

struct TermBilling<'a> {
    term: &'a Term,
    account: &'a BillingAccount,
    catalog: &'a Catalog,
    config: &'a BillingConfig,
    through: NaiveDate,
    schedule: Schedule,
    months: Option<u32>,
}

type Key = (PieceKind, String);

/// Days owed per billing period: period start → (period, key → pieces).
type Owed = BTreeMap<NaiveDate, (Period, BTreeMap<Key, Vec<Period>>)>;

/// Days billed per billing period: period start → key → (pieces, their documents).
type Billed<'a> = BTreeMap<NaiveDate, BTreeMap<Key, Vec<(Period, &'a str)>>>;

impl<'a> TermBilling<'a> {
    fn new(
        term: &'a Term,
        account: &'a BillingAccount,
        catalog: &'a Catalog,
        config: &'a BillingConfig,
        through: NaiveDate,
    ) -> Result<Self, BillingError> {
        let plan = catalog.get(&term.plan)?;
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
            account,
            catalog,
            config,
            through,
            schedule,
            months,
        })
    }

    /// The pieces owed per period: `period start → (period, key → intervals)`.
    fn target(&self) -> Result<Owed, BillingError> {
        let mut target = Owed::new();
        if self.term.cooled_off {
            return Ok(target);
        }
        let current = self
            .schedule
            .period_containing(self.through.max(self.term.paid_from))?;
        let horizon = match self.config.timing {
            Timing::Advance => current.end(),
            Timing::Arrears => current.start(),
        };
        for segment in &self.term.segments {
            let end = match (self.config.timing, segment.until) {
                (Timing::Arrears, Some(until)) if until <= self.through => until,
                (_, Some(until)) => until.min(horizon),
                (_, None) => horizon,
            };
            let Ok(range) = Period::new(segment.from, end) else {
                continue;
            };
            let kind = match segment.mode {
                Mode::Active => PieceKind::Plan,
                Mode::Paused => PieceKind::Pause,
            };
            for period in self.schedule.periods(range)? {
                let piece = Period::new(
                    period.start().max(range.start()),
                    period.end().min(range.end()),
                )?;
                let entry = target
                    .entry(period.start())
                    .or_insert_with(|| (period, BTreeMap::new()));
                entry
                    .1
                    .entry((kind, segment.plan.clone()))
                    .or_default()
                    .push(piece);
            }
        }
        Ok(target)
    }

    fn pieces(&self, out: &mut Vec<Pending>) -> Result<(), BillingError> {
        let target = self.target()?;
        let mut billed = Billed::new();
        for p in self
            .account
            .pieces
            .iter()
            .filter(|p| p.term == self.term.start)
        {
            let piece = Period::new(p.from, p.until)?;
            billed
                .entry(p.period)
                .or_default()
                .entry((p.kind, p.plan.clone()))
                .or_default()
                .push((piece, &p.document));
        }
        let periods: BTreeSet<NaiveDate> = target.keys().chain(billed.keys()).copied().collect();
        let empty = BTreeMap::new();
        for start in periods {
            let period = match target.get(&start) {
                Some((period, _)) => *period,
                None => self.schedule.period_containing(start)?,
            };
            let owed = target.get(&start).map_or(&empty, |(_, pieces)| pieces);
            let had = billed.remove(&start).unwrap_or_default();
            let covered: Vec<Period> = owed.values().flatten().copied().collect();
            let keys: BTreeSet<&Key> = owed.keys().chain(had.keys()).collect();
            for key in keys {
                let owed_here = coalesce(owed.get(key).cloned().unwrap_or_default());
                let had_here = coalesce(
                    had.get(key)
                        .map(|v| v.iter().map(|(p, _)| *p).collect())
                        .unwrap_or_default(),
                );
                for added in subtract(&owed_here, &had_here) {
                    self.charge(period, key, added, out)?;
                }
                for removed in subtract(&had_here, &owed_here) {
                    let document = had.get(key).and_then(|v| {
                        v.iter()
                            .find(|(p, _)| p.contains(removed.start()))
                            .map(|(_, d)| (*d).to_owned())
                    });
                    for (part, is_covered) in split_by(removed, &covered) {
                        self.credit(period, key, part, is_covered, document.clone(), out)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn plan(&self, id: &str) -> Result<&'a Plan, BillingError> {
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
    ) -> Result<(Money, Option<String>), BillingError> {
        if piece == period {
            return Ok((price, None));
        }
        let (part, whole) = piece_days(self.config.day_count, period, piece, self.months);
        Ok((
            prorate(price, part, whole, self.config.rounding)?,
            Some(format!("{part}/{whole}")),
        ))
    }

    fn charge(
        &self,
        period: Period,
        key: &Key,
        piece: Period,
        out: &mut Vec<Pending>,
    ) -> Result<(), BillingError> {
        let date = match self.config.timing {
            Timing::Advance => piece.start(),
            Timing::Arrears => piece.end(),
        };
        if date > self.through {
            return Ok(());
        }
        let plan = self.plan(&key.1)?;
        let price = self.price(key.0, plan);
        let (amount, proration) = match (
            &self.config.first_period,
            self.is_leading(key.0, period, piece),
        ) {
            (FirstPeriod::Full, true) => (price, None),
            (FirstPeriod::Free, true) => (Money::zero(price.currency()), Some("free".to_owned())),
            (FirstPeriod::Table { rows }, true) => {
                let day = self.term.paid_from.day();
                match rows.iter().find(|r| (r.from_day..=r.to_day).contains(&day)) {
                    Some(row) => {
                        let (n, d) = (row.fraction.numerator(), row.fraction.denominator());
                        (
                            prorate(price, n, d, self.config.rounding)?,
                            Some(format!("{n}/{d}")),
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
                kind: key.0,
                plan: key.1.clone(),
                piece,
            },
        });
        Ok(())
    }

    fn credit(
        &self,
        period: Period,
        key: &Key,
        part: Period,
        replaced: bool,
        corrects: Option<String>,
        out: &mut Vec<Pending>,
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
        let plan = self.plan(&key.1)?;
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
            (Money::zero(price.currency()), Some("free".to_owned()))
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
                kind: key.0,
                plan: key.1.clone(),
                piece: part,
            },
        });
        Ok(())
    }

    fn one_offs(&self, out: &mut Vec<Pending>) -> Result<(), BillingError> {
        let key_of =
            |kind: OneOffKind, on: NaiveDate| format!("{}:{}:{}", kind.name(), self.term.start, on);
        let owed: Vec<_> = if self.term.cooled_off {
            Vec::new()
        } else {
            self.term.one_offs.iter().collect()
        };
        for fee in &owed {
            let key = key_of(fee.kind, fee.on);
            if fee.on > self.through || self.account.one_offs.iter().any(|b| b.key == key) {
                continue;
            }
            let plan = self.plan(&fee.plan)?;
            out.push(Pending {
                date: fee.on,
                line: one_off_line(plan, fee.kind, fee.amount, false),
                refund: false,
                corrects: None,
                effect: Effect::AddOneOff {
                    key,
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
            if owed
                .iter()
                .any(|fee| key_of(fee.kind, fee.on) == billed.key)
            {
                continue;
            }
            let Some(fee) = self
                .term
                .one_offs
                .iter()
                .find(|f| key_of(f.kind, f.on) == billed.key)
            else {
                continue;
            };
            let date = self.term.ended.unwrap_or(self.through).min(self.through);
            let plan = self.plan(&fee.plan)?;
            out.push(Pending {
                date,
                line: one_off_line(plan, fee.kind, fee.amount.negated(), true),
                refund: true,
                corrects: Some(billed.document.clone()),
                effect: Effect::RemoveOneOff {
                    key: billed.key.clone(),
                },
            });
        }
        Ok(())
    }
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

/// `a` minus `b`, both lists of disjoint periods, as disjoint periods in order.
fn subtract(a: &[Period], b: &[Period]) -> Vec<Period> {
    let mut out = Vec::new();
    for piece in a {
        let mut rest = vec![*piece];
        for cut in b {
            rest = rest
                .into_iter()
                .flat_map(|p| {
                    let left = Period::new(p.start(), cut.start().min(p.end())).ok();
                    let right = Period::new(cut.end().max(p.start()), p.end()).ok();
                    if cut.end() <= p.start() || cut.start() >= p.end() {
                        vec![p]
                    } else {
                        left.into_iter().chain(right).collect()
                    }
                })
                .collect();
        }
        out.extend(rest);
    }
    out.sort();
    out
}

/// Splits `piece` into the parts inside `cover` (true) and outside it (false).
fn split_by(piece: Period, cover: &[Period]) -> Vec<(Period, bool)> {
    let outside = subtract(&[piece], cover);
    let inside = subtract(&[piece], &outside);
    let mut parts: Vec<(Period, bool)> = inside
        .into_iter()
        .map(|p| (p, true))
        .chain(outside.into_iter().map(|p| (p, false)))
        .collect();
    parts.sort_by_key(|(p, _)| *p);
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
    proration: Option<String>,
    credit: bool,
) -> Line {
    let (kind, what) = match kind {
        PieceKind::Plan => (LineKind::PlanFee, "fee"),
        PieceKind::Pause => (LineKind::PauseFee, "pause fee"),
    };
    let last_day = piece.end().pred_opt().unwrap_or(piece.end());
    let prefix = if credit { "Credit: " } else { "" };
    Line {
        description: format!(
            "{prefix}{} {what}, {} to {}",
            plan.name,
            piece.start(),
            last_day
        ),
        kind,
        plan: plan.id.clone(),
        period: Some(piece),
        quantity: 1,
        unit_price,
        proration,
        amount,
        tax: tax_of(plan),
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
    Line {
        description: format!("{prefix}{} {what}", plan.name),
        kind: line_kind,
        plan: plan.id.clone(),
        period: None,
        quantity: 1,
        unit_price: if credit { amount.negated() } else { amount },
        proration: None,
        amount,
        tax,
    }
}

/// Groups pending lines into documents by date (refunds apart), numbers
/// them, carries credit forward and writes the next ledger.
fn assemble(
    account: &BillingAccount,
    pending: Vec<Pending>,
    config: &BillingConfig,
) -> Result<BillingRun, BillingError> {
    let mut next = account.clone();
    let mut groups: BTreeMap<(NaiveDate, bool), Vec<Pending>> = BTreeMap::new();
    for item in pending {
        groups
            .entry((item.date, item.refund))
            .or_default()
            .push(item);
    }
    for items in groups.values_mut() {
        // Credits first, then charges; otherwise in the order they were found.
        items.sort_by_key(|i| !i.line.amount.is_negative());
    }
    let mut documents = Vec::new();
    for ((date, refund), items) in groups {
        let lines: Vec<Line> = items.iter().map(|i| i.line.clone()).collect();
        let (taxes, total) = taxes_and_total(&lines, config)?;
        let currency = total.currency();
        let seq = next.issued.entry(date).or_insert(0);
        *seq += 1;
        let id = format!("{}-{}-{}", next.id, date.format("%Y%m%d"), seq);
        let kind = if refund || total.is_negative() {
            DocumentKind::CreditNote
        } else {
            DocumentKind::Invoice
        };
        let corrects = if kind == DocumentKind::CreditNote {
            items.iter().find_map(|i| i.corrects.clone())
        } else {
            None
        };
        let zero = Money::zero(currency);
        let credit = next.credit.unwrap_or(zero);
        let (credit_applied, refund_amount, amount_due, credit_after) = if refund {
            (zero, total.negated(), zero, credit)
        } else if total.is_negative() {
            (zero, zero, zero, credit.checked_sub(total)?)
        } else {
            let applied = if credit.amount() < total.amount() {
                credit
            } else {
                total
            };
            (
                applied,
                zero,
                total.checked_sub(applied)?,
                credit.checked_sub(applied)?,
            )
        };
        next.credit = (!credit_after.is_zero()).then_some(credit_after);
        for item in &items {
            apply_effect(&mut next, &item.effect, &id)?;
        }
        let collection_date = if kind == DocumentKind::Invoice {
            collection_date(date, config)?
        } else {
            date
        };
        documents.push(Document {
            id,
            kind,
            account: next.id.clone(),
            date,
            collection_date,
            corrects,
            lines,
            taxes,
            total,
            credit_applied,
            refund: refund_amount,
            amount_due,
        });
    }
    Ok(BillingRun {
        documents,
        account: next,
    })
}

fn apply_effect(
    account: &mut BillingAccount,
    effect: &Effect,
    document: &str,
) -> Result<(), BillingError> {
    match effect {
        Effect::AddPiece {
            term,
            period,
            kind,
            plan,
            piece,
        } => account.pieces.push(BilledPiece {
            term: *term,
            period: *period,
            kind: *kind,
            plan: plan.clone(),
            from: piece.start(),
            until: piece.end(),
            document: document.to_owned(),
        }),
        Effect::RemovePiece {
            term,
            period,
            kind,
            plan,
            piece,
        } => {
            let mut kept = Vec::with_capacity(account.pieces.len() + 1);
            for billed in account.pieces.drain(..) {
                let same = billed.term == *term
                    && billed.period == *period
                    && billed.kind == *kind
                    && billed.plan == *plan;
                let whole = Period::new(billed.from, billed.until)?;
                if !same || whole.end() <= piece.start() || whole.start() >= piece.end() {
                    kept.push(billed);
                    continue;
                }
                for rest in subtract(&[whole], &[*piece]) {
                    kept.push(BilledPiece {
                        from: rest.start(),
                        until: rest.end(),
                        ..billed.clone()
                    });
                }
            }
            account.pieces = kept;
        }
        Effect::AddOneOff { key, term } => account.one_offs.push(BilledOneOff {
            key: key.clone(),
            term: *term,
            document: document.to_owned(),
        }),
        Effect::RemoveOneOff { key } => account.one_offs.retain(|b| b.key != *key),
    }
    Ok(())
}
