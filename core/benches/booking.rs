//! Booking benchmarks (design §8): book, cancel with a promotion and check-in
//! on a studio's book, and the shared book's throughput from 1 and 8 threads.
//!
//! `cargo bench -p memberkit --bench booking`. The book holds a month of a
//! studio's timetable: 1,000 sessions of 30 seats (`MK_BENCH_SESSIONS` to
//! change), 5,000 members with a membership, rules with a late-cancel window,
//! limits (8 future bookings, 2 a day) and strikes. Every session is 20 seats
//! full, and the "full" sessions have 30 taken and 5 waiting.
//!
//! - `book/decide`: deciding a booking of a member who has four other
//!   bookings (the state is not changed, so every iteration measures the
//!   same work); `book/execute_then_cancel`: booking and cancelling
//!   again (two commands, applied).
//! - `cancel_with_promotion/decide`: deciding a cancel in a full session,
//!   whose events promote the first in line.
//! - `check_in/decide`.
//! - `shared/threads_N`: N threads each booking and cancelling in their own
//!   sessions through one [`SharedBook`]; throughput in commands per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use memberkit::booking::{
    Book, CancelledBy, Command, Eligibility, Instant, MembershipTerms, Rules, SessionSpec,
    SharedBook, decide,
};
use memberkit::calendar::date;
use std::hint::black_box;

fn sessions() -> usize {
    std::env::var("MK_BENCH_SESSIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000)
}

const MEMBERS: usize = 5_000;

fn at(s: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(s).expect("a valid instant")
}

fn rules() -> Rules {
    Rules::from_json(
        r#"{"policies": {"default": {"opens_days_before": 40, "late_cancel_minutes_before": 720}},
            "limits": {"max_future_bookings": 8, "per_day": 2},
            "strikes": {"count": 3, "within_days": 30, "lock_days": 7}}"#,
    )
    .expect("the benchmark rules are valid")
}

fn session_id(i: usize) -> String {
    format!("class-{i:05}")
}

fn member_id(i: usize) -> String {
    format!("member-{i:05}")
}

/// Session `i` starts on day `i / 40` of June at a 20-minute slot.
fn start_of(i: usize) -> Instant {
    let (day, slot) = (i / 40 % 28, i % 40);
    at("2026-06-01T06:00:00+09:00")
        + chrono::Duration::days(day as i64)
        + chrono::Duration::minutes(slot as i64 * 20)
}

/// The book: every session with 20 seats taken; sessions divisible by 10 are
/// full with 5 waiting.
fn studio(rules: &Rules) -> Book {
    let now = at("2026-05-25T09:00:00+09:00");
    let mut book = Book::default();
    let run = |book: &mut Book, command: Command| {
        book.execute(rules, &command, now)
            .expect("the benchmark setup is accepted");
    };
    for i in 0..sessions() {
        let start = start_of(i);
        let session = SessionSpec {
            id: session_id(i).into(),
            start,
            end: start + chrono::Duration::minutes(15),
            capacity: 30,
            waitlist_limit: None,
            policy: "default".into(),
            credits: 0,
            tags: vec![],
        };
        run(&mut book, Command::ScheduleSession { session });
    }
    let eligibility = Eligibility {
        membership: Some(MembershipTerms::from(
            date(2026, 4, 1).expect("a valid date"),
        )),
        ..Eligibility::default()
    };
    for m in 0..MEMBERS {
        let member = member_id(m).into();
        run(
            &mut book,
            Command::SetMember {
                member,
                eligibility: eligibility.clone(),
            },
        );
    }
    let mut next = 0;
    for i in 0..sessions() {
        let (seats, waiting) = if i % 10 == 0 { (30, 5) } else { (20, 0) };
        for k in 0..seats + waiting {
            let member = member_id(next % MEMBERS).into();
            next += 7;
            let session = session_id(i).into();
            let command = if k < seats {
                Command::Book {
                    session,
                    member,
                    party: 1,
                }
            } else {
                Command::JoinWaitlist {
                    session,
                    member,
                    party: 1,
                }
            };
            // Limits refuse some: the next member is tried.
            if book.execute(rules, &command, now).is_err() {
                continue;
            }
        }
    }
    book
}

/// A member not in `session` nor in `taken` whose booking is accepted.
fn free_member(
    book: &Book,
    rules: &Rules,
    session: &str,
    now: Instant,
    taken: &[String],
) -> String {
    (0..MEMBERS)
        .map(member_id)
        .filter(|m| !taken.contains(m))
        .find(|m| {
            let command = Command::Book {
                session: session.into(),
                member: m.as_str().into(),
                party: 1,
            };
            decide(book, rules, &command, now).is_ok()
        })
        .expect("some member may book")
}

fn bench(c: &mut Criterion) {
    let rules = rules();
    let book = studio(&rules);
    let now = at("2026-05-26T09:00:00+09:00");
    let open = session_id(501);
    let member = free_member(&book, &rules, &open, now, &[]);
    let book_seat = Command::Book {
        session: open.as_str().into(),
        member: member.as_str().into(),
        party: 1,
    };
    let cancel = Command::Cancel {
        session: open.as_str().into(),
        member: member.as_str().into(),
        by: CancelledBy::Member,
    };

    let mut group = c.benchmark_group("book");
    group.throughput(Throughput::Elements(1));
    group.bench_function("decide", |b| {
        b.iter(|| black_box(decide(&book, &rules, &book_seat, now)).expect("accepted"));
    });
    let mut working = book.clone();
    group.bench_function("execute_then_cancel", |b| {
        b.iter(|| {
            black_box(working.execute(&rules, &book_seat, now)).expect("accepted");
            black_box(working.execute(&rules, &cancel, now)).expect("accepted");
        });
    });
    group.finish();

    let full = session_id(500);
    let seated = book.sessions[full.as_str()].seats[3].member.clone();
    let cancel_full = Command::Cancel {
        session: full.as_str().into(),
        member: seated.clone(),
        by: CancelledBy::Member,
    };
    let mut group = c.benchmark_group("cancel_with_promotion");
    group.throughput(Throughput::Elements(1));
    group.bench_function("decide", |b| {
        b.iter(|| {
            let events = black_box(decide(&book, &rules, &cancel_full, now)).expect("accepted");
            debug_assert!(events.iter().any(|e| e.name() == "promoted"));
        });
    });
    group.finish();

    let check_in_at = start_of(500) - chrono::Duration::minutes(10);
    let check_in = Command::CheckIn {
        session: full.as_str().into(),
        member: seated,
    };
    let mut group = c.benchmark_group("check_in");
    group.throughput(Throughput::Elements(1));
    group.bench_function("decide", |b| {
        b.iter(|| black_box(decide(&book, &rules, &check_in, check_in_at)).expect("accepted"));
    });
    group.finish();

    let mut group = c.benchmark_group("shared");
    for threads in [1_usize, 8] {
        let shared = SharedBook::new(rules.clone(), book.clone());
        // Each thread books and cancels one member in its own open session.
        let mut chosen = Vec::new();
        let work: Vec<(Command, Command)> = (0..threads)
            .map(|t| {
                let session = session_id(601 + t * 10);
                let member = free_member(&book, &rules, &session, now, &chosen);
                chosen.push(member.clone());
                let s = session.as_str();
                (
                    Command::Book {
                        session: s.into(),
                        member: member.as_str().into(),
                        party: 1,
                    },
                    Command::Cancel {
                        session: s.into(),
                        member: member.as_str().into(),
                        by: CancelledBy::Member,
                    },
                )
            })
            .collect();
        group.throughput(Throughput::Elements(2 * threads as u64));
        group.bench_function(format!("threads_{threads}"), |b| {
            b.iter_custom(|iters| {
                let started = std::time::Instant::now();
                std::thread::scope(|scope| {
                    for (book_seat, cancel) in &work {
                        let shared = &shared;
                        scope.spawn(move || {
                            for _ in 0..iters {
                                shared.execute(book_seat, now).expect("accepted");
                                shared.execute(cancel, now).expect("accepted");
                            }
                        });
                    }
                });
                started.elapsed()
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
