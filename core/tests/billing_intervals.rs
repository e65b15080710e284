//! Plan changes between plans billed on different intervals: the new plan's
//! schedule starts on the change day, the membership's view and the billing
//! agree on its dates, and billing day by day bills what billing once does.

use memberkit::billing::{BillingAccount, BillingConfig, Document, LineKind, Timing, bill};
use memberkit::calendar::{NaiveDate, date};
use memberkit::membership::{
    Catalog, ChangeTiming, Command, Event, Membership, MembershipError, decide,
};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    date(y, m, day).unwrap()
}

/// One plan per interval, and one in dollars.
fn catalog() -> Catalog {
    Catalog::from_json(
        r#"[
        {"id": "month", "name": "Monthly", "price": {"amount": "13200", "currency": "JPY"},
         "interval": {"unit": "month", "count": 1}, "refund_policy": "prorated_credit"},
        {"id": "month15", "name": "On the 15th", "price": {"amount": "9900", "currency": "JPY"},
         "interval": {"unit": "month", "count": 1}, "alignment": {"day_of_month": 15}},
        {"id": "quarter", "name": "Quarterly", "price": {"amount": "25000", "currency": "JPY"},
         "interval": {"unit": "month", "count": 3}, "refund_policy": "none"},
        {"id": "year", "name": "Yearly", "price": {"amount": "96000", "currency": "JPY"},
         "interval": {"unit": "year", "count": 1}, "alignment": "anniversary", "refund_policy": "none"},
        {"id": "year_cal", "name": "Yearly from the 1st", "price": {"amount": "90000", "currency": "JPY"},
         "interval": {"unit": "year", "count": 1}, "refund_policy": "prorated_refund"},
        {"id": "week", "name": "Weekly", "price": {"amount": "2500", "currency": "JPY"},
         "interval": {"unit": "week", "count": 1}, "refund_policy": "prorated_credit"},
        {"id": "tenday", "name": "Every ten days", "price": {"amount": "3800", "currency": "JPY"},
         "interval": {"unit": "day", "count": 10}},
        {"id": "usd", "name": "Online", "price": {"amount": "19.99", "currency": "USD"},
         "interval": {"unit": "month", "count": 1}}
    ]"#,
    )
    .unwrap()
}

const JPY_PLANS: [&str; 7] = [
    "month", "month15", "quarter", "year", "year_cal", "week", "tenday",
];

/// The membership and its events after `steps`, each decided on its date
/// after advancing to it.
fn replay(steps: &[(NaiveDate, Command)]) -> (Membership, Vec<Event>) {
    let catalog = catalog();
    let (mut state, mut log) = (Membership::default(), Vec::new());
    for (at, command) in steps {
        let events = decide(&state, &catalog, command, *at).unwrap();
        state = events.iter().fold(state, |m, e| m.apply(e));
        log.extend(events);
    }
    (state, log)
}

fn steps(
    from: &str,
    to: &str,
    change_on: NaiveDate,
    when: ChangeTiming,
) -> Vec<(NaiveDate, Command)> {
    let join = d(2026, 1, 5);
    vec![
        (
            join,
            Command::Join {
                plan: from.into(),
                start: join,
                trial: false,
            },
        ),
        (
            change_on,
            Command::ChangePlan {
                plan: to.into(),
                when,
            },
        ),
    ]
}

/// The documents of billing the account on each of `dates` in turn, each
/// time with the events known by then; and the account after.
fn bill_on(steps: &[(NaiveDate, Command)], dates: &[NaiveDate]) -> (Vec<Document>, BillingAccount) {
    let mut account = BillingAccount::new("A");
    let mut documents = Vec::new();
    for through in dates {
        let (_, events) = replay_until(steps, *through);
        let run = bill(
            &account,
            &events,
            &catalog(),
            &BillingConfig::default(),
            *through,
        )
        .unwrap();
        documents.extend(run.documents);
        account = run.account;
    }
    (documents, account)
}

/// Net minor units billed, by plan.
fn net_by_plan(documents: &[Document], plan: &str) -> i64 {
    documents
        .iter()
        .flat_map(|doc| &doc.lines)
        .filter(|line| line.plan == plan && line.kind == LineKind::PlanFee)
        .map(|line| line.amount.to_minor().unwrap())
        .sum()
}

#[test]
fn monthly_to_yearly_credits_the_month_and_bills_a_year_from_the_change() {
    let steps = steps("month", "year", d(2026, 2, 17), ChangeTiming::Now);
    let (member, events) = replay(&steps);
    assert!(matches!(
        events.last(),
        Some(Event::PlanChanged {
            new_schedule: true,
            ..
        })
    ));
    let catalog = catalog();
    let dates = [d(2026, 2, 1), d(2026, 2, 17), d(2027, 3, 1)];
    let (documents, _) = bill_on(&steps, &dates);
    let change_day: Vec<_> = documents
        .iter()
        .filter(|doc| doc.date == d(2026, 2, 17))
        .flat_map(|doc| &doc.lines)
        .map(|line| {
            (
                line.plan.as_str(),
                line.amount.to_minor().unwrap(),
                line.credit,
            )
        })
        .collect();
    // Feb 17–28 is 12/28 of ¥13,200, credited; a year from Feb 17 charged in full.
    assert_eq!(change_day, [("month", -5657, true), ("year", 96000, false)]);
    let yearly: Vec<_> = documents
        .iter()
        .filter(|doc| doc.lines.iter().any(|line| line.plan == "year"))
        .map(|doc| doc.date)
        .collect();
    assert_eq!(yearly, [d(2026, 2, 17), d(2027, 2, 17)]);
    let view = member.view(&catalog, d(2026, 3, 1)).unwrap();
    assert_eq!(view.next_renewal, Some(d(2027, 2, 17)));
}

#[test]
fn yearly_to_monthly_credits_the_unused_year_at_once_whatever_the_refund_policy() {
    let steps = steps("year", "month", d(2026, 2, 17), ChangeTiming::Now);
    let dates = [d(2026, 1, 5), d(2026, 2, 17), d(2026, 4, 1)];
    let (documents, account) = bill_on(&steps, &dates);
    // Feb 17 2026 to Jan 4 2027 is 322 of the year's 365 days, credited on
    // the change day even though the yearly plan refunds nothing on a cancel.
    let credit: Vec<_> = documents
        .iter()
        .flat_map(|doc| doc.lines.iter().map(move |line| (doc.date, line)))
        .filter(|(_, line)| line.credit)
        .map(|(date, line)| {
            (
                date,
                line.amount.to_minor().unwrap(),
                line.proration.unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(credit, [(d(2026, 2, 17), -84690, "322/365".to_owned())]);
    assert!(
        account.credit.is_some(),
        "carried forward to the months after"
    );
}

#[test]
fn a_calendar_year_started_mid_month_prorates_up_to_its_billing_day() {
    let (member, events) = replay(&steps(
        "month",
        "year_cal",
        d(2026, 4, 16),
        ChangeTiming::Now,
    ));
    let run = bill(
        &BillingAccount::new("A"),
        &events,
        &catalog(),
        &BillingConfig::default(),
        d(2026, 5, 1),
    )
    .unwrap();
    let lines: Vec<_> = run
        .documents
        .iter()
        .flat_map(|doc| &doc.lines)
        .filter(|line| line.plan == "year_cal")
        .map(|line| {
            (
                line.amount.to_minor().unwrap(),
                line.proration.map(|p| p.to_string()),
            )
        })
        .collect();
    // Apr 16–30 of the year from May 1 2025 (365 days), then a whole year.
    assert_eq!(lines, [(3698, Some("15/365".into())), (90000, None)]);
    let view = member.view(&catalog(), d(2026, 4, 20)).unwrap();
    assert_eq!(view.next_renewal, Some(d(2026, 5, 1)));
}

#[test]
fn a_change_to_a_plan_in_another_currency_is_refused() {
    let (member, _) = replay(&steps("month", "week", d(2026, 2, 17), ChangeTiming::Now)[..1]);
    let change = Command::ChangePlan {
        plan: "usd".into(),
        when: ChangeTiming::Now,
    };
    let err = decide(&member, &catalog(), &change, d(2026, 2, 17)).unwrap_err();
    assert!(
        matches!(err, MembershipError::CurrencyMismatch { .. }),
        "{err}"
    );
    assert_eq!(err.kind().name(), "command_refused");
}

#[test]
fn a_change_between_plans_of_one_interval_keeps_the_schedule() {
    let (member, events) = replay(&steps(
        "month",
        "month15",
        d(2026, 2, 17),
        ChangeTiming::Now,
    ));
    assert!(matches!(
        events.last(),
        Some(Event::PlanChanged {
            new_schedule: false,
            ..
        })
    ));
    let view = member.view(&catalog(), d(2026, 2, 20)).unwrap();
    assert_eq!(
        view.next_renewal,
        Some(d(2026, 3, 1)),
        "still billed on the 1st"
    );
}

/// Bills every day from the join to `until`, each day knowing only the
/// events decided by then; returns the documents and the membership.
fn daily(
    steps: &[(NaiveDate, Command)],
    config: &BillingConfig,
    until: NaiveDate,
) -> (Vec<Document>, Vec<Event>) {
    let catalog = catalog();
    let (mut state, mut log) = (Membership::default(), Vec::new());
    let mut account = BillingAccount::new("A");
    let mut documents = Vec::new();
    let mut day = steps[0].0;
    while day <= until {
        for (_, command) in steps.iter().filter(|(at, _)| *at == day) {
            let events = decide(&state, &catalog, command, day).unwrap();
            state = events.iter().fold(state, |m, e| m.apply(e));
            log.extend(events);
        }
        let events = decide(&state, &catalog, &Command::Advance, day).unwrap();
        state = events.iter().fold(state, |m, e| m.apply(e));
        log.extend(events);
        let run = bill(&account, &log, &catalog, config, day).unwrap();
        documents.extend(run.documents);
        account = run.account;
        day = day.succ_opt().unwrap();
    }
    (documents, log)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// For any two plans, a change now or at the next period, on any day:
    /// billing day by day nets to what billing once at the end does, per
    /// plan (each line rounds once, so within a unit per line), and every
    /// renewal the view announces is the day a plan fee of the new plan is
    /// invoiced.
    #[test]
    fn day_by_day_billing_agrees_with_one_run_and_with_the_view(
        from in 0..JPY_PLANS.len(),
        to in 0..JPY_PLANS.len(),
        offset in 0u64..120,
        next_period in any::<bool>(),
        arrears in any::<bool>(),
    ) {
        prop_assume!(from != to);
        let (from, to) = (JPY_PLANS[from], JPY_PLANS[to]);
        let change_on = d(2026, 1, 5).checked_add_days(chrono::Days::new(offset)).unwrap();
        let when = if next_period { ChangeTiming::NextPeriod } else { ChangeTiming::Now };
        let config = BillingConfig {
            timing: if arrears { Timing::Arrears } else { Timing::Advance },
            ..BillingConfig::default()
        };
        let until = d(2027, 6, 1);
        let steps = steps(from, to, change_on, when);
        let (by_day, log) = daily(&steps, &config, until);
        let once = bill(&BillingAccount::new("A"), &log, &catalog(), &config, until).unwrap();
        for plan in [from, to] {
            let lines = by_day.iter().chain(&once.documents).flat_map(|d| &d.lines).count() as i64;
            let (a, b) = (net_by_plan(&by_day, plan), net_by_plan(&once.documents, plan));
            prop_assert!((a - b).abs() <= lines, "{plan}: day by day {a}, once {b}");
        }
        // The view on each invoice day of the new plan names the next one.
        let invoiced: Vec<NaiveDate> = by_day
            .iter()
            .filter(|doc| doc.lines.iter().any(|l| l.plan == to && !l.credit && l.kind == LineKind::PlanFee))
            .map(|doc| doc.date)
            .collect();
        if !arrears {
            for pair in invoiced.windows(2) {
                let (state, _) = replay_until(&steps, pair[0]);
                prop_assert_eq!(
                    state.next_renewal(&catalog(), pair[0]).unwrap(),
                    Some(pair[1]),
                    "renewal after {}", pair[0]
                );
            }
        }
    }
}

/// The membership as of `day` and its events: the steps decided by then,
/// advanced to it.
fn replay_until(steps: &[(NaiveDate, Command)], day: NaiveDate) -> (Membership, Vec<Event>) {
    let mut known: Vec<_> = steps.iter().filter(|(at, _)| *at <= day).cloned().collect();
    known.push((day, Command::Advance));
    replay(&known)
}
