//! Member-facing sentences for a planned dunning step, in Japanese and
//! English, so every layer (and the chatbot) tells a member the same words.

use super::DunningError;
use super::policy::Action;
use super::query::Planned;
use crate::calendar::NaiveDate;
use crate::money::Money;
use chrono::Datelike;

pub use crate::text::Language;

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

fn money_text(money: Money, language: Language) -> String {
    crate::text::money(money, language)
}
