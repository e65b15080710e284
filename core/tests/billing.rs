//! The billing engine, scenario by scenario.

use memberkit::billing::{
    BillingAccount, BillingConfig, Collection, DayCount, Document, DocumentKind, FirstPeriod,
    FirstPeriodRow, Fraction, LineKind, Proration, Timing, bill, bill_all, bill_in_place,
};
use memberkit::calendar::{NaiveDate, date};
use memberkit::membership::{
    CancelTiming, Catalog, ChangeTiming, Command, Event, Membership, decide,
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
        {"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": true,
         "interval": {"unit": "month", "count": 1}, "admission_fee": {"amount": "5500", "currency": "JPY"},
         "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2, "monthly_fee": {"amount": "550", "currency": "JPY"},
                   "starts": "chosen_date"},
         "refund_policy": "prorated_credit", "cooling_off_days": 8,
         "minimum_term": {"periods": 3, "early_cancel": {"kind": "fee", "amount": {"amount": "10000", "currency": "JPY"}}}},
        {"id": "premium", "name": "Premium", "price": {"amount": "13200", "currency": "JPY"}, "price_includes_tax": true,
         "interval": {"unit": "month", "count": 1}},
        {"id": "day15", "name": "Billed on the 15th", "price": {"amount": "6200", "currency": "JPY"}, "price_includes_tax": true,
         "interval": {"unit": "month", "count": 1}, "alignment": {"day_of_month": 15}},
        {"id": "lunch", "name": "Lunch box", "price": {"amount": "1000", "currency": "JPY"}, "tax_rate": "reduced",
         "interval": {"unit": "month", "count": 1}, "alignment": "anniversary", "refund_policy": "prorated_refund"},
        {"id": "usd", "name": "Online", "price": {"amount": "19.99", "currency": "USD"}, "tax_rate": "exempt",
         "interval": {"unit": "month", "count": 1}, "alignment": "anniversary", "refund_policy": "none"}
    ]"#,
    )
    .unwrap()
}

/// The events of a command sequence, each made on its date.
fn events(steps: &[(NaiveDate, Command)]) -> Vec<Event> {
    let catalog = catalog();
    let mut state = Membership::default();
    let mut log = Vec::new();
    for (at, command) in steps {
        let new =
            decide(&state, &catalog, command, *at).unwrap_or_else(|e| panic!("{command:?}: {e}"));
        state = new.iter().fold(state, |m, e| m.apply(e));
        log.extend(new);
    }
    log
}

fn join(plan: &str, on: NaiveDate) -> (NaiveDate, Command) {
    (
        on,
        Command::Join {
            plan: plan.into(),
            start: on,
            trial: false,
        },
    )
}

fn run(events: &[Event], config: &BillingConfig, through: NaiveDate) -> Vec<Document> {
    bill(
        &BillingAccount::new("A1"),
        events,
        &catalog(),
        config,
        through,
    )
    .unwrap()
    .documents
}

/// Bills every day from the first step to `until`, each day knowing only the
/// events decided by then — as a host running billing nightly would.
fn daily(
    steps: &[(NaiveDate, Command)],
    config: &BillingConfig,
    until: NaiveDate,
) -> Vec<Document> {
    let catalog = catalog();
    let mut state = Membership::default();
    let mut log = Vec::new();
    let mut account = BillingAccount::new("A1");
    let mut documents = Vec::new();
    let mut day = steps[0].0;
    while day <= until {
        for (_, command) in steps.iter().filter(|(at, _)| *at == day) {
            let new = decide(&state, &catalog, command, day).unwrap();
            state = new.iter().fold(state, |m, e| m.apply(e));
            log.extend(new);
        }
        let new = decide(&state, &catalog, &Command::Advance, day).unwrap();
        state = new.iter().fold(state, |m, e| m.apply(e));
        log.extend(new);
        let run = bill(&account, &log, &catalog, config, day).unwrap();
        documents.extend(run.documents);
        account = run.account;
        day = day.succ_opt().unwrap();
    }
    documents
}

/// What `documents` come to in all, in minor units.
fn net(documents: &[Document]) -> i64 {
    documents.iter().map(|d| d.total.to_minor().unwrap()).sum()
}

fn totals(documents: &[Document]) -> Vec<(NaiveDate, i64)> {
    documents
        .iter()
        .map(|doc| (doc.date, doc.total.to_minor().unwrap()))
        .collect()
}

#[test]
fn first_month_is_prorated_by_day_then_whole_months() {
    let log = events(&[join("regular", d(2026, 4, 20))]);
    let docs = run(&log, &BillingConfig::default(), d(2026, 6, 1));
    // Apr 20–30: 11/30 of ¥8,800 = 3,226.66… → 3,226, plus the admission fee.
    assert_eq!(
        totals(&docs),
        [
            (d(2026, 4, 20), 3_226 + 5_500),
            (d(2026, 5, 1), 8_800),
            (d(2026, 6, 1), 8_800)
        ]
    );
    let first = &docs[0];
    assert_eq!(first.lines[0].kind, LineKind::PlanFee);
    assert_eq!(
        first.lines[0].proration,
        Some(Proration::Share {
            part: 11,
            whole: 30
        })
    );
    assert_eq!(first.lines[1].kind, LineKind::AdmissionFee);
    // Tax included at 10 %, computed once over both lines: 8,726 × 10/110 = 793.27… → 793.
    assert_eq!(first.taxes.len(), 1);
    assert_eq!(first.taxes[0].taxable, yen(8_726));
    assert_eq!(first.taxes[0].tax, yen(793));
    assert_eq!(first.id, "A1-20260420-1");
}

#[test]
fn a_start_before_the_billing_day_is_prorated_up_to_it() {
    let log = events(&[join("day15", d(2026, 9, 1))]);
    let docs = run(&log, &BillingConfig::default(), d(2026, 10, 15));
    // Sep 1–14 of the period Aug 15 – Sep 14 (31 days): 14/31 of ¥6,200 = 2,800.
    assert_eq!(
        totals(&docs),
        [
            (d(2026, 9, 1), 2_800),
            (d(2026, 9, 15), 6_200),
            (d(2026, 10, 15), 6_200)
        ]
    );
}

#[test]
fn other_first_period_rules() {
    let log = events(&[join("premium", d(2026, 4, 16))]);
    let with = |first_period| BillingConfig {
        first_period,
        ..BillingConfig::default()
    };
    assert_eq!(
        totals(&run(&log, &with(FirstPeriod::Full), d(2026, 4, 30)))[0].1,
        13_200
    );
    assert_eq!(
        totals(&run(&log, &with(FirstPeriod::Free), d(2026, 4, 30)))[0].1,
        0
    );
    let table = FirstPeriod::Table {
        rows: vec![
            FirstPeriodRow {
                from_day: 1,
                to_day: 10,
                fraction: Fraction::new(1, 1).unwrap(),
            },
            FirstPeriodRow {
                from_day: 11,
                to_day: 20,
                fraction: Fraction::new(2, 3).unwrap(),
            },
            FirstPeriodRow {
                from_day: 21,
                to_day: 31,
                fraction: Fraction::new(1, 3).unwrap(),
            },
        ],
    };
    assert_eq!(totals(&run(&log, &with(table), d(2026, 4, 30)))[0].1, 8_800);
    let thirty = BillingConfig {
        day_count: DayCount::Thirty,
        ..BillingConfig::default()
    };
    // Apr 16–30 under the 30-day basis: 15/30.
    assert_eq!(totals(&run(&log, &thirty, d(2026, 4, 30)))[0].1, 6_600);
}

#[test]
fn an_immediate_plan_change_credits_the_old_plan_and_charges_the_new() {
    let steps = [
        join("regular", d(2026, 1, 1)),
        (
            d(2026, 3, 11),
            Command::ChangePlan {
                plan: "premium".into(),
                when: ChangeTiming::Now,
            },
        ),
    ];
    let docs = daily(&steps, &BillingConfig::default(), d(2026, 4, 1));
    let change = docs.iter().find(|doc| doc.date == d(2026, 3, 11)).unwrap();
    let amounts: Vec<(LineKind, &str, i64)> = change
        .lines
        .iter()
        .map(|l| (l.kind, l.plan.as_str(), l.amount.to_minor().unwrap()))
        .collect();
    // Mar 11–31 is 21 of 31 days: credit 8,800 × 21/31 = 5,961.29… → 5,961; charge 13,200 × 21/31 = 8,941.93… → 8,941.
    assert_eq!(
        amounts,
        [
            (LineKind::PlanFee, "regular", -5_961),
            (LineKind::PlanFee, "premium", 8_941)
        ]
    );
    assert_eq!(change.kind, DocumentKind::Invoice);
    assert_eq!(docs.last().unwrap().total, yen(13_200));
}

#[test]
fn an_upgrade_and_downgrade_on_the_same_day_net_to_zero() {
    let steps = [
        join("regular", d(2026, 1, 1)),
        (
            d(2026, 3, 11),
            Command::ChangePlan {
                plan: "premium".into(),
                when: ChangeTiming::Now,
            },
        ),
        (
            d(2026, 3, 11),
            Command::ChangePlan {
                plan: "regular".into(),
                when: ChangeTiming::Now,
            },
        ),
    ];
    // Billed after both changes: nothing to adjust.
    let docs = daily(&steps, &BillingConfig::default(), d(2026, 3, 31));
    assert!(
        docs.iter().all(|doc| doc.date != d(2026, 3, 11)),
        "{docs:#?}"
    );
    // Billed before, between and after the two changes: the adjustments cancel out exactly.
    let (config, catalog) = (BillingConfig::default(), catalog());
    let before = bill(
        &BillingAccount::new("A1"),
        &events(&steps[..1]),
        &catalog,
        &config,
        d(2026, 3, 10),
    )
    .unwrap();
    let first = bill(
        &before.account,
        &events(&steps[..2]),
        &catalog,
        &config,
        d(2026, 3, 11),
    )
    .unwrap();
    let second = bill(
        &first.account,
        &events(&steps),
        &catalog,
        &config,
        d(2026, 3, 31),
    )
    .unwrap();
    let on_the_day: Vec<i64> = first
        .documents
        .iter()
        .chain(&second.documents)
        .filter(|doc| doc.date == d(2026, 3, 11))
        .map(|doc| doc.total.to_minor().unwrap())
        .collect();
    assert_eq!(
        on_the_day,
        [
            13_200 * 21 / 31 - 8_800 * 21 / 31,
            8_800 * 21 / 31 - 13_200 * 21 / 31
        ]
    );
}

#[test]
fn a_pause_across_the_year_end_charges_the_pause_fee_instead() {
    let log = events(&[
        join("regular", d(2026, 1, 1)),
        (
            d(2026, 11, 20),
            Command::Pause {
                from: d(2026, 12, 1),
                until: d(2027, 2, 1),
            },
        ),
    ]);
    let docs = run(&log, &BillingConfig::default(), d(2027, 2, 1));
    let tail: Vec<(NaiveDate, i64)> = totals(&docs)
        .into_iter()
        .filter(|(on, _)| *on >= d(2026, 11, 1))
        .collect();
    assert_eq!(
        tail,
        [
            (d(2026, 11, 1), 8_800),
            (d(2026, 12, 1), 550),
            (d(2027, 1, 1), 550),
            (d(2027, 2, 1), 8_800)
        ]
    );
}

#[test]
fn a_pause_mid_period_prorates_both_fees() {
    let log = events(&[
        join("regular", d(2026, 1, 1)),
        (
            d(2026, 4, 1),
            Command::Pause {
                from: d(2026, 4, 11),
                until: d(2026, 5, 11),
            },
        ),
    ]);
    let docs = run(&log, &BillingConfig::default(), d(2026, 5, 31));
    let on = |day: NaiveDate| docs.iter().find(|doc| doc.date == day).unwrap();
    // Billed on Apr 1 knowing the pause: Apr 1–10 only (10/30 of 8,800).
    assert_eq!(on(d(2026, 4, 1)).total, yen(2_933));
    // Apr 11: the pause fee for Apr 11–30 (20/30 of 550).
    assert_eq!(on(d(2026, 4, 11)).total, yen(366));
    // May 1: the pause fee for May 1–10 (10/31 of 550); May 11: the plan for May 11–31 (21/31 of 8,800).
    assert_eq!(on(d(2026, 5, 1)).total, yen(177));
    assert_eq!(on(d(2026, 5, 11)).total, yen(5_961));
}

#[test]
fn cancel_now_follows_the_refund_policy() {
    // regular: prorated credit; the early-termination fee is not taxed.
    let steps = [
        join("regular", d(2026, 1, 1)),
        (
            d(2026, 2, 11),
            Command::Cancel {
                when: CancelTiming::Now,
            },
        ),
    ];
    let docs = daily(&steps, &BillingConfig::default(), d(2026, 3, 31));
    let cancel_day: Vec<&Document> = docs
        .iter()
        .filter(|doc| doc.date == d(2026, 2, 11))
        .collect();
    assert_eq!(cancel_day.len(), 1);
    let doc = cancel_day[0];
    // Credit Feb 11–28 (18/28 of 8,800 = 5,657.14… → 5,657) against the ¥10,000 fee.
    let lines: Vec<(LineKind, i64)> = doc
        .lines
        .iter()
        .map(|l| (l.kind, l.amount.to_minor().unwrap()))
        .collect();
    assert!(lines.contains(&(LineKind::PlanFee, -5_657)), "{lines:?}");
    assert!(
        lines.contains(&(LineKind::EarlyTerminationFee, 10_000)),
        "{lines:?}"
    );
    assert_eq!(doc.total, yen(10_000 - 5_657));
    assert!(
        docs.iter().all(|doc| doc.date <= d(2026, 2, 11)),
        "nothing after the cancel"
    );

    // lunch: prorated refund, as its own refund credit note at the reduced rate.
    let steps = [
        join("lunch", d(2026, 1, 10)),
        (
            d(2026, 2, 20),
            Command::Cancel {
                when: CancelTiming::Now,
            },
        ),
    ];
    let docs = daily(&steps, &BillingConfig::default(), d(2026, 3, 31));
    let refund = docs
        .iter()
        .find(|doc| doc.kind == DocumentKind::CreditNote)
        .unwrap();
    // Feb 20 – Mar 9 is 18 of 28 days of ¥1,000 = 642.85… → 642, plus 8 % tax on top: 51.
    assert_eq!(refund.lines[0].amount, yen(-642));
    assert_eq!(refund.taxes[0].tax, yen(-51));
    assert_eq!(refund.refund, yen(693));
    assert_eq!(refund.corrects.as_deref(), Some("A1-20260210-1"));

    // usd: no refund; nothing after the cancel.
    let steps = [
        join("usd", d(2026, 1, 10)),
        (
            d(2026, 2, 20),
            Command::Cancel {
                when: CancelTiming::Now,
            },
        ),
    ];
    let docs = daily(&steps, &BillingConfig::default(), d(2026, 3, 31));
    assert_eq!(
        totals(&docs),
        [(d(2026, 1, 10), 1_999), (d(2026, 2, 10), 1_999)]
    );
}

#[test]
fn a_cooling_off_cancel_refunds_everything() {
    let log = events(&[
        join("regular", d(2026, 4, 1)),
        (
            d(2026, 4, 5),
            Command::Cancel {
                when: CancelTiming::ByNoticeRule,
            },
        ),
    ]);
    let first = bill(
        &BillingAccount::new("A1"),
        &log[..2],
        &catalog(),
        &BillingConfig::default(),
        d(2026, 4, 1),
    )
    .unwrap();
    assert_eq!(first.documents[0].total, yen(8_800 + 5_500));
    let second = bill(
        &first.account,
        &log,
        &catalog(),
        &BillingConfig::default(),
        d(2026, 4, 30),
    )
    .unwrap();
    assert_eq!(second.documents.len(), 1);
    let refund = &second.documents[0];
    assert_eq!(refund.kind, DocumentKind::CreditNote);
    assert_eq!(refund.refund, yen(8_800 + 5_500));
    assert_eq!(refund.corrects.as_deref(), Some("A1-20260401-1"));
}

#[test]
fn credits_carry_forward_to_the_next_invoice() {
    let steps = [
        join("premium", d(2026, 1, 1)),
        (
            d(2026, 3, 2),
            Command::ChangePlan {
                plan: "regular".into(),
                when: ChangeTiming::Now,
            },
        ),
    ];
    let docs = daily(&steps, &BillingConfig::default(), d(2026, 4, 1));
    let change = docs.iter().find(|doc| doc.date == d(2026, 3, 2)).unwrap();
    // Downgrade: credit 13,200 × 30/31 = 12,774, charge 8,800 × 30/31 = 8,516: net −4,258.
    assert_eq!(change.kind, DocumentKind::CreditNote);
    assert_eq!(change.total, yen(-4_258));
    let april = docs.iter().find(|doc| doc.date == d(2026, 4, 1)).unwrap();
    assert_eq!(april.credit_applied, yen(4_258));
    assert_eq!(april.amount_due, yen(8_800 - 4_258));
}

#[test]
fn arrears_bills_each_period_on_its_end() {
    let log = events(&[
        join("regular", d(2026, 4, 20)),
        (
            d(2026, 7, 20),
            Command::Cancel {
                when: CancelTiming::Now,
            },
        ),
    ]);
    let arrears = BillingConfig {
        timing: Timing::Arrears,
        ..BillingConfig::default()
    };
    let docs = run(&log, &arrears, d(2026, 8, 31));
    let plan_totals: Vec<(NaiveDate, i64)> = docs
        .iter()
        .map(|doc| {
            (
                doc.date,
                doc.lines
                    .iter()
                    .filter(|l| l.kind == LineKind::PlanFee)
                    .map(|l| l.amount.to_minor().unwrap())
                    .sum(),
            )
        })
        .collect();
    assert_eq!(
        plan_totals,
        [
            (d(2026, 4, 20), 0),
            (d(2026, 5, 1), 3_226),
            (d(2026, 6, 1), 8_800),
            (d(2026, 7, 1), 8_800),
            (d(2026, 7, 20), 5_393)
        ]
    );
}

#[test]
fn mixed_rates_are_taxed_once_per_rate() {
    let config = BillingConfig::default();
    let regular = events(&[join("regular", d(2026, 5, 1))]);
    let lunch = events(&[join("lunch", d(2026, 5, 1))]);
    // Two accounts' lines on one document are not a real case; check each
    // rate on its own document, and the reduced rate's exclusive tax.
    let docs = run(&lunch, &config, d(2026, 5, 1));
    assert_eq!(docs[0].taxes[0].tax, yen(80));
    assert_eq!(docs[0].total, yen(1_080));
    let docs = run(&regular, &config, d(2026, 5, 1));
    assert_eq!(docs[0].taxes[0].tax, yen(1_300)); // (8,800 + 5,500) × 10/110
}

#[test]
fn collection_moves_to_the_next_business_day() {
    let config = BillingConfig {
        collection: Collection::DebitDay { day: 27 },
        holidays: vec![d(2026, 6, 29)],
        ..BillingConfig::default()
    };
    let log = events(&[join("regular", d(2026, 5, 1))]);
    let docs = run(&log, &config, d(2026, 6, 1));
    // May 27, 2026 is a Wednesday; June 27 a Saturday, June 29 a holiday: June 30.
    assert_eq!(docs[0].collection_date, d(2026, 5, 27));
    assert_eq!(docs[1].collection_date, d(2026, 6, 30));
}

#[test]
fn usd_with_cents() {
    let log = events(&[join("usd", d(2026, 1, 31))]);
    let docs = run(&log, &BillingConfig::default(), d(2026, 3, 31));
    assert_eq!(
        totals(&docs),
        [
            (d(2026, 1, 31), 1_999),
            (d(2026, 2, 28), 1_999),
            (d(2026, 3, 31), 1_999)
        ]
    );
    assert_eq!(docs[0].total.to_string(), "19.99 USD");
}

#[test]
fn billing_twice_or_in_steps_bills_each_day_once() {
    let log = events(&[
        join("regular", d(2026, 1, 15)),
        (
            d(2026, 3, 1),
            Command::Pause {
                from: d(2026, 3, 10),
                until: d(2026, 4, 10),
            },
        ),
        (
            d(2026, 5, 5),
            Command::ChangePlan {
                plan: "premium".into(),
                when: ChangeTiming::Now,
            },
        ),
    ]);
    let config = BillingConfig::default();
    let at_once = bill(
        &BillingAccount::new("A1"),
        &log,
        &catalog(),
        &config,
        d(2026, 7, 1),
    )
    .unwrap();
    let again = bill(&at_once.account, &log, &catalog(), &config, d(2026, 7, 1)).unwrap();
    assert!(again.documents.is_empty());
    // Billed every day with what is known that day, the same days are billed
    // once each: the nets per month agree with billing everything at once.
    let stepwise = daily(
        &[
            join("regular", d(2026, 1, 15)),
            (
                d(2026, 3, 1),
                Command::Pause {
                    from: d(2026, 3, 10),
                    until: d(2026, 4, 10),
                },
            ),
            (
                d(2026, 5, 5),
                Command::ChangePlan {
                    plan: "premium".into(),
                    when: ChangeTiming::Now,
                },
            ),
        ],
        &config,
        d(2026, 7, 1),
    );
    let by_month = |docs: &[Document]| {
        let mut months = std::collections::BTreeMap::new();
        for doc in docs {
            for line in &doc.lines {
                let month = line
                    .period
                    .map_or(doc.date, |p| p.start())
                    .format("%Y-%m")
                    .to_string();
                *months.entry((month, line.plan.clone())).or_insert(0) +=
                    line.amount.to_minor().unwrap();
            }
        }
        months
    };
    let (steps, once) = (by_month(&stepwise), by_month(&at_once.documents));
    for (key, amount) in &once {
        let other = steps.get(key).copied().unwrap_or(0);
        // Rounding each line once: a credit and its re-charge may differ by a unit per line.
        assert!(
            (amount - other).abs() <= 2,
            "{key:?}: at once {amount}, day by day {other}"
        );
    }
}

#[test]
fn host_charges_are_billed_once_on_their_date() {
    use memberkit::billing::{Charge, TaxCategory};
    use memberkit::membership::TaxRate;
    let log = events(&[join("premium", d(2026, 4, 1))]);
    let mut account = BillingAccount::new("A1");
    account.charges.push(Charge {
        id: "lesson-ticket".into(),
        on: d(2026, 4, 1),
        description: "Personal training ticket".into(),
        amount: yen(5_500),
        tax: TaxCategory {
            rate: TaxRate::Standard,
            included: true,
        },
    });
    let first = bill(
        &account,
        &log,
        &catalog(),
        &BillingConfig::default(),
        d(2026, 4, 1),
    )
    .unwrap();
    let kinds: Vec<LineKind> = first.documents[0].lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LineKind::PlanFee, LineKind::Charge]);
    assert_eq!(first.documents[0].total, yen(13_200 + 5_500));
    let again = bill(
        &first.account,
        &log,
        &catalog(),
        &BillingConfig::default(),
        d(2026, 4, 30),
    )
    .unwrap();
    assert!(again.documents.is_empty());
}

#[test]
fn discounts_apply_to_the_first_periods_from_their_date() {
    use memberkit::billing::{Discount, DiscountOff};
    let steps = [join("premium", d(2026, 4, 20))];
    let mut account = BillingAccount::new("A1");
    account.discounts.push(Discount {
        id: "spring".into(),
        description: "Spring campaign: half price for two months".into(),
        from: d(2026, 4, 1),
        periods: 2,
        off: DiscountOff::Percent { percent: 50.into() },
    });
    account.discounts.push(Discount {
        id: "friend".into(),
        description: "Friend referral".into(),
        from: d(2026, 6, 1),
        periods: 1,
        off: DiscountOff::Amount {
            amount: yen(20_000),
        },
    });
    let catalog = catalog();
    let log = events(&steps);
    let mut totals = Vec::new();
    for day in [d(2026, 4, 20), d(2026, 5, 1), d(2026, 6, 1), d(2026, 7, 1)] {
        let run = bill(&account, &log, &catalog, &BillingConfig::default(), day).unwrap();
        totals.extend(
            run.documents
                .iter()
                .map(|doc| doc.total.to_minor().unwrap()),
        );
        account = run.account;
    }
    // Apr 20–30: 11/30 of 13,200 = 4,840, half off; May: half off; June: the
    // fixed discount is capped at the fee; July: full price.
    assert_eq!(totals, [2_420, 6_600, 0, 13_200]);
    let mut bad = BillingAccount::new("A1");
    bad.discounts.push(Discount {
        id: "x".into(),
        description: String::new(),
        from: d(2026, 4, 1),
        periods: 1,
        off: DiscountOff::Percent {
            percent: 150.into(),
        },
    });
    let err = bill(
        &bad,
        &log,
        &catalog,
        &BillingConfig::default(),
        d(2026, 4, 30),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid billing config at discounts[0].off.percent: must be between 0 and 100"
    );
}

#[test]
fn a_discount_in_another_currency_is_refused() {
    use memberkit::billing::{BillingError, Discount, DiscountOff};
    use memberkit::money::MoneyError;
    let mut account = BillingAccount::new("A1");
    account.discounts.push(Discount {
        id: "usd".into(),
        description: String::new(),
        from: d(2026, 4, 1),
        periods: 1,
        off: DiscountOff::Amount {
            amount: Money::from_minor(500, Currency::USD),
        },
    });
    let log = events(&[join("premium", d(2026, 4, 1))]);
    let err = bill(
        &account,
        &log,
        &catalog(),
        &BillingConfig::default(),
        d(2026, 4, 1),
    )
    .unwrap_err();
    assert_eq!(
        err,
        BillingError::Money(MoneyError::CurrencyMismatch {
            left: Currency::USD,
            right: Currency::JPY
        })
    );
}

#[test]
fn bill_all_updates_each_ledger_in_place_and_an_error_changes_nothing() {
    let config = BillingConfig::default();
    let histories = [
        events(&[join("regular", d(2026, 4, 10))]),
        events(&[join("premium", d(2026, 4, 10))]),
    ];
    let mut accounts: Vec<BillingAccount> = histories
        .iter()
        .enumerate()
        .map(|(i, log)| {
            let account = BillingAccount::new(format!("M-{i}"));
            bill(&account, log, &catalog(), &config, d(2026, 4, 30))
                .unwrap()
                .account
        })
        .collect();
    let before = accounts.clone();
    // A catalog that has lost the premium plan: the second account cannot bill.
    let regular_only = Catalog::from_json(
        r#"[{"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
             "price_includes_tax": true, "interval": {"unit": "month", "count": 1}}]"#,
    )
    .unwrap();
    let results: Vec<_> = bill_all(
        accounts
            .iter_mut()
            .zip(&histories)
            .map(|(a, e)| (a, e.as_slice())),
        &regular_only,
        &config,
        d(2026, 5, 1),
    )
    .collect();
    let expected = bill(
        &before[0],
        &histories[0],
        &regular_only,
        &config,
        d(2026, 5, 1),
    )
    .unwrap();
    assert_eq!(results[0].as_ref().unwrap(), &expected.documents);
    assert_eq!(totals(&expected.documents), [(d(2026, 5, 1), 8_800)]);
    assert_eq!(accounts[0], expected.account);
    assert!(results[1].is_err());
    assert_eq!(accounts[1], before[1]);
}

#[test]
fn a_change_after_billing_ahead_reaches_every_period_it_affects() {
    // Billed months ahead, then a plan change decided for some of those
    // months: the run must reach every period the change affects, and come
    // out as billing everything at once does.
    let joined = events(&[join("premium", d(2026, 1, 1))]);
    let config = BillingConfig::default();
    let ahead = bill(
        &BillingAccount::new("A1"),
        &joined,
        &catalog(),
        &config,
        d(2026, 9, 1),
    )
    .unwrap();
    let changed = events(&[
        join("premium", d(2026, 1, 1)),
        (
            d(2026, 2, 10),
            Command::ChangePlan {
                plan: "day15".into(),
                when: ChangeTiming::NextPeriod,
            },
        ),
    ]);
    let again = bill(&ahead.account, &changed, &catalog(), &config, d(2026, 9, 1)).unwrap();
    let at_once = run(&changed, &config, d(2026, 9, 1));
    assert_eq!(net(&ahead.documents) + net(&again.documents), net(&at_once));
    assert!(!again.documents.is_empty());
}

#[test]
fn a_change_inside_a_billed_period_is_found_past_the_changes_before_it() {
    // Billed through May on premium; then the events gain a switch to
    // regular from Mar 10 and back to premium from Apr 1 (the ledger's April
    // and May match the history again). March must be rebilled, even
    // though the ledger's pieces after it chain as the new history's do.
    let config = BillingConfig::default();
    let ahead = run_account(&events(&[join("premium", d(2026, 1, 1))]), d(2026, 5, 1));
    let changed = events(&[
        join("premium", d(2026, 1, 1)),
        change(d(2026, 3, 10), "regular", ChangeTiming::Now),
        change(d(2026, 3, 20), "premium", ChangeTiming::NextPeriod),
    ]);
    let again = bill(&ahead.account, &changed, &catalog(), &config, d(2026, 5, 1)).unwrap();
    let at_once = run(&changed, &config, d(2026, 5, 1));
    // March's premium credited and regular charged from Mar 10, each rounded
    // down: within a yen of March billed at once in two pieces.
    let corrected = net(&ahead.documents) + net(&again.documents);
    assert!(
        (corrected - net(&at_once)).abs() <= 1,
        "{corrected} vs {}",
        net(&at_once)
    );
    assert!(again.documents.iter().all(|doc| doc.date == d(2026, 3, 10)));
    assert_eq!(net(&again.documents), -(13_200 * 22 / 31) + 8_800 * 22 / 31);
    // Billed incrementally through the same history, the run after the
    // changes skips the settled months and still adds what is due.
    let monthly = [d(2026, 3, 31), d(2026, 4, 30), d(2026, 5, 1), d(2026, 6, 1)];
    let mut account = run_account(&changed, d(2026, 3, 10)).account;
    let mut documents = Vec::new();
    for through in monthly {
        let step = bill(&account, &changed, &catalog(), &config, through).unwrap();
        documents.extend(step.documents);
        account = step.account;
    }
    let head = run(&changed, &config, d(2026, 3, 10));
    assert_eq!(
        net(&head) + net(&documents),
        net(&run(&changed, &config, d(2026, 6, 1)))
    );
}

fn run_account(events: &[Event], through: NaiveDate) -> memberkit::billing::BillingRun {
    bill(
        &BillingAccount::new("A1"),
        events,
        &catalog(),
        &BillingConfig::default(),
        through,
    )
    .unwrap()
}

fn change(on: NaiveDate, plan: &str, when: ChangeTiming) -> (NaiveDate, Command) {
    (
        on,
        Command::ChangePlan {
            plan: plan.into(),
            when,
        },
    )
}

#[test]
fn events_corrected_by_the_host_rebill_the_whole_history() {
    // The join was recorded on the wrong plan (of the same billing day) and
    // billed for months; with the events corrected, every period comes out
    // as billed from scratch.
    let config = BillingConfig::default();
    let wrong = events(&[join("premium", d(2026, 1, 1))]);
    let billed = bill(
        &BillingAccount::new("A1"),
        &wrong,
        &catalog(),
        &config,
        d(2026, 6, 1),
    )
    .unwrap();
    let right = events(&[join("regular", d(2026, 1, 1))]);
    let again = bill(&billed.account, &right, &catalog(), &config, d(2026, 6, 1)).unwrap();
    assert_eq!(
        net(&billed.documents) + net(&again.documents),
        net(&run(&right, &config, d(2026, 6, 1)))
    );
}

#[test]
fn a_document_serializes_with_its_lines_per_rate_taxes_and_totals() {
    let mut account = BillingAccount::new("A1");
    account.charges = serde_json::from_str(
        r#"[{"id": "bento", "on": "2026-04-15", "description": "Lunch boxes",
             "amount": {"amount": "1050", "currency": "JPY"}, "tax": {"rate": "reduced", "included": true}}]"#,
    )
    .unwrap();
    let log = events(&[join("regular", d(2026, 4, 15))]);
    let config = BillingConfig::default();
    let docs = bill_in_place(&mut account, &log, &catalog(), &config, d(2026, 4, 15)).unwrap();
    let yen = |amount: &str| serde_json::json!({"amount": amount, "currency": "JPY"});
    let tax = |rate: &str| serde_json::json!({"rate": rate, "included": true});
    // 16/30 of ¥8,800 is 4,693 (rounded down); the standard-rate tax is
    // 10/110 of 4,693 + 5,500 = 926.6 and the reduced-rate tax 8/108 of
    // 1,050 = 77.8, each rounded down once.
    assert_eq!(
        serde_json::to_value(&docs).unwrap(),
        serde_json::json!([{
            "id": "A1-20260415-1",
            "kind": "invoice",
            "account": "A1",
            "date": "2026-04-15",
            "collection_date": "2026-04-15",
            "corrects": null,
            "lines": [
                {"description": "Regular fee, 2026-04-15 to 2026-04-30", "kind": "plan_fee", "plan": "regular",
                 "period": {"start": "2026-04-15", "end": "2026-05-01"}, "quantity": 1,
                 "unit_price": yen("8800"), "proration": "16/30", "amount": yen("4693"), "tax": tax("standard")},
                {"description": "Regular admission fee", "kind": "admission_fee", "plan": "regular",
                 "period": null, "quantity": 1,
                 "unit_price": yen("5500"), "proration": null, "amount": yen("5500"), "tax": tax("standard")},
                {"description": "Lunch boxes", "kind": "charge", "plan": "",
                 "period": null, "quantity": 1,
                 "unit_price": yen("1050"), "proration": null, "amount": yen("1050"), "tax": tax("reduced")},
            ],
            "taxes": [
                {"rate": "standard", "percent": "0.10", "included": true, "taxable": yen("10193"), "tax": yen("926")},
                {"rate": "reduced", "percent": "0.08", "included": true, "taxable": yen("1050"), "tax": yen("77")},
            ],
            "total": yen("11243"),
            "credit_applied": yen("0"),
            "refund": yen("0"),
            "amount_due": yen("11243"),
        }])
    );
    // And back: a host that stores the JSON reads the same documents.
    let read: Vec<Document> = serde_json::from_value(serde_json::to_value(&docs).unwrap()).unwrap();
    assert_eq!(read, docs);
}

#[test]
fn a_cancel_scheduled_past_a_fixed_term_end_charges_no_early_termination_fee() {
    // A six-month term from Jan 1 expires on Jul 1; a cancel (with a fee)
    // was scheduled for Aug 1, after it, and so never happens.
    let catalog = Catalog::from_json(
        r#"[{"id": "six", "name": "Six months", "price": {"amount": "5000", "currency": "JPY"},
             "price_includes_tax": true, "interval": {"unit": "month", "count": 1}, "fixed_term_periods": 6}]"#,
    )
    .unwrap();
    let joined = serde_json::from_value::<Vec<Event>>(serde_json::json!([
        {"type": "joined", "on": "2026-01-01", "plan": "six", "applied_on": "2026-01-01",
         "paid_from": "2026-01-01", "admission_fee": null, "rejoin": false},
        {"type": "started", "on": "2026-01-01"},
        {"type": "cancellation_scheduled", "on": "2026-08-01",
         "early_termination_fee": {"amount": "10000", "currency": "JPY"}},
    ]))
    .unwrap();
    let expired = [
        joined.clone(),
        serde_json::from_value(serde_json::json!([
            {"type": "expired", "on": "2026-07-01"},
        ]))
        .unwrap(),
    ]
    .concat();
    // Billed ahead (the expiry not yet recorded) and after it, alike.
    for log in [&joined, &expired] {
        let docs = bill(
            &BillingAccount::new("A1"),
            log,
            &catalog,
            &BillingConfig::default(),
            d(2026, 9, 1),
        )
        .unwrap()
        .documents;
        let kinds: Vec<LineKind> = docs
            .iter()
            .flat_map(|doc| doc.lines.iter().map(|l| l.kind))
            .collect();
        assert_eq!(kinds, [LineKind::PlanFee; 6], "{docs:#?}");
    }
}

#[test]
fn a_plan_change_due_in_a_pause_of_a_pending_cancellation_is_billed_ahead_as_it_happens() {
    // Pending cancellation on May 1, with a pause planned for March and a
    // change to "b" on Mar 1: the pause starts first, and a paused
    // membership changes its plan, so March is b's pause fee and April b's.
    let catalog = Catalog::from_json(
        r#"[{"id": "a", "name": "A", "price": {"amount": "5000", "currency": "JPY"}, "price_includes_tax": true,
             "interval": {"unit": "month", "count": 1},
             "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2, "monthly_fee": {"amount": "500", "currency": "JPY"}}},
            {"id": "b", "name": "B", "price": {"amount": "7000", "currency": "JPY"}, "price_includes_tax": true,
             "interval": {"unit": "month", "count": 1},
             "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2, "monthly_fee": {"amount": "700", "currency": "JPY"}}}]"#,
    )
    .unwrap();
    let log: Vec<Event> = serde_json::from_value(serde_json::json!([
        {"type": "joined", "on": "2026-01-01", "plan": "a", "applied_on": "2026-01-01",
         "paid_from": "2026-01-01", "admission_fee": null, "rejoin": false},
        {"type": "started", "on": "2026-01-01"},
        {"type": "plan_change_scheduled", "on": "2026-03-01", "plan": "b"},
        {"type": "cancellation_scheduled", "on": "2026-05-01", "early_termination_fee": null},
        {"type": "pause_scheduled", "on": "2026-03-01", "until": "2026-04-01"},
    ]))
    .unwrap();
    let state = log.iter().fold(Membership::default(), |m, e| m.apply(e));
    let through = d(2026, 6, 1);
    let advanced = decide(&state, &catalog, &Command::Advance, through).unwrap();
    assert!(
        advanced
            .iter()
            .any(|e| matches!(e, Event::PlanChanged { .. })),
        "{advanced:?}"
    );
    let after = [log.clone(), advanced].concat();
    let config = BillingConfig::default();
    let lines = |events: &[Event]| -> Vec<(NaiveDate, LineKind, String, i64)> {
        bill(
            &BillingAccount::new("A1"),
            events,
            &catalog,
            &config,
            through,
        )
        .unwrap()
        .documents
        .iter()
        .flat_map(|doc| {
            doc.lines.iter().map(|l| {
                (
                    doc.date,
                    l.kind,
                    l.plan.to_string(),
                    l.amount.to_minor().unwrap(),
                )
            })
        })
        .collect()
    };
    let ahead = lines(&log);
    assert_eq!(ahead, lines(&after));
    assert_eq!(
        ahead,
        [
            (d(2026, 1, 1), LineKind::PlanFee, "a".to_owned(), 5_000),
            (d(2026, 2, 1), LineKind::PlanFee, "a".to_owned(), 5_000),
            (d(2026, 3, 1), LineKind::PauseFee, "b".to_owned(), 700),
            (d(2026, 4, 1), LineKind::PlanFee, "b".to_owned(), 7_000),
        ]
    );
}
