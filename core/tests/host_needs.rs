//! What hosts need around the engine: a cancel on a chosen date, members
//! migrated in from another system, and the next period collected at join.

use memberkit::billing::{
    BillingAccount, BillingConfig, BillingError, Document, LineKind, Timing, bill,
};
use memberkit::calendar::{NaiveDate, date};
use memberkit::membership::{
    CancelTiming, Catalog, Command, Event, Membership, MembershipError, Status, decide,
};
use memberkit::money::{Currency, Money};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    date(y, m, day).unwrap()
}

fn catalog() -> Catalog {
    Catalog::from_json(
        r#"[
        {"id": "credit", "name": "Credit", "price": {"amount": "9300", "currency": "JPY"}, "price_includes_tax": true,
         "interval": {"unit": "month", "count": 1}, "refund_policy": "prorated_credit",
         "admission_fee": {"amount": "5500", "currency": "JPY"}},
        {"id": "none", "name": "No refund", "price": {"amount": "9300", "currency": "JPY"}, "price_includes_tax": true,
         "interval": {"unit": "month", "count": 1}, "refund_policy": "none"},
        {"id": "ahead", "name": "Collected ahead", "price": {"amount": "9300", "currency": "JPY"}, "price_includes_tax": true,
         "interval": {"unit": "month", "count": 1}, "collect_next_period_at_join": true,
         "admission_fee": {"amount": "5500", "currency": "JPY"}, "trial": {"days": 7, "price": {"amount": "0", "currency": "JPY"}}}
    ]"#,
    )
    .unwrap()
}

/// Decides `steps` in order, each on its date; returns the state and events.
fn replay(steps: &[(NaiveDate, Command)]) -> Result<(Membership, Vec<Event>), MembershipError> {
    let catalog = catalog();
    let (mut state, mut log) = (Membership::default(), Vec::new());
    for (at, command) in steps {
        let events = decide(&state, &catalog, command, *at)?;
        state = events.iter().fold(state, |m, e| m.apply(e));
        log.extend(events);
    }
    Ok((state, log))
}

fn join(plan: &str, on: NaiveDate) -> (NaiveDate, Command) {
    let command = Command::Join {
        plan: plan.into(),
        start: on,
        trial: false,
    };
    (on, command)
}

fn cancel_on(at: NaiveDate, on: NaiveDate) -> (NaiveDate, Command) {
    let when = CancelTiming::On(on);
    (at, Command::Cancel { when })
}

/// Bills on each date in turn with the events decided by then.
fn bill_on(steps: &[(NaiveDate, Command)], dates: &[NaiveDate]) -> Vec<Document> {
    let mut account = BillingAccount::new("A");
    let mut documents = Vec::new();
    for through in dates {
        let mut known: Vec<_> = steps
            .iter()
            .filter(|(at, _)| at <= through)
            .cloned()
            .collect();
        known.push((*through, Command::Advance));
        let (_, events) = replay(&known).unwrap();
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
    documents
}

fn lines(documents: &[Document]) -> Vec<(String, LineKind, i64)> {
    documents
        .iter()
        .flat_map(|doc| {
            doc.lines.iter().map(move |line| {
                (
                    doc.date.to_string(),
                    line.kind,
                    line.amount.to_minor().unwrap(),
                )
            })
        })
        .collect()
}

#[test]
fn a_cancel_on_a_chosen_date_is_scheduled_and_refused_in_the_past() {
    let (member, events) = replay(&[
        join("credit", d(2026, 4, 1)),
        cancel_on(d(2026, 5, 3), d(2026, 6, 20)),
    ])
    .unwrap();
    assert_eq!(member.status, Status::PendingCancellation);
    assert_eq!(member.ends_on, Some(d(2026, 6, 20)));
    assert!(
        matches!(events.last(), Some(Event::CancellationScheduled { on, .. }) if *on == d(2026, 6, 20))
    );
    let past = replay(&[
        join("credit", d(2026, 4, 1)),
        cancel_on(d(2026, 5, 3), d(2026, 5, 2)),
    ]);
    assert!(
        matches!(past, Err(MembershipError::DateInPast { .. })),
        "{past:?}"
    );
    let today = replay(&[
        join("credit", d(2026, 4, 1)),
        cancel_on(d(2026, 5, 3), d(2026, 5, 3)),
    ])
    .unwrap();
    assert_eq!(today.0.status, Status::Cancelled);
    let json = r#"{"type": "cancel", "when": {"on": "2026-06-20"}}"#;
    assert_eq!(
        Command::from_json(json).unwrap(),
        Command::Cancel {
            when: CancelTiming::On(d(2026, 6, 20))
        }
    );
}

#[test]
fn the_last_partial_period_of_a_dated_cancel_follows_the_refund_policy() {
    let dates = [d(2026, 4, 1), d(2026, 5, 3), d(2026, 6, 1), d(2026, 7, 1)];
    // Prorated credit: June is billed for June 1–19 only (19/30 of ¥9,300),
    // the cancel being known by then.
    let credit = bill_on(
        &[
            join("credit", d(2026, 4, 1)),
            cancel_on(d(2026, 5, 3), d(2026, 6, 20)),
        ],
        &dates,
    );
    let june: Vec<_> = lines(&credit)
        .into_iter()
        .filter(|(date, _, _)| date.starts_with("2026-06"))
        .collect();
    assert_eq!(june, [("2026-06-01".into(), LineKind::PlanFee, 5890)]);
    // No refund: June stays paid in full, and nothing is billed after.
    let none = bill_on(
        &[
            join("none", d(2026, 4, 1)),
            cancel_on(d(2026, 5, 3), d(2026, 6, 20)),
        ],
        &dates,
    );
    let after: Vec<_> = lines(&none)
        .into_iter()
        .filter(|(date, _, _)| date.as_str() >= "2026-06-01")
        .collect();
    assert_eq!(after, [("2026-06-01".into(), LineKind::PlanFee, 9300)]);
}

#[test]
fn a_migrated_member_is_billed_only_from_the_day_the_old_system_stopped() {
    // A member since 2024 (admission fee paid then), billed elsewhere
    // through May 14, with ¥1,200 of credit brought along.
    let (_, events) = replay(&[
        join("credit", d(2024, 9, 10)),
        (d(2026, 5, 3), Command::Advance),
    ])
    .unwrap();
    let through_june = |account: &BillingAccount| {
        bill(
            account,
            &events,
            &catalog(),
            &BillingConfig::default(),
            d(2026, 6, 1),
        )
        .unwrap()
    };
    let mut account = BillingAccount::migrated("M-7", d(2026, 5, 15));
    account.credit = Some(Money::from_minor(1200, Currency::JPY));
    let run = through_june(&account);
    assert_eq!(
        lines(&run.documents),
        [
            ("2026-05-15".into(), LineKind::PlanFee, 5100), // May 15–31: 17/31 of ¥9,300
            ("2026-06-01".into(), LineKind::PlanFee, 9300),
        ]
    );
    assert_eq!(
        run.documents[0].amount_due,
        Money::from_minor(3900, Currency::JPY)
    );
    // Stored and read back, the account bills nothing twice.
    let saved = serde_json::to_string(&run.account).unwrap();
    let again = BillingAccount::from_json(&saved).unwrap();
    assert_eq!(again.billed_until, Some(d(2026, 5, 15)));
    let rerun = through_june(&again);
    assert!(rerun.documents.is_empty());
    // A host writes a migrated account as JSON with only what it knows.
    let written = BillingAccount::from_json(
        r#"{"id": "M-8", "billed_until": "2026-06-01", "credit": {"amount": "300", "currency": "JPY"}}"#,
    )
    .unwrap();
    assert_eq!(written.documents_issued(), 0);
    let first = through_june(&written);
    assert_eq!(
        lines(&first.documents),
        [("2026-06-01".into(), LineKind::PlanFee, 9300)]
    );
}

#[test]
fn a_plan_collecting_the_next_period_bills_both_on_the_first_paid_day() {
    let documents = bill_on(
        &[join("ahead", d(2026, 4, 20))],
        &[d(2026, 4, 20), d(2026, 5, 1), d(2026, 6, 1)],
    );
    assert_eq!(
        lines(&documents),
        [
            ("2026-04-20".into(), LineKind::PlanFee, 3410), // Apr 20–30: 11/30
            ("2026-04-20".into(), LineKind::PlanFee, 9300), // May, collected at join
            ("2026-04-20".into(), LineKind::AdmissionFee, 5500),
            ("2026-06-01".into(), LineKind::PlanFee, 9300),
        ]
    );
    let arrears = BillingConfig {
        timing: Timing::Arrears,
        ..BillingConfig::default()
    };
    let (_, events) = replay(&[join("ahead", d(2026, 4, 20))]).unwrap();
    let err = bill(
        &BillingAccount::new("A"),
        &events,
        &catalog(),
        &arrears,
        d(2026, 5, 1),
    )
    .unwrap_err();
    assert!(
        matches!(err, BillingError::InvalidConfig { ref path, .. } if path == "timing"),
        "{err}"
    );
}

#[test]
fn a_period_collected_ahead_that_the_membership_never_reaches_is_given_back() {
    // Joined on Apr 20 (May collected then), cancelled at once on Apr 25:
    // under a no-refund plan April stays paid, and May is refunded.
    let catalog = Catalog::from_json(
        r#"[{"id": "ahead", "name": "Ahead", "price": {"amount": "9300", "currency": "JPY"},
             "price_includes_tax": true, "interval": {"unit": "month", "count": 1},
             "refund_policy": "none", "collect_next_period_at_join": true}]"#,
    )
    .unwrap();
    let join = Command::Join {
        plan: "ahead".into(),
        start: d(2026, 4, 20),
        trial: false,
    };
    let joined = decide(&Membership::default(), &catalog, &join, d(2026, 4, 20)).unwrap();
    let member = joined.iter().fold(Membership::default(), |m, e| m.apply(e));
    let config = BillingConfig::default();
    let first = bill(
        &BillingAccount::new("A"),
        &joined,
        &catalog,
        &config,
        d(2026, 4, 20),
    )
    .unwrap();
    let cancel = Command::Cancel {
        when: CancelTiming::Now,
    };
    let events: Vec<_> = joined
        .iter()
        .cloned()
        .chain(decide(&member, &catalog, &cancel, d(2026, 4, 25)).unwrap())
        .collect();
    let after = bill(&first.account, &events, &catalog, &config, d(2026, 6, 1)).unwrap();
    assert_eq!(after.documents.len(), 1);
    let refund = &after.documents[0];
    assert_eq!(
        (refund.date, refund.refund.to_minor().unwrap()),
        (d(2026, 4, 25), 9300)
    );
    assert_eq!(refund.corrects.as_deref(), Some("A-20260420-1"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the join day, with or without the trial, and whenever the
    /// account is billed: a plan that collects the next period at join
    /// bills each day once, and the first paid day's invoice holds the
    /// period after the first one.
    #[test]
    fn collecting_ahead_bills_each_period_once(
        offset in 0u64..60, trial in any::<bool>(), every in 1u64..40,
    ) {
        let start = d(2026, 1, 1).checked_add_days(chrono::Days::new(offset)).unwrap();
        let steps = [(start, Command::Join { plan: "ahead".into(), start, trial })];
        let until = d(2026, 6, 1);
        let mut dates = Vec::new();
        let mut day = start;
        while day <= until {
            dates.push(day);
            day = day.checked_add_days(chrono::Days::new(every)).unwrap();
        }
        dates.push(until);
        let documents = bill_on(&steps, &dates);
        let mut fees: Vec<_> = documents
            .iter()
            .flat_map(|doc| doc.lines.iter().filter(|l| l.kind == LineKind::PlanFee).map(move |l| (doc.date, l.period.unwrap())))
            .collect();
        let first_paid = replay(&steps).unwrap().0.paid_from.unwrap();
        // The periods billed tile the days from the first paid day.
        fees.sort_by_key(|(_, period)| period.start());
        prop_assert_eq!(fees[0].1.start(), first_paid);
        for pair in fees.windows(2) {
            prop_assert_eq!(pair[0].1.end(), pair[1].1.start());
        }
        if dates.contains(&first_paid) && fees.len() > 1 {
            prop_assert_eq!(fees[1].0, first_paid, "the second period is billed on the first paid day");
        }
    }
}
