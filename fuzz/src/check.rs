//! Invariants the targets assert: a panic here is a finding.

use memberkit::billing::Document;
use memberkit::money::Money;
use std::fmt::Debug;

/// `value` survives its JSON form: `parse(to_json(value)) == value`.
pub fn round_trips<T: PartialEq + Debug, E: Debug>(
    what: &str,
    value: &T,
    to_json: impl Fn(&T) -> String,
    parse: impl Fn(&str) -> Result<T, E>,
) {
    let json = to_json(value);
    match parse(&json) {
        Ok(again) => assert_eq!(&again, value, "{what} changed through its JSON {json}"),
        Err(err) => panic!("{what} written as {json} does not read back: {err:?}"),
    }
}

/// A version after applying `applied` events to a state at `before`.
pub fn version_grew(what: &str, before: u64, after: u64, applied: usize) {
    assert!(
        after >= before,
        "{what}: version fell from {before} to {after}"
    );
    assert_eq!(
        after,
        before.saturating_add(applied as u64),
        "{what}: {applied} events took the version from {before} to {after}"
    );
}

/// Every invoice's and credit note's total is its lines plus the tax not
/// included in them, in one currency; what is due never exceeds the total
/// of an invoice and is never negative.
pub fn document_adds_up(doc: &Document) {
    let currency = doc.total.currency();
    let mut sum = Money::zero(currency);
    for line in &doc.lines {
        sum = sum
            .checked_add(line.amount)
            .expect("the lines share a currency and fit");
    }
    for tax in &doc.taxes {
        if !tax.included {
            sum = sum
                .checked_add(tax.tax)
                .expect("the taxes share a currency and fit");
        }
    }
    assert_eq!(
        sum, doc.total,
        "document {} does not add up: {doc:?}",
        doc.id
    );
    assert!(
        !doc.amount_due.is_negative(),
        "document {} has a negative amount due",
        doc.id
    );
    assert!(!doc.lines.is_empty(), "document {} has no line", doc.id);
}
