//! Billing the charges and discounts a host adds to an account.

use super::pending::{Effect, Pending, PendingLines};
use super::{BillingAccount, BillingConfig, BillingError, DiscountOff, Line, LineKind};
use crate::calendar::NaiveDate;
use crate::money::Money;
use compact_str::CompactString;
use rust_decimal::Decimal;

/// Adds the account's charges and discounts due through `through` to `pending`.
pub(super) fn add<'a>(
    account: &'a BillingAccount,
    config: &BillingConfig,
    through: NaiveDate,
    pending: &mut PendingLines<'a>,
) -> Result<(), BillingError> {
    validate(account)?;
    let billed = |key: &str| account.one_offs.iter().any(|b| b.key == key);
    for charge in &account.charges {
        let key = format!("charge:{}", charge.id);
        if charge.on > through || billed(&key) {
            continue;
        }
        pending.push(Pending {
            date: charge.on,
            line: Line {
                description: charge.description.clone(),
                kind: LineKind::Charge,
                plan: CompactString::default(),
                period: None,
                quantity: 1,
                unit_price: charge.amount,
                proration: None,
                amount: charge.amount,
                tax: charge.tax,
                credit: false,
            },
            refund: false,
            corrects: None,
            effect: Effect::AddOneOff {
                key,
                term: charge.on,
            },
        });
    }
    let mut discounts = Vec::new();
    for discount in &account.discounts {
        let prefix = format!("discount:{}:", discount.id);
        let mut used = account
            .one_offs
            .iter()
            .filter(|b| b.key.starts_with(&prefix))
            .count();
        let mut fees: Vec<&Pending<'a>> = pending
            .iter()
            .filter(|p| {
                p.line.kind == LineKind::PlanFee
                    && !p.line.amount.is_negative()
                    && !p.line.amount.is_zero()
            })
            .filter(|p| {
                p.line
                    .period
                    .is_some_and(|period| period.start() >= discount.from)
            })
            .collect();
        fees.sort_by_key(|p| p.line.period.map(|period| period.start()));
        for fee in fees {
            let Some(period) = fee.line.period else {
                continue;
            };
            let key = format!("{prefix}{}", period.start());
            if used >= discount.periods as usize || billed(&key) {
                continue;
            }
            used += 1;
            let off = match discount.off {
                DiscountOff::Amount { amount } => match amount.checked_cmp(&fee.line.amount)? {
                    std::cmp::Ordering::Less => amount,
                    _ => fee.line.amount,
                },
                DiscountOff::Percent { percent } => Money::round(
                    fee.line.amount.amount() * percent / Decimal::ONE_HUNDRED,
                    fee.line.amount.currency(),
                    config.rounding,
                ),
            };
            discounts.push(Pending {
                date: fee.date,
                line: Line {
                    description: discount.description.clone(),
                    kind: LineKind::Discount,
                    plan: fee.line.plan.clone(),
                    period: Some(period),
                    quantity: 1,
                    unit_price: off.negated(),
                    proration: None,
                    amount: off.negated(),
                    tax: fee.line.tax,
                    credit: false,
                },
                refund: false,
                corrects: None,
                effect: Effect::AddOneOff {
                    key,
                    term: period.start(),
                },
            });
        }
    }
    // Pushed one by one: extending a `SmallVec` costs more than the usual none.
    for discount in discounts {
        pending.push(discount);
    }
    Ok(())
}

/// Refuses charges and discounts that cannot be billed, naming the field.
fn validate(account: &BillingAccount) -> Result<(), BillingError> {
    let bad = |path: String, message: &str| {
        Err(BillingError::InvalidConfig {
            path,
            message: message.into(),
        })
    };
    for (i, charge) in account.charges.iter().enumerate() {
        if charge.id.is_empty() {
            return bad(format!("charges[{i}].id"), "must not be empty");
        }
        if charge.amount.is_negative() {
            return bad(format!("charges[{i}].amount"), "must not be negative");
        }
        if account.charges[..i].iter().any(|c| c.id == charge.id) {
            return bad(format!("charges[{i}].id"), "appears twice");
        }
    }
    for (i, discount) in account.discounts.iter().enumerate() {
        if discount.id.is_empty() || discount.id.contains(':') {
            return bad(
                format!("discounts[{i}].id"),
                "must be non-empty, without ':'",
            );
        }
        if discount.periods == 0 {
            return bad(format!("discounts[{i}].periods"), "must be at least 1");
        }
        match discount.off {
            DiscountOff::Amount { amount } if amount.is_negative() => {
                return bad(format!("discounts[{i}].off.amount"), "must not be negative");
            }
            DiscountOff::Percent { percent }
                if percent < Decimal::ZERO || percent > Decimal::ONE_HUNDRED =>
            {
                return bad(
                    format!("discounts[{i}].off.percent"),
                    "must be between 0 and 100",
                );
            }
            _ => {}
        }
    }
    Ok(())
}
