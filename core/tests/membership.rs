//! The membership decider, scenario by scenario.

use memberkit::calendar::{NaiveDate, date};
use memberkit::membership::{
    CancelTiming, Catalog, ChangeTiming, Command, Event, Membership, MembershipError,
    ScheduledChange, Status, decide,
};
use memberkit::money::{Currency, Money};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    date(y, m, day).unwrap()
}

fn yen(n: i64) -> Money {
    Money::from_minor(n, Currency::JPY)
}

fn catalog() -> Catalog {
    Catalog::from_json(
        r#"[
        {"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
         "interval": {"unit": "month", "count": 1}, "alignment": "calendar",
         "admission_fee": {"amount": "5500", "currency": "JPY"},
         "trial": {"days": 14, "price": {"amount": "0", "currency": "JPY"}},
         "minimum_term": {"periods": 6, "early_cancel": {"kind": "fee", "amount": {"amount": "10000", "currency": "JPY"}}},
         "notice": {"kind": "day_of_month", "day": 10},
         "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2,
                   "monthly_fee": {"amount": "550", "currency": "JPY"},
                   "request_by_day_of_previous_month": 15, "starts": "next_period",
                   "extends_minimum_term": true},
         "booking": {"kind": "per_period", "bookings": 4},
         "rejoin_waives_admission_within_months": 6,
         "cooling_off_days": 8},
        {"id": "light", "name": "Light", "price": {"amount": "5500", "currency": "JPY"},
         "interval": {"unit": "month", "count": 1}, "alignment": "anniversary",
         "minimum_term": {"periods": 3, "early_cancel": {"kind": "refused"}},
         "notice": {"kind": "days_before_period_end", "days": 7}},
        {"id": "course", "name": "Six-month course", "price": {"amount": "30000", "currency": "JPY"},
         "interval": {"unit": "month", "count": 1}, "alignment": "anniversary", "fixed_term_periods": 6}
    ]"#,
    )
    .unwrap()
}

/// Decides and applies; panics with the error so a scenario reads top to bottom.
fn run(m: Membership, command: Command, at: NaiveDate) -> (Membership, Vec<Event>) {
    let events =
        decide(&m, &catalog(), &command, at).unwrap_or_else(|e| panic!("{command:?} on {at}: {e}"));
    let next = events.iter().fold(m, |m, e| m.apply(e));
    (next, events)
}

fn refused(m: &Membership, command: Command, at: NaiveDate) -> MembershipError {
    decide(m, &catalog(), &command, at).expect_err("command should be refused")
}

fn joined(plan: &str, start: NaiveDate, trial: bool, at: NaiveDate) -> Membership {
    run(
        Membership::default(),
        Command::Join {
            plan: plan.into(),
            start,
            trial,
        },
        at,
    )
    .0
}

fn active_regular() -> Membership {
    let m = joined("regular", d(2026, 1, 1), false, d(2025, 12, 1));
    run(m, Command::Advance, d(2026, 1, 1)).0
}

#[test]
fn join_with_trial_then_trial_ends() {
    let m = joined("regular", d(2026, 4, 1), true, d(2026, 3, 20));
    assert_eq!(m.status, Status::Pending);
    assert_eq!(
        m.scheduled_changes(),
        [ScheduledChange::Start { on: d(2026, 4, 1) }]
    );
    let (m, events) = run(m, Command::Advance, d(2026, 4, 20));
    assert_eq!(
        events,
        [
            Event::Started { on: d(2026, 4, 1) },
            Event::TrialEnded { on: d(2026, 4, 15) }
        ]
    );
    assert_eq!(m.status, Status::Active);
    assert_eq!(
        m.next_renewal(&catalog(), d(2026, 4, 20)).unwrap(),
        Some(d(2026, 5, 1))
    );
}

#[test]
fn trial_then_cancel_before_the_first_charge() {
    let m = joined("regular", d(2026, 4, 1), true, d(2026, 3, 1));
    let (m, _) = run(m, Command::Advance, d(2026, 4, 3));
    assert_eq!(m.status, Status::Trialing);
    let (m, events) = run(
        m,
        Command::Cancel {
            when: CancelTiming::PeriodEnd,
        },
        d(2026, 4, 10),
    );
    assert_eq!(
        events,
        [Event::CancellationScheduled {
            on: d(2026, 4, 15),
            early_termination_fee: None
        }]
    );
    let (m, events) = run(m, Command::Advance, d(2026, 4, 15));
    assert_eq!(
        events,
        [Event::Cancelled {
            on: d(2026, 4, 15),
            early_termination_fee: None,
            cooling_off: false
        }]
    );
    assert_eq!(m.status, Status::Cancelled);
}

#[test]
fn notice_rule_on_both_sides_of_the_deadline_day() {
    let m = active_regular();
    let on_time = run(
        m.clone(),
        Command::Cancel {
            when: CancelTiming::ByNoticeRule,
        },
        d(2026, 9, 10),
    )
    .0;
    assert_eq!(on_time.ends_on, Some(d(2026, 10, 1)));
    let late = run(
        m,
        Command::Cancel {
            when: CancelTiming::ByNoticeRule,
        },
        d(2026, 9, 11),
    )
    .0;
    assert_eq!(late.ends_on, Some(d(2026, 11, 1)));
}

#[test]
fn days_before_period_end_notice() {
    let m = joined("light", d(2026, 1, 20), false, d(2026, 1, 20));
    // Periods run from the 20th; 7 days' notice before Jul 20 means by Jul 13.
    let on_time = run(
        m.clone(),
        Command::Cancel {
            when: CancelTiming::ByNoticeRule,
        },
        d(2026, 7, 13),
    )
    .0;
    assert_eq!(on_time.ends_on, Some(d(2026, 7, 20)));
    let late = run(
        m,
        Command::Cancel {
            when: CancelTiming::ByNoticeRule,
        },
        d(2026, 7, 14),
    )
    .0;
    assert_eq!(late.ends_on, Some(d(2026, 8, 20)));
}

#[test]
fn minimum_term_fee_or_refusal() {
    let m = active_regular();
    let (_, events) = run(
        m.clone(),
        Command::Cancel {
            when: CancelTiming::Now,
        },
        d(2026, 3, 15),
    );
    assert_eq!(
        events,
        [Event::Cancelled {
            on: d(2026, 3, 15),
            early_termination_fee: Some(yen(10_000)),
            cooling_off: false
        }]
    );
    let (_, events) = run(
        m,
        Command::Cancel {
            when: CancelTiming::Now,
        },
        d(2026, 7, 1),
    );
    assert_eq!(
        events,
        [Event::Cancelled {
            on: d(2026, 7, 1),
            early_termination_fee: None,
            cooling_off: false
        }]
    );

    let light = joined("light", d(2026, 1, 20), false, d(2026, 1, 20));
    let err = refused(
        &light,
        Command::Cancel {
            when: CancelTiming::PeriodEnd,
        },
        d(2026, 2, 1),
    );
    assert_eq!(
        err,
        MembershipError::InsideMinimumTerm {
            ends_on: d(2026, 4, 20)
        }
    );
}

#[test]
fn cooling_off_cancel_is_immediate_and_free() {
    let m = joined("regular", d(2026, 5, 1), false, d(2026, 4, 25));
    let (m, _) = run(m, Command::Advance, d(2026, 5, 1));
    let (m, events) = run(
        m,
        Command::Cancel {
            when: CancelTiming::ByNoticeRule,
        },
        d(2026, 5, 2),
    );
    assert_eq!(
        events,
        [Event::Cancelled {
            on: d(2026, 5, 2),
            early_termination_fee: None,
            cooling_off: true
        }]
    );
    assert_eq!(m.status, Status::Cancelled);
}

#[test]
fn pause_across_the_year_end_and_resume() {
    let m = active_regular();
    let (m, events) = run(
        m,
        Command::Pause {
            from: d(2026, 12, 1),
            until: d(2027, 2, 1),
        },
        d(2026, 11, 15),
    );
    assert_eq!(
        events,
        [Event::PauseScheduled {
            on: d(2026, 12, 1),
            until: d(2027, 2, 1)
        }]
    );
    let (m, _) = run(m, Command::Advance, d(2026, 12, 5));
    assert_eq!(m.status, Status::Paused);
    assert_eq!(
        m.status_on(&catalog(), d(2027, 2, 1)).unwrap(),
        Status::Active
    );
    let (m, events) = run(m, Command::Advance, d(2027, 2, 1));
    assert_eq!(events, [Event::PauseEnded { on: d(2027, 2, 1) }]);
    assert_eq!(m.status, Status::Active);
}

#[test]
fn pause_rules_are_enforced() {
    let m = active_regular();
    let pause = |from, until| Command::Pause { from, until };
    assert_eq!(
        refused(&m, pause(d(2026, 6, 1), d(2026, 10, 1)), d(2026, 5, 1)),
        MembershipError::PauseTooLong { months: 4, max: 3 }
    );
    assert_eq!(
        refused(&m, pause(d(2026, 6, 1), d(2026, 7, 1)), d(2026, 5, 16)),
        MembershipError::PauseRequestTooLate {
            from: d(2026, 6, 1),
            deadline: d(2026, 5, 15)
        }
    );
    assert_eq!(
        refused(&m, pause(d(2026, 6, 10), d(2026, 7, 10)), d(2026, 5, 1)),
        MembershipError::PauseNotAtPeriodStart {
            from: d(2026, 6, 10),
            next: d(2026, 7, 1)
        }
    );
    assert_eq!(
        refused(&m, pause(d(2025, 12, 1), d(2026, 2, 1)), d(2025, 11, 1)),
        MembershipError::DateBeforeStart {
            date: d(2025, 12, 1),
            start: d(2026, 1, 1)
        }
    );
    // Two pauses this year are allowed; the third is refused.
    let (m, _) = run(m, pause(d(2026, 3, 1), d(2026, 4, 1)), d(2026, 2, 1));
    let (m, _) = run(m, Command::Advance, d(2026, 4, 1));
    let (m, _) = run(m, pause(d(2026, 6, 1), d(2026, 7, 1)), d(2026, 5, 1));
    let (m, _) = run(m, Command::Advance, d(2026, 7, 1));
    assert_eq!(
        refused(&m, pause(d(2026, 9, 1), d(2026, 10, 1)), d(2026, 8, 1)),
        MembershipError::TooManyPauses { year: 2026, max: 2 }
    );
    let light = joined("light", d(2026, 1, 20), false, d(2026, 1, 20));
    assert!(matches!(
        refused(&light, pause(d(2026, 3, 20), d(2026, 4, 20)), d(2026, 2, 1)),
        MembershipError::PauseNotAllowed { .. }
    ));
}

#[test]
fn pauses_push_out_the_minimum_term_when_the_plan_says_so() {
    let m = active_regular();
    let (m, _) = run(
        m,
        Command::Pause {
            from: d(2026, 3, 1),
            until: d(2026, 5, 1),
        },
        d(2026, 2, 1),
    );
    let plan = catalog().get("regular").unwrap().clone();
    // Six months from Jan 1 is Jul 1, plus the 61 paused days.
    assert_eq!(m.minimum_term_end(&plan, 6).unwrap(), d(2026, 8, 31));
}

#[test]
fn early_resume() {
    let m = active_regular();
    let (m, _) = run(
        m,
        Command::Pause {
            from: d(2026, 6, 1),
            until: d(2026, 9, 1),
        },
        d(2026, 5, 1),
    );
    let (m, _) = run(m, Command::Advance, d(2026, 6, 1));
    assert_eq!(
        refused(&m, Command::Resume { on: d(2026, 9, 2) }, d(2026, 7, 1)).to_string(),
        "a resume date must fall within the pause 2026-06-01 to 2026-09-01, got 2026-09-02"
    );
    let (m, events) = run(m, Command::Resume { on: d(2026, 7, 15) }, d(2026, 7, 15));
    assert_eq!(
        events,
        [
            Event::ResumeScheduled { on: d(2026, 7, 15) },
            Event::PauseEnded { on: d(2026, 7, 15) }
        ]
    );
    assert_eq!(m.status, Status::Active);
    assert_eq!(
        refused(&m, Command::Resume { on: d(2026, 8, 1) }, d(2026, 8, 1)),
        MembershipError::InvalidTransition {
            command: "resume",
            status: Status::Active
        }
    );
}

#[test]
fn plan_change_now_or_next_period() {
    let m = active_regular();
    let now = Command::ChangePlan {
        plan: "light".into(),
        when: ChangeTiming::Now,
    };
    let (changed, events) = run(m.clone(), now, d(2026, 3, 10));
    assert_eq!(
        events,
        [Event::PlanChanged {
            on: d(2026, 3, 10),
            from: "regular".into(),
            to: "light".into(),
            new_schedule: false,
        }]
    );
    assert_eq!(changed.plan.as_deref(), Some("light"));
    let next = Command::ChangePlan {
        plan: "light".into(),
        when: ChangeTiming::NextPeriod,
    };
    let (later, _) = run(m.clone(), next, d(2026, 3, 10));
    assert_eq!(
        later.scheduled_changes(),
        [ScheduledChange::PlanChange {
            on: d(2026, 4, 1),
            plan: "light".into()
        }]
    );
    let (later, _) = run(later, Command::Advance, d(2026, 4, 1));
    assert_eq!(later.plan.as_deref(), Some("light"));
    assert_eq!(
        refused(
            &m,
            Command::ChangePlan {
                plan: "regular".into(),
                when: ChangeTiming::Now
            },
            d(2026, 3, 10)
        ),
        MembershipError::SamePlan {
            plan: "regular".into()
        }
    );
    assert_eq!(
        refused(
            &m,
            Command::ChangePlan {
                plan: "gold".into(),
                when: ChangeTiming::Now
            },
            d(2026, 3, 10)
        ),
        MembershipError::UnknownPlan {
            plan: "gold".into()
        }
    );
}

#[test]
fn revoke_a_pending_cancel_and_dunning() {
    let m = active_regular();
    let (m, _) = run(
        m,
        Command::Cancel {
            when: CancelTiming::ByNoticeRule,
        },
        d(2026, 8, 1),
    );
    assert_eq!(m.status, Status::PendingCancellation);
    let (m, _) = run(m, Command::MarkPastDue, d(2026, 8, 5));
    assert_eq!(m.status, Status::PastDue);
    let (m, _) = run(m, Command::Reinstate, d(2026, 8, 6));
    assert_eq!(m.status, Status::PendingCancellation);
    let (m, _) = run(m, Command::RevokeCancellation, d(2026, 8, 7));
    assert_eq!(m.status, Status::Active);
    assert_eq!(
        refused(&m, Command::RevokeCancellation, d(2026, 8, 8)),
        MembershipError::NoPlannedCancellation
    );
    let (m, _) = run(m, Command::Suspend, d(2026, 8, 9));
    assert_eq!(m.status, Status::Suspended);
    assert!(
        !m.booking_allowance(&catalog(), d(2026, 8, 10), 0)
            .unwrap()
            .may_book
    );
}

#[test]
fn booking_allowance_counts_down_per_period() {
    let m = active_regular();
    let allowance = m.booking_allowance(&catalog(), d(2026, 3, 10), 3).unwrap();
    assert!(allowance.may_book);
    assert_eq!(allowance.remaining, Some(1));
    assert_eq!(
        (allowance.period.start(), allowance.period.end()),
        (d(2026, 3, 1), d(2026, 4, 1))
    );
    assert!(
        !m.booking_allowance(&catalog(), d(2026, 3, 10), 4)
            .unwrap()
            .may_book
    );
}

#[test]
fn a_fixed_term_course_expires() {
    let m = joined("course", d(2026, 4, 10), false, d(2026, 4, 10));
    assert_eq!(m.next_renewal(&catalog(), d(2026, 9, 15)).unwrap(), None);
    let (m, events) = run(m, Command::Advance, d(2026, 12, 1));
    assert_eq!(
        events,
        [Event::Expired {
            on: d(2026, 10, 10)
        }]
    );
    assert_eq!(m.status, Status::Expired);
}

#[test]
fn rejoin_waives_the_admission_fee_within_the_window() {
    let m = active_regular();
    let (m, _) = run(
        m,
        Command::Cancel {
            when: CancelTiming::Now,
        },
        d(2026, 8, 1),
    );
    assert_eq!(
        refused(
            &m,
            Command::Pause {
                from: d(2026, 9, 1),
                until: d(2026, 10, 1)
            },
            d(2026, 8, 2)
        ),
        MembershipError::InvalidTransition {
            command: "pause",
            status: Status::Cancelled
        }
    );
    let rejoin = |start| Command::Rejoin {
        plan: "regular".into(),
        start,
        trial: false,
    };
    let (_, events) = run(m.clone(), rejoin(d(2027, 1, 1)), d(2026, 12, 20));
    assert!(matches!(
        &events[0],
        Event::Joined {
            admission_fee: None,
            rejoin: true,
            ..
        }
    ));
    let (_, events) = run(m.clone(), rejoin(d(2027, 3, 1)), d(2027, 2, 20));
    assert!(
        matches!(&events[0], Event::Joined { admission_fee: Some(fee), .. } if *fee == yen(5_500))
    );
    // A rejoin may start on the day the membership ended, not before.
    let start = m.start.unwrap();
    assert!(run(m.clone(), rejoin(d(2026, 8, 1)), d(2026, 8, 2)).1[0].on() == d(2026, 8, 1));
    assert_eq!(
        refused(&m, rejoin(d(2026, 7, 31)), d(2026, 8, 2)),
        MembershipError::RejoinOverlaps {
            start: d(2026, 7, 31),
            previous_start: start,
            ended: d(2026, 8, 1)
        }
    );
}

#[test]
fn a_rejoin_never_starts_on_the_day_the_previous_membership_did() {
    // Joined and cancelled the same day: a rejoin that day would share the
    // first membership's start, under which its billing is kept.
    let m = joined("regular", d(2026, 4, 10), false, d(2026, 4, 10));
    let (m, _) = run(
        m,
        Command::Cancel {
            when: CancelTiming::Now,
        },
        d(2026, 4, 10),
    );
    let rejoin = Command::Rejoin {
        plan: "regular".into(),
        start: d(2026, 4, 10),
        trial: false,
    };
    assert!(matches!(
        refused(&m, rejoin, d(2026, 4, 10)),
        MembershipError::RejoinOverlaps { .. }
    ));
}

#[test]
fn bad_plans_name_the_field() {
    let plan = |extra: &str| {
        format!(
            r#"[{{"id": "x", "name": "X", "price": {{"amount": "100", "currency": "JPY"}},
            "interval": {{"unit": "month", "count": 1}}, {extra}}}]"#
        )
    };
    let err = Catalog::from_json(&plan(
        r#""pause": {"min_months": 3, "max_months": 1, "max_per_year": 1, "monthly_fee": {"amount": "0", "currency": "JPY"}}"#,
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid plan at [0].pause.max_months: must be at least pause.min_months (3), got 1"
    );
    let err = Catalog::from_json(&plan(
        r#""admission_fee": {"amount": "1.5", "currency": "USD"}"#,
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid plan at [0].admission_fee: currency USD differs from the price's JPY"
    );
    let err = Catalog::from_json(&plan(r#""notice": {"kind": "day_of_month", "day": "ten"}"#))
        .unwrap_err();
    // Tagged enums are buffered by serde, so the path stops at the enum.
    assert!(
        err.to_string()
            .starts_with("invalid plan at [0].notice: invalid type: string \"ten\""),
        "{err}"
    );
}

#[test]
fn commands_and_events_serialize_with_a_type_tag() {
    let json = r#"{"type": "pause", "from": "2026-07-01", "until": "2026-09-01"}"#;
    let command: Command = serde_json::from_str(json).unwrap();
    assert_eq!(
        command,
        Command::Pause {
            from: d(2026, 7, 1),
            until: d(2026, 9, 1)
        }
    );
    let event = Event::PauseStarted { on: d(2026, 7, 1) };
    assert_eq!(
        serde_json::to_string(&event).unwrap(),
        r#"{"type":"pause_started","on":"2026-07-01"}"#
    );
}
