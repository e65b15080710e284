//! What an account has been billed: the ledger a billing run compares against.

use super::{Charge, Discount};
use crate::calendar::NaiveDate;
use crate::money::Money;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
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
    /// The period's start.
    pub period: NaiveDate,
    /// The period's end, when it is not on the term's base schedule (the
    /// joined plan's): after a change to a plan of another interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<NaiveDate>,
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
    pub id: CompactString,
    pub(super) pieces: Vec<BilledPiece>,
    pub(super) one_offs: Vec<BilledOneOff>,
    pub(super) issued: Issued,
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
    pub fn new(id: impl Into<CompactString>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// The number of documents issued so far.
    pub fn documents_issued(&self) -> u32 {
        self.issued.0.iter().map(|(_, n)| n).sum()
    }
}

/// The number of documents issued on each date, in date order; serialized
/// as a map from date to count. A flat list with the first two dates inline:
/// a run reads the last dates and appends, and a batch keeps every account's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Issued(SmallVec<[(NaiveDate, u32); 2]>);

impl Issued {
    /// How many documents were issued on `date`.
    pub fn on(&self, date: NaiveDate) -> u32 {
        self.0
            .binary_search_by_key(&date, |(d, _)| *d)
            .map_or(0, |i| self.0[i].1)
    }

    /// Counts one more document issued on `date`.
    pub fn add(&mut self, date: NaiveDate) {
        match self.0.binary_search_by_key(&date, |(d, _)| *d) {
            Ok(i) => self.0[i].1 = self.0[i].1.saturating_add(1),
            Err(i) => self.0.insert(i, (date, 1)),
        }
    }

    /// Room for `more` dates, grown to fit.
    pub fn reserve_exact(&mut self, more: usize) {
        self.0.reserve_exact(more);
    }
}

impl Serialize for Issued {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(date, n)| (date, n)))
    }
}

impl<'de> Deserialize<'de> for Issued {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let counts = BTreeMap::<NaiveDate, u32>::deserialize(deserializer)?;
        Ok(Self(counts.into_iter().collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::date;

    #[test]
    fn issued_counts_by_date_and_reads_back_as_a_map() {
        let day = |d| date(2026, 4, d).unwrap();
        let mut issued = Issued::default();
        for d in [20, 5, 20, 30, 5, 20] {
            issued.add(day(d));
        }
        assert_eq!(
            (issued.on(day(5)), issued.on(day(20)), issued.on(day(30))),
            (2, 3, 1)
        );
        assert_eq!(issued.on(day(6)), 0);
        let json = serde_json::to_string(&issued).unwrap();
        assert_eq!(json, r#"{"2026-04-05":2,"2026-04-20":3,"2026-04-30":1}"#);
        let unordered = r#"{"2026-04-30":1,"2026-04-05":2,"2026-04-20":3}"#;
        assert_eq!(serde_json::from_str::<Issued>(unordered).unwrap(), issued);
        assert!(serde_json::from_str::<Issued>(r#"{"2026-04-31":1}"#).is_err());
    }
}
