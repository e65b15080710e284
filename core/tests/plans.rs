//! Plan settings: each one that means nothing for the plan's interval is
//! refused, naming the field; weekly plans may follow calendar weeks.

use memberkit::billing::{BillingAccount, BillingConfig, bill};
use memberkit::calendar::date;
use memberkit::membership::{
    Alignment, Catalog, Command, Membership, MembershipError, Plan, decide,
};

fn plan(interval: &str, alignment: Option<&str>) -> Result<Plan, MembershipError> {
    let alignment = alignment.map_or(String::new(), |a| format!(r#", "alignment": {a}"#));
    Plan::from_json(&format!(
        r#"{{"id": "p", "name": "P", "price": {{"amount": "2500", "currency": "JPY"}},
            "interval": {interval}{alignment}}}"#
    ))
}

const DAY: &str = r#"{"unit": "day", "count": 10}"#;
const WEEK: &str = r#"{"unit": "week", "count": 1}"#;
const MONTH: &str = r#"{"unit": "month", "count": 1}"#;
const YEAR: &str = r#"{"unit": "year", "count": 1}"#;

fn refused_at(result: Result<Plan, MembershipError>) -> String {
    match result {
        Err(MembershipError::InvalidPlan { path, .. }) => path,
        other => panic!("expected an invalid plan, got {other:?}"),
    }
}

#[test]
fn alignments_that_mean_nothing_for_the_interval_are_refused() {
    for interval in [DAY, WEEK] {
        assert_eq!(
            refused_at(plan(interval, Some(r#""calendar""#))),
            "alignment"
        );
        assert_eq!(
            refused_at(plan(interval, Some(r#"{"day_of_month": 15}"#))),
            "alignment"
        );
        assert!(plan(interval, Some(r#""anniversary""#)).is_ok());
        assert!(plan(interval, None).is_ok());
    }
    for interval in [DAY, MONTH, YEAR] {
        let weekday = plan(interval, Some(r#"{"weekday": "monday"}"#));
        assert_eq!(refused_at(weekday), "alignment.weekday");
    }
    for interval in [MONTH, YEAR] {
        for alignment in [
            r#""calendar""#,
            r#""anniversary""#,
            r#"{"day_of_month": 31}"#,
        ] {
            assert!(
                plan(interval, Some(alignment)).is_ok(),
                "{interval} {alignment}"
            );
        }
    }
    let message = plan(WEEK, Some(r#""calendar""#)).unwrap_err().to_string();
    assert!(message.contains(r#"{"weekday": "monday"}"#), "{message}");
    assert!(
        Catalog::from_json(&format!(
            r#"[{{"id": "p", "name": "P", "price": {{"amount": "1", "currency": "JPY"}},
             "interval": {DAY}, "alignment": {{"day_of_month": 3}}}}]"#
        ))
        .is_err()
    );
}

#[test]
fn weekdays_read_in_any_of_chronos_spellings_and_write_lowercase() {
    let weekly = plan(WEEK, Some(r#"{"weekday": "Sun"}"#)).unwrap();
    assert_eq!(
        weekly.alignment,
        Some(Alignment::Weekday(chrono::Weekday::Sun))
    );
    assert!(
        weekly
            .to_json()
            .contains(r#""alignment":{"weekday":"sunday"}"#)
    );
    let err = plan(WEEK, Some(r#"{"weekday": "someday"}"#)).unwrap_err();
    assert!(err.to_string().contains("alignment.weekday"), "{err}");
}

#[test]
fn a_weekly_plan_on_calendar_weeks_prorates_the_first_days_to_its_weekday() {
    let catalog = Catalog::from_json(
        r#"[{"id": "w", "name": "Weekly", "price": {"amount": "2100", "currency": "JPY"}, "price_includes_tax": true,
             "interval": {"unit": "week", "count": 1}, "alignment": {"weekday": "monday"}}]"#,
    )
    .unwrap();
    // Wednesday 2026-04-15: Wednesday to Sunday is 5/7 of the week.
    let start = date(2026, 4, 15).unwrap();
    let join = Command::Join {
        plan: "w".into(),
        start,
        trial: false,
    };
    let events = decide(&Membership::default(), &catalog, &join, start).unwrap();
    let member = events.iter().fold(Membership::default(), |m, e| m.apply(e));
    let through = date(2026, 4, 27).unwrap();
    let run = bill(
        &BillingAccount::new("A"),
        &events,
        &catalog,
        &BillingConfig::default(),
        through,
    )
    .unwrap();
    let invoices: Vec<_> = run
        .documents
        .iter()
        .map(|doc| (doc.date.to_string(), doc.total.to_minor().unwrap()))
        .collect();
    assert_eq!(
        invoices,
        [
            ("2026-04-15".to_owned(), 1500),
            ("2026-04-20".to_owned(), 2100),
            ("2026-04-27".to_owned(), 2100)
        ]
    );
    let view = member.view(&catalog, start).unwrap();
    assert_eq!(view.next_renewal, Some(date(2026, 4, 20).unwrap()));
}
