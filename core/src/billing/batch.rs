//! Batch runs as JSON: many accounts' histories in, their runs out, for
//! hosts that keep ledgers and events as JSON text.

use super::run::bill_all;
use super::{BillingAccount, BillingConfig, BillingError, Document};
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

/// Bills a JSON array of [`AccountHistory`] through `through` with
/// [`bill_all`]; returns a JSON array with, for each history in order, the
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
    let results: Vec<_> = bill_all(
        histories
            .iter_mut()
            .map(|h| (&mut h.account, h.events.as_slice())),
        catalog,
        config,
        through,
    )
    .collect();
    let items: Vec<BatchItem<'_>> = histories
        .iter()
        .zip(&results)
        .map(|(history, result)| match result {
            Ok(documents) => BatchItem::Run {
                documents,
                account: &history.account,
            },
            Err(err) => BatchItem::Error {
                error: BatchError {
                    kind: err.kind().name(),
                    message: err.to_string(),
                },
            },
        })
        .collect();
    Ok(serde_json::to_string(&items).unwrap_or_default())
}

/// An item of [`bill_batch_json`], serialized straight to text (building a
/// `serde_json::Value` first took most of a batch run's time).
#[derive(serde::Serialize)]
#[serde(untagged)]
enum BatchItem<'a> {
    Run {
        documents: &'a [Document],
        account: &'a BillingAccount,
    },
    Error {
        error: BatchError,
    },
}

#[derive(serde::Serialize)]
struct BatchError {
    kind: &'static str,
    message: String,
}

fn parse_json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> Result<T, BillingError> {
    // Tracking the path slows a batch's parse, so only a failed parse is
    // repeated with it, to name where the input is wrong.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| BillingError::InvalidJson {
        what,
        path: err.path().to_string(),
        message: err.into_inner().to_string(),
    })
}
