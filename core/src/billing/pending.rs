//! Lines found by a run and not yet on a document, with what each changes in
//! the ledger: what term billing and the host's adjustments hand to assembly.

use super::Line;
use super::ledger::PieceKind;
use crate::calendar::{NaiveDate, Period};
use smallvec::SmallVec;

/// A line not yet on a document, with what it changes in the ledger. Plans
/// and documents are borrowed from the run's terms and the old ledger.
pub(super) struct Pending<'a> {
    pub(super) date: NaiveDate,
    pub(super) line: Line,
    pub(super) refund: bool,
    pub(super) corrects: Option<&'a str>,
    pub(super) effect: Effect<'a>,
}

/// What a pending line changes in the ledger.
pub(super) enum Effect<'a> {
    AddPiece {
        term: NaiveDate,
        period: PeriodKey,
        key: Key<'a>,
        piece: Period,
    },
    RemovePiece {
        term: NaiveDate,
        period: PeriodKey,
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
pub(super) type Key<'a> = (PieceKind, &'a str);

/// A billing period as the ledger keys it: its start, and its end when it
/// is not on the term's base schedule (the joined plan's, from the first
/// paid day), whose periods the start alone names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct PeriodKey {
    pub(super) start: NaiveDate,
    pub(super) end: Option<NaiveDate>,
}
