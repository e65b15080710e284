//! A term's one-off fees: admission, trial and early-termination fees,
//! each billed once, and refunded when the term no longer owes it.

use super::BillingError;
use super::ledger::BilledOneOff;
use super::lines::one_off_line;
use super::pending::{Effect, Pending, PendingLines};
use super::term::TermBilling;
use super::text::{is_date_text, push_date};
use super::timeline::{OneOff, OneOffKind};
use crate::calendar::NaiveDate;

impl<'t, 'a: 't> TermBilling<'t, 'a> {
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

    pub(super) fn one_offs(&self, out: &mut PendingLines<'t>) -> Result<(), BillingError> {
        let owed: &'t [OneOff<'a>] = if self.term.cooled_off {
            &[]
        } else {
            &self.term.one_offs
        };
        for fee in owed {
            let billed = |b: &BilledOneOff| self.is_key_of(fee, &b.key);
            let billed_before = self
                .account
                .billed_until
                .is_some_and(|until| fee.on < until);
            if fee.on > self.through || billed_before || self.account.one_offs.iter().any(billed) {
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
