//! Reading memberkit's values from JSON, with errors that name the bad field.

use crate::error_kind::excerpt;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A JSON document that does not parse; `path` names the bad field
/// (`[3].text`, `config.epochs`), `"."` the document itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} JSON{}: {message}", crate::error_kind::at_path(path))]
pub struct JsonError {
    /// What was being read, e.g. `"examples"`.
    pub what: &'static str,
    /// Where in the document.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Parses `json` as a `T`, naming `what` and the bad field's path on error.
///
/// # Errors
/// [`JsonError`] for malformed JSON or a value of the wrong shape.
///
/// # Example
/// ```
/// use memberkit::intent::Example;
/// let examples: Vec<Example> = memberkit::json::from_json(r#"[{"intent": "hours", "text": "何時まで？"}]"#, "examples")?;
/// assert_eq!(examples[0].intent, "hours");
/// let err = memberkit::json::from_json::<Vec<Example>>(r#"[{"intent": "hours"}]"#, "examples").unwrap_err();
/// assert_eq!(err.to_string(), "invalid examples JSON at [0]: missing field `text` at line 1 column 20");
/// # Ok::<(), memberkit::json::JsonError>(())
/// ```
pub fn from_json<T: DeserializeOwned>(json: &str, what: &'static str) -> Result<T, JsonError> {
    // Most documents are valid: read them without tracking the path, and
    // read a bad one again to name where it goes wrong.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| JsonError {
        what,
        path: excerpt(&err.path().to_string(), 300),
        message: excerpt(&err.into_inner().to_string(), 300),
    })?;
    deserializer.end().map_err(|err| JsonError {
        what,
        path: ".".into(),
        message: excerpt(&err.to_string(), 300),
    })?;
    Ok(value)
}

/// Any of memberkit's values as JSON.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // memberkit's values are plain data with string keys: serializing them
    // cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}
