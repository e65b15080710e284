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
mod gazetteer;
mod months;
mod rules;

pub use gazetteer::Gazetteer;

use super::IntentError;
use crate::money::Money;
use chrono::{Datelike, NaiveDate, NaiveTime};
use fold::{Folded, fold_char};
use gazetteer::Names;
use regex::{Regex, RegexSet};
use rules::{Kind, RULES, TIME_RULES};
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// A month, as its first day: 「6月から」「来月」「7月分」, "from June".
    /// A month without a year is this month or a later one, except a
    /// charge's month (「7月分」), which is the nearest.
    Month(NaiveDate),
    /// Whole months, from the first day of the first (included) to the first
    /// day after the last (excluded): 「6月から8月まで」, "June to August".
    MonthRange {
        /// The first day.
        from: NaiveDate,
        /// The first day after the range.
        until: NaiveDate,
    },
    /// The last day of a month: 「5月末」「今月いっぱい」, "end of this month".
    MonthEnd(NaiveDate),
    /// The end of the current billing period or contract: 「契約期間の終わり」,
    /// "end of my billing period".
    PeriodEnd,
    /// A length in months: 「2ヶ月」「三か月間」「半年」, "for two months".
    Months(u32),
    /// A count: 「2名」「3回」, "two people".
    Count(u32),
    /// A name from the host's [`Gazetteer`]: which list, and the id it means.
    Named {
        /// The list (`"plan"`, `"class"`, ...).
        list: String,
        /// The id.
        id: String,
    },
}

/// The default member-number pattern: 4 to 12 digits, optionally after up to
/// three letters and a hyphen, following a cue such as 会員番号, 会員ID,
/// "member number" or "membership no.". The group named `v` is the number.
pub const DEFAULT_MEMBER_NUMBER_PATTERN: &str = r"(?i)(?:会員番号|会員no\.?|会員id|会員ナンバー|membership\s*(?:number|no\.?|id)|member\s*(?:number|no\.?|id|#))\s*(?:は|:|#|is)?\s*(?P<v>[a-z]{0,3}-?[0-9]{4,12})";

/// Finds slots in messages and masks personal data for logs. Build one and
/// reuse it: building compiles its patterns.
#[derive(Debug, Clone)]
pub struct SlotExtractor {
    rules: Vec<Rule>,
    /// Every rule's pattern at once: one pass tells which rules match at
    /// all, and only those are run for their captures.
    any: RegexSet,
    /// The host's names, matched before every other rule.
    names: Option<Names>,
}

#[derive(Debug, Clone)]
struct Rule {
    regex: Regex,
    kind: Kind,
    /// Characters that must not follow a match (時 followed by 間 is a
    /// duration, not a time).
    not_followed_by: &'static [char],
}

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
        for &(kind, pattern, not_followed_by) in RULES.iter().chain(TIME_RULES) {
            rules.push(Rule {
                regex: compile(pattern)?,
                kind,
                not_followed_by,
            });
        }
        let any = RegexSet::new(rules.iter().map(|r| r.regex.as_str())).map_err(|e| {
            IntentError::InvalidPattern {
                pattern: pattern.to_owned(),
                message: e.to_string(),
            }
        })?;
        Ok(Self {
            rules,
            any,
            names: None,
        })
    }

    /// This extractor finding the host's names too (plans, classes,
    /// studios), before any other detail: see [`Gazetteer`].
    ///
    /// # Errors
    /// [`IntentError::InvalidGazetteer`] for an empty or overlong name, or a
    /// name given for two ids.
    pub fn with_gazetteer(mut self, gazetteer: &Gazetteer) -> Result<Self, IntentError> {
        self.names = gazetteer.compile()?;
        Ok(self)
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
        // Spans taken so far, by start: they never overlap, so a new span
        // overlaps one only if it overlaps its neighbour on either side.
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        let mut found: Vec<(usize, Slot)> = Vec::new();
        let mut take = |start: usize, end: usize, span: (usize, usize), value: SlotValue| {
            let before = taken.range(..end).next_back();
            if before.is_some_and(|(_, &e)| e > start) {
                return;
            }
            taken.insert(start, end);
            found.push((
                start,
                Slot {
                    value,
                    start: folded.original(span.0),
                    end: folded.original(span.1),
                },
            ));
        };
        if let Some(names) = self.names.as_ref().filter(|_| wanted(Kind::Named)) {
            for m in names.regex.find_iter(haystack) {
                let (start, end) = (m.start(), m.end());
                if start == end || !isolated(haystack, start, end, &[]) {
                    continue;
                }
                if let Some((list, id)) = names.lookup(m.as_str()) {
                    let value = SlotValue::Named {
                        list: list.clone(),
                        id: id.clone(),
                    };
                    take(start, end, (start, end), value);
                }
            }
        }
        let matching = self.any.matches(haystack);
        for (_, rule) in self
            .rules
            .iter()
            .enumerate()
            .filter(|(i, r)| matching.matched(*i) && wanted(r.kind))
        {
            let parse = rule.kind.parse();
            for captures in rule.regex.captures_iter(haystack) {
                let Some(whole) = captures.get(0) else {
                    continue;
                };
                let (start, end) = (whole.start(), whole.end());
                if start == end || !isolated(haystack, start, end, rule.not_followed_by) {
                    continue;
                }
                let Some(value) = parse(&captures, today).filter(in_calendar) else {
                    continue;
                };
                let span = captures.name("v").unwrap_or(whole);
                take(start, end, (span.start(), span.end()), value);
            }
        }
        found.sort_by_key(|(start, _)| *start);
        found.into_iter().map(|(_, slot)| slot).collect()
    }
}

/// Whether every date in `value` is one the library's date format writes
/// and reads (years 0000 to 9999): 「明日」 on 9999-12-31 is no slot.
fn in_calendar(value: &SlotValue) -> bool {
    let ok = |d: &NaiveDate| (0..=9999).contains(&d.year());
    match value {
        SlotValue::Date(d) | SlotValue::Month(d) | SlotValue::MonthEnd(d) => ok(d),
        SlotValue::MonthRange { from, until } => ok(from) && ok(until),
        _ => true,
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

#[cfg(test)]
mod tests;
