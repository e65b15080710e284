//! What an account has been billed: the ledger a billing run compares against.

use super::host_items::{Charge, Discount};
use crate::calendar::NaiveDate;
use crate::digits::DateText;
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
    #[serde(
        serialize_with = "crate::digits::serialize_date",
        deserialize_with = "crate::digits::deserialize_date"
    )]
    pub term: NaiveDate,
    /// The period's start.
    #[serde(
        serialize_with = "crate::digits::serialize_date",
        deserialize_with = "crate::digits::deserialize_date"
    )]
    pub period: NaiveDate,
    /// The period's end, when it is not on the term's base schedule (the
    /// joined plan's): after a change to a plan of another interval.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::digits::serialize_optional_date",
        deserialize_with = "crate::digits::deserialize_optional_date"
    )]
    pub period_end: Option<NaiveDate>,
    pub kind: PieceKind,
    pub plan: CompactString,
    #[serde(
        serialize_with = "crate::digits::serialize_date",
        deserialize_with = "crate::digits::deserialize_date"
    )]
    pub from: NaiveDate,
    #[serde(
        serialize_with = "crate::digits::serialize_date",
        deserialize_with = "crate::digits::deserialize_date"
    )]
    pub until: NaiveDate,
    pub document: CompactString,
}

/// A one-off fee billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct BilledOneOff {
    pub key: CompactString,
    #[serde(
        serialize_with = "crate::digits::serialize_date",
        deserialize_with = "crate::digits::deserialize_date"
    )]
    pub term: NaiveDate,
    pub document: CompactString,
}

/// An account's billing ledger: what has been billed, the documents issued
/// and the credit carried forward. A host stores it with the account (as
/// JSON, say) and passes it to every billing run; the run returns the next one.
///
/// A member moved in from another system starts from
/// [`BillingAccount::migrated`]: what that system billed stays there.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BillingAccount {
    /// The account's id, the first part of every document id.
    pub id: CompactString,
    #[serde(default)]
    pub(super) pieces: Vec<BilledPiece>,
    #[serde(default)]
    pub(super) one_offs: Vec<BilledOneOff>,
    #[serde(default)]
    pub(super) issued: Issued,
    /// Credit carried forward to the next invoice.
    #[serde(default)]
    pub credit: Option<Money>,
    /// For a member migrated in: every day before it, and every one-off
    /// fee dated before it, was billed by the system the member came from,
    /// so runs neither charge nor credit them.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::digits::serialize_optional_date",
        deserialize_with = "crate::digits::deserialize_optional_date"
    )]
    pub billed_until: Option<NaiveDate>,
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

    /// An account migrated in from another system that billed every day
    /// before `billed_until` (the first day memberkit bills) and the one-off
    /// fees dated before it. A credit the member brings goes in
    /// [`credit`](Self::credit); a balance they still owe, as a
    /// [`Charge`].
    ///
    /// ```
    /// use memberkit::billing::{BillingAccount, BillingConfig, bill};
    /// use memberkit::calendar::date;
    /// use memberkit::membership::{Catalog, Command, Membership, decide};
    /// use memberkit::money::{Currency, Money};
    ///
    /// let catalog = Catalog::from_json(r#"[{"id": "regular", "name": "Regular",
    ///     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": true,
    ///     "interval": {"unit": "month", "count": 1},
    ///     "admission_fee": {"amount": "5500", "currency": "JPY"}}]"#)?;
    /// // A member since 2024, billed by the old system through April 2026.
    /// let join = Command::Join { plan: "regular".into(), start: date(2024, 9, 10)?, trial: false };
    /// let events = decide(&Membership::default(), &catalog, &join, date(2026, 4, 20)?)?;
    /// let mut account = BillingAccount::migrated("m-001", date(2026, 5, 1)?);
    /// account.credit = Some(Money::from_minor(1000, Currency::JPY));
    ///
    /// let run = bill(&account, &events, &catalog, &BillingConfig::default(), date(2026, 5, 1)?)?;
    /// assert_eq!(run.documents.len(), 1); // May only: no admission fee, no past months
    /// assert_eq!(run.documents[0].amount_due, Money::from_minor(7800, Currency::JPY));
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn migrated(id: impl Into<CompactString>, billed_until: NaiveDate) -> Self {
        Self {
            id: id.into(),
            billed_until: Some(billed_until),
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

    /// Each date and its count, in date order.
    pub fn counts(&self) -> &[(NaiveDate, u32)] {
        &self.0
    }

    /// Room for `more` dates, grown to fit.
    pub fn reserve_exact(&mut self, more: usize) {
        self.0.reserve_exact(more);
    }
}

impl Serialize for Issued {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(date, n)| (DateText(*date), n)))
    }
}

impl<'de> Deserialize<'de> for Issued {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let counts = BTreeMap::<DateText, u32>::deserialize(deserializer)?;
        Ok(Self(
            counts.into_iter().map(|(date, n)| (date.0, n)).collect(),
        ))
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
