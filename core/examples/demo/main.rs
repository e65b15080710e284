//! memberkit's main demo: what the library does so far, shown plainly.
//! Run it with `scripts/demo.sh` (or `cargo run -p memberkit --example demo`).

mod booking;
mod chat;

use memberkit::billing::{BillingAccount, BillingConfig, bill};
use memberkit::calendar::{Interval, NaiveDate, Period, Schedule, date};
use memberkit::intent::slots::SlotExtractor;
use memberkit::intent::{Action, Conversation, Router, RouterConfig, default_model};
use memberkit::membership::{
    CancelTiming, Catalog, ChangeTiming, Command, Event, Membership, decide,
};
use memberkit::money::{Currency, Money, RoundingMode};
use rust_decimal::Decimal;

fn main() -> Result<(), memberkit::Error> {
    println!("memberkit {} — demo\n", env!("CARGO_PKG_VERSION"));

    println!("1. A monthly plan billed on the 31st (short months clamp, then it comes back):");
    let monthly = Schedule::new(date(2026, 1, 31)?, Interval::months(1)?);
    let first_half = Period::new(date(2026, 1, 31)?, date(2026, 7, 1)?)?;
    for (n, period) in monthly.periods(first_half)?.enumerate() {
        println!("   period {}  {}  {:>2} days", n + 1, period, period.days());
    }

    println!(
        "\n2. A yearly plan started on a leap day renews on Feb 28, and on Feb 29 in leap years:"
    );
    let yearly = Schedule::new(date(2024, 2, 29)?, Interval::years(1)?);
    let renewals: Vec<String> = yearly
        .boundaries(Period::new(date(2024, 3, 1)?, date(2032, 3, 1)?)?)?
        .map(|d| d.to_string())
        .collect();
    println!("   {}", renewals.join(", "));

    println!("\n3. The next billing date, asked on a few days, for a plan billed on the 15th:");
    let fifteenth = Schedule::new(date(2026, 1, 15)?, Interval::months(1)?);
    for asked in [date(2026, 3, 14)?, date(2026, 3, 15)?, date(2026, 12, 20)?] {
        println!(
            "   asked on {asked}: next billing {}",
            fifteenth.next_after(asked)?
        );
    }

    println!("\n4. An exact amount is rounded once, with a named mode (¥5,500 × 10/31 days):");
    let exact = Decimal::from(5_500) * Decimal::from(10) / Decimal::from(31);
    for mode in [
        RoundingMode::Floor,
        RoundingMode::HalfUp,
        RoundingMode::Ceiling,
    ] {
        println!(
            "   {:<8} {:.6} → {}",
            mode.name(),
            exact,
            yen(Money::round(exact, Currency::JPY, mode))
        );
    }

    println!("\n5. Splitting money never loses or creates a yen or a cent:");
    let family = Money::from_minor(10_000, Currency::JPY);
    let shares = family.allocate(3)?;
    println!(
        "   {} among 3 family members: {}",
        yen(family),
        list(&shares, yen)
    );
    let contract = Money::from_minor(100_000, Currency::JPY);
    let ratios = [5, 3, 1].map(Decimal::from);
    let by_headcount = contract.allocate_by_ratios(&ratios)?;
    println!(
        "   {} across branches by headcount 5:3:1: {}",
        yen(contract),
        list(&by_headcount, yen)
    );
    let dollars = Money::from_minor(10_000, Currency::USD);
    let thirds = dollars.allocate(3)?;
    println!(
        "   {dollars} in three installments: {}",
        list(&thirds, |m| m.to_string())
    );

    println!(
        "\n6. A member's year: join with a trial, a pause, a plan change, a cancel by the notice rule:"
    );
    let history = member_year()?;

    println!("\n7. Billing that year (in advance, 日割り for part months, debited on the 27th):");
    bill_year(&history)?;

    println!(
        "\n8. The members' chatbot: a conversation in Japanese and one in English, each ending with a handover:"
    );
    chat()?;

    println!(
        "\n9. A failed payment (督促): reminders and retries, a suspension, the payment, the reinstatement:"
    );
    collections()?;

    println!(
        "\n10. A class day: a waitlist, a late cancel, a promotion inside the late window, a punch card, a member refused while a payment is overdue:"
    );
    booking::class_day(&Catalog::from_json(PLANS)?)?;

    println!(
        "\n11. The chatbot carries out a pause: identity first, a start the rules refuse explained with the nearest one they allow, a correction, the facts, the yes, and the events the host stores:"
    );
    chat::pause_conversation(PLANS)?;

    println!("\n12. Bad input is a typed error, never a panic:");
    let mixed =
        Money::from_minor(100, Currency::JPY).checked_add(Money::from_minor(100, Currency::USD));
    println!("   ¥100 + $1.00      → {}", mixed.unwrap_err());
    println!("   2026-02-30        → {}", date(2026, 2, 30).unwrap_err());
    println!(
        "   every 0 months    → {}",
        Interval::months(0).unwrap_err()
    );
    println!(
        "   currency \"XYZ\"    → {}",
        "XYZ".parse::<Currency>().unwrap_err()
    );
    Ok(())
}

const PLANS: &str = r#"[
  {"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": true,
   "interval": {"unit": "month", "count": 1}, "admission_fee": {"amount": "5500", "currency": "JPY"},
   "trial": {"days": 14, "price": {"amount": "0", "currency": "JPY"}},
   "minimum_term": {"periods": 3, "early_cancel": {"kind": "refused"}},
   "notice": {"kind": "day_of_month", "day": 10},
   "pause": {"min_months": 1, "max_months": 3, "max_per_year": 1,
             "monthly_fee": {"amount": "550", "currency": "JPY"},
             "request_by_day_of_previous_month": 15, "starts": "next_period"}},
  {"id": "daytime", "name": "Daytime", "price": {"amount": "6600", "currency": "JPY"}, "price_includes_tax": true,
   "interval": {"unit": "month", "count": 1}, "notice": {"kind": "day_of_month", "day": 10}}
]"#;

/// A card payment fails; dunning reminds, retries, restricts and suspends,
/// the membership follows, and the member's payment reinstates it.
fn collections() -> Result<(), memberkit::Error> {
    use memberkit::dunning::{self, Decline, Language, Policy, Receivables};
    let policy = Policy::from_json(
        r#"{"currency": "JPY", "grace_days": 3, "max_retries": 2,
        "retry_timing": {"skip_weekends": true, "holidays": ["2026-05-04", "2026-05-05", "2026-05-06"]},
        "steps": [
            {"day": 0, "action": "remind", "channel": "email", "template": "payment_failed"},
            {"day": 3, "action": "retry"},
            {"day": 7, "action": "restrict", "restriction": "no_new_bookings"},
            {"day": 10, "action": "retry"},
            {"day": 10, "action": "remind", "channel": "sms", "template": "final_notice"},
            {"day": 14, "action": "suspend"},
            {"day": 30, "action": "cancel"}]}"#,
    )?;
    let catalog = Catalog::from_json(PLANS)?;
    let mut member = Membership::default();
    let join = Command::Join {
        plan: "daytime".into(),
        start: date(2026, 4, 1)?,
        trial: false,
    };
    for (command, at) in [
        (join, date(2026, 3, 25)?),
        (Command::Advance, date(2026, 4, 1)?),
    ] {
        for event in decide(&member, &catalog, &command, at)? {
            member = member.apply(&event);
        }
    }
    let fee = Money::from_minor(6_600, Currency::JPY);
    let invoice = "m-1-20260501-1";
    let mut account = Receivables::default();
    let script = [
        (
            date(2026, 4, 25)?,
            dunning::Command::InvoiceIssued {
                invoice: invoice.into(),
                amount: fee,
                due: date(2026, 5, 1)?,
            },
        ),
        (
            date(2026, 5, 1)?,
            dunning::Command::PaymentFailed {
                invoice: invoice.into(),
                amount: fee,
                decline: Decline::Soft,
                code: Some("insufficient_funds".into()),
            },
        ),
        (date(2026, 5, 7)?, dunning::Command::Advance),
        (
            date(2026, 5, 7)?,
            dunning::Command::PaymentFailed {
                invoice: invoice.into(),
                amount: fee,
                decline: Decline::Soft,
                code: None,
            },
        ),
        (date(2026, 5, 11)?, dunning::Command::Advance),
        (
            date(2026, 5, 11)?,
            dunning::Command::PaymentFailed {
                invoice: invoice.into(),
                amount: fee,
                decline: Decline::Soft,
                code: None,
            },
        ),
        (date(2026, 5, 15)?, dunning::Command::Advance),
        (
            date(2026, 5, 18)?,
            dunning::Command::PaymentSucceeded {
                payment: "pay-7f3a".into(),
                invoice: invoice.into(),
                amount: fee,
            },
        ),
    ];
    for (at, command) in script {
        let events = dunning::decide(&account, &policy, &command, at)?;
        for event in &events {
            account.apply_mut(event);
            if let Some(text) = describe_dunning(event) {
                println!("   {}  {text}", event.on());
            }
        }
        for command in dunning::membership_commands(&events) {
            for event in decide(&member, &catalog, &command, at)? {
                member = member.apply(&event);
            }
            println!("   {at}    → membership {}", member.status);
        }
        if matches!(command, dunning::Command::PaymentFailed { .. }) && at == date(2026, 5, 1)? {
            println!("   what the member is told that day:");
            for planned in account.timeline(&policy)? {
                println!("     {}", planned.message(Language::Ja));
                println!("     {}", planned.message(Language::En));
            }
        }
    }
    Ok(())
}

fn describe_dunning(event: &memberkit::dunning::Event) -> Option<String> {
    use memberkit::dunning::Event as E;
    Some(match event {
        E::InvoiceOpened { amount, due, .. } => format!("invoice of {} due {due}", yen(*amount)),
        E::PaymentFailed { decline, code, .. } => {
            format!(
                "payment failed ({} decline{})",
                format!("{decline:?}").to_lowercase(),
                code.as_ref().map(|c| format!(", {c}")).unwrap_or_default()
            )
        }
        E::ReminderDue {
            channel, template, ..
        } => format!(
            "send reminder `{template}` by {}",
            format!("{channel:?}").to_lowercase()
        ),
        E::RetryDue {
            attempt, amount, ..
        } => format!("retry #{attempt} of {}", yen(*amount)),
        E::Overdue { .. } => "grace period over: overdue".into(),
        E::MarkedPastDue { .. } => "account past due".into(),
        E::Restricted { restriction, .. } => format!("restricted: {restriction}"),
        E::Suspended { .. } => "account suspended".into(),
        E::PaymentReceived { amount, .. } => format!("payment of {} received", yen(*amount)),
        E::Recovered { from, lifted, .. } => format!("recovered from {from}, lifted {lifted:?}"),
        _ => return None,
    })
}

/// Two short conversations through the shipped model and the default routing rules.
fn chat() -> Result<(), memberkit::Error> {
    let router = Router::new(
        default_model()?,
        SlotExtractor::default(),
        RouterConfig::default(),
    )?;
    let today = date(2026, 5, 1)?;
    let conversations: [&[(&str, bool)]; 2] = [
        &[
            ("明日の18時半のヨガを予約したいです", false),
            (
                "会員番号M12345です。登録のメールアドレスを変更したい",
                false,
            ),
            (
                "何度も電話しているのに繋がらない。ふざけないでください",
                true,
            ),
        ],
        &[
            ("what time do you open on sunday?", false),
            ("I want to cancel my membership", false),
            ("can I talk to a real person please", false),
        ],
    ];
    for messages in conversations {
        let mut conversation = Conversation::default();
        for (message, verified) in messages {
            let decision = router.route(&conversation, message, *verified, today);
            let slots: Vec<String> = decision
                .slots
                .iter()
                .map(|s| format!("{:?}", s.value))
                .collect();
            println!("   member: {message}");
            println!(
                "      → {} ({:.0} %){}  action: {}",
                decision.intent,
                decision.confidence * 100.0,
                if slots.is_empty() {
                    String::new()
                } else {
                    format!("  slots: {}", slots.join(", "))
                },
                describe_action(&decision.action)
            );
            conversation = decision.conversation;
        }
    }
    Ok(())
}

fn describe_action(action: &Action) -> String {
    match action {
        Action::Answer => "answer".into(),
        Action::Clarify { choices } => format!("clarify: {}", choices.join(" / ")),
        Action::VerifyIdentity => "verify identity first".into(),
        Action::OfferRetention { offers } => format!("offer retention: {}", offers.join(", ")),
        Action::Handover { reason, summary } => {
            let first_line = summary.lines().next().unwrap_or_default();
            format!("hand over to a person ({reason:?}): {first_line}")
        }
    }
}

/// Runs the member's year and returns each event with the day it was decided.
fn member_year() -> Result<Vec<(NaiveDate, Event)>, memberkit::Error> {
    let catalog = Catalog::from_json(PLANS)?;
    let mut member = Membership::default();
    let mut history = Vec::new();
    let steps: [(NaiveDate, &str, Command); 7] = [
        (
            date(2026, 1, 20)?,
            "applies, trial from Feb 1",
            Command::Join {
                plan: "regular".into(),
                start: date(2026, 2, 1)?,
                trial: true,
            },
        ),
        (date(2026, 2, 20)?, "morning check-in", Command::Advance),
        (
            date(2026, 5, 16)?,
            "asks to pause June–July (too late)",
            Command::Pause {
                from: date(2026, 6, 1)?,
                until: date(2026, 8, 1)?,
            },
        ),
        (
            date(2026, 6, 10)?,
            "asks to pause July–August",
            Command::Pause {
                from: date(2026, 7, 1)?,
                until: date(2026, 9, 1)?,
            },
        ),
        (
            date(2026, 9, 3)?,
            "moves to Daytime next period",
            Command::ChangePlan {
                plan: "daytime".into(),
                when: ChangeTiming::NextPeriod,
            },
        ),
        (
            date(2026, 11, 12)?,
            "cancels by the notice rule (after the 10th)",
            Command::Cancel {
                when: CancelTiming::ByNoticeRule,
            },
        ),
        (
            date(2027, 1, 1)?,
            "New Year's Day check-in",
            Command::Advance,
        ),
    ];
    for (at, what, command) in steps {
        println!("   {at}  {what}");
        match decide(&member, &catalog, &command, at) {
            Ok(events) => {
                for event in &events {
                    println!("      → {}", describe(event));
                }
                member = events.iter().fold(member, |m, e| m.apply(e));
                history.extend(events.into_iter().map(|e| (at, e)));
            }
            Err(refused) => println!("      ✗ refused: {refused}"),
        }
    }
    println!(
        "   status now: {} (after {} events)",
        member.status, member.version
    );
    Ok(history)
}

/// Bills the member's year as a host would: every morning, with the events
/// decided by then, keeping the account's ledger between runs.
fn bill_year(history: &[(NaiveDate, Event)]) -> Result<(), memberkit::Error> {
    let catalog = Catalog::from_json(PLANS)?;
    let config = BillingConfig::from_json(r#"{"collection": {"kind": "debit_day", "day": 27}}"#)?;
    let mut account = BillingAccount::new("M-0001");
    let mut day = date(2026, 1, 20)?;
    while day <= date(2027, 1, 1)? {
        let known: Vec<Event> = history
            .iter()
            .filter(|(at, _)| *at <= day)
            .map(|(_, e)| e.clone())
            .collect();
        let run = bill(&account, &known, &catalog, &config, day)?;
        for doc in &run.documents {
            let kind = format!("{:?}", doc.kind).to_lowercase();
            let taxes: Vec<String> = doc
                .taxes
                .iter()
                .map(|t| format!("incl. tax {}", yen(t.tax)))
                .collect();
            println!(
                "   {}  {kind:<10}  collected {}  total {:>8}  {}",
                doc.id,
                doc.collection_date,
                yen(doc.total),
                taxes.join(", ")
            );
            for line in &doc.lines {
                let share = line.proration.map_or(String::new(), |p| format!(" ({p})"));
                println!("      {:>8}  {}{share}", yen(line.amount), line.description);
            }
        }
        account = run.account;
        day = day.succ_opt().unwrap_or(day);
    }
    Ok(())
}

fn describe(event: &Event) -> String {
    match event {
        Event::Joined {
            on,
            plan,
            paid_from,
            admission_fee,
            ..
        } => format!(
            "joined {plan} from {on}, first paid day {paid_from}, admission fee {}",
            admission_fee.map_or("none".into(), yen)
        ),
        Event::Started { on } => format!("membership started {on}"),
        Event::TrialEnded { on } => format!("trial ended; paid from {on}"),
        Event::PauseScheduled { on, until } => format!("pause planned {on} to {until}"),
        Event::PauseStarted { on } => format!("pause started {on}"),
        Event::PauseEnded { on } => format!("pause ended; back {on}"),
        Event::PlanChangeScheduled { on, plan } => {
            format!("plan change to {plan} planned for {on}")
        }
        Event::PlanChanged { on, from, to, .. } => format!("plan changed {from} → {to} on {on}"),
        Event::CancellationScheduled { on, .. } => format!(
            "cancellation planned: last day {}",
            on.pred_opt().unwrap_or(*on)
        ),
        Event::Cancelled { on, .. } => format!("cancelled; no longer a member from {on}"),
        other => format!("{other:?}"),
    }
}

/// ¥12,345 with thousands separators.
fn yen(money: Money) -> String {
    memberkit::text::money(money, memberkit::text::Language::En)
}

fn list(parts: &[Money], show: impl Fn(Money) -> String) -> String {
    let total = parts
        .iter()
        .try_fold(Money::zero(parts[0].currency()), |acc, m| {
            acc.checked_add(*m)
        });
    let shown: Vec<String> = parts.iter().map(|m| show(*m)).collect();
    format!(
        "{} (sum {})",
        shown.join(" + "),
        total.map(show).unwrap_or_default()
    )
}
