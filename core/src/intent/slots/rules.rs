//! The built-in slot rules: a pattern per way of writing a detail, and how
//! each match becomes a [`SlotValue`].

use super::SlotValue;
use super::datetime::{Week, nearest, shifted, time, weekday_date};
use super::months::{
    Placement, month_end, month_start, relative_month, relative_offset, small_number,
};
use crate::money::{Currency, Money};
use chrono::{NaiveDate, Weekday};
use regex::Captures;

/// How a match becomes a slot value, given the reference date.
pub(super) type Parse = fn(&Captures<'_>, NaiveDate) -> Option<SlotValue>;

/// English month names, full and abbreviated (longest first), for patterns.
macro_rules! english_months {
    () => {
        "january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec"
    };
}

/// Which parse function a rule uses (kept as data so the extractor is `Clone`
/// and `Debug`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
    Month,
    MonthRange,
    MonthEnd,
    PeriodEnd,
    Months,
    Count,
    /// A name from the host's gazetteer, looked up by the extractor.
    Named,
}

impl Kind {
    pub(super) fn parse(self) -> Parse {
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
            Kind::Month => |c, today| {
                let first = match (c.name("r"), number(c, "y")) {
                    (Some(word), _) => relative_month(today, relative_offset(word.as_str())?)?,
                    (None, Some(year)) => NaiveDate::from_ymd_opt(year as i32, month(c, "m")?, 1)?,
                    (None, None) => {
                        let placement = if c.name("fen").is_some() {
                            Placement::Nearest
                        } else {
                            Placement::Ahead
                        };
                        month_start(month(c, "m")?, today, placement)?
                    }
                };
                Some(SlotValue::Month(first))
            },
            Kind::MonthRange => |c, today| {
                let from = month_start(month(c, "m1")?, today, Placement::Ahead)?;
                let last = month_start(month(c, "m2")?, from, Placement::Ahead)?;
                let until = month_end(last)?.succ_opt()?;
                Some(SlotValue::MonthRange { from, until })
            },
            Kind::MonthEnd => |c, today| {
                let first = match c.name("r") {
                    Some(word) => relative_month(today, relative_offset(word.as_str())?)?,
                    None if c.name("bare").is_some() => relative_month(today, 0)?,
                    None => month_start(month(c, "m")?, today, Placement::Ahead)?,
                };
                Some(SlotValue::MonthEnd(month_end(first)?))
            },
            Kind::PeriodEnd => |_, _| Some(SlotValue::PeriodEnd),
            Kind::Months => |c, _| {
                let months = match c.name("n") {
                    Some(n) => small_number(n.as_str())?,
                    None => 6, // 半年, half a year
                };
                (1..=120)
                    .contains(&months)
                    .then_some(SlotValue::Months(months))
            },
            Kind::Count => |c, _| {
                let count = small_number(c.name("n")?.as_str())?;
                (count > 0).then_some(SlotValue::Count(count))
            },
            Kind::Named => |_, _| None,
        }
    }

    pub(super) fn masks(self) -> bool {
        matches!(self, Kind::MemberNumber | Kind::Email | Kind::Phone)
    }
}

/// The built-in rules after the member number, most specific first: a span
/// taken by an earlier rule is not matched again.
pub(super) const RULES: &[(Kind, &str, &[char])] = &[
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
        Kind::MonthRange,
        r"(?P<m1>[0-9]{1,2})\s*月\s*(?:から|〜|~|-)\s*(?P<m2>[0-9]{1,2})\s*月\s*(?:末|いっぱい)?\s*(?:まで)?",
        &[],
    ),
    (
        Kind::MonthEnd,
        r"(?:(?P<m>[0-9]{1,2})\s*月|(?P<r>再来月|来月|今月))\s*(?:末日?|いっぱい|一杯|の\s*(?:末|終わり))|(?P<bare>月末)",
        &[],
    ),
    (
        Kind::PeriodEnd,
        r"契約期間の?(?:終わり|満了|末)|期間満了|契約満了|更新日の?前日|今期末",
        &[],
    ),
    (
        Kind::Months,
        r"(?P<n>[0-9]{1,3}|十[一二]?|[一二三四五六七八九十])\s*(?:ヶ|ケ|か|カ|ヵ|箇|ｶ|ｹ)\s*月\s*間?|半年",
        &[],
    ),
    (
        Kind::Month,
        r"(?:(?P<y>[0-9]{4})\s*年\s*)?(?P<m>[0-9]{1,2})\s*月(?P<fen>分)?|(?P<r>再来月|来月|今月|先月)分?",
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
        Kind::PeriodEnd,
        r"(?i)(?:the\s+)?end\s+of\s+(?:(?:my|the|this|our)\s+)?(?:current\s+)?(?:(?:billing|membership|contract)\s+)?(?:period|cycle|contract)(?-u:\b)",
        &[],
    ),
    (
        Kind::MonthEnd,
        concat!(
            r"(?i)(?:the\s+)?end\s+of\s+(?:(?P<r>this|next|the)\s+month(?-u:\b)|(?P<m>",
            english_months!(),
            r")(?-u:\b))"
        ),
        &[],
    ),
    (
        Kind::MonthRange,
        concat!(
            r"(?i)(?:from\s+)?(?P<m1>",
            english_months!(),
            r")\s+(?:to|through|thru|until|till)\s+(?:the\s+end\s+of\s+)?(?P<m2>",
            english_months!(),
            r")(?-u:\b)"
        ),
        &[],
    ),
    (
        Kind::Months,
        r"(?i)(?-u:\b)(?P<n>[0-9]{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)\s+months?(?-u:\b)|(?-u:\b)half\s+a\s+year(?-u:\b)",
        &[],
    ),
    (
        Kind::Month,
        concat!(
            r"(?i)(?-u:\b)(?P<r>this|next|last)\s+month(?-u:\b)|(?-u:\b)(?:from|in|for|until|till|through|starting|since|by|after|before|of)\s+(?:the\s+(?:start|beginning)\s+of\s+)?(?P<m>",
            english_months!(),
            r")(?-u:\b)(?:\s+(?P<y>[0-9]{4}))?"
        ),
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
        Kind::Count,
        r"(?P<n>[0-9]{1,3}|十[一二]?|[一二三四五六七八九十])\s*(?:回|枚|名|人|席|コマ)",
        &['目'],
    ),
    (
        Kind::Count,
        r"(?i)(?-u:\b)(?P<n>[0-9]{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:people|persons|seats|spots|places|times|classes|tickets|sessions|visits)(?-u:\b)",
        &[],
    ),
    (
        Kind::JapaneseTime,
        r"(?P<ap>午前|午後)?\s*(?P<h>[0-9]{1,2})\s*時\s*(?:(?P<half>半)|(?P<m>[0-9]{1,2})\s*分)?",
        &['間'],
    ),
];

/// Times are matched last, after dates and amounts have taken their spans.
pub(super) const TIME_RULES: &[(Kind, &str, &[char])] = &[
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

/// The capture named `v`, or the whole match.
fn value<'h>(captures: &Captures<'h>) -> &'h str {
    captures
        .name("v")
        .or_else(|| captures.get(0))
        .map_or("", |m| m.as_str())
}

/// The month (1–12) in the group `name`, in digits or as an English name.
fn month(captures: &Captures<'_>, name: &str) -> Option<u32> {
    let text = captures.name(name)?.as_str();
    let month = text.parse().ok().or_else(|| english_month(text))?;
    (1..=12).contains(&month).then_some(month)
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
