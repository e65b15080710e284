//! JSON forms of the club, member records, conversation states and
//! replies, for hosts that speak JSON (the C and Python layers among them).

use super::ChatError;
use super::member::Club;
use super::reply::Reply;
use super::state::ChatState;
use crate::billing::BillingConfig;
use crate::dunning::Policy;
use crate::intent::slots::Gazetteer;
use crate::membership::{Catalog, Plan};
use serde::Deserialize;

/// A club as JSON gives it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClubJson {
    catalog: Vec<Plan>,
    #[serde(default)]
    billing: BillingConfig,
    #[serde(default)]
    names: Gazetteer,
    #[serde(default)]
    dunning: Option<serde_json::Value>,
}

impl Club {
    /// Reads a club: `{"catalog": [plans], "billing": {config}, "names":
    /// [{"list": "class", "id": "yoga", "names": ["ヨガ"]}], "dunning":
    /// {policy}}` (only `catalog` required).
    ///
    /// ```
    /// use memberkit::chat::Club;
    /// let club = Club::from_json(r#"{"catalog": [{"id": "regular", "name": "Regular",
    ///     "price": {"amount": "8800", "currency": "JPY"}, "interval": {"unit": "month", "count": 1}}]}"#)?;
    /// assert!(club.catalog.get("regular").is_ok());
    /// let err = Club::from_json(r#"{"catalog": [], "billing": {"collection": 3}}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("invalid chat config at billing.collection"), "{err}");
    /// # Ok::<(), memberkit::chat::ChatError>(())
    /// ```
    ///
    /// # Errors
    /// [`ChatError::InvalidConfig`] naming the bad field, like every
    /// config's: JSON that does not parse, or a catalog or billing config
    /// that its own checks refuse.
    pub fn from_json(json: &str) -> Result<Self, ChatError> {
        let invalid = |path: &str, message: String| ChatError::InvalidConfig {
            path: path.to_owned(),
            message,
        };
        let club: ClubJson =
            crate::json::from_json(json, "chat club").map_err(|e| invalid(&e.path, e.message))?;
        let catalog = Catalog::new(club.catalog).map_err(|e| invalid("catalog", e.to_string()))?;
        club.billing
            .validate()
            .map_err(|e| invalid("billing", e.to_string()))?;
        let dunning = club
            .dunning
            .map(|policy| Policy::from_json(&policy.to_string()))
            .transpose()
            .map_err(|e| invalid("dunning", e.to_string()))?;
        Ok(Self {
            catalog,
            billing: club.billing,
            names: club.names,
            dunning,
        })
    }
}

impl ChatState {
    /// Reads a stored conversation state; `"{}"` (or `"null"`) is a new one.
    ///
    /// # Errors
    /// [`ChatError::Json`] naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, ChatError> {
        let state: Option<Self> = crate::json::from_json(json, "chat state")?;
        Ok(state.unwrap_or_default())
    }

    /// The state as JSON, to store.
    pub fn to_json(&self) -> String {
        crate::json::to_json(self)
    }
}

impl Reply {
    /// The reply as JSON: the step's fields beside `step`, `text`,
    /// `language`, `intent`, `confidence`, `slots` and `state`.
    pub fn to_json(&self) -> String {
        crate::json::to_json(self)
    }
}
