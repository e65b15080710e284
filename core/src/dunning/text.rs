//! Member-facing sentences for a planned dunning step, in Japanese and
//! English, so every layer (and the chatbot) tells a member the same words.

use super::DunningError;
use super::policy::Action;
use super::query::Planned;
use crate::calendar::NaiveDate;
use crate::money::{Currency, Money};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// The language of a member-facing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// 日本語.
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
}

impl std::str::FromStr for Language {
    type Err = DunningError;

    /// `"ja"` or `"en"`.
    ///
    /// ```
    /// use memberkit::dunning::Language;
    /// assert_eq!("ja".parse::<Language>()?, Language::Ja);
    /// assert_eq!("fr".parse::<Language>().unwrap_err().to_string(),
    ///     r#"unknown language "fr": expected "ja" or "en""#);
    /// # Ok::<(), memberkit::dunning::DunningError>(())
    /// ```
    fn from_str(code: &str) -> Result<Self, DunningError> {
        match code {
            "ja" => Ok(Self::Ja),
            "en" => Ok(Self::En),
            other => Err(DunningError::UnknownLanguage { code: other.into() }),
        }
    }
}

impl Planned {
    /// What the member is told about this step.
    ///
    /// ```
    /// use memberkit::calendar::date;
    /// use memberkit::dunning::{Action, Language, Planned};
    /// use memberkit::money::{Currency, Money};
    /// let planned = Planned { on: date(2026, 5, 15)?, invoice: "m-1".into(), step: 3,
    ///     action: Action::Suspend, amount: Money::from_minor(8_800, Currency::JPY) };
    /// assert_eq!(planned.message(Language::En),
    ///     "Your membership will be suspended on 15 May 2026 unless ¥8,800 is paid.");
    /// assert_eq!(planned.message(Language::Ja),
    ///     "8,800円のお支払いがない場合、2026年5月15日に会員資格を停止します。");
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn message(&self, language: Language) -> String {
        let on = date_text(self.on, language);
        let amount = money_text(self.amount, language);
        match (language, &self.action) {
            (Language::En, Action::Retry) => {
                format!("We will try the payment of {amount} again on {on}.")
            }
            (Language::Ja, Action::Retry) => {
                format!("{on}に{amount}のお支払いを再度お試しします。")
            }
            (Language::En, Action::Remind { .. }) => {
                format!("We will remind you of the unpaid {amount} on {on}.")
            }
            (Language::Ja, Action::Remind { .. }) => {
                format!("{on}に未払いの{amount}についてご連絡します。")
            }
            (Language::En, Action::Restrict { restriction }) => {
                let what = match restriction.as_str() {
                    "no_new_bookings" => "new bookings will be paused".to_string(),
                    other => format!("the restriction \"{other}\" will apply"),
                };
                format!("Unless {amount} is paid, {what} from {on}.")
            }
            (Language::Ja, Action::Restrict { restriction }) => {
                let what = match restriction.as_str() {
                    "no_new_bookings" => "新規のご予約ができなくなります".to_string(),
                    other => format!("制限（{other}）がかかります"),
                };
                format!("{amount}のお支払いがない場合、{on}から{what}。")
            }
            (Language::En, Action::Suspend) => {
                format!("Your membership will be suspended on {on} unless {amount} is paid.")
            }
            (Language::Ja, Action::Suspend) => {
                format!("{amount}のお支払いがない場合、{on}に会員資格を停止します。")
            }
            (Language::En, Action::Cancel) => {
                format!("Your membership will be cancelled on {on} unless {amount} is paid.")
            }
            (Language::Ja, Action::Cancel) => {
                format!("{amount}のお支払いがない場合、{on}に退会となります。")
            }
            (Language::En, Action::SendToCollection) => format!(
                "Unless {amount} is paid, it will be passed to a collection agency on {on}."
            ),
            (Language::Ja, Action::SendToCollection) => {
                format!("{amount}のお支払いがない場合、{on}に債権回収会社へ回収を委託します。")
            }
            (Language::En, Action::WriteOff) => {
                format!("The unpaid {amount} will be written off on {on}.")
            }
            (Language::Ja, Action::WriteOff) => {
                format!("{on}に未払いの{amount}を貸倒れとして処理します。")
            }
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date_text(date: NaiveDate, language: Language) -> String {
    match language {
        Language::Ja => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Language::En => format!(
            "{} {} {}",
            date.day(),
            MONTHS[date.month0() as usize],
            date.year()
        ),
    }
}

/// `8,800`: the amount with its integer digits grouped by three.
fn grouped(money: Money) -> String {
    let text = money.amount().abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    if money.is_negative() {
        out.push('-');
    }
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn money_text(money: Money, language: Language) -> String {
    let digits = grouped(money);
    match (money.currency(), language) {
        (Currency::JPY, Language::Ja) => format!("{digits}円"),
        (Currency::JPY, Language::En) => format!("¥{digits}"),
        (currency, _) => format!("{digits} {currency}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_three() {
        let yen = |n| money_text(Money::from_minor(n, Currency::JPY), Language::Ja);
        assert_eq!(yen(0), "0円");
        assert_eq!(yen(999), "999円");
        assert_eq!(yen(1_000), "1,000円");
        assert_eq!(yen(1_234_567), "1,234,567円");
        let usd = money_text(Money::from_minor(123_456, Currency::USD), Language::En);
        assert_eq!(usd, "1,234.56 USD");
    }
}
