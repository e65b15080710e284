//! proptest strategies for memberkit's types, for downstream property tests.
//!
//! Enabled by the crate's `proptest` feature.
//!
//! ```
//! use memberkit::strategies;
//! use proptest::prelude::*;
//!
//! proptest!(|(schedule in strategies::schedule(), day in strategies::date_between(2020, 2030))| {
//!     let period = schedule.period_containing(day).unwrap();
//!     prop_assert!(period.contains(day));
//! });
//! ```
//!
//! A downstream property test over random plans and command sequences — here,
//! "a host that stores every accepted event can always rebuild the state":
//!
//! ```
//! use memberkit::calendar::date;
//! use memberkit::membership::{Membership, decide};
//! use memberkit::strategies;
//! use proptest::prelude::*;
//!
//! let start = date(2026, 1, 1).unwrap();
//! let commands = proptest::collection::vec(strategies::membership_command(start), 1..20);
//! proptest!(|(catalog in strategies::catalog(), commands in commands)| {
//!     let (mut state, mut stored) = (Membership::default(), Vec::new());
//!     for (day, command) in commands.iter().enumerate() {
//!         let at = start + chrono::Days::new(day as u64 * 20);
//!         if let Ok(events) = decide(&state, &catalog, command, at) {
//!             state = events.iter().fold(state, |m, e| m.apply(e));
//!             stored.extend(events);
//!         }
//!     }
//!     let rebuilt = stored.iter().fold(Membership::default(), |m, e| m.apply(e));
//!     prop_assert_eq!(rebuilt, state);
//! });
//! ```

use crate::calendar::{Interval, IntervalUnit, NaiveDate, Schedule, days_in_month};
use crate::membership::{
    Alignment, BookingEntitlement, CancelTiming, Catalog, ChangeTiming, Command, EarlyCancel,
    MinimumTerm, NoticeRule, PausePolicy, PauseStart, Plan, PlanId, RefundPolicy, TaxRate, Trial,
};
use crate::money::{Currency, Money};
use proptest::prelude::*;

/// Any currency memberkit knows.
pub fn currency() -> impl Strategy<Value = Currency> {
    proptest::sample::select(Currency::ALL)
}

/// Money in any known currency with at most `max_minor` minor units either side of zero.
pub fn money(max_minor: i64) -> impl Strategy<Value = Money> {
    let bound = max_minor.saturating_abs();
    (currency(), -bound..=bound).prop_map(|(currency, minor)| Money::from_minor(minor, currency))
}

/// A valid date with a year in `from_year..=to_year`, month ends and leap days included.
pub fn date_between(from_year: i32, to_year: i32) -> impl Strategy<Value = NaiveDate> {
    (from_year..=to_year, 1_u32..=12, 1_u32..=31).prop_filter_map("day exists", |(y, m, d)| {
        let last = days_in_month(y, m)?;
        NaiveDate::from_ymd_opt(y, m, d.min(last))
    })
}

/// An interval of any unit with a count of 1 to 12.
pub fn interval() -> impl Strategy<Value = Interval> {
    let unit = prop_oneof![
        Just(IntervalUnit::Day),
        Just(IntervalUnit::Week),
        Just(IntervalUnit::Month),
        Just(IntervalUnit::Year),
    ];
    (unit, 1_u32..=12).prop_filter_map("count is not zero", |(unit, count)| {
        Interval::new(unit, count).ok()
    })
}

/// A schedule anchored between 2000 and 2100 with any [`interval`].
pub fn schedule() -> impl Strategy<Value = Schedule> {
    (
        date_between(2000, 2100),
        interval(),
        proptest::option::of(1_u32..=31),
    )
        .prop_map(|(anchor, interval, day)| match day {
            Some(day) => {
                Schedule::on_day(anchor, interval, day).unwrap_or(Schedule::new(anchor, interval))
            }
            None => Schedule::new(anchor, interval),
        })
}

/// A valid plan with id `id` in JPY: any interval of 1–3 months or a year,
/// either alignment, any tax rate, tax included or not, any refund policy,
/// collecting the next period at join or not (which needs billing in
/// advance), and each optional rule present or not.
pub fn plan(id: &'static str) -> impl Strategy<Value = Plan> {
    let interval = prop_oneof![
        (1_u32..=3).prop_map(Interval::months),
        Just(Interval::years(1))
    ]
    .prop_filter_map("count is not zero", Result::ok);
    let yen = |max: i64| (0..=max).prop_map(|n| Money::from_minor(n, Currency::JPY));
    let trial = proptest::option::of(
        (1_u32..=31, yen(3_000)).prop_map(|(days, price)| Trial { days, price }),
    );
    let early_cancel = prop_oneof![
        Just(EarlyCancel::Refused),
        yen(20_000).prop_map(|amount| EarlyCancel::Fee { amount })
    ];
    let minimum_term = proptest::option::of((1_u32..=12, early_cancel).prop_map(
        |(periods, early_cancel)| MinimumTerm {
            periods,
            early_cancel,
        },
    ));
    let notice = proptest::option::of(prop_oneof![
        (1_u32..=31).prop_map(|day| NoticeRule::DayOfMonth { day }),
        (0_u32..=40).prop_map(|days| NoticeRule::DaysBeforePeriodEnd { days }),
    ]);
    let pause = proptest::option::of(
        (
            1_u32..=3,
            0_u32..=3,
            1_u32..=3,
            yen(1_100),
            proptest::option::of(1_u32..=31),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(min, extra, per_year, fee, deadline, chosen, extends)| {
                PausePolicy {
                    min_months: min,
                    max_months: min + extra,
                    max_per_year: per_year,
                    monthly_fee: fee,
                    request_by_day_of_previous_month: deadline,
                    starts: if chosen {
                        PauseStart::ChosenDate
                    } else {
                        PauseStart::NextPeriod
                    },
                    extends_minimum_term: extends,
                }
            }),
    );
    let booking = prop_oneof![
        Just(BookingEntitlement::Unlimited),
        (1_u32..=8).prop_map(|bookings| BookingEntitlement::PerPeriod { bookings })
    ];
    let rules = (
        proptest::option::of(yen(11_000)),
        proptest::option::of(1_u32..=12),
        proptest::option::of(0_u32..=12),
        proptest::option::of(1_u32..=14),
        any::<bool>(),
    );
    let tax_and_refund = (
        proptest::sample::select(vec![TaxRate::Standard, TaxRate::Reduced, TaxRate::Exempt]),
        any::<bool>(),
        any::<bool>(),
        proptest::sample::select(vec![
            RefundPolicy::None,
            RefundPolicy::ProratedCredit,
            RefundPolicy::ProratedRefund,
        ]),
    );
    (
        yen(30_000),
        interval,
        trial,
        minimum_term,
        notice,
        pause,
        booking,
        rules,
        tax_and_refund,
    )
        .prop_map(
            move |(
                price,
                interval,
                trial,
                minimum_term,
                notice,
                pause,
                booking,
                (admission_fee, fixed, rejoin, cooling, anniversary),
                (tax_rate, price_includes_tax, collect_next_period_at_join, refund_policy),
            )| Plan {
                id: id.into(),
                name: id.to_uppercase(),
                price,
                price_includes_tax,
                tax_rate,
                interval,
                alignment: Some(if anniversary {
                    Alignment::Anniversary
                } else {
                    Alignment::Calendar
                }),
                admission_fee,
                trial,
                minimum_term,
                fixed_term_periods: fixed,
                notice,
                pause,
                booking,
                rejoin_waives_admission_within_months: rejoin,
                cooling_off_days: cooling,
                refund_policy,
                collect_next_period_at_join,
            },
        )
        // Boxed: the value tree of a dozen rules is large, and a debug
        // build of a suite drawing several plans would keep several on the
        // stack.
        .boxed()
}

/// A catalog of three valid plans with ids `"a"`, `"b"` and `"c"`.
pub fn catalog() -> impl Strategy<Value = Catalog> {
    (plan("a"), plan("b"), plan("c"))
        .prop_filter_map("valid catalog", |(a, b, c)| Catalog::new([a, b, c]).ok())
}

/// A membership command made some days after `start`, with every date it
/// carries near `start`: valid and invalid commands alike, for state-machine tests.
pub fn membership_command(start: NaiveDate) -> impl Strategy<Value = Command> {
    let day = move || (0_u64..900).prop_map(move |n| start + chrono::Days::new(n));
    let plan_id = || proptest::sample::select(vec!["a", "b", "c"]).prop_map(PlanId::from);
    let cancel = prop_oneof![
        Just(CancelTiming::Now),
        Just(CancelTiming::PeriodEnd),
        Just(CancelTiming::ByNoticeRule),
        day().prop_map(CancelTiming::On),
    ];
    let change = prop_oneof![Just(ChangeTiming::Now), Just(ChangeTiming::NextPeriod)];
    prop_oneof![
        (plan_id(), day(), any::<bool>()).prop_map(|(plan, start, trial)| Command::Join {
            plan,
            start,
            trial
        }),
        (day(), 1_u64..200).prop_map(|(from, len)| Command::Pause {
            from,
            until: from + chrono::Days::new(len)
        }),
        day().prop_map(|on| Command::Resume { on }),
        (plan_id(), change).prop_map(|(plan, when)| Command::ChangePlan { plan, when }),
        cancel.prop_map(|when| Command::Cancel { when }),
        Just(Command::RevokeCancellation),
        Just(Command::MarkPastDue),
        Just(Command::Suspend),
        Just(Command::Reinstate),
        (plan_id(), day(), any::<bool>()).prop_map(|(plan, start, trial)| Command::Rejoin {
            plan,
            start,
            trial
        }),
        Just(Command::Advance),
    ]
}

/// A valid dunning policy in yen: random steps, grace period, retry timing,
/// ladder, and either card retries or collect-with-next-debit.
///
/// ```
/// use memberkit::strategies;
/// use proptest::prelude::*;
///
/// proptest!(|(policy in strategies::dunning_policy())| {
///     let again = memberkit::dunning::Policy::from_json(&policy.to_json()).unwrap();
///     prop_assert_eq!(again, policy);
/// });
/// ```
pub fn dunning_policy() -> impl Strategy<Value = crate::dunning::Policy> {
    let action = prop_oneof![
        4 => Just(r#""action": "retry""#.to_string()),
        3 => proptest::sample::select(vec!["email", "sms", "push", "letter"])
            .prop_map(|c| format!(r#""action": "remind", "channel": "{c}", "template": "t_{c}""#)),
        2 => proptest::sample::select(vec!["no_new_bookings", "no_guests"])
            .prop_map(|r| format!(r#""action": "restrict", "restriction": "{r}""#)),
        2 => Just(r#""action": "suspend""#.to_string()),
        1 => Just(r#""action": "cancel""#.to_string()),
        1 => Just(r#""action": "send_to_collection""#.to_string()),
        1 => Just(r#""action": "write_off""#.to_string()),
    ];
    let steps = proptest::collection::vec((0_u32..60, action), 0..8);
    let rung = (
        proptest::option::of(1_u32..4),
        proptest::option::of(1_i64..30_000),
        proptest::option::of(1_u32..60),
        proptest::sample::select(vec!["past_due", "suspended", "cancelled"]),
    );
    let ladder = proptest::collection::vec(rung, 0..3);
    (
        steps,
        0_u32..6,
        proptest::option::of(0_u32..5),
        (any::<bool>(), proptest::option::of(1_u32..32), any::<bool>()),
        (any::<bool>(), any::<bool>()),
        proptest::sample::select(vec!["stay_past_due", "mark_unpaid", "cancel"]),
        ladder,
    )
        .prop_map(
            |(steps, grace, max_retries, (weekends, payday, due_date), (debit, invoice_suspended), after, ladder)| {
                let steps: Vec<String> = steps
                    .into_iter()
                    .filter(|(_, a)| !(debit && a.contains("retry")))
                    .map(|(day, action)| {
                        let escalates = !(action.contains("retry") || action.contains("remind"));
                        let day = if escalates { day.max(grace) } else { day };
                        format!(r#"{{"day": {day}, {action}}}"#)
                    })
                    .collect();
                let mut ladder: Vec<_> = ladder
                    .into_iter()
                    .filter(|(n, b, d, _)| n.is_some() || b.is_some() || d.is_some())
                    .collect();
                let rank = |s: &str| ["past_due", "suspended", "cancelled"].iter().position(|x| *x == s);
                ladder.sort_by_key(|(_, _, _, s)| std::cmp::Reverse(rank(s)));
                let rungs: Vec<String> = ladder
                    .into_iter()
                    .enumerate()
                    .map(|(i, (n, b, d, standing))| {
                        let mut fields = vec![format!(r#""name": "s{i}""#), format!(r#""standing": "{standing}""#)];
                        fields.extend(n.map(|n| format!(r#""unpaid_invoices": {n}"#)));
                        fields.extend(b.map(|b| format!(r#""unpaid_balance": {{"amount": "{b}", "currency": "JPY"}}"#)));
                        fields.extend(d.map(|d| format!(r#""days_since_oldest_unpaid": {d}"#)));
                        format!("{{{}}}", fields.join(", "))
                    })
                    .collect();
                let json = format!(
                    r#"{{"currency": "JPY", "count_from": "{}", "grace_days": {grace}, {} "retry_timing": {{"skip_weekends": {weekends}, "holidays": ["2026-05-04", "2026-05-05"] {}}}, "collect_with_next_debit": {debit}, "invoice_while_suspended": {invoice_suspended}, "after_last_retry": "{}", "steps": [{}], "ladder": [{}]}}"#,
                    if due_date { "due_date" } else { "first_failure" },
                    max_retries.map_or(String::new(), |m| format!(r#""max_retries": {m},"#)),
                    payday.map_or(String::new(), |d| format!(r#", "on_or_after_day": {d}"#)),
                    if debit { "stay_past_due" } else { after },
                    steps.join(", "),
                    rungs.join(", "),
                );
                crate::dunning::Policy::from_json(&json)
            },
        )
        .prop_filter_map("valid policy", Result::ok)
}

/// A dunning command on one of a few invoices (`i0`..`i3`) and payment ids
/// (`p0`..`p5`, so duplicates occur), in yen: valid and invalid commands
/// alike, for state-machine tests. Invoices fall due some days after `start`.
pub fn dunning_command(start: NaiveDate) -> impl Strategy<Value = crate::dunning::Command> {
    use crate::dunning::{Command, Decline};
    let invoice = || proptest::sample::select(vec!["i0", "i1", "i2", "i3"]).prop_map(Into::into);
    let yen = || (1_i64..12_000).prop_map(|n| Money::from_minor(n, Currency::JPY));
    prop_oneof![
        3 => (invoice(), yen(), 0_u64..200).prop_map(move |(invoice, amount, d)| Command::InvoiceIssued {
            invoice, amount, due: start + chrono::Days::new(d)
        }),
        3 => (invoice(), yen(), any::<bool>()).prop_map(|(invoice, amount, hard)| Command::PaymentFailed {
            invoice, amount, decline: if hard { Decline::Hard } else { Decline::Soft }, code: None
        }),
        3 => (proptest::sample::select(vec!["p0", "p1", "p2", "p3", "p4", "p5"]), invoice(), yen())
            .prop_map(|(payment, invoice, amount)| Command::PaymentSucceeded {
                payment: payment.into(), invoice, amount
            }),
        1 => Just(Command::PaymentMethodUpdated),
        1 => invoice().prop_map(|invoice| Command::InvoiceVoided { invoice }),
        1 => invoice().prop_map(|invoice| Command::InvoiceWrittenOff { invoice }),
        3 => Just(Command::Advance),
    ]
}

/// Booking rules with one random `"default"` policy: windows, cutoffs,
/// promotion mode, priority, penalties, credit consumption and parties, with
/// or without limits and strikes.
pub fn booking_rules() -> impl Strategy<Value = crate::booking::Rules> {
    use crate::booking::{ConsumeAt, Limits, Penalty, Policy, Priority, Promotion, Rules, Strikes};
    let penalty = || {
        prop_oneof![
            Just(Penalty::ForfeitCredit),
            Just(Penalty::None),
            (1_i64..5_000).prop_map(|n| Penalty::Fee {
                amount: Money::from_minor(n, Currency::JPY)
            }),
        ]
    };
    let policy = (
        (proptest::option::of(1_u32..30), 0_u32..120, 0_u32..2_880),
        (penalty(), penalty()),
        (proptest::option::of(1_u32..240), 0_u32..240, 0_u32..120),
        (any::<bool>(), 0_u32..90, 0_u32..60),
        (any::<bool>(), 1_u32..4),
    )
        .prop_map(
            |(
                (opens, closes, late),
                (late_cancel, no_show),
                (hold, cutoff, grace),
                (tier, check_in, no_show_after),
                (at_check_in, party),
            )| Policy {
                opens_days_before: opens,
                closes_minutes_before: closes,
                late_cancel_minutes_before: late,
                late_cancel,
                no_show,
                promotion: hold.map_or(Promotion::Automatic, |hold_minutes| Promotion::Offer {
                    hold_minutes,
                }),
                waitlist_cutoff_minutes_before: cutoff,
                promoted_grace_minutes: grace,
                priority: if tier {
                    Priority::Tier
                } else {
                    Priority::Arrival
                },
                check_in_opens_minutes_before: check_in,
                no_show_after_minutes: no_show_after,
                consume_credit: if at_check_in {
                    ConsumeAt::CheckIn
                } else {
                    ConsumeAt::Booking
                },
                max_party: party,
            },
        );
    let limits = (
        proptest::option::of(1_u32..5),
        proptest::option::of(1_u32..4),
        proptest::option::of(1_u32..8),
    )
        .prop_map(|(max_future_bookings, per_day, per_week)| Limits {
            max_future_bookings,
            per_day,
            per_week,
        });
    let strikes = proptest::option::of((1_u32..4, 1_u32..30, 1_u32..10, any::<bool>()).prop_map(
        |(count, within_days, lock_days, late_cancels)| Strikes {
            count,
            within_days,
            lock_days,
            late_cancels,
        },
    ));
    (policy, limits, strikes).prop_map(|(policy, limits, strikes)| {
        let mut rules = Rules {
            limits,
            strikes,
            ..Rules::default()
        };
        rules.policies.insert("default".into(), policy);
        rules
    })
}

/// A booking command on the given sessions and members: valid and invalid
/// commands alike (unknown ids are not generated), for state-machine tests.
pub fn booking_command(
    sessions: &[&'static str],
    members: &[&'static str],
) -> impl Strategy<Value = crate::booking::Command> {
    use crate::booking::{CancelledBy, Command};
    let session =
        proptest::sample::select(sessions.to_vec()).prop_map(crate::booking::SessionId::from);
    let member =
        proptest::sample::select(members.to_vec()).prop_map(crate::booking::MemberId::from);
    let pair = (session.clone(), member);
    let party = || prop_oneof![4 => Just(1_u32), 1 => 2_u32..4];
    prop_oneof![
        6 => (pair.clone(), party()).prop_map(|((session, member), party)| Command::Book { session, member, party }),
        5 => (pair.clone(), party()).prop_map(|((session, member), party)| Command::JoinWaitlist { session, member, party }),
        6 => (pair.clone(), any::<bool>()).prop_map(|((session, member), staff)| Command::Cancel {
            session, member, by: if staff { CancelledBy::Staff } else { CancelledBy::Member }
        }),
        1 => pair.clone().prop_map(|(session, member)| Command::LeaveWaitlist { session, member }),
        2 => pair.clone().prop_map(|(session, member)| Command::AcceptOffer { session, member }),
        1 => pair.clone().prop_map(|(session, member)| Command::DeclineOffer { session, member }),
        2 => pair.clone().prop_map(|(session, member)| Command::CheckIn { session, member }),
        1 => pair.prop_map(|(session, member)| Command::MarkNoShow { session, member }),
        1 => (session.clone(), 0_u32..6, any::<bool>()).prop_map(|(session, capacity, force)| Command::ChangeCapacity {
            session, capacity, force
        }),
        3 => Just(Command::Advance),
    ]
}
