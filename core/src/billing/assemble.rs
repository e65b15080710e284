//! Documents from a run's pending lines: grouped by date, numbered,
//! taxed and totalled, with the credit carried forward; and what they
//! change in the ledger.

use super::document::{collection_date, taxes_and_total};
use super::intervals::subtract;
use super::ledger::{BilledOneOff, BilledPiece, PieceKind};
use super::pending::{Effect, Pending, PendingLines, PeriodKey};
use super::text::document_id;
use super::{BillingAccount, BillingConfig, BillingError, Document, DocumentKind};
use crate::calendar::{NaiveDate, Period};
use crate::money::{Currency, Money};
use compact_str::CompactString;
use smallvec::SmallVec;

/// Groups the `pending` lines (drained) into documents by date (refunds
/// apart), numbers them and carries credit forward; returns the documents
/// and records in `changes` what they change in the ledger, which `account`
/// is left without until [`LedgerChanges::apply`].
pub(super) fn assemble(
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
pub(super) struct LedgerChanges {
    /// The credit carried forward after the run.
    pub(super) credit: Option<Money>,
    /// Pieces and one-off fees billed or credited, in order.
    pub(super) entries: SmallVec<[LedgerChange; 4]>,
}

/// One change of [`LedgerChanges`], owning what it records so the ledger
/// it was computed from can be changed in place.
pub(super) enum LedgerChange {
    AddPiece(BilledPiece),
    RemovePiece {
        term: NaiveDate,
        period: PeriodKey,
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
    pub(super) fn apply(&mut self, account: &mut BillingAccount, documents: &[Document]) {
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
                period: period.start,
                period_end: period.end,
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
    (term, period, kind, plan): (NaiveDate, PeriodKey, PieceKind, &str),
    piece: Period,
) {
    let mut kept = Vec::with_capacity(account.pieces.len() + 1);
    for billed in account.pieces.drain(..) {
        let same = billed.term == term
            && billed.period == period.start
            && billed.period_end == period.end
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
