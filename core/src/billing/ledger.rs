//! What an account has been billed: the ledger a billing run compares against.

use super::{Charge, Discount};
use crate::calendar::NaiveDate;
use crate::money::Money;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a billed piece charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum PieceKind {
    Plan,
    Pause,
}

/// Days of one billing period billed on one plan, for the plan fee or the pause fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct BilledPiece {
    pub term: NaiveDate,
    pub period: NaiveDate,
    pub kind: PieceKind,
    pub plan: CompactString,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub document: CompactString,
}

/// A one-off fee billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct BilledOneOff {
    pub key: CompactString,
    pub term: NaiveDate,
    pub document: CompactString,
}

/// An account's billing ledger: what has been billed, the documents issued
/// and the credit carried forward. A host stores it with the account (as
/// JSON, say) and passes it to every billing run; the run returns the next one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BillingAccount {
    /// The account's id, the first part of every document id.
    pub id: String,
    pub(super) pieces: Vec<BilledPiece>,
    pub(super) one_offs: Vec<BilledOneOff>,
    pub(super) issued: BTreeMap<NaiveDate, u32>,
    /// Credit carried forward to the next invoice.
    pub credit: Option<Money>,
    /// One-off charges the host added; each is billed once, on its date.
    #[serde(default)]
    pub charges: Vec<Charge>,
    /// Discounts on the plan fee the host granted.
    #[serde(default)]
    pub discounts: Vec<Discount>,
}

impl BillingAccount {
    /// A new account that has been billed nothing.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// The number of documents issued so far.
    pub fn documents_issued(&self) -> u32 {
        self.issued.values().sum()
    }
}
