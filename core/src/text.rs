//! Member-facing text shared by the capabilities that talk to members
//! (dunning's messages, the chat assistant): the language, and amounts as
//! members read them.

use crate::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// The language of a member-facing message.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// 日本語.
    #[default]
    Ja,
    /// English.
    En,
}

impl Language {
    /// The language's code, `"ja"` or `"en"`, as [`str::parse`] reads it.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }

    /// The language a message is written in: Japanese when it has kana or
    /// kanji, English when it has Latin letters only, `None` without letters
    /// (「1234567」, "👍").
    ///
    /// ```
    /// use memberkit::text::Language;
    /// assert_eq!(Language::of("6月から休会したい"), Some(Language::Ja));
    /// assert_eq!(Language::of("I'd like to pause"), Some(Language::En));
    /// assert_eq!(Language::of("090-1234-5678"), None);
    /// ```
    pub fn of(message: &str) -> Option<Self> {
        let mut latin = false;
        for c in message.chars() {
            match c {
                '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ff66}'..='\u{ff9f}' => {
                    return Some(Self::Ja);
                }
                c if c.is_ascii_alphabetic() => latin = true,
                _ => {}
            }
        }
        latin.then_some(Self::En)
    }
}

/// An amount as members read it: 「8,800円」, "¥8,800", and other
/// currencies as `"1,234.56 USD"`.
///
/// ```
/// use memberkit::money::{Currency, Money};
/// use memberkit::text::{Language, money};
/// assert_eq!(money(Money::from_minor(1_234_567, Currency::JPY), Language::Ja), "1,234,567円");
/// assert_eq!(money(Money::from_minor(-550, Currency::JPY), Language::En), "-¥550");
/// assert_eq!(money(Money::from_minor(123_456, Currency::USD), Language::En), "1,234.56 USD");
/// ```
pub fn money(money: Money, language: Language) -> String {
    let text = money.amount().abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits = String::with_capacity(text.len() + int.len() / 3 + 1);
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            digits.push(',');
        }
        digits.push(digit);
    }
    if !frac.is_empty() {
        digits.push('.');
        digits.push_str(frac);
    }
    let sign = if money.is_negative() { "-" } else { "" };
    match (money.currency(), language) {
        (Currency::JPY, Language::Ja) => format!("{sign}{digits}円"),
        (Currency::JPY, Language::En) => format!("{sign}¥{digits}"),
        (currency, _) => format!("{sign}{digits} {currency}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_three() {
        let yen = |n| money(Money::from_minor(n, Currency::JPY), Language::Ja);
        assert_eq!(yen(0), "0円");
        assert_eq!(yen(999), "999円");
        assert_eq!(yen(1_000), "1,000円");
        assert_eq!(yen(-1_234_567), "-1,234,567円");
    }
}
