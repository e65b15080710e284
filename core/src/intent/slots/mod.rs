//! Slots: the details a member gave in a message — member number, email,
//! phone, postal code, dates, times and amounts — and masking for logs.
//!
//! Full-width digits and letters (`０９０`, `＠`) are read like ASCII, and
//! dates relative to today (明日, next Friday) are resolved against a
//! reference date the caller passes: the core never reads the clock.
//!
//! ```
//! use memberkit::intent::slots::{SlotExtractor, SlotValue};
//! use memberkit::calendar::date;
//! use memberkit::money::{Currency, Money};
//!
//! let slots = SlotExtractor::default();
//! let today = date(2026, 5, 1)?;
//! let found: Vec<SlotValue> = slots
//!     .extract("明日の１８時半に予約、会員番号は１２３４５６７です。５,０００円かかりますか", today)
//!     .into_iter()
//!     .map(|slot| slot.value)
//!     .collect();
//! assert_eq!(found, [
//!     SlotValue::Date(date(2026, 5, 2)?),
//!     SlotValue::Time(chrono::NaiveTime::from_hms_opt(18, 30, 0).unwrap()),
//!     SlotValue::MemberNumber("1234567".into()),
//!     SlotValue::Amount(Money::from_minor(5_000, Currency::JPY)),
//! ]);
//! assert_eq!(
//!     slots.mask("taro@example.com / 090-1234-5678 / member no. 1234567"),
//!     "t***@example.com / ***-****-5678 / member no. *****67"
//! );
//! # Ok::<(), memberkit::calendar::CalendarError>(())
//! ```

mod datetime;
mod fold;

use super::IntentError;
use crate::money::{Currency, Money};
use chrono::{NaiveDate, NaiveTime, Weekday};
use datetime::{Week, nearest, shifted, time, weekday_date};
use fold::{Folded, fold_char};
use regex::{Captures, Regex};
use serde::Serialize;

/// A detail found in a message, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    /// What was found.
    pub value: SlotValue,
    /// The byte offset where it starts in the original message.
    pub start: usize,
    /// The byte offset just past its end in the original message.
    pub end: usize,
}

/// The kinds of slot, with their values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SlotValue {
    /// A member number, as written (full-width characters folded to ASCII).
    MemberNumber(String),
    /// An email address.
    Email(String),
    /// A Japanese phone number, as its digits in domestic form
    /// (`"09012345678"`; `+81` becomes a leading 0).
    Phone(String),
    /// A postal code, as `"123-4567"`.
    PostalCode(String),
    /// A calendar date.
    Date(NaiveDate),
    /// A time of day.
    Time(NaiveTime),
    /// An amount of yen.
    Amount(Money),
}

/// The default member-number pattern: 4 to 12 digits, optionally after up to
/// three letters and a hyphen, following a cue such as 会員番号, 会員ID,
/// "member number" or "membership no.". The group named `v` is the number.
pub const DEFAULT_MEMBER_NUMBER_PATTERN: &str = r"(?i)(?:会員番号|会員no\.?|会員id|会員ナンバー|membership\s*(?:number|no\.?|id)|member\s*(?:number|no\.?|id|#))\s*(?:は|:|#|is)?\s*(?P<v>[a-z]{0,3}-?[0-9]{4,12})";

type Parse = fn(&Captures<'_>, NaiveDate) -> Option<SlotValue>;

/// Finds slots in messages and masks personal data for logs. Build one and
/// reuse it: building compiles its patterns.
#[derive(Debug, Clone)]
pub struct SlotExtractor {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    regex: Regex,
    kind: Kind,
    /// Characters that must not follow a match (時 followed by 間 is a
    /// duration, not a time).
    not_followed_by: &'static [char],
}

/// Which parse function a rule uses (kept as data so the extractor is `Clone`
/// and `Debug`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    MemberNumber,
    Email,
    Phone,
    PostalCode,
    IsoDate,
    JapaneseDate,
    MonthDay,
    SlashDate,
    EnglishDate,
    RelativeDay,
    Weekday,
    JapaneseTime,
    ClockTime,
    HourTime,
    Amount,
}

impl Kind {
    fn parse(self) -> Parse {
        match self {
            Kind::MemberNumber => |c, _| Some(SlotValue::MemberNumber(value(c).to_owned())),
            Kind::Email => |c, _| Some(SlotValue::Email(value(c).to_owned())),
            Kind::Phone => parse_phone,
            Kind::PostalCode => |c, _| {
                let digits: String = value(c).chars().filter(char::is_ascii_digit).collect();
                Some(SlotValue::PostalCode(format!(
                    "{}-{}",
                    &digits[..3],
                    &digits[3..]
                )))
            },
            Kind::IsoDate | Kind::JapaneseDate => |c, _| {
                let date = NaiveDate::from_ymd_opt(
                    number(c, "y")? as i32,
                    number(c, "m")?,
                    number(c, "d")?,
                )?;
                Some(SlotValue::Date(date))
            },
            Kind::MonthDay | Kind::SlashDate => |c, today| {
                Some(SlotValue::Date(nearest(
                    number(c, "m")?,
                    number(c, "d")?,
                    today,
                )?))
            },
            Kind::EnglishDate => |c, today| {
                let month = english_month(c.name("mon")?.as_str())?;
                Some(SlotValue::Date(nearest(month, number(c, "d")?, today)?))
            },
            Kind::RelativeDay => |c, today| {
                let offset = match c.name("r")?.as_str().to_lowercase().as_str() {
                    "明後日" | "あさって" | "the day after tomorrow" | "day after tomorrow" => {
                        2
                    }
                    "明日" | "あした" | "tomorrow" => 1,
                    "昨日" | "yesterday" => -1,
                    _ => 0,
                };
                Some(SlotValue::Date(shifted(today, offset)?))
            },
            Kind::Weekday => |c, today| {
                let week = match c
                    .name("w")
                    .or(c.name("w2"))
                    .map(|w| w.as_str().to_lowercase())
                    .as_deref()
                {
                    Some("今週" | "this") => Week::This,
                    Some("来週" | "next") => Week::Next,
                    Some("再来週") => Week::AfterNext,
                    _ => Week::Coming,
                };
                let day = weekday(c.name("d").or(c.name("d2"))?.as_str())?;
                Some(SlotValue::Date(weekday_date(day, week, today)?))
            },
            Kind::JapaneseTime => |c, _| {
                let minute = if c.name("half").is_some() {
                    30
                } else {
                    number(c, "m").unwrap_or(0)
                };
                let afternoon = c.name("ap").map(|ap| ap.as_str() == "午後");
                Some(SlotValue::Time(time(number(c, "h")?, minute, afternoon)?))
            },
            Kind::ClockTime | Kind::HourTime => |c, _| {
                let afternoon = c
                    .name("ap")
                    .map(|ap| ap.as_str().to_lowercase().starts_with('p'));
                let minute = number(c, "m").unwrap_or(0);
                Some(SlotValue::Time(time(number(c, "h")?, minute, afternoon)?))
            },
            Kind::Amount => |c, _| {
                let digits: String = c
                    .name("n")?
                    .as_str()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                let mut yen: i64 = digits.parse().ok()?;
                if c.name("man").is_some() {
                    yen = yen.checked_mul(10_000)?;
                }
                Some(SlotValue::Amount(Money::from_minor(yen, Currency::JPY)))
            },
        }
    }

    fn masks(self) -> bool {
        matches!(self, Kind::MemberNumber | Kind::Email | Kind::Phone)
    }
}

/// The built-in rules after the member number, most specific first: a span
/// taken by an earlier rule is not matched again.
const RULES: [(Kind, &str, &[char]); 14] = [
    (
        Kind::Email,
        r"(?P<v>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
        &[],
    ),
    (
        Kind::Phone,
        r"(?:\+81[-\s]?(?:\(0\))?[-\s]?[1-9][0-9]{0,3}|\(?0[0-9]{1,4}\)?)[-\s]?[0-9]{1,4}[-\s]?[0-9]{3,4}",
        &['-'],
    ),
    (Kind::PostalCode, r"〒\s*(?P<v>[0-9]{3}-?[0-9]{4})", &['-']),
    (Kind::PostalCode, r"(?P<v>[0-9]{3}-[0-9]{4})", &['-']),
    (
        Kind::IsoDate,
        r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})",
        &[],
    ),
    (
        Kind::JapaneseDate,
        r"(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日",
        &[],
    ),
    (
        Kind::MonthDay,
        r"(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日",
        &[],
    ),
    (
        Kind::Amount,
        r"¥\s*(?P<n>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\s*円)?",
        &[],
    ),
    (
        Kind::Amount,
        r"(?i)(?P<n>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\s*(?:(?P<man>万)\s*円|円|yen|jpy)",
        &[],
    ),
    (
        Kind::SlashDate,
        r"(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})",
        &['/'],
    ),
    (
        Kind::EnglishDate,
        r"(?i)(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?",
        &[],
    ),
    (
        Kind::RelativeDay,
        r"(?i)(?P<r>明後日|あさって|明日|あした|今日|本日|昨日|the day after tomorrow|day after tomorrow|tomorrow|today|tonight|yesterday)",
        &[],
    ),
    (
        Kind::Weekday,
        r"(?i)(?:(?P<w>再来週|来週|今週)\s*の?\s*)?(?P<d>[月火水木金土日])曜日?|(?:(?P<w2>next|this)\s+)?(?P<d2>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?",
        &[],
    ),
    (
        Kind::JapaneseTime,
        r"(?P<ap>午前|午後)?\s*(?P<h>[0-9]{1,2})\s*時\s*(?:(?P<half>半)|(?P<m>[0-9]{1,2})\s*分)?",
        &['間'],
    ),
];

/// Times are matched last, after dates and amounts have taken their spans.
const TIME_RULES: [(Kind, &str, &[char]); 2] = [
    (
        Kind::ClockTime,
        r"(?i)(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?:\s*(?P<ap>a\.?m\.?|p\.?m\.?))?",
        &[':'],
    ),
    (
        Kind::HourTime,
        r"(?i)(?P<h>[0-9]{1,2})\s*(?P<ap>a\.?m\.?|p\.?m\.?)",
        &[],
    ),
];

impl Default for SlotExtractor {
    /// An extractor with [`DEFAULT_MEMBER_NUMBER_PATTERN`].
    fn default() -> Self {
        // The built-in patterns are constants, compiled by the tests.
        Self::with_member_number_pattern(DEFAULT_MEMBER_NUMBER_PATTERN)
            .expect("the built-in slot patterns compile")
    }
}

impl SlotExtractor {
    /// An extractor whose member numbers follow the host's own pattern (a
    /// [`regex`](https://docs.rs/regex) matched against the message with
    /// full-width characters folded to ASCII). The group named `v`, if any,
    /// is the number; otherwise the whole match.
    ///
    /// # Errors
    /// [`IntentError::InvalidPattern`] when the pattern does not compile.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::slots::{SlotExtractor, SlotValue};
    /// let slots = SlotExtractor::with_member_number_pattern(r"GY-[0-9]{6}")?;
    /// let found = slots.extract("番号はＧＹ－０１２３４５です", chrono::NaiveDate::MIN);
    /// assert_eq!(found[0].value, SlotValue::MemberNumber("GY-012345".into()));
    /// assert!(SlotExtractor::with_member_number_pattern("(").is_err());
    /// # Ok::<(), memberkit::intent::IntentError>(())
    /// ```
    pub fn with_member_number_pattern(pattern: &str) -> Result<Self, IntentError> {
        let compile = |pattern: &str| {
            Regex::new(pattern).map_err(|e| IntentError::InvalidPattern {
                pattern: pattern.to_owned(),
                message: e.to_string(),
            })
        };
        let mut rules = vec![Rule {
            regex: compile(pattern)?,
            kind: Kind::MemberNumber,
            not_followed_by: &[],
        }];
        for (kind, pattern, not_followed_by) in RULES.into_iter().chain(TIME_RULES) {
            rules.push(Rule {
                regex: compile(pattern)?,
                kind,
                not_followed_by,
            });
        }
        Ok(Self { rules })
    }

    /// The slots in `text`, in the order they appear. Relative dates (明日,
    /// next Monday, a month and day without a year) are resolved against
    /// `today`.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::slots::{SlotExtractor, SlotValue};
    /// use memberkit::calendar::date;
    /// let slots = SlotExtractor::default();
    /// let found = slots.extract("Call me at +81 90-1234-5678 tomorrow after 6pm", date(2026, 5, 3)?);
    /// let values: Vec<_> = found.iter().map(|s| &s.value).collect();
    /// assert_eq!(values, [
    ///     &SlotValue::Phone("09012345678".into()),
    ///     &SlotValue::Date(date(2026, 5, 4)?),
    ///     &SlotValue::Time(chrono::NaiveTime::from_hms_opt(18, 0, 0).unwrap()),
    /// ]);
    /// # Ok::<(), memberkit::calendar::CalendarError>(())
    /// ```
    pub fn extract(&self, text: &str, today: NaiveDate) -> Vec<Slot> {
        self.scan(text, today, |_| true)
    }

    /// `text` with the member numbers, emails and phone numbers in it masked
    /// for logs: an email keeps its first character and its domain, a phone
    /// number its last four digits, a member number its last two characters.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::slots::SlotExtractor;
    /// let slots = SlotExtractor::default();
    /// assert_eq!(slots.mask("電話は０９０ー１２３４ー５６７８です"), "電話は***ー****ー５６７８です");
    /// assert_eq!(slots.mask("no personal data"), "no personal data");
    /// ```
    pub fn mask(&self, text: &str) -> String {
        mask_slots(text, &self.scan(text, NaiveDate::MIN, Kind::masks))
    }

    fn scan(&self, text: &str, today: NaiveDate, wanted: impl Fn(Kind) -> bool) -> Vec<Slot> {
        let folded = Folded::new(text);
        let haystack = folded.text.as_str();
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut found: Vec<(usize, Slot)> = Vec::new();
        for rule in self.rules.iter().filter(|r| wanted(r.kind)) {
            let parse = rule.kind.parse();
            for captures in rule.regex.captures_iter(haystack) {
                let Some(whole) = captures.get(0) else {
                    continue;
                };
                let (start, end) = (whole.start(), whole.end());
                if start == end
                    || !isolated(haystack, start, end, rule.not_followed_by)
                    || taken.iter().any(|&(s, e)| start < e && s < end)
                {
                    continue;
                }
                let Some(value) = parse(&captures, today) else {
                    continue;
                };
                let span = captures.name("v").unwrap_or(whole);
                taken.push((start, end));
                found.push((
                    start,
                    Slot {
                        value,
                        start: folded.original(span.start()),
                        end: folded.original(span.end()),
                    },
                ));
            }
        }
        found.sort_by_key(|(start, _)| *start);
        found.into_iter().map(|(_, slot)| slot).collect()
    }
}

/// `text` with the member numbers, emails and phone numbers among `slots`
/// (as found in `text` by [`SlotExtractor::extract`]) masked as
/// [`SlotExtractor::mask`] does, without scanning again. Other slots, and
/// spans that do not fit `text` or overlap an earlier one, are left alone.
///
/// # Example
/// ```
/// use memberkit::intent::slots::{SlotExtractor, mask_slots};
/// let text = "明日、hanako@example.jp に連絡ください";
/// let found = SlotExtractor::default().extract(text, chrono::NaiveDate::MIN);
/// assert_eq!(mask_slots(text, &found), "明日、h***@example.jp に連絡ください");
/// ```
pub fn mask_slots(text: &str, slots: &[Slot]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for slot in slots {
        let keep = match slot.value {
            SlotValue::Email(_) => None,
            SlotValue::Phone(_) => Some(4),
            SlotValue::MemberNumber(_) => Some(2),
            _ => continue,
        };
        let (Some(before), Some(span)) =
            (text.get(copied..slot.start), text.get(slot.start..slot.end))
        else {
            continue;
        };
        out.push_str(before);
        match keep {
            None => {
                let at = span.find(['@', '＠']).unwrap_or(0);
                out.extend(span[..at].chars().next());
                out.push_str("***");
                out.push_str(&span[at..]);
            }
            Some(keep) => mask_keeping_last(span, keep, &mut out),
        }
        copied = slot.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether a match is not glued to letters or digits on either side (so
/// "12345" is not read inside "A123456"), nor followed by one of `not_followed_by`.
fn isolated(haystack: &str, start: usize, end: usize, not_followed_by: &[char]) -> bool {
    let before = haystack[..start].chars().next_back();
    let after = haystack[end..].chars().next();
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let first = haystack[start..].chars().next();
    let last = haystack[..end].chars().next_back();
    // Only an ASCII letter or digit at the match's edge can glue to a neighbour.
    let glued_before = glued(first) && glued(before);
    let glued_after = glued(last) && glued(after);
    !glued_before && !glued_after && !after.is_some_and(|c| not_followed_by.contains(&c))
}

fn mask_keeping_last(span: &str, keep: usize, out: &mut String) {
    let maskable = |c: char| fold_char(c).is_ascii_alphanumeric();
    let total = span.chars().filter(|&c| maskable(c)).count();
    let mut seen = 0;
    for c in span.chars() {
        if maskable(c) {
            seen += 1;
            if seen <= total.saturating_sub(keep) {
                out.push('*');
                continue;
            }
        }
        out.push(c);
    }
}

/// The capture named `v`, or the whole match.
fn value<'h>(captures: &Captures<'h>) -> &'h str {
    captures
        .name("v")
        .or_else(|| captures.get(0))
        .map_or("", |m| m.as_str())
}

fn number(captures: &Captures<'_>, name: &str) -> Option<u32> {
    captures.name(name)?.as_str().parse().ok()
}

fn parse_phone(captures: &Captures<'_>, _: NaiveDate) -> Option<SlotValue> {
    let text = captures.get(0)?.as_str();
    let mut digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if text.starts_with('+') {
        digits = digits.split_off(2);
        if !digits.starts_with('0') {
            digits.insert(0, '0');
        }
    }
    let plausible =
        (10..=11).contains(&digits.len()) && digits.starts_with('0') && !digits.starts_with("00");
    plausible.then_some(SlotValue::Phone(digits))
}

fn english_month(name: &str) -> Option<u32> {
    let prefix = name.get(..3)?.to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "月" => Weekday::Mon,
        "火" => Weekday::Tue,
        "水" => Weekday::Wed,
        "木" => Weekday::Thu,
        "金" => Weekday::Fri,
        "土" => Weekday::Sat,
        "日" => Weekday::Sun,
        english => english.to_lowercase().get(..3)?.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static SLOTS: LazyLock<SlotExtractor> = LazyLock::new(SlotExtractor::default);

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 6).unwrap() // a Wednesday
    }

    fn values(text: &str) -> Vec<SlotValue> {
        SLOTS
            .extract(text, today())
            .into_iter()
            .map(|s| s.value)
            .collect()
    }

    fn date(m: u32, d: u32) -> SlotValue {
        SlotValue::Date(NaiveDate::from_ymd_opt(2026, m, d).unwrap())
    }

    fn at(h: u32, m: u32) -> SlotValue {
        SlotValue::Time(NaiveTime::from_hms_opt(h, m, 0).unwrap())
    }

    fn yen(amount: i64) -> SlotValue {
        SlotValue::Amount(Money::from_minor(amount, Currency::JPY))
    }

    fn phone(digits: &str) -> SlotValue {
        SlotValue::Phone(digits.into())
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(values("2026-05-03"), [date(5, 3)]);
        assert_eq!(values("２０２６年５月３日に"), [date(5, 3)]);
        assert_eq!(values("5/3はどう"), [date(5, 3)]);
        assert_eq!(values("5月3日"), [date(5, 3)]);
        assert_eq!(
            values("今日と明日と明後日"),
            [date(5, 6), date(5, 7), date(5, 8)]
        );
        assert_eq!(values("today or tomorrow"), [date(5, 6), date(5, 7)]);
        assert_eq!(values("the day after tomorrow"), [date(5, 8)]);
        assert_eq!(values("金曜日"), [date(5, 8)]);
        assert_eq!(values("来週の月曜"), [date(5, 11)]);
        assert_eq!(values("next Friday"), [date(5, 15)]);
        assert_eq!(values("on Monday"), [date(5, 11)]);
        assert_eq!(values("May 3rd"), [date(5, 3)]);
        assert_eq!(values("2026-02-30"), []);
    }

    #[test]
    fn times_in_every_form() {
        assert_eq!(values("18:30から"), [at(18, 30)]);
        assert_eq!(values("18時"), [at(18, 0)]);
        assert_eq!(values("18時半"), [at(18, 30)]);
        assert_eq!(values("午後6時15分"), [at(18, 15)]);
        assert_eq!(values("at 6pm"), [at(18, 0)]);
        assert_eq!(values("at 9:15 a.m."), [at(9, 15)]);
        assert_eq!(values("２時間"), []);
        assert_eq!(values("25:00"), []);
    }

    #[test]
    fn amounts_in_every_form() {
        assert_eq!(values("¥5,000"), [yen(5_000)]);
        assert_eq!(values("￥５，０００です"), [yen(5_000)]);
        assert_eq!(values("5000円"), [yen(5_000)]);
        assert_eq!(values("5,000 yen"), [yen(5_000)]);
        assert_eq!(values("1万円"), [yen(10_000)]);
    }

    #[test]
    fn phones_emails_postal_codes_and_member_numbers() {
        assert_eq!(values("090-1234-5678"), [phone("09012345678")]);
        assert_eq!(values("０９０１２３４５６７８"), [phone("09012345678")]);
        assert_eq!(values("03-1234-5678"), [phone("0312345678")]);
        assert_eq!(values("(03)1234-5678"), [phone("0312345678")]);
        assert_eq!(values("+81-3-1234-5678"), [phone("0312345678")]);
        assert_eq!(values("+81 (0)90 1234 5678"), [phone("09012345678")]);
        assert_eq!(values("0120-123-456"), [phone("0120123456")]);
        assert_eq!(values("12345678901234"), []);
        assert_eq!(
            values("〒150-0001 東京都"),
            [SlotValue::PostalCode("150-0001".into())]
        );
        assert_eq!(
            values("mail: Taro.Y+gym@example.co.jp"),
            [SlotValue::Email("Taro.Y+gym@example.co.jp".into())]
        );
        assert_eq!(
            values("会員番号：Ｍ－００１２３４"),
            [SlotValue::MemberNumber("M-001234".into())]
        );
        assert_eq!(
            values("my member ID is 8765432"),
            [SlotValue::MemberNumber("8765432".into())]
        );
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "明日１８：３０、ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ";
        let found = SlotExtractor::default().extract(text, today());
        let spans: Vec<&str> = found.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(
            spans,
            ["明日", "１８：３０", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"]
        );
    }

    #[test]
    fn masks_personal_data_only() {
        let slots = SlotExtractor::default();
        assert_eq!(
            slots.mask("会員番号は1234567、メールは hanako@example.jp、明日18時"),
            "会員番号は*****67、メールは h***@example.jp、明日18時"
        );
        assert_eq!(slots.mask("+81 90 1234 5678"), "+** ** **** 5678");
    }

    #[test]
    fn mask_slots_ignores_spans_that_do_not_fit() {
        let email = |start, end| Slot {
            value: SlotValue::Email("x@y.jp".into()),
            start,
            end,
        };
        let text = "x@y.jp 予約";
        assert_eq!(
            mask_slots(text, &[email(0, 6), email(0, 6)]),
            "x***@y.jp 予約"
        );
        assert_eq!(mask_slots(text, &[email(8, 9), email(3, 99)]), text);
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_are_valid(text in "\\PC{0,60}") {
            let slots = &*SLOTS;
            for slot in slots.extract(&text, today()) {
                prop_assert!(slot.start < slot.end && text.get(slot.start..slot.end).is_some());
            }
            let _ = slots.mask(&text);
        }

        #[test]
        fn numeric_text_never_panics(text in "[0-9０-９:/\\-年月日時半円¥, +()〒]{0,30}") {
            let slots = &*SLOTS;
            let _ = slots.extract(&text, NaiveDate::MAX);
            let _ = slots.extract(&text, NaiveDate::MIN);
            let _ = slots.mask(&text);
        }
    }
}
