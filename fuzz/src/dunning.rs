//! Structure-aware inputs for the dunning decider: one of the conformance
//! vectors' policies and a script of commands on a few invoices and payment
//! ids (so duplicates occur).

use crate::membership::day;
use arbitrary::{Arbitrary, Result, Unstructured};
use memberkit::calendar::NaiveDate;
use memberkit::dunning::{Command, Decline, Policy};
use memberkit::money::{Currency, Money};
use std::sync::OnceLock;

/// The policies of `tests/vectors/dunning.json`, as JSON text, with their names.
pub fn policies() -> &'static [(String, String)] {
    static POLICIES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/dunning.json"))
                .expect("the dunning vectors are JSON");
        let map = vectors["policies"]
            .as_object()
            .expect("policies is an object");
        map.iter()
            .map(|(name, p)| (name.clone(), p.to_string()))
            .collect()
    })
}

/// One of the vectors' policies, parsed, with its JSON.
pub fn policy(u: &mut Unstructured<'_>) -> Result<(Policy, &'static str)> {
    let (_, json) = u.choose(policies())?;
    let policy = Policy::from_json(json).expect("the vectors' policies parse");
    Ok((policy, json))
}

/// An amount: mostly yen, sometimes dollars (a currency the policy may not use).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct Amount {
    minor: u16,
    dollars: bool,
}

impl Amount {
    fn money(self) -> Money {
        let currency = if self.dollars && self.minor % 16 == 0 {
            Currency::USD
        } else {
            Currency::JPY
        };
        Money::from_minor(i64::from(self.minor), currency)
    }
}

/// A dunning command on invoice `i{n % 4}` or payment `p{n % 6}`.
#[derive(Debug, Clone, Arbitrary)]
pub enum DunningCmd {
    /// An invoice falls due `due` days after the script's start.
    Issued {
        invoice: u8,
        amount: Amount,
        due: u8,
    },
    /// A payment failed.
    Failed {
        invoice: u8,
        amount: Amount,
        hard: bool,
        coded: bool,
    },
    /// A payment succeeded.
    Succeeded {
        payment: u8,
        invoice: u8,
        amount: Amount,
    },
    /// A new card.
    MethodUpdated,
    /// Void.
    Voided { invoice: u8 },
    /// Write off.
    WrittenOff { invoice: u8 },
    /// Advance.
    Advance,
}

impl DunningCmd {
    /// The core's command.
    pub fn command(&self) -> Command {
        let invoice = |n: &u8| format!("i{}", n % 4).into();
        match self {
            Self::Issued {
                invoice: i,
                amount,
                due,
            } => Command::InvoiceIssued {
                invoice: invoice(i),
                amount: amount.money(),
                due: day(u16::from(*due)),
            },
            Self::Failed {
                invoice: i,
                amount,
                hard,
                coded,
            } => Command::PaymentFailed {
                invoice: invoice(i),
                amount: amount.money(),
                decline: if *hard { Decline::Hard } else { Decline::Soft },
                code: coded.then(|| "insufficient_funds".into()),
            },
            Self::Succeeded {
                payment,
                invoice: i,
                amount,
            } => Command::PaymentSucceeded {
                payment: format!("p{}", payment % 6).into(),
                invoice: invoice(i),
                amount: amount.money(),
            },
            Self::MethodUpdated => Command::PaymentMethodUpdated,
            Self::Voided { invoice: i } => Command::InvoiceVoided {
                invoice: invoice(i),
            },
            Self::WrittenOff { invoice: i } => Command::InvoiceWrittenOff {
                invoice: invoice(i),
            },
            Self::Advance => Command::Advance,
        }
    }
}

/// One step: wait `gap` days (from -4 to 27), then decide `command`.
#[derive(Debug, Clone, Arbitrary)]
pub struct Step {
    /// Days since the previous step, shifted.
    pub gap: u8,
    /// The command.
    pub command: DunningCmd,
}

impl Step {
    /// The date of this step after the previous step's `at`.
    pub fn at(&self, previous: NaiveDate) -> NaiveDate {
        previous + chrono::Duration::days(i64::from(self.gap % 32) - 4)
    }
}
