//! What the assistant says: built-in Japanese and English templates, the
//! host's overrides, and how dates and amounts are written in each language.

use super::ChatError;
use super::messages::DEFAULTS;
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::text::Language;

/// The host's own texts: for each language, a template per key, replacing the
/// built-in one. A template names its values in braces (`{date}`); each key
/// accepts the values its built-in template uses.
///
/// ```
/// use memberkit::chat::ChatConfig;
/// let config = ChatConfig::from_json(r#"{"templates": {"ja": {"ask_pause_months": "{min}〜{max}ヶ月でお選びください"}}}"#);
/// assert!(config.is_ok());
/// let err = ChatConfig::from_json(r#"{"templates": {"ja": {"confirmed": "{nope}"}}}"#).unwrap_err();
/// assert_eq!(err.to_string(), "invalid chat config at templates.ja.confirmed: unknown value {nope}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Templates(pub BTreeMap<Language, BTreeMap<String, String>>);

impl Templates {
    /// Checks every override names a known key and only its values.
    ///
    /// # Errors
    /// [`ChatError::InvalidConfig`] naming the template.
    pub fn validate(&self) -> Result<(), ChatError> {
        for (language, templates) in &self.0 {
            for (key, template) in templates {
                let path = format!("templates.{}.{key}", language_name(*language));
                let invalid = |message: String| {
                    Err(ChatError::InvalidConfig {
                        path: path.clone(),
                        message,
                    })
                };
                let Some(builtin) = builtin(*language, key) else {
                    return invalid("no such template".into());
                };
                for name in placeholders(template) {
                    let Some(name) = name else {
                        return invalid("an unclosed `{`".into());
                    };
                    if !placeholders(builtin).any(|known| known == Some(name)) {
                        return invalid(format!("unknown value {{{name}}}"));
                    }
                }
            }
        }
        Ok(())
    }

    /// The template for `key` in `language` with `values` filled in.
    pub(super) fn render(
        &self,
        language: Language,
        key: &str,
        values: &[(&str, String)],
    ) -> String {
        let template = self
            .0
            .get(&language)
            .and_then(|t| t.get(key))
            .map(String::as_str)
            .or_else(|| builtin(language, key))
            .unwrap_or_default();
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                rest = &rest[open..];
                break;
            };
            let name = &after[..close];
            match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Ja => "ja",
        Language::En => "en",
    }
}

/// The built-in template for `key`.
fn builtin(language: Language, key: &str) -> Option<&'static str> {
    let (_, ja, en) = DEFAULTS.iter().find(|(k, _, _)| *k == key)?;
    Some(match language {
        Language::Ja => ja,
        Language::En => en,
    })
}

/// The names in braces in `template`; `None` for an unclosed brace.
fn placeholders(template: &str) -> impl Iterator<Item = Option<&str>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        let open = rest.find('{')?;
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                rest = &after[close + 1..];
                Some(Some(&after[..close]))
            }
            None => {
                rest = "";
                Some(None)
            }
        }
    })
}

/// A date as written in `language`, the year shown only when it is not
/// `today`'s: 「6月1日」「2027年6月1日」, "June 1", "June 1, 2027".
pub(super) fn date(language: Language, day: NaiveDate, today: NaiveDate) -> String {
    let same_year = day.year() == today.year();
    match (language, same_year) {
        (Language::Ja, true) => format!("{}月{}日", day.month(), day.day()),
        (Language::Ja, false) => format!("{}年{}月{}日", day.year(), day.month(), day.day()),
        (Language::En, true) => day.format("%B %-d").to_string(),
        (Language::En, false) => day.format("%B %-d, %Y").to_string(),
    }
}

/// A month as written in `language`: 「6月」, "June" (with the year when not `today`'s).
pub(super) fn month(language: Language, first: NaiveDate, today: NaiveDate) -> String {
    let same_year = first.year() == today.year();
    match (language, same_year) {
        (Language::Ja, true) => format!("{}月", first.month()),
        (Language::Ja, false) => format!("{}年{}月", first.year(), first.month()),
        (Language::En, true) => first.format("%B").to_string(),
        (Language::En, false) => first.format("%B %Y").to_string(),
    }
}

/// An amount as written in `language`: 「5,500円」, "¥5,500".
pub(super) fn money(language: Language, amount: &Money) -> String {
    crate::text::money(*amount, language)
}

/// A length in months: 「2ヶ月」, "1 month", "2 months".
pub(super) fn months(language: Language, months: u32) -> String {
    match (language, months) {
        (Language::Ja, n) => format!("{n}ヶ月"),
        (Language::En, 1) => "1 month".into(),
        (Language::En, n) => format!("{n} months"),
    }
}

/// Items joined as a list in `language`: 「A、B」, "A, or B" when `or`.
pub(super) fn list(language: Language, items: &[String], or: bool) -> String {
    match language {
        Language::Ja => match items {
            [init @ .., last] if or && !init.is_empty() => {
                format!("{}、または{last}", init.join("、"))
            }
            _ => items.join("、"),
        },
        Language::En => match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => {
                let joiner = if or { " or " } else { " and " };
                format!("{}{joiner}{last}", init.join(", "))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_and_amounts_in_both_languages() {
        let today = d(2026, 5, 6);
        assert_eq!(date(Language::Ja, d(2026, 6, 1), today), "6月1日");
        assert_eq!(date(Language::Ja, d(2027, 6, 1), today), "2027年6月1日");
        assert_eq!(date(Language::En, d(2026, 6, 1), today), "June 1");
        assert_eq!(date(Language::En, d(2027, 6, 1), today), "June 1, 2027");
        let yen = |n| Money::from_minor(n, Currency::JPY);
        assert_eq!(money(Language::Ja, &yen(1_234_567)), "1,234,567円");
        assert_eq!(money(Language::En, &yen(550)), "¥550");
        assert_eq!(money(Language::Ja, &yen(-4_400)), "-4,400円");
        assert_eq!(money(Language::En, &yen(-4_400)), "-¥4,400");
        assert_eq!(money(Language::Ja, &yen(0)), "0円");
    }

    #[test]
    fn renders_overrides_and_leaves_unknown_values() {
        let mut templates = Templates::default();
        templates
            .0
            .entry(Language::En)
            .or_default()
            .insert("dropped".into(), "Fine, {name}: nothing changes {x}".into());
        let text = templates.render(Language::En, "dropped", &[("name", "Hanako".into())]);
        assert_eq!(text, "Fine, Hanako: nothing changes {x}");
        assert!(!templates.render(Language::Ja, "dropped", &[]).is_empty());
        assert_eq!(templates.render(Language::Ja, "no such key", &[]), "");
    }

    #[test]
    fn every_builtin_template_has_both_languages_and_closed_braces() {
        for (key, ja, en) in DEFAULTS {
            assert!(!ja.is_empty() && !en.is_empty(), "{key}");
            for template in [ja, en] {
                assert!(placeholders(template).all(|p| p.is_some()), "{key}");
            }
            let names = |t| placeholders(t).collect::<std::collections::BTreeSet<_>>();
            assert_eq!(
                names(ja),
                names(en),
                "{key}: both languages take the same values"
            );
        }
    }
}
