//! The lines a term's fees are billed and credited on.

use super::ledger::PieceKind;
use super::text::push_dates;
use super::timeline::OneOffKind;
use super::{Line, LineKind, Proration, TaxCategory};
use crate::calendar::Period;
use crate::membership::{Plan, TaxRate};
use crate::money::Money;

/// How `plan`'s fees are taxed.
pub(super) fn tax_of(plan: &Plan) -> TaxCategory {
    TaxCategory {
        rate: plan.tax_rate,
        included: plan.price_includes_tax,
    }
}

/// The line of a plan or pause fee for `piece`, a charge or a `credit`.
pub(super) fn period_line(
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
    // "{prefix}{name}{what}{start} to {last_day}", sized to fit the usual
    // dates (a batch keeps every line).
    const DATES: usize = "2026-04-01 to 2026-04-30".len();
    let mut description =
        String::with_capacity(prefix.len() + plan.name.len() + what.len() + DATES);
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

/// The line of a one-off fee of `plan`, a charge or a refund (`credit`).
pub(super) fn one_off_line(plan: &Plan, kind: OneOffKind, amount: Money, credit: bool) -> Line {
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
