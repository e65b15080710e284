//! What a term's days cost: the charge and credit lines for pieces of a
//! billing period, priced by the plan, the period rule and the first-period
//! rule, and the refund policy for days no longer owed.

use super::ledger::PieceKind;
use super::lines::period_line;
use super::pending::{Effect, Key, Pending, PendingLines, PeriodKey};
use super::proration::piece_days;
use super::term::TermBilling;
use super::{BillingError, FirstPeriod, Proration, Timing, prorate};
use crate::calendar::{Interval, IntervalUnit, Period};
use crate::membership::{Plan, RefundPolicy};
use crate::money::Money;
use chrono::Datelike;

/// The months in one period of `interval`, for the 30-day basis.
fn months_of(interval: Interval) -> Option<u32> {
    match interval.unit() {
        IntervalUnit::Month => Some(interval.count()),
        IntervalUnit::Year => Some(interval.count() * 12),
        IntervalUnit::Day | IntervalUnit::Week => None,
    }
}

impl<'t, 'a: 't> TermBilling<'t, 'a> {
    fn price(&self, kind: PieceKind, plan: &Plan) -> Money {
        match kind {
            PieceKind::Plan => plan.price,
            PieceKind::Pause => plan
                .pause
                .as_ref()
                .map_or(Money::zero(plan.price.currency()), |p| p.monthly_fee),
        }
    }

    /// Whether `piece` is the whole period after the first paid day's, on
    /// the joined plan, which that plan collects on the first paid day
    /// when it says so. (Another plan's fee for it, after a change, is
    /// billed on the period's start as usual, as is the credit for it.)
    fn is_collected_at_join(
        &self,
        at: PeriodKey,
        (kind, plan): Key<'_>,
        period: Period,
        piece: Period,
    ) -> bool {
        let first = self.term.paid_from;
        self.plan.collect_next_period_at_join
            && at.end.is_none()
            && kind == PieceKind::Plan
            && plan == self.plan.id
            && piece == period
            && period.start() > first
            && self
                .base_schedule()
                .period_containing(first)
                .is_ok_and(|first_period| first_period.end() == period.start())
    }

    fn is_leading(&self, kind: PieceKind, period: Period, piece: Period) -> bool {
        kind == PieceKind::Plan
            && piece.start() == self.term.paid_from
            && period.start() < self.term.paid_from
    }

    /// The share of `plan`'s `price` that `piece` of `period` costs, and how
    /// it was found.
    fn share(
        &self,
        plan: &Plan,
        price: Money,
        period: Period,
        piece: Period,
    ) -> Result<(Money, Option<Proration>), BillingError> {
        if piece == period {
            return Ok((price, None));
        }
        // Every plan of a stretch has the interval of its schedule.
        let months = months_of(plan.interval);
        let (part, whole) = piece_days(self.config.day_count, period, piece, months);
        Ok((
            prorate(price, part, whole, self.config.rounding)?,
            Some(Proration::Share { part, whole }),
        ))
    }

    pub(super) fn charge(
        &self,
        (period, at, key): (Period, PeriodKey, Key<'t>),
        piece: Period,
        out: &mut PendingLines<'t>,
    ) -> Result<(), BillingError> {
        let date = match self.config.timing {
            Timing::Advance if self.is_collected_at_join(at, key, period, piece) => {
                self.term.paid_from
            }
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
            _ => self.share(plan, price, period, piece)?,
        };
        out.push(Pending {
            date,
            line: period_line(plan, key.0, piece, price, amount, proration, false),
            refund: false,
            corrects: None,
            effect: Effect::AddPiece {
                term: self.term.start,
                period: at,
                key,
                piece,
            },
        });
        Ok(())
    }

    pub(super) fn credit(
        &self,
        (period, at, key): (Period, PeriodKey, Key<'t>),
        part: Period,
        replaced: bool,
        corrects: Option<&'t str>,
        out: &mut PendingLines<'t>,
    ) -> Result<(), BillingError> {
        // A credit is dated when its days stop being owed: the change that
        // removed them, or the end of a term refunded whole. A period paid
        // ahead (collected at join) that the term ends before is given back
        // on the end, whatever the refund policy: none of it was used.
        let not_begun = self.term.ended.filter(|ended| period.start() >= *ended);
        let date = match (not_begun, self.term.ended) {
            (Some(ended), _) => ended,
            (None, ended) => ended.map_or(part.start(), |ended| ended.max(part.start())),
        };
        if date > self.through {
            return Ok(());
        }
        let plan = self.plan(key.1)?;
        // Days after the end follow the policy of the plan the term ended on.
        let ended_on = match self.term.segments.last() {
            Some(last) if !replaced => self.plan(last.plan.as_ref())?,
            _ => plan,
        };
        let refund = match (self.term.cooled_off, replaced, ended_on.refund_policy) {
            (true, _, _) => true,
            (false, true, _) => false,
            (false, false, RefundPolicy::None) if not_begun.is_some() => true,
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
            self.share(plan, price, period, part)?
        };
        out.push(Pending {
            date,
            line: period_line(plan, key.0, part, price, amount.negated(), proration, true),
            refund,
            corrects,
            effect: Effect::RemovePiece {
                term: self.term.start,
                period: at,
                key,
                piece: part,
            },
        });
        Ok(())
    }
}
