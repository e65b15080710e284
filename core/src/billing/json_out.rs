//! Documents written as JSON text straight into one output buffer, for
//! [`bill_batch_json`](super::bill_batch_json): the same bytes as their
//! derived `Serialize` through `serde_json` (the conformance vectors' runs
//! are checked against it in `tests/vectors.rs`), without a serializer call
//! per key and value or a pass escaping every key; the ledger too. Values
//! without a fixed shape (the host's charges and discounts, text that needs
//! escaping, amounts beyond 64 bits) go through `serde_json` into the same
//! buffer.

use super::ledger::{BilledOneOff, BilledPiece, PieceKind};
use super::{
    BillingAccount, Document, DocumentKind, Line, LineKind, Proration, TaxCategory, TaxSummary,
};
use crate::digits::{DateText, date_digits, decimal, decimal_bytes};
use crate::membership::TaxRate;
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// JSON text being written.
pub(super) struct JsonOut {
    out: Vec<u8>,
}

type Written = Result<(), serde_json::Error>;

impl JsonOut {
    /// An empty buffer with room for `capacity` bytes.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Self {
            out: Vec::with_capacity(capacity),
        }
    }

    /// The text written.
    pub(super) fn finish(self) -> String {
        // Only text is ever written, so this never fails.
        String::from_utf8(self.out).unwrap_or_default()
    }

    /// Appends JSON syntax (or any text that needs no escaping) as it is.
    pub(super) fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Appends `value` as `serde_json` writes it.
    pub(super) fn serde<T: Serialize + ?Sized>(&mut self, value: &T) -> Written {
        serde_json::to_writer(&mut self.out, value)
    }

    /// Appends `text` as a JSON string, escaped as `serde_json` escapes it.
    fn string(&mut self, text: &str) -> Written {
        // One pass over the bytes without an early exit, so it vectorizes.
        let plain = !text.bytes().fold(false, |escape, b| {
            escape | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if !plain {
            return self.serde(text);
        }
        self.out.reserve(text.len() + 2);
        self.out.push(b'"');
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'"');
        Ok(())
    }

    /// Appends `date` as a JSON string, as [`DateText`] serializes it.
    fn date(&mut self, date: NaiveDate) -> Written {
        match date_digits(date) {
            Some(digits) => {
                self.out.push(b'"');
                self.out.extend_from_slice(&digits);
                self.out.push(b'"');
                Ok(())
            }
            None => self.serde(&DateText(date)),
        }
    }

    /// Appends `amount` as a JSON string, as `Decimal`'s serde writes it.
    fn decimal(&mut self, amount: Decimal) -> Written {
        match decimal_bytes(amount, &mut [0; 48]) {
            Some(text) => {
                self.out.push(b'"');
                self.out.extend_from_slice(text);
                self.out.push(b'"');
                Ok(())
            }
            None => self.serde(&amount),
        }
    }

    fn money(&mut self, money: Money) -> Written {
        self.raw("{\"amount\":");
        self.decimal(money.amount())?;
        self.raw(",\"currency\":\"");
        self.raw(money.currency().code());
        self.raw("\"}");
        Ok(())
    }

    fn bool(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    fn tax_category(&mut self, tax: TaxCategory) {
        self.raw("{\"rate\":\"");
        self.raw(rate_name(tax.rate));
        self.raw("\",\"included\":");
        self.bool(tax.included);
        self.raw("}");
    }

    fn proration(&mut self, proration: Proration) {
        match proration {
            Proration::Share { part, whole } => {
                self.raw("\"");
                self.count(part);
                self.raw("/");
                self.count(whole);
                self.raw("\"");
            }
            Proration::Free => self.raw("\"free\""),
        }
    }

    fn line(&mut self, line: &Line) -> Written {
        self.raw("{\"description\":");
        self.string(&line.description)?;
        self.raw(",\"kind\":\"");
        self.raw(line_kind_name(line.kind));
        self.raw("\",\"plan\":");
        self.string(&line.plan)?;
        self.raw(",\"period\":");
        match line.period {
            Some(period) => {
                self.raw("{\"start\":");
                self.date(period.start())?;
                self.raw(",\"end\":");
                self.date(period.end())?;
                self.raw("}");
            }
            None => self.raw("null"),
        }
        self.raw(",\"quantity\":");
        self.count(line.quantity);
        self.raw(",\"unit_price\":");
        self.money(line.unit_price)?;
        self.raw(",\"proration\":");
        match line.proration {
            Some(proration) => self.proration(proration),
            None => self.raw("null"),
        }
        self.raw(",\"amount\":");
        self.money(line.amount)?;
        self.raw(",\"tax\":");
        self.tax_category(line.tax);
        if line.credit {
            self.raw(",\"credit\":true");
        }
        self.raw("}");
        Ok(())
    }

    fn tax_summary(&mut self, tax: &TaxSummary) -> Written {
        self.raw("{\"rate\":\"");
        self.raw(rate_name(tax.rate));
        self.raw("\",\"percent\":");
        self.decimal(tax.percent)?;
        self.raw(",\"included\":");
        self.bool(tax.included);
        self.raw(",\"taxable\":");
        self.money(tax.taxable)?;
        self.raw(",\"tax\":");
        self.money(tax.tax)?;
        self.raw("}");
        Ok(())
    }

    /// Appends `document` as its derived `Serialize` writes it.
    fn document(&mut self, document: &Document) -> Written {
        self.raw("{\"id\":");
        self.string(&document.id)?;
        self.raw(",\"kind\":\"");
        self.raw(match document.kind {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        });
        self.raw("\",\"account\":");
        self.string(&document.account)?;
        self.raw(",\"date\":");
        self.date(document.date)?;
        self.raw(",\"collection_date\":");
        self.date(document.collection_date)?;
        self.raw(",\"corrects\":");
        match &document.corrects {
            Some(corrects) => self.string(corrects)?,
            None => self.raw("null"),
        }
        self.raw(",\"lines\":[");
        for (i, line) in document.lines.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.line(line)?;
        }
        self.raw("],\"taxes\":[");
        for (i, tax) in document.taxes.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.tax_summary(tax)?;
        }
        let amounts = [
            ("],\"total\":", document.total),
            (",\"credit_applied\":", document.credit_applied),
            (",\"refund\":", document.refund),
            (",\"amount_due\":", document.amount_due),
        ];
        for (key, amount) in amounts {
            self.raw(key);
            self.money(amount)?;
        }
        self.raw("}");
        Ok(())
    }

    /// Appends `documents` as a JSON array.
    pub(super) fn documents(&mut self, documents: &[Document]) -> Written {
        self.raw("[");
        for (i, document) in documents.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.document(document)?;
        }
        self.raw("]");
        Ok(())
    }
}

impl JsonOut {
    fn count(&mut self, n: u32) {
        self.out
            .extend_from_slice(decimal(u64::from(n), &mut [0; 20]));
    }

    fn piece(&mut self, piece: &BilledPiece) -> Written {
        self.raw("{\"term\":");
        self.date(piece.term)?;
        self.raw(",\"period\":");
        self.date(piece.period)?;
        if let Some(end) = piece.period_end {
            self.raw(",\"period_end\":");
            self.date(end)?;
        }
        self.raw(match piece.kind {
            PieceKind::Plan => ",\"kind\":\"plan\",\"plan\":",
            PieceKind::Pause => ",\"kind\":\"pause\",\"plan\":",
        });
        self.string(&piece.plan)?;
        self.raw(",\"from\":");
        self.date(piece.from)?;
        self.raw(",\"until\":");
        self.date(piece.until)?;
        self.raw(",\"document\":");
        self.string(&piece.document)?;
        self.raw("}");
        Ok(())
    }

    fn one_off(&mut self, fee: &BilledOneOff) -> Written {
        self.raw("{\"key\":");
        self.string(&fee.key)?;
        self.raw(",\"term\":");
        self.date(fee.term)?;
        self.raw(",\"document\":");
        self.string(&fee.document)?;
        self.raw("}");
        Ok(())
    }

    /// Appends `account` as its derived `Serialize` writes it; the host's
    /// charges and discounts, when it has any, through `serde_json`.
    pub(super) fn account(&mut self, account: &BillingAccount) -> Written {
        self.raw("{\"id\":");
        self.string(&account.id)?;
        self.raw(",\"pieces\":[");
        for (i, piece) in account.pieces.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.piece(piece)?;
        }
        self.raw("],\"one_offs\":[");
        for (i, fee) in account.one_offs.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.one_off(fee)?;
        }
        self.raw("],\"issued\":{");
        for (i, (date, n)) in account.issued.counts().iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.date(*date)?;
            self.raw(":");
            self.count(*n);
        }
        self.raw("},\"credit\":");
        match account.credit {
            Some(credit) => self.money(credit)?,
            None => self.raw("null"),
        }
        if let Some(until) = account.billed_until {
            self.raw(",\"billed_until\":");
            self.date(until)?;
        }
        self.raw(",\"charges\":");
        self.serde(&account.charges)?;
        self.raw(",\"discounts\":");
        self.serde(&account.discounts)?;
        self.raw("}");
        Ok(())
    }
}

/// A tax rate's name, as its `Serialize` writes it.
fn rate_name(rate: TaxRate) -> &'static str {
    match rate {
        TaxRate::Standard => "standard",
        TaxRate::Reduced => "reduced",
        TaxRate::Exempt => "exempt",
    }
}

/// A line kind's name, as its `Serialize` writes it.
fn line_kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::PlanFee => "plan_fee",
        LineKind::PauseFee => "pause_fee",
        LineKind::AdmissionFee => "admission_fee",
        LineKind::TrialFee => "trial_fee",
        LineKind::EarlyTerminationFee => "early_termination_fee",
        LineKind::Charge => "charge",
        LineKind::Discount => "discount",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize + ?Sized>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }

    #[test]
    fn names_and_strings_are_what_serde_writes() {
        for rate in [TaxRate::Standard, TaxRate::Reduced, TaxRate::Exempt] {
            assert_eq!(json(&rate), format!("\"{}\"", rate_name(rate)));
        }
        let kinds = [
            LineKind::PlanFee,
            LineKind::PauseFee,
            LineKind::AdmissionFee,
            LineKind::TrialFee,
            LineKind::EarlyTerminationFee,
            LineKind::Charge,
            LineKind::Discount,
        ];
        for kind in kinds {
            assert_eq!(json(&kind), format!("\"{}\"", line_kind_name(kind)));
        }
        let texts = [
            "plain",
            "quote \" and \\",
            "tab\tnew\nline\u{1}\u{1f}\u{7f}",
            "会費 é",
        ];
        for text in texts {
            let mut out = JsonOut::with_capacity(0);
            out.string(text).unwrap();
            assert_eq!(out.finish(), json(text));
        }
        for share in [
            Proration::Free,
            Proration::Share {
                part: 17,
                whole: 30,
            },
        ] {
            let mut out = JsonOut::with_capacity(0);
            out.proration(share);
            assert_eq!(out.finish(), json(&share));
        }
        let big = Money::from_minor(i64::MAX, crate::money::Currency::USD);
        let mut out = JsonOut::with_capacity(0);
        out.money(big).unwrap();
        assert_eq!(out.finish(), json(&big));
    }
}
