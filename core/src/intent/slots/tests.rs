use super::*;
use crate::money::Currency;
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

fn month(y: i32, m: u32) -> SlotValue {
    SlotValue::Month(NaiveDate::from_ymd_opt(y, m, 1).unwrap())
}

fn month_end(y: i32, m: u32, d: u32) -> SlotValue {
    SlotValue::MonthEnd(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

#[test]
fn months_and_month_ranges() {
    // today is 2026-05-06
    assert_eq!(
        values("6月から2ヶ月休会したい"),
        [month(2026, 6), SlotValue::Months(2)]
    );
    assert_eq!(
        values("来月から三か月間"),
        [month(2026, 6), SlotValue::Months(3)]
    );
    assert_eq!(values("4月から"), [month(2027, 4)]);
    assert_eq!(values("4月分の請求"), [month(2026, 4)]);
    assert_eq!(values("先月分"), [month(2026, 4)]);
    assert_eq!(values("2027年1月から"), [month(2027, 1)]);
    assert_eq!(values("今月"), [month(2026, 5)]);
    assert_eq!(values("再来月"), [month(2026, 7)]);
    assert_eq!(
        values("6月から8月まで"),
        [SlotValue::MonthRange {
            from: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            until: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        }]
    );
    assert_eq!(
        values("11月から2月末まで"),
        [SlotValue::MonthRange {
            from: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            until: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
        }]
    );
    assert_eq!(
        values("pause from June for two months"),
        [month(2026, 6), SlotValue::Months(2)]
    );
    assert_eq!(
        values("starting next month, for 3 months"),
        [month(2026, 6), SlotValue::Months(3)]
    );
    assert_eq!(values("in July 2027"), [month(2027, 7)]);
    assert_eq!(
        values("from June to August"),
        [SlotValue::MonthRange {
            from: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            until: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        }]
    );
    assert_eq!(values("half a year"), [SlotValue::Months(6)]);
    assert_eq!(values("半年"), [SlotValue::Months(6)]);
    // "may" the verb is no month; a month day stays a date.
    assert_eq!(values("I may cancel"), []);
    assert_eq!(values("6月3日"), [date(6, 3)]);
    assert_eq!(values("13月から"), []);
}

#[test]
fn month_ends_and_period_ends() {
    assert_eq!(values("5月末で退会します"), [month_end(2026, 5, 31)]);
    assert_eq!(values("今月いっぱいで"), [month_end(2026, 5, 31)]);
    assert_eq!(values("来月末"), [month_end(2026, 6, 30)]);
    assert_eq!(values("月末に"), [month_end(2026, 5, 31)]);
    assert_eq!(values("2月末"), [month_end(2027, 2, 28)]);
    assert_eq!(
        values("cancel at the end of this month"),
        [month_end(2026, 5, 31)]
    );
    assert_eq!(values("end of next month"), [month_end(2026, 6, 30)]);
    assert_eq!(values("by the end of June"), [month_end(2026, 6, 30)]);
    assert_eq!(values("契約期間の終わりで"), [SlotValue::PeriodEnd]);
    assert_eq!(
        values("at the end of my billing period"),
        [SlotValue::PeriodEnd]
    );
    assert_eq!(values("人がいっぱい"), []);
}

#[test]
fn counts() {
    assert_eq!(values("2名で予約"), [SlotValue::Count(2)]);
    assert_eq!(values("回数券を5回分"), [SlotValue::Count(5)]);
    assert_eq!(values("2回目"), []);
    assert_eq!(values("for two people"), [SlotValue::Count(2)]);
    assert_eq!(values("3 seats"), [SlotValue::Count(3)]);
}

#[test]
fn gazetteer_names_come_first_and_refuse_clashes() {
    let mut names = Gazetteer::default();
    names
        .add("plan", "light", ["ライト", "light plan"])
        .add("plan", "3m", ["3ヶ月パス"]);
    let slots = SlotExtractor::default().with_gazetteer(&names).unwrap();
    let found: Vec<SlotValue> = slots
        .extract("3ヶ月パスからLight Planに", today())
        .into_iter()
        .map(|s| s.value)
        .collect();
    let named = |id: &str| SlotValue::Named {
        list: "plan".into(),
        id: id.into(),
    };
    assert_eq!(found, [named("3m"), named("light")]);
    // Glued to other letters, a name is not read.
    assert_eq!(slots.extract("spotlight plans", today()), []);
    let mut clash = Gazetteer::default();
    clash.add("plan", "a", ["Gold"]).add("plan", "b", ["gold"]);
    assert!(matches!(
        SlotExtractor::default().with_gazetteer(&clash),
        Err(IntentError::InvalidGazetteer { .. })
    ));
    let mut empty = Gazetteer::default();
    empty.add("plan", "a", [" "]);
    assert!(SlotExtractor::default().with_gazetteer(&empty).is_err());
}

#[test]
fn many_matches_stay_linear() {
    // 20,000 dates: the overlap check is a sorted map, not a scan of all spans.
    let text = "5/3 ".repeat(20_000);
    assert_eq!(SLOTS.extract(&text, today()).len(), 20_000);
}

#[test]
fn relative_dates_stay_inside_the_calendar() {
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
    for text in [
        "明日",
        "tomorrow",
        "来月から",
        "next monday",
        "1/5",
        "来月末",
    ] {
        assert_eq!(SLOTS.extract(text, last), [], "{text}");
    }
    let first = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
    assert_eq!(SLOTS.extract("昨日", first), []);
    assert_eq!(SLOTS.extract("今日", last).len(), 1);
}
