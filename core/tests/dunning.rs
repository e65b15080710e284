//! Dunning as a host meets it: policy errors that name the field, refusals
//! that name the invoice, the membership following dunning's events, the
//! batch advance, and the member-facing timeline.

use memberkit::calendar::{NaiveDate, date};
use memberkit::dunning::{
    Command, Decline, DunningError, Event, Language, Policy, Receivables, Standing, advance_all,
    decide, membership_commands,
};
use memberkit::membership::{Catalog, Membership, Status};
use memberkit::money::{Currency, Money};

fn d(m: u32, day: u32) -> NaiveDate {
    date(2026, m, day).unwrap()
}

fn yen(n: i64) -> Money {
    Money::from_minor(n, Currency::JPY)
}

fn card() -> Policy {
    Policy::from_json(
        r#"{"currency": "JPY", "grace_days": 3, "max_retries": 2,
        "retry_timing": {"skip_weekends": true},
        "steps": [
            {"day": 0, "action": "remind", "channel": "email", "template": "failed"},
            {"day": 3, "action": "retry"},
            {"day": 7, "action": "retry"},
            {"day": 7, "action": "restrict", "restriction": "no_new_bookings"},
            {"day": 14, "action": "suspend"},
            {"day": 30, "action": "cancel"}]}"#,
    )
    .unwrap()
}

fn step(account: &mut Receivables, policy: &Policy, command: Command, at: NaiveDate) -> Vec<Event> {
    let events = decide(account, policy, &command, at).unwrap();
    events.iter().for_each(|e| account.apply_mut(e));
    events
}

fn issue(invoice: &str, amount: i64, due: NaiveDate) -> Command {
    Command::InvoiceIssued {
        invoice: invoice.into(),
        amount: yen(amount),
        due,
    }
}

fn fail(invoice: &str, amount: i64, decline: Decline) -> Command {
    Command::PaymentFailed {
        invoice: invoice.into(),
        amount: yen(amount),
        decline,
        code: None,
    }
}

fn pay(payment: &str, invoice: &str, amount: i64) -> Command {
    Command::PaymentSucceeded {
        payment: payment.into(),
        invoice: invoice.into(),
        amount: yen(amount),
    }
}

#[test]
fn policy_errors_name_the_field() {
    let cases = [
        (
            r#"{"steps": []}"#,
            "invalid dunning policy: missing field `currency`",
        ),
        (
            r#"{"currency": "JPY", "steps": [{"day": 1, "action": "remind", "channel": "fax", "template": "t"}]}"#,
            "invalid dunning policy at steps[0].channel: unknown variant `fax`",
        ),
        (
            r#"{"currency": "JPY", "steps": [{"day": 1, "action": "remind", "channel": "email"}]}"#,
            "invalid dunning policy at steps[0].template: a remind step needs a template key",
        ),
        (
            r#"{"currency": "JPY", "steps": [{"day": 1, "action": "restrict", "restriction": "No Bookings"}]}"#,
            "invalid dunning policy at steps[0].restriction: restriction \"No Bookings\" must be 1 to 64 lowercase letters, digits or '_'",
        ),
        (
            r#"{"currency": "JPY", "collect_with_next_debit": true, "steps": [{"day": 1, "action": "retry"}]}"#,
            "invalid dunning policy at steps[0].action: with collect_with_next_debit an unpaid amount joins the next debit; it is not retried alone",
        ),
        (
            r#"{"currency": "JPY", "retry_timing": {"on_or_after_day": 32}, "steps": []}"#,
            "invalid dunning policy at retry_timing.on_or_after_day: must be a day of the month from 1 to 31, got 32",
        ),
        (
            r#"{"currency": "JPY", "steps": [], "ladder": [{"name": "x", "standing": "suspended"}]}"#,
            "invalid dunning policy at ladder[0]: a ladder state needs a condition: unpaid_invoices, unpaid_balance or days_since_oldest_unpaid",
        ),
        (
            r#"{"currency": "JPY", "steps": [], "ladder": [{"name": "x", "unpaid_balance": {"amount": "10", "currency": "USD"}}]}"#,
            "invalid dunning policy at ladder[0].unpaid_balance.currency: the policy is in JPY, not USD",
        ),
        (
            r#"{"currency": "JPY", "steps": [], "ladder": [{"name": "a", "unpaid_invoices": 2}, {"name": "b", "unpaid_invoices": 3, "standing": "suspended"}]}"#,
            "invalid dunning policy at ladder[1].standing: the ladder goes from the strongest standing to the weakest",
        ),
    ];
    for (json, expected) in cases {
        let err = Policy::from_json(json).unwrap_err();
        assert!(err.to_string().starts_with(expected), "{json}: {err}");
        assert!(matches!(err, DunningError::InvalidPolicy { .. }), "{err:?}");
    }
}

#[test]
fn refusals_name_the_invoice_and_change_nothing() {
    let policy = card();
    let mut account = Receivables::default();
    step(&mut account, &policy, issue("a", 8_800, d(5, 1)), d(4, 25));
    let refuse = |account: &Receivables, command: Command, at| {
        decide(account, &policy, &command, at)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        refuse(&account, pay("p", "b", 100), d(4, 26)),
        "unknown invoice \"b\""
    );
    assert_eq!(
        refuse(&account, issue("a", 100, d(5, 1)), d(4, 26)),
        "invoice \"a\" was already issued"
    );
    assert_eq!(
        refuse(&account, pay("p", "a", 0), d(4, 26)),
        "a payment's amount must be positive, got 0 JPY"
    );
    assert_eq!(
        refuse(&account, Command::Advance, d(4, 24)),
        "a command on 2026-04-24 comes before the account's latest event on 2026-04-25"
    );
    step(&mut account, &policy, pay("p", "a", 800), d(4, 26));
    assert_eq!(
        refuse(
            &account,
            Command::InvoiceVoided {
                invoice: "a".into()
            },
            d(4, 27)
        ),
        "invoice \"a\" has 800 JPY paid on it; correct it with a credit note instead of voiding it"
    );
    step(&mut account, &policy, pay("q", "a", 8_000), d(4, 27));
    assert_eq!(
        refuse(&account, fail("a", 8_800, Decline::Soft), d(5, 1)),
        "invoice \"a\" is settled: nothing is owed on it"
    );
}

#[test]
fn no_invoices_while_suspended_when_the_policy_says_so() {
    let policy = Policy::from_json(
        r#"{"currency": "JPY", "invoice_while_suspended": false, "steps": [{"day": 0, "action": "suspend"}]}"#,
    )
    .unwrap();
    let mut account = Receivables::default();
    step(&mut account, &policy, issue("a", 8_800, d(5, 1)), d(4, 25));
    step(
        &mut account,
        &policy,
        fail("a", 8_800, Decline::Soft),
        d(5, 1),
    );
    assert_eq!(account.standing, Standing::Suspended);
    let err = decide(&account, &policy, &issue("b", 8_800, d(6, 1)), d(5, 25)).unwrap_err();
    assert!(
        matches!(err, DunningError::InvoicingSuspended { .. }),
        "{err}"
    );
    step(&mut account, &policy, pay("p", "a", 8_800), d(5, 26));
    assert!(decide(&account, &policy, &issue("b", 8_800, d(6, 1)), d(5, 27)).is_ok());
}

/// A host feeds dunning's membership commands to the membership decider:
/// every one is accepted, and the member goes past due, suspended, and back.
#[test]
fn the_membership_follows_dunning() {
    let catalog = Catalog::from_json(
        r#"[{"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
            "interval": {"unit": "month", "count": 1}}]"#,
    )
    .unwrap();
    let mut member = Membership::default();
    let join = memberkit::membership::Command::Join {
        plan: "regular".into(),
        start: d(4, 1),
        trial: false,
    };
    for at in [d(3, 20), d(4, 1)] {
        let command = if at == d(3, 20) {
            join.clone()
        } else {
            memberkit::membership::Command::Advance
        };
        for event in memberkit::membership::decide(&member, &catalog, &command, at).unwrap() {
            member = member.apply(&event);
        }
    }
    assert_eq!(member.status, Status::Active);
    let policy = card();
    let mut account = Receivables::default();
    let mut statuses = Vec::new();
    let script = [
        (d(4, 25), issue("a", 8_800, d(5, 1))),
        (d(5, 1), fail("a", 8_800, Decline::Soft)),
        (d(5, 5), Command::Advance),
        (d(5, 16), Command::Advance),
        (d(5, 18), pay("p", "a", 8_800)),
    ];
    for (at, command) in script {
        let events = step(&mut account, &policy, command, at);
        for command in membership_commands(&events) {
            let events = memberkit::membership::decide(&member, &catalog, &command, at)
                .unwrap_or_else(|e| panic!("{command:?} refused: {e}"));
            member = events.iter().fold(member, |m, e| m.apply(e));
            statuses.push(member.status);
        }
    }
    assert_eq!(
        statuses,
        [Status::PastDue, Status::Suspended, Status::Active]
    );
}

#[test]
fn a_hard_decline_plans_no_retry_until_a_new_method() {
    let policy = card();
    let mut account = Receivables::default();
    step(&mut account, &policy, issue("a", 8_800, d(5, 1)), d(4, 25));
    step(
        &mut account,
        &policy,
        fail("a", 8_800, Decline::Hard),
        d(5, 1),
    );
    assert_eq!(
        account.view().payment_method_update_requested,
        Some(d(5, 1))
    );
    let plan = account.timeline(&policy).unwrap();
    let actions: Vec<&str> = plan.iter().map(|p| p.action.name()).collect();
    assert_eq!(actions, ["restrict", "suspend", "cancel"]);
    let events = step(
        &mut account,
        &policy,
        Command::PaymentMethodUpdated,
        d(5, 2),
    );
    assert!(
        matches!(
            events[1],
            Event::RetryDue {
                step: None,
                attempt: 1,
                ..
            }
        ),
        "{events:?}"
    );
    let plan = account.timeline(&policy).unwrap();
    let messages: Vec<String> = plan.iter().map(|p| p.message(Language::En)).collect();
    assert_eq!(
        messages[0], "We will try the payment of ¥8,800 again on 4 May 2026.",
        "one retry left of two, on the next business day"
    );
    assert_eq!(
        plan.iter().filter(|p| p.action.name() == "retry").count(),
        1
    );
}

#[test]
fn the_batch_advance_equals_one_decide_per_account() {
    let policy = card();
    let accounts: Vec<Receivables> = (0..50)
        .map(|i| {
            let mut account = Receivables::default();
            let id = format!("m-{i}");
            step(
                &mut account,
                &policy,
                issue(&id, 1_000 + i, d(5, 1)),
                d(4, 25),
            );
            if i % 3 != 0 {
                step(
                    &mut account,
                    &policy,
                    fail(&id, 1_000 + i, Decline::Soft),
                    d(5, 1 + (i % 9) as u32),
                );
            }
            account
        })
        .collect();
    let mut batch = accounts.clone();
    let changed = advance_all(&mut batch, &policy, d(5, 20));
    let mut expected = Vec::new();
    for (i, account) in accounts.iter().enumerate() {
        let events = decide(account, &policy, &Command::Advance, d(5, 20)).unwrap();
        assert_eq!(
            batch[i],
            events.iter().fold(account.clone(), |a, e| a.apply(e))
        );
        if !events.is_empty() {
            expected.push((i, Ok(events)));
        }
    }
    assert_eq!(changed.len(), 33);
    assert_eq!(changed, expected);
}

#[test]
fn queries_report_what_is_owed() {
    let policy = card();
    let mut account = Receivables::default();
    assert_eq!(account.unpaid_balance(), None);
    step(&mut account, &policy, issue("a", 8_800, d(5, 1)), d(4, 25));
    step(&mut account, &policy, issue("b", 3_300, d(5, 10)), d(4, 25));
    step(&mut account, &policy, pay("p", "a", 1_800), d(5, 1));
    assert_eq!(account.unpaid_balance(), Some(yen(10_300)));
    assert_eq!(account.total_collected(), Some(yen(1_800)));
    assert_eq!(account.oldest_unpaid().map(|i| i.id.as_str()), Some("a"));
    let open = account.open_invoices(d(5, 12));
    assert_eq!(
        open.iter()
            .map(|o| (o.invoice.as_str(), o.balance, o.age_days))
            .collect::<Vec<_>>(),
        [("a", yen(7_000), 11), ("b", yen(3_300), 2)]
    );
    let totals = account.totals().unwrap();
    assert_eq!(
        (totals.invoiced, totals.applied, totals.open),
        (yen(12_100), yen(1_800), yen(10_300))
    );
}

/// Receivables come from billing's documents: the invoice's id, amount due
/// and collection date (here the 27th's bank debit); a document with nothing
/// due gives no command.
#[test]
fn billing_documents_open_receivables() {
    use memberkit::billing::{BillingAccount, BillingConfig, bill};
    let catalog = Catalog::from_json(
        r#"[{"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
            "price_includes_tax": true, "interval": {"unit": "month", "count": 1}}]"#,
    )
    .unwrap();
    let join = memberkit::membership::Command::Join {
        plan: "regular".into(),
        start: d(5, 1),
        trial: false,
    };
    let events =
        memberkit::membership::decide(&Membership::default(), &catalog, &join, d(4, 20)).unwrap();
    let config =
        BillingConfig::from_json(r#"{"collection": {"kind": "debit_day", "day": 27}}"#).unwrap();
    let run = bill(
        &BillingAccount::new("M-7"),
        &events,
        &catalog,
        &config,
        d(5, 1),
    )
    .unwrap();
    let commands: Vec<Command> = run
        .documents
        .iter()
        .filter_map(Command::from_document)
        .collect();
    assert_eq!(
        commands,
        [Command::InvoiceIssued {
            invoice: "M-7-20260501-1".into(),
            amount: yen(8_800),
            due: d(5, 27)
        }]
    );
    let mut account = Receivables::default();
    step(&mut account, &card(), commands[0].clone(), d(5, 1));
    assert_eq!(account.unpaid_balance(), Some(yen(8_800)));
}
