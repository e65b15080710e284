//! The demo's booking section: a full class with a waitlist, a late cancel,
//! a promotion inside the late window, a punch card, a no-show, and a member
//! refused while a payment is overdue.

use memberkit::booking::{
    Book, CancelledBy, Command, Eligibility, Event, PackSpec, PenaltyReason, Rules, SessionSpec,
};
use memberkit::calendar::date;
use memberkit::dunning::{self, Decline, Policy, Receivables};
use memberkit::membership::{Catalog, Command as MembershipCommand, Membership};
use memberkit::money::{Currency, Money};

fn at(s: &str) -> memberkit::booking::Instant {
    chrono::DateTime::parse_from_rfc3339(s).expect("the demo's instants are valid")
}

pub fn class_day(catalog: &Catalog) -> Result<(), memberkit::Error> {
    let rules = Rules::from_json(
        r#"{"policies": {"default": {"late_cancel_minutes_before": 720, "promoted_grace_minutes": 60}},
            "strikes": {"count": 3, "within_days": 30, "lock_days": 7, "late_cancels": true}}"#,
    )?;
    let mut book = Book::default();
    let run = |book: &mut Book, command: Command, when: &str| -> Result<(), memberkit::Error> {
        let when = at(when);
        match book.execute(&rules, &command, when) {
            Ok(events) => {
                for event in &events {
                    if let Some(text) = describe(event) {
                        println!("   {}  {text}", event.at().format("%m-%d %H:%M"));
                    }
                }
            }
            Err(err) => println!(
                "   {}  refused ({}): {err}",
                when.format("%m-%d %H:%M"),
                err.code()
            ),
        }
        Ok(())
    };
    let now = "2026-06-01T09:00:00+09:00";
    let class = |id: &str, start: &str, end: &str, capacity, credits| SessionSpec {
        id: id.into(),
        start: at(start),
        end: at(end),
        capacity,
        waitlist_limit: Some(10),
        policy: "default".into(),
        credits,
        tags: vec![],
    };
    run(
        &mut book,
        Command::ScheduleSession {
            session: class(
                "yoga",
                "2026-06-10T10:00:00+09:00",
                "2026-06-10T11:00:00+09:00",
                2,
                0,
            ),
        },
        now,
    )?;
    run(
        &mut book,
        Command::ScheduleSession {
            session: class(
                "pilates",
                "2026-06-10T19:00:00+09:00",
                "2026-06-10T20:00:00+09:00",
                8,
                1,
            ),
        },
        now,
    )?;

    // Members come from the membership and dunning records.
    let join = MembershipCommand::Join {
        plan: "regular".into(),
        start: date(2026, 4, 1)?,
        trial: false,
    };
    let member =
        memberkit::membership::decide(&Membership::default(), catalog, &join, date(2026, 3, 25)?)?
            .iter()
            .fold(Membership::default(), |m, e| m.apply(e));
    let in_good_standing = Eligibility::from_records(&member, catalog, None)?;
    for who in ["aiko", "ben", "chie"] {
        run(
            &mut book,
            Command::SetMember {
                member: who.into(),
                eligibility: in_good_standing.clone(),
            },
            now,
        )?;
    }
    let overdue = overdue_account()?;
    let emi = Eligibility::from_records(&member, catalog, Some(&overdue))?;
    run(
        &mut book,
        Command::SetMember {
            member: "emi".into(),
            eligibility: emi,
        },
        now,
    )?;
    run(
        &mut book,
        Command::SetMember {
            member: "dan".into(),
            eligibility: Eligibility::default(),
        },
        now,
    )?;
    let card = PackSpec {
        id: "dan-5x".into(),
        credits: 5,
        expires: at("2026-09-01T00:00:00+09:00"),
        valid_for: vec![],
    };
    run(
        &mut book,
        Command::AddPack {
            member: "dan".into(),
            pack: card,
        },
        now,
    )?;

    let book_seat = |session: &str, member: &str| Command::Book {
        session: session.into(),
        member: member.into(),
        party: 1,
    };
    run(
        &mut book,
        book_seat("yoga", "aiko"),
        "2026-06-05T12:00:00+09:00",
    )?;
    run(
        &mut book,
        book_seat("yoga", "ben"),
        "2026-06-05T12:01:00+09:00",
    )?;
    run(
        &mut book,
        book_seat("yoga", "chie"),
        "2026-06-05T12:02:00+09:00",
    )?;
    run(
        &mut book,
        Command::JoinWaitlist {
            session: "yoga".into(),
            member: "chie".into(),
            party: 1,
        },
        "2026-06-05T12:02:00+09:00",
    )?;
    run(
        &mut book,
        book_seat("yoga", "emi"),
        "2026-06-05T12:03:00+09:00",
    )?;
    run(
        &mut book,
        book_seat("pilates", "dan"),
        "2026-06-05T12:04:00+09:00",
    )?;
    // Two hours before the class: Aiko's cancel is late; Chie takes the seat.
    run(
        &mut book,
        Command::Cancel {
            session: "yoga".into(),
            member: "aiko".into(),
            by: CancelledBy::Member,
        },
        "2026-06-10T08:00:00+09:00",
    )?;
    run(
        &mut book,
        Command::CheckIn {
            session: "yoga".into(),
            member: "ben".into(),
        },
        "2026-06-10T09:50:00+09:00",
    )?;
    run(&mut book, Command::Advance, "2026-06-10T10:20:00+09:00")?;
    run(
        &mut book,
        Command::CheckIn {
            session: "pilates".into(),
            member: "dan".into(),
        },
        "2026-06-10T18:50:00+09:00",
    )?;
    let wallet = book
        .member_view("dan", at("2026-06-10T21:00:00+09:00"))
        .map_or(0, |v| v.credits_available);
    println!("   Dan's punch card: {wallet} of 5 classes left");
    Ok(())
}

/// An account whose payment failed: dunning restricts new bookings at once.
fn overdue_account() -> Result<Receivables, memberkit::Error> {
    let policy = Policy::from_json(
        r#"{"currency": "JPY", "steps": [{"day": 0, "action": "restrict", "restriction": "no_new_bookings"}]}"#,
    )?;
    let fee = Money::from_minor(8_800, Currency::JPY);
    let mut account = Receivables::default();
    let on = date(2026, 6, 1)?;
    for command in [
        dunning::Command::InvoiceIssued {
            invoice: "emi-0601".into(),
            amount: fee,
            due: on,
        },
        dunning::Command::PaymentFailed {
            invoice: "emi-0601".into(),
            amount: fee,
            decline: Decline::Soft,
            code: None,
        },
    ] {
        for event in dunning::decide(&account, &policy, &command, on)? {
            account.apply_mut(&event);
        }
    }
    Ok(account)
}

fn describe(event: &Event) -> Option<String> {
    Some(match event {
        Event::Booked {
            session,
            member,
            pack,
            ..
        } => match pack {
            Some(pack) => format!("{member} booked {session} with punch card {pack}"),
            None => format!("{member} booked {session}"),
        },
        Event::Waitlisted {
            session,
            member,
            position,
            ..
        } => format!("{member} waits for {session}, #{position} in line"),
        Event::Cancelled {
            session,
            member,
            late,
            ..
        } => {
            format!(
                "{member} cancelled {session}{}",
                if *late { " late (inside 12 hours)" } else { "" }
            )
        }
        Event::StrikeRecorded { member, reason, .. } => format!(
            "{member}: a strike ({})",
            match reason {
                PenaltyReason::LateCancel => "late cancel",
                PenaltyReason::NoShow => "no-show",
            }
        ),
        Event::Promoted {
            session,
            member,
            grace_until,
            ..
        } => format!(
            "{member} promoted into {session} (繰り上げ){}",
            grace_until
                .map(|g| format!(", may cancel without penalty until {}", g.format("%H:%M")))
                .unwrap_or_default()
        ),
        Event::CheckedIn {
            session, member, ..
        } => format!("{member} checked in to {session}"),
        Event::NoShow {
            session, member, ..
        } => format!("{member} did not come to {session}: no-show"),
        Event::CreditConsumed {
            member,
            pack,
            credits,
            ..
        } => format!("{member}: {credits} credit used from {pack}"),
        _ => return None,
    })
}
