//! Batch runs as JSON: many accounts' histories in, their runs out, for
//! hosts that keep ledgers and events as JSON text.

use super::json_out::JsonOut;
use super::run::bill_in_place;
use super::{BillingAccount, BillingConfig, BillingError};
use crate::calendar::NaiveDate;
use crate::membership::{Catalog, Event};

/// An account's ledger and its membership's events: the input of a billing
/// run, as a host stores it. Serialized as `{"account": {...}, "events": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountHistory {
    /// The ledger so far.
    pub account: BillingAccount,
    /// The membership's events.
    pub events: Vec<Event>,
}

impl AccountHistory {
    /// Parses a JSON array of histories (the input of a batch run).
    ///
    /// # Errors
    /// [`BillingError::InvalidJson`] naming the bad field, e.g. `[3].events[0].on`.
    pub fn list_from_json(json: &str) -> Result<Vec<AccountHistory>, BillingError> {
        parse_json(json, "billing history")
    }
}

impl BillingAccount {
    /// Parses an account saved as JSON.
    ///
    /// # Errors
    /// [`BillingError::InvalidJson`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, BillingError> {
        parse_json(json, "billing account")
    }
}

/// Bills a JSON array of [`AccountHistory`] through `through` as
/// [`bill_all`](super::bill_all) does; returns a JSON array with, for each history in order, the
/// run (`{"documents": [...], "account": {...}}`) or
/// `{"error": {"kind": "unknown_plan", "message": "..."}}`.
///
/// # Errors
/// [`BillingError::InvalidJson`] for histories that do not parse; an
/// account's own error is its item's.
pub fn bill_batch_json(
    histories_json: &str,
    catalog: &Catalog,
    config: &BillingConfig,
    through: NaiveDate,
) -> Result<String, BillingError> {
    let mut histories = AccountHistory::list_from_json(histories_json)?;
    // Each account billed and written in turn, into one buffer: a run's
    // documents are never all held at once.
    let mut out = JsonOut::with_capacity(histories_json.len().saturating_mul(2));
    out.raw("[");
    for (i, history) in histories.iter_mut().enumerate() {
        if i > 0 {
            out.raw(",");
        }
        let run = bill_in_place(
            &mut history.account,
            &history.events,
            catalog,
            config,
            through,
        );
        let written = match run {
            Ok(documents) => {
                out.raw("{\"documents\":");
                out.documents(&documents)
                    .and_then(|()| {
                        out.raw(",\"account\":");
                        out.account(&history.account)
                    })
                    .map(|()| out.raw("}"))
            }
            Err(err) => {
                out.raw("{\"error\":");
                let error = BatchError {
                    kind: err.kind().name(),
                    message: err.to_string(),
                };
                out.serde(&error).map(|()| out.raw("}"))
            }
        };
        // As `serde_json::to_string` before: our types always serialize.
        if written.is_err() {
            return Ok(String::new());
        }
    }
    out.raw("]");
    Ok(out.finish())
}

/// An account's error in [`bill_batch_json`]'s output.
#[derive(serde::Serialize)]
struct BatchError {
    kind: &'static str,
    message: String,
}

fn parse_json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> Result<T, BillingError> {
    crate::json::from_json(json, what).map_err(|e| BillingError::InvalidJson {
        what: e.what,
        path: e.path,
        message: e.message,
    })
}
