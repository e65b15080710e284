//! Properties of billing over random plans and random membership histories,
//! billed as a host would: every few days, with only the events known by then.

use memberkit::billing::{BillingAccount, BillingConfig, DayCount, Document, Timing, bill};
use memberkit::calendar::{Interval, NaiveDate, date};
use memberkit::membership::{
    CancelTiming, Catalog, ChangeTiming, Command, Event, Membership, Plan, PlanId, RefundPolicy,
    Status, TaxRate, decide,
};
use memberkit::money::{Money, RoundingMode};
use memberkit::strategies;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn base() -> NaiveDate {
    date(2026, 1, 1).unwrap()
}

/// Three plans billed monthly (so plan changes between them are allowed).
fn catalog() -> impl Strategy<Value = Catalog> {
    (
        strategies::plan("a"),
        strategies::plan("b"),
        strategies::plan("c"),
        1_u32..=28,
    )
        .prop_filter_map("valid catalog", |(a, b, c, day)| {
            let alignment = a.alignment;
            let monthly = |mut p: memberkit::membership::Plan| {
                p.interval = Interval::months(1).ok()?;
                p.alignment = if day % 3 == 0 {
                    Some(memberkit::membership::Alignment::DayOfMonth(day))
                } else {
                    alignment
                };
                p.fixed_term_periods = None;
                Some(p)
            };
            Catalog::new([monthly(a)?, monthly(b)?, monthly(c)?]).ok()
        })
}

fn config() -> impl Strategy<Value = BillingConfig> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::sample::select(RoundingMode::ALL.to_vec()),
        proptest::sample::select(RoundingMode::ALL.to_vec()),
    )
        .prop_map(|(arrears, thirty, rounding, tax_rounding)| BillingConfig {
            timing: if arrears {
                Timing::Arrears
            } else {
                Timing::Advance
            },
            day_count: if thirty {
                DayCount::Thirty
            } else {
                DayCount::Actual
            },
            rounding,
            tax_rounding,
            ..BillingConfig::default()
        })
}

/// A catalog and a config it can be billed with: a plan collects the next
/// period at join only when billing in advance.
fn catalog_and_config() -> impl Strategy<Value = (Catalog, BillingConfig)> {
    (catalog(), config()).prop_filter_map(
        "advance billing to collect ahead",
        |(catalog, config)| {
            let plans: Vec<_> = catalog
                .plans()
                .cloned()
                .map(|mut plan| {
                    plan.collect_next_period_at_join &= config.timing == Timing::Advance;
                    plan
                })
                .collect();
            Some((Catalog::new(plans).ok()?, config))
        },
    )
}

/// Commands with the number of days since the previous one.
fn history() -> impl Strategy<Value = Vec<(u64, Command)>> {
    proptest::collection::vec((0_u64..45, strategies::membership_command(base())), 1..25)
}

fn check_taxes(doc: &Document, config: &BillingConfig) -> Result<(), TestCaseError> {
    for summary in &doc.taxes {
        let rate = match summary.rate {
            TaxRate::Standard => config.standard_rate,
            TaxRate::Reduced => config.reduced_rate,
            TaxRate::Exempt => Decimal::ZERO,
        };
        let summed: Money = doc
            .lines
            .iter()
            .filter(|l| l.tax.rate == summary.rate && l.tax.included == summary.included)
            .try_fold(Money::zero(summary.taxable.currency()), |acc, l| {
                acc.checked_add(l.amount)
            })
            .unwrap();
        prop_assert_eq!(summed, summary.taxable);
        let base = summed.amount().abs();
        let exact = if summary.included {
            base * rate / (Decimal::ONE + rate)
        } else {
            base * rate
        };
        let once = Money::round(exact, summed.currency(), config.tax_rounding);
        let expected = if summed.is_negative() {
            once.negated()
        } else {
            once
        };
        prop_assert_eq!(summary.tax, expected);
    }
    Ok(())
}

/// The (term, day, fee, plan) the ledger says were billed.
fn billed_days(account: &BillingAccount) -> Vec<(String, NaiveDate, String, String)> {
    let ledger = serde_json::to_value(account).unwrap();
    let mut days = Vec::new();
    for piece in ledger["pieces"].as_array().unwrap() {
        let from: NaiveDate = piece["from"].as_str().unwrap().parse().unwrap();
        let until: NaiveDate = piece["until"].as_str().unwrap().parse().unwrap();
        let mut day = from;
        while day < until {
            days.push((
                piece["term"].to_string(),
                day,
                piece["kind"].to_string(),
                piece["plan"].to_string(),
            ));
            day = day.succ_opt().unwrap();
        }
    }
    days
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn billing_is_idempotent_and_never_bills_a_day_twice(
        (catalog, config) in catalog_and_config(), history in history(), every in 1_u64..20,
    ) {
        let mut state = Membership::default();
        let mut log: Vec<Event> = Vec::new();
        let mut account = BillingAccount::new("P");
        let mut at = base();
        let mut next_bill = base();
        let mut last_billed = None;
        for (days, command) in &history {
            let until = at + chrono::Days::new(*days);
            // Bill every `every` days up to the next command, with what is known.
            while next_bill < until {
                let run = bill(&account, &log, &catalog, &config, next_bill).unwrap();
                for doc in &run.documents {
                    check_taxes(doc, &config)?;
                    prop_assert!(doc.date <= next_bill);
                }
                let again = bill(&run.account, &log, &catalog, &config, next_bill).unwrap();
                prop_assert!(again.documents.is_empty(), "billing {} twice issued {:?}", next_bill, again.documents);
                account = run.account;
                last_billed = Some((next_bill, log.len()));
                next_bill = next_bill + chrono::Days::new(every);
            }
            at = until;
            let catch_up = decide(&state, &catalog, &Command::Advance, at).unwrap();
            state = catch_up.iter().fold(state, |m, e| m.apply(e));
            log.extend(catch_up);
            if let Ok(events) = decide(&state, &catalog, command, at) {
                state = events.iter().fold(state, |m, e| m.apply(e));
                log.extend(events);
            }
        }
        // No day of a billing period is billed twice, for any plan or fee.
        let mut days = billed_days(&account);
        days.sort();
        let mut once: Vec<_> = days.iter().map(|(term, day, _, _)| (term, day)).collect();
        let total = once.len();
        once.dedup();
        prop_assert_eq!(once.len(), total, "a day was billed twice");
        // No day owed is left unbilled: everything a single run over the whole
        // history bills was billed along the way.
        let Some((last, known)) = last_billed else { return Ok(()) };
        let at_once = bill(&BillingAccount::new("P"), &log[..known], &catalog, &config, last).unwrap();
        let mut owed = billed_days(&at_once.account);
        owed.sort();
        for day in &owed {
            prop_assert!(days.binary_search(day).is_ok(), "{:?} owed but never billed", day);
        }
        // Once every credit is due (a credit is dated when its days stop
        // being owed, which may be after `last`), the ledger billed along the
        // way holds exactly the days owed, on their fee and plan.
        let later = last + chrono::Days::new(1_500);
        let caught_up = bill(&account, &log[..known], &catalog, &config, later).unwrap();
        let at_once = bill(&at_once.account, &log[..known], &catalog, &config, later).unwrap();
        let (mut along, mut owed) = (billed_days(&caught_up.account), billed_days(&at_once.account));
        along.sort();
        owed.sort();
        prop_assert_eq!(along, owed);
    }
}

/// Decides `command` on `at` after catching the membership up to that day,
/// applying and logging what is accepted; whether it was.
fn step(
    state: &mut Membership,
    log: &mut Vec<Event>,
    catalog: &Catalog,
    command: &Command,
    at: NaiveDate,
) -> bool {
    for command in [&Command::Advance, command] {
        match decide(state, catalog, command, at) {
            Ok(events) => {
                *state = events.iter().fold(state.clone(), |m, e| m.apply(e));
                log.extend(events);
            }
            Err(_) => return false,
        }
    }
    true
}

/// The sum of the amounts of every line of `docs`, in minor units.
fn line_sum(docs: &[Document]) -> i64 {
    docs.iter()
        .flat_map(|doc| &doc.lines)
        .map(|line| line.amount.to_minor().unwrap())
        .sum()
}

/// What a later invoice charges: its date, kind, lines and total.
fn charged(docs: &[Document]) -> Vec<(NaiveDate, String, Vec<Money>, Money)> {
    docs.iter()
        .map(|doc| {
            let lines = doc.lines.iter().map(|line| line.amount).collect();
            (doc.date, format!("{:?}", doc.kind), lines, doc.total)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn an_immediate_upgrade_and_downgrade_on_the_same_day_net_to_zero(
        (catalog, config) in catalog_and_config(),
        join_after in 0_u64..60, change_after in 0_u64..120, later in 32_u64..120,
    ) {
        let start = base() + chrono::Days::new(join_after);
        let change_on = start + chrono::Days::new(change_after);
        let join = Command::Join { plan: "a".into(), start, trial: false };
        let (mut state, mut log) = (Membership::default(), Vec::new());
        prop_assume!(step(&mut state, &mut log, &catalog, &join, start));
        let change = |plan: &str| Command::ChangePlan { plan: plan.into(), when: ChangeTiming::Now };
        let (mut plain_state, mut plain_log) = (state.clone(), log.clone());
        prop_assume!(step(&mut plain_state, &mut plain_log, &catalog, &Command::Advance, change_on));
        let (mut up_state, mut up_log) = (state, log);
        prop_assume!(step(&mut up_state, &mut up_log, &catalog, &change("b"), change_on));
        let (mut down_state, mut down_log) = (up_state, up_log.clone());
        prop_assume!(step(&mut down_state, &mut down_log, &catalog, &change("a"), change_on));

        // Billed once after both changes: the same lines as without them, then
        // and later.
        let eve = change_on.pred_opt().unwrap();
        let before = bill(&BillingAccount::new("P"), &plain_log, &catalog, &config, eve).unwrap();
        let plain = bill(&before.account, &plain_log, &catalog, &config, change_on).unwrap();
        let at_once = bill(&before.account, &down_log, &catalog, &config, change_on).unwrap();
        prop_assert_eq!(charged(&at_once.documents), charged(&plain.documents));
        // Billed between the two changes and after them, then past the end
        // of the (monthly) period of the changes.
        let up = bill(&before.account, &up_log, &catalog, &config, change_on).unwrap();
        let down = bill(&up.account, &down_log, &catalog, &config, change_on).unwrap();
        let until = change_on + chrono::Days::new(later);
        prop_assume!(step(&mut down_state, &mut down_log, &catalog, &Command::Advance, until));
        prop_assume!(step(&mut plain_state, &mut plain_log, &catalog, &Command::Advance, until));
        let after_plain = bill(&plain.account, &plain_log, &catalog, &config, until).unwrap();
        let after_at_once = bill(&at_once.account, &down_log, &catalog, &config, until).unwrap();
        prop_assert_eq!(charged(&after_at_once.documents), charged(&after_plain.documents));
        let after_changes = bill(&down.account, &down_log, &catalog, &config, until).unwrap();
        if config.timing == Timing::Advance {
            // The upgrade's credit and charge are undone exactly, and the
            // member is charged later as if nothing had happened.
            prop_assert_eq!(
                line_sum(&up.documents) + line_sum(&down.documents),
                line_sum(&plain.documents),
                "up {:#?}\ndown {:#?}\nplain {:#?}", up.documents, down.documents, plain.documents
            );
            prop_assert_eq!(charged(&after_changes.documents), charged(&after_plain.documents));
        } else {
            // In arrears the upgrade bills the days used so far on its day, so
            // that period is charged in two prorated pieces: in all, the same
            // within one minor unit per line.
            let docs = [&up.documents, &down.documents, &after_changes.documents];
            let changed: i64 = docs.iter().map(|d| line_sum(d)).sum();
            let lines = docs.iter().flat_map(|d| d.iter()).map(|doc| doc.lines.len()).sum::<usize>();
            let unchanged = line_sum(&plain.documents) + line_sum(&after_plain.documents);
            prop_assert!(
                (changed - unchanged).abs() <= i64::try_from(lines).unwrap(),
                "{} vs {} over {} lines", changed, unchanged, lines
            );
        }
    }
}

/// A command made on `at`, every date it carries on or after `at`, so that
/// what is known on a day is all that will ever be known of it.
fn on_its_day(
    at: NaiveDate,
    (which, plan, ahead, len, flag): (u8, usize, u64, u64, bool),
) -> Command {
    let plan: PlanId = ["a", "b", "c"][plan].into();
    let later = at + chrono::Days::new(ahead);
    match which {
        0 | 1 => Command::Join {
            plan,
            start: later,
            trial: flag,
        },
        2 => Command::Pause {
            from: later,
            until: later + chrono::Days::new(len),
        },
        3 => Command::Resume { on: later },
        4 => Command::ChangePlan {
            plan,
            when: if flag {
                ChangeTiming::Now
            } else {
                ChangeTiming::NextPeriod
            },
        },
        5 => Command::Cancel {
            when: [
                CancelTiming::Now,
                CancelTiming::PeriodEnd,
                CancelTiming::ByNoticeRule,
            ][usize::try_from(ahead % 3).unwrap()],
        },
        6 => Command::RevokeCancellation,
        7 => Command::MarkPastDue,
        8 => Command::Suspend,
        // No reinstatement: a plan change held while past due takes effect
        // on reinstatement dated on its planned day, which a day-by-day
        // reading of the state cannot see.
        _ => Command::Rejoin {
            plan,
            start: later,
            trial: flag,
        },
    }
}

/// The ledger's billed days: each day's fee kind and plan.
fn billed_fees(account: &BillingAccount) -> Vec<(NaiveDate, String, String)> {
    let mut days: Vec<_> = billed_days(account)
        .into_iter()
        .map(|(_, day, kind, plan)| (day, kind, plan))
        .collect();
    days.sort();
    days
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn billed_days_tile_the_membership_timeline(
        (catalog, config) in catalog_and_config(), fixed in proptest::option::of(1_u32..=6),
        history in proptest::collection::vec(
            (0_u64..40, (0_u8..10, 0_usize..3, 0_u64..40, 1_u64..150, any::<bool>())),
            1..16,
        ),
    ) {
        // No cooling-off (it refunds a whole term); plan "a" may run for a
        // fixed number of periods.
        let plans = catalog.plans().map(|plan| Plan {
            cooling_off_days: None,
            fixed_term_periods: if plan.id == "a" { fixed } else { None },
            ..plan.clone()
        });
        let catalog = Catalog::new(plans).unwrap();
        let mut commands = Vec::new();
        let mut at = base();
        for (days, spec) in &history {
            at = at + chrono::Days::new(*days);
            commands.push((at, on_its_day(at, *spec)));
        }
        // Day by day: what the membership is on each day, as its state says.
        let end = at + chrono::Days::new(120);
        let (mut state, mut log) = (Membership::default(), Vec::new());
        let mut expected: Vec<(NaiveDate, String, String)> = Vec::new();
        let mut joined: Option<(PlanId, NaiveDate)> = None;
        let mut known = 0;
        let mut day = base();
        while day < end {
            let mut today = Vec::new();
            let mut decide_and_apply = |command: &Command| {
                if let Ok(events) = decide(&state, &catalog, command, day) {
                    state = events.iter().fold(state.clone(), |m, e| m.apply(e));
                    today.extend(events);
                }
            };
            decide_and_apply(&Command::Advance);
            for (_, command) in commands.iter().filter(|(on, _)| *on == day) {
                decide_and_apply(command);
            }
            decide_and_apply(&Command::Advance);
            for event in &today {
                match event {
                    Event::Joined { plan, paid_from, .. } => joined = Some((plan.clone(), *paid_from)),
                    Event::Cancelled { on, .. } => {
                        prop_assume!(*on == day);
                        if let Some(stretch) = paid_to_period_end(&catalog, &config, joined.as_ref(), &expected, day) {
                            expected.extend(stretch);
                        }
                    }
                    _ => {}
                }
            }
            log.extend(today);
            if day == at {
                known = log.len();
            }
            let plan = || state.plan.as_ref().map(ToString::to_string).unwrap_or_default();
            let kind = match state.status {
                Status::Active | Status::PastDue | Status::Suspended | Status::PendingCancellation => Some("plan"),
                Status::Paused => Some("pause"),
                _ => None,
            };
            // A trial's days (before the paid start) are not billed by the day.
            let paid = state.paid_from.is_some_and(|paid| day >= paid);
            if let (Some(kind), true) = (kind, paid) {
                expected.push((day, format!("{kind:?}"), format!("{:?}", plan())));
            }
            day = day.succ_opt().unwrap();
        }
        // Billed once through the end, every day owed is billed once, on its
        // fee and plan, and no other day (compared up to two months before
        // the end, which arrears bill later); and so when billed ahead on the
        // day of the last command, with only what is known then.
        let cutoff = end - chrono::Days::new(62);
        expected.retain(|(d, _, _)| *d < cutoff);
        expected.sort();
        for (events, what) in [(&log[..], "at the end"), (&log[..known], "ahead")] {
            let run = bill(&BillingAccount::new("P"), events, &catalog, &config, end).unwrap();
            let billed: Vec<_> = billed_fees(&run.account).into_iter().filter(|(d, _, _)| *d < cutoff).collect();
            prop_assert_eq!(&billed, &expected, "billed {}", what);
        }
    }
}

/// The days a cancel taking effect on `day` leaves paid: under a plan that
/// refunds nothing, billed in advance, the rest of the billing period of the
/// term joined (`joined`: its plan and paid start), on the fee and plan of
/// the day before; `None` when nothing stays paid.
fn paid_to_period_end(
    catalog: &Catalog,
    config: &BillingConfig,
    joined: Option<&(PlanId, NaiveDate)>,
    expected: &[(NaiveDate, String, String)],
    day: NaiveDate,
) -> Option<Vec<(NaiveDate, String, String)>> {
    let eve = day.pred_opt()?;
    let (_, kind, fee_plan) = expected.iter().rev().find(|(d, _, _)| *d == eve)?;
    let refunds_nothing = catalog.plans().any(|p| {
        format!("{:?}", p.id.as_str()) == *fee_plan && p.refund_policy == RefundPolicy::None
    });
    if config.timing != Timing::Advance || !refunds_nothing {
        return None;
    }
    let (plan, paid_from) = joined?;
    if *paid_from > eve {
        // The day before was not of this term (its paid days had not begun).
        return None;
    }
    let plan = catalog.get(plan).ok()?;
    let schedule = plan.schedule_from(*paid_from).ok()?;
    let period_end = schedule.period_containing(eve).ok()?.end();
    let mut days = Vec::new();
    let mut d = day;
    while d < period_end {
        days.push((d, kind.clone(), fee_plan.clone()));
        d = d.succ_opt()?;
    }
    Some(days)
}
