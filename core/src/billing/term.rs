//! One term's reconciliation: the pieces of billing periods the timeline
//! says are owed, against those the ledger says were billed; the difference
//! becomes charges and credits.
//!
//! A term is billed on its joined plan's schedule from the first paid day
//! (its base schedule) until a change to a plan of another interval starts
//! that plan's schedule; each [`Epoch`] of the timeline has its own.

use super::intervals::{coalesce, split_run, subtract};
use super::ledger::{BilledPiece, PieceKind};
use super::pending::{Key, PendingLines, PeriodKey};
use super::timeline::{Epoch, Mode, Segment, Term};
use super::{BillingAccount, BillingConfig, BillingError, MAX_PERIODS_PER_RUN, Timing};
use crate::calendar::{CalendarError, IntervalUnit, NaiveDate, Period, Schedule};
use crate::membership::{Catalog, Plan, RefundPolicy};
use smallvec::SmallVec;

/// Days of a billing period owed for one key.
struct Owed<'a> {
    period: Period,
    at: PeriodKey,
    key: Key<'a>,
    piece: Period,
}

/// Days of a billing period the ledger says were billed, and the document
/// that billed them.
struct Billed<'a> {
    at: PeriodKey,
    key: Key<'a>,
    piece: Period,
    document: &'a str,
}

/// The schedule of one stretch of a term, `[from, until)`.
struct Stretch {
    from: NaiveDate,
    until: Option<NaiveDate>,
    schedule: Schedule,
    /// Whether it is the term's base schedule, whose periods the ledger
    /// names by their start alone.
    base: bool,
}

/// Bills one term; `'t` borrows the run's terms and ledger, `'a` what the
/// terms borrow.
pub(super) struct TermBilling<'t, 'a> {
    pub(super) term: &'t Term<'a>,
    /// The term's plan, the one most lines are for.
    pub(super) plan: &'t Plan,
    pub(super) account: &'t BillingAccount,
    catalog: &'t Catalog,
    pub(super) config: &'t BillingConfig,
    pub(super) through: NaiveDate,
    /// The base schedule first, then one for each later epoch; the base
    /// holds no days when a change of interval on the first paid day
    /// replaced it.
    stretches: SmallVec<[Stretch; 1]>,
}

/// `piece` split at `at`: the days before it (true) and from it (false),
/// in order; all before it when `at` is `None`.
fn split_at(piece: Period, at: Option<NaiveDate>) -> SmallVec<[(Period, bool); 2]> {
    let mut parts = SmallVec::new();
    let cut = at.map_or(piece.end(), |at| at.clamp(piece.start(), piece.end()));
    if let Ok(before) = Period::new(piece.start(), cut) {
        parts.push((before, true));
    }
    if let Ok(after) = Period::new(cut, piece.end()) {
        parts.push((after, false));
    }
    parts
}

/// The fee a stretch of membership in `mode` pays.
fn fee_of(mode: Mode) -> PieceKind {
    match mode {
        Mode::Active => PieceKind::Plan,
        Mode::Paused => PieceKind::Pause,
    }
}

/// Whether `a` and `b` have the same boundaries.
fn same_periods(a: &Schedule, b: &Schedule) -> Result<bool, BillingError> {
    let by_month = matches!(
        a.interval().unit(),
        IntervalUnit::Month | IntervalUnit::Year
    );
    if a.interval() != b.interval() || (by_month && a.day() != b.day()) {
        return Ok(false);
    }
    Ok(a.boundary(a.index_of(b.anchor())?)? == b.anchor())
}

impl<'t, 'a: 't> TermBilling<'t, 'a> {
    pub(super) fn new(
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
        if plan.collect_next_period_at_join && config.timing == Timing::Arrears {
            return Err(BillingError::InvalidConfig {
                path: "timing".into(),
                message: format!(
                    "plan {:?} collects the next period at join, which needs billing in advance",
                    plan.id.as_str()
                ),
            });
        }
        let is_base = |epoch: &Epoch<'_>| epoch.from == term.paid_from && epoch.plan == term.plan;
        let mut stretches: SmallVec<[Stretch; 1]> = SmallVec::new();
        stretches.push(Stretch {
            from: term.paid_from,
            until: None,
            schedule: plan.schedule_from(term.paid_from)?,
            base: true,
        });
        for (i, epoch) in term.epochs.iter().enumerate() {
            let until = term.epochs.get(i + 1).map(|next| next.from);
            if is_base(epoch) {
                stretches[0].until = until;
                continue;
            }
            if i == 0 {
                // Replaced on the first paid day: the base holds no days.
                stretches[0].until = Some(term.paid_from);
            }
            let schedule = catalog.get(&epoch.plan)?.schedule_from(epoch.from)?;
            // A schedule with the same periods as the one before (a change
            // back and forth on its billing day) continues it.
            let last = stretches.len() - 1;
            if stretches[last].until == Some(epoch.from)
                && same_periods(&stretches[last].schedule, &schedule)?
            {
                stretches[last].until = until;
                continue;
            }
            stretches.push(Stretch {
                from: epoch.from,
                until,
                schedule,
                base: false,
            });
        }
        Ok(Self {
            term,
            plan,
            account,
            catalog,
            config,
            through,
            stretches,
        })
    }

    /// The term's base schedule: the joined plan's, from the first paid day.
    pub(super) fn base_schedule(&self) -> &Schedule {
        &self.stretches[0].schedule
    }

    /// The stretch whose days include `day` (the base one before the first).
    fn stretch_of(&self, day: NaiveDate) -> &Stretch {
        self.stretches
            .iter()
            .rev()
            .find(|s| s.from <= day && s.until.is_none_or(|until| day < until))
            .unwrap_or(&self.stretches[0])
    }

    /// The pieces owed in the periods from `settled` on, by period and key
    /// (otherwise in timeline order), with room reserved for about
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
        for stretch in &self.stretches {
            let index = stretch.schedule.index_of(self.through.max(stretch.from))?;
            let current = stretch.schedule.period(index)?;
            let horizon = match self.config.timing {
                Timing::Advance => current.end(),
                Timing::Arrears => current.start(),
            };
            let horizon = match self.collects_next_period(stretch, current) {
                Some(next) => horizon.max(next.end()),
                None => horizon,
            };
            for segment in &self.term.segments {
                let from = segment.from.max(stretch.from);
                let from = settled.map_or(from, |settled| from.max(settled));
                let from = self
                    .account
                    .billed_until
                    .map_or(from, |until| from.max(until));
                let until = match segment.until {
                    Some(until) => Some(self.paid_until(segment, until)?),
                    None => None,
                };
                // The end of a stretch ends its days as the end of a segment does.
                let until = match (until, stretch.until) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                let end = match (self.config.timing, until) {
                    (Timing::Arrears, Some(until)) if until <= self.through => until,
                    (_, Some(until)) => until.min(horizon),
                    (_, None) => horizon,
                };
                let Ok(range) = Period::new(from, end) else {
                    continue;
                };
                let kind = fee_of(segment.mode);
                let key = (kind, segment.plan.as_ref());
                each_period(&stretch.schedule, range, (index, current), |period| {
                    if owed.len() >= MAX_PERIODS_PER_RUN {
                        return Err(BillingError::TooManyPeriods {
                            through: self.through,
                            limit: MAX_PERIODS_PER_RUN,
                        });
                    }
                    let piece = Period::new(
                        period.start().max(range.start()),
                        period.end().min(range.end()),
                    )?;
                    let at = PeriodKey {
                        start: period.start(),
                        end: (!stretch.base).then_some(period.end()),
                    };
                    owed.push(Owed {
                        period,
                        at,
                        key,
                        piece,
                    });
                    Ok(())
                })?;
            }
        }
        // One segment's periods come in order; several may interleave.
        if !owed.is_sorted_by(|a, b| (a.at, a.key) <= (b.at, b.key)) {
            owed.sort_by(|a, b| (a.at, a.key).cmp(&(b.at, b.key)));
        }
        Ok(owed)
    }

    /// The period after the first paid day's, when the joined plan collects
    /// it on the first paid day and `current` (the period of the run's date
    /// on `stretch`) is that day's.
    fn collects_next_period(&self, stretch: &Stretch, current: Period) -> Option<Period> {
        let first = self.term.paid_from;
        let collects = stretch.base
            && self.plan.collect_next_period_at_join
            && self.config.timing == Timing::Advance
            && current.contains(first)
            && self.through >= first;
        collects.then(|| {
            Period::new(
                current.end(),
                stretch.schedule.next_after(current.end()).ok()?,
            )
            .ok()
        })?
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
        let schedule = &self.stretch_of(last_day).schedule;
        Ok(schedule.period_containing(last_day)?.end())
    }

    /// The term's pieces in the ledger in the periods from `settled` on, by
    /// period and key (otherwise in ledger order).
    fn billed(
        &self,
        settled: Option<NaiveDate>,
    ) -> Result<SmallVec<[Billed<'t>; 4]>, BillingError> {
        // A stretch after the base may have periods that start before the
        // settled date (a calendar-aligned year started mid-month).
        let after_settled =
            |p: &BilledPiece| p.period_end.is_some() || settled.is_none_or(|s| p.period >= s);
        let of_term = || {
            self.account
                .pieces
                .iter()
                .filter(move |p| p.term == self.term.start && after_settled(p))
        };
        // A long membership has many: grown once, not doubling.
        let mut billed = SmallVec::new();
        billed.reserve_exact(of_term().count());
        for p in of_term() {
            billed.push(Billed {
                at: PeriodKey {
                    start: p.period,
                    end: p.period_end,
                },
                key: (p.kind, p.plan.as_str()),
                piece: Period::new(p.from, p.until)?,
                document: &p.document,
            });
        }
        // The ledger is mostly in order already.
        if !billed.is_sorted_by(|a: &Billed<'t>, b| (a.at, a.key) <= (b.at, b.key)) {
            billed.sort_by(|a: &Billed<'t>, b| (a.at, a.key).cmp(&(b.at, b.key)));
        }
        Ok(billed)
    }

    /// Where the periods that need looking at begin: before it, every period
    /// lies in the term's first segment, before any change, on the base
    /// schedule, and the ledger bills it in one piece of that segment's fee,
    /// as it is owed — so a long membership's history is not walked again at
    /// every run. `None` when every period must be looked at.
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
        let base = &self.stretches[0];
        if self.term.cooled_off || base.until.is_some_and(|until| until <= first.from) {
            return Ok(None);
        }
        let kind = fee_of(first.mode);
        let limit = first.until.unwrap_or(self.through).min(self.through);
        let limit = base.until.map_or(limit, |until| limit.min(until));
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
            if !chained
                || piece.period_end.is_some()
                || piece.kind != kind
                || piece.plan != first.plan.as_ref()
            {
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
        let on_schedule = base.schedule.boundary(base.schedule.index_of(at)?)? == at;
        Ok(on_schedule.then_some(at))
    }

    /// Charges what is owed and not billed, and credits what is billed and
    /// no longer owed, period by period.
    pub(super) fn pieces(&self, out: &mut PendingLines<'t>) -> Result<(), BillingError> {
        let settled = self.settled_until()?;
        let billed = self.billed(settled)?;
        // Most periods billed are owed as they were, and one more is due.
        let owed = self.owed(settled, billed.len() + 2)?;
        let (mut owed, mut billed) = (owed.as_slice(), billed.as_slice());
        loop {
            let at = match (owed.first(), billed.first()) {
                (Some(o), Some(b)) => o.at.min(b.at),
                (Some(o), None) => o.at,
                (None, Some(b)) => b.at,
                (None, None) => return Ok(()),
            };
            let (owed_here, owed_rest) = split_run(owed, |o| o.at == at);
            let (billed_here, billed_rest) = split_run(billed, |b| b.at == at);
            let period = match (owed_here.first(), at.end) {
                (Some(o), _) => o.period,
                (None, Some(end)) => Period::new(at.start, end)?,
                (None, None) => self.base_schedule().period_containing(at.start)?,
            };
            self.reconcile(period, at, owed_here, billed_here, out)?;
            (owed, billed) = (owed_rest, billed_rest);
        }
    }

    /// [`Self::pieces`] for one period, key by key.
    fn reconcile(
        &self,
        period: Period,
        at: PeriodKey,
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
            let here = (period, at, key);
            match (owed_key, billed_key) {
                // The usual cases, without building interval lists: a piece
                // not billed yet, and a piece billed as it is owed.
                ([owing], []) => self.charge(here, owing.piece, out)?,
                ([owing], [had]) if owing.piece == had.piece => {}
                _ => self.reconcile_key(here, owed_key, billed_key, out)?,
            }
        }
    }

    /// The general case of [`Self::reconcile`] for one key: `owed_key` and
    /// `billed_key` as interval lists.
    fn reconcile_key(
        &self,
        here: (Period, PeriodKey, Key<'t>),
        owed_key: &[Owed<'t>],
        billed_key: &[Billed<'t>],
        out: &mut PendingLines<'t>,
    ) -> Result<(), BillingError> {
        let owing = coalesce(owed_key.iter().map(|o| o.piece).collect());
        let had = coalesce(billed_key.iter().map(|b| b.piece).collect());
        for added in subtract(&owing, &had) {
            self.charge(here, added, out)?;
        }
        let removed = subtract(&had, &owing);
        if removed.is_empty() {
            return Ok(());
        }
        // Days of the membership still run are replaced by whatever is owed
        // for them now; the rest, after the term's end, follow the refund
        // policy of the plan it ended on. (A cooling-off cancel refunds all.)
        let runs_until = match self.term.cooled_off {
            true => Some(self.term.paid_from),
            false => self.runs_until()?,
        };
        for removed in removed {
            let document = billed_key
                .iter()
                .find(|b| b.piece.contains(removed.start()))
                .map(|b| b.document);
            if self.replaced_by_a_change(here.2, removed.start()) {
                self.credit(here, removed, true, document, out)?;
                continue;
            }
            for (part, replaced) in split_at(removed, runs_until) {
                self.credit(here, part, replaced, document, out)?;
            }
        }
        Ok(())
    }

    /// Whether the days of `key` from `day` on stopped being owed by a
    /// change on `day` (of plan, into or out of a pause, or of schedule)
    /// after which the term went on: they were replaced then, and are
    /// credited as such whatever happens to the term later (a cancel that
    /// follows ends the new plan's days, not these).
    fn replaced_by_a_change(&self, key: Key<'_>, day: NaiveDate) -> bool {
        let segments = &self.term.segments;
        let term_end = segments.last().and_then(|s| s.until);
        if self.term.cooled_off || term_end.is_some_and(|end| end <= day) {
            return false;
        }
        let ends_on_day = |s: &Segment<'_>| {
            let kind = fee_of(s.mode);
            (kind, s.plan.as_ref()) == key && s.until == Some(day)
        };
        // A change back and forth on one day leaves one segment, but may
        // restart the schedule.
        let changed = segments
            .iter()
            .position(ends_on_day)
            .is_some_and(|i| i + 1 < segments.len());
        changed || self.stretches.iter().any(|s| s.until == Some(day))
    }

    /// Where the days the term owes end: the end of its last segment (kept
    /// paid to its period's end under a plan that refunds nothing), or
    /// `None` while it runs on.
    fn runs_until(&self) -> Result<Option<NaiveDate>, BillingError> {
        match self.term.segments.last() {
            Some(last) => match last.until {
                Some(until) => Ok(Some(self.paid_until(last, until)?)),
                None => Ok(None),
            },
            None => Ok(self.term.ended),
        }
    }

    pub(super) fn plan(&self, id: &str) -> Result<&'t Plan, BillingError> {
        if id == self.plan.id {
            return Ok(self.plan);
        }
        Ok(self.catalog.get(id)?)
    }
}

/// Calls `each` with the periods of `schedule` that overlap `range`, in
/// order. Walks the schedule's boundaries, computing each one once and
/// reusing `known`, the `k`-th period.
fn each_period(
    schedule: &Schedule,
    range: Period,
    known: (i64, Period),
    mut each: impl FnMut(Period) -> Result<(), BillingError>,
) -> Result<(), BillingError> {
    let boundary = |k: i64| match k.checked_sub(known.0) {
        Some(0) => Ok(known.1.start()),
        Some(1) => Ok(known.1.end()),
        _ => schedule.boundary(k),
    };
    let mut k = schedule.index_of(range.start())?;
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
