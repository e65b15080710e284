//! Structure-aware inputs for the booking decider: the conformance vectors'
//! studio rules or a random default policy, three sessions, five members
//! with packs, and a script of commands on them.

use arbitrary::{Arbitrary, Result, Unstructured};
use memberkit::booking::{
    CancelledBy, Command, ConsumeAt, Eligibility, Instant, Limits, MembershipTerms, PackSpec,
    Penalty, Policy, Priority, Promotion, Rules, SessionSpec, Strikes,
};
use memberkit::money::{Currency, Money};
use std::sync::OnceLock;

/// The sessions every script schedules.
pub const SESSIONS: [&str; 3] = ["s0", "s1", "s2"];
/// The members every script sets up (`m4` has no membership).
pub const MEMBERS: [&str; 5] = ["m0", "m1", "m2", "m3", "m4"];

/// An RFC 3339 instant.
pub fn instant(text: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(text).expect("a valid instant")
}

/// The instant every script starts from: 2026-06-01T09:00:00+09:00.
pub fn base() -> Instant {
    instant("2026-06-01T09:00:00+09:00")
}

/// The studio rules of `tests/vectors/booking.json`, as JSON text.
pub fn studio_json() -> &'static str {
    static STUDIO: OnceLock<String> = OnceLock::new();
    STUDIO.get_or_init(|| {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/booking.json"))
                .expect("the booking vectors are JSON");
        vectors["rules"]["studio"].to_string()
    })
}

fn penalty(u: &mut Unstructured<'_>) -> Result<Penalty> {
    Ok(match u.int_in_range(0..=2)? {
        0 => Penalty::None,
        1 => Penalty::ForfeitCredit,
        _ => Penalty::Fee {
            amount: Money::from_minor(u.int_in_range(1..=5_000)?, Currency::JPY),
        },
    })
}

fn maybe(u: &mut Unstructured<'_>, range: std::ops::RangeInclusive<u32>) -> Result<Option<u32>> {
    Ok(if u.arbitrary()? {
        Some(u.int_in_range(range)?)
    } else {
        None
    })
}

/// The studio rules, or a random `"default"` policy with or without limits and strikes.
pub fn rules(u: &mut Unstructured<'_>) -> Result<Rules> {
    if u.arbitrary()? {
        return Ok(Rules::from_json(studio_json()).expect("the studio rules parse"));
    }
    let policy = Policy {
        opens_days_before: maybe(u, 1..=30)?,
        closes_minutes_before: u.int_in_range(0..=120)?,
        late_cancel_minutes_before: u.int_in_range(0..=2_880)?,
        late_cancel: penalty(u)?,
        no_show: penalty(u)?,
        promotion: match maybe(u, 1..=240)? {
            Some(hold_minutes) => Promotion::Offer { hold_minutes },
            None => Promotion::Automatic,
        },
        waitlist_cutoff_minutes_before: u.int_in_range(0..=240)?,
        promoted_grace_minutes: u.int_in_range(0..=120)?,
        priority: if u.arbitrary()? {
            Priority::Tier
        } else {
            Priority::Arrival
        },
        check_in_opens_minutes_before: u.int_in_range(0..=90)?,
        no_show_after_minutes: u.int_in_range(0..=60)?,
        consume_credit: if u.arbitrary()? {
            ConsumeAt::CheckIn
        } else {
            ConsumeAt::Booking
        },
        max_party: u.int_in_range(1..=3)?,
    };
    let mut rules = Rules {
        limits: Limits {
            max_future_bookings: maybe(u, 1..=4)?,
            per_day: maybe(u, 1..=3)?,
            per_week: maybe(u, 1..=7)?,
        },
        strikes: if u.arbitrary()? {
            Some(Strikes {
                count: u.int_in_range(1..=3)?,
                within_days: u.int_in_range(1..=30)?,
                lock_days: u.int_in_range(1..=9)?,
                late_cancels: u.arbitrary()?,
            })
        } else {
            None
        },
        ..Rules::default()
    };
    rules.policies.insert("default".into(), policy);
    Ok(rules)
}

/// The commands that set up every script: three sessions (s1 overlapping s0
/// when `overlapping`; s1 and s2 cost credits; s2 under the studio's `pt`
/// policy or not), the members and their packs.
pub fn setup(u: &mut Unstructured<'_>, rules: &Rules) -> Result<Vec<Command>> {
    let pt = rules.policies.contains_key("pt");
    let overlapping: bool = u.arbitrary()?;
    let capacities: [u8; 3] = u.arbitrary()?;
    let s1 = if overlapping {
        ("2026-06-05T10:30:00+09:00", "2026-06-05T11:30:00+09:00")
    } else {
        ("2026-06-05T14:00:00+09:00", "2026-06-05T15:00:00+09:00")
    };
    let times = [
        ("2026-06-05T10:00:00+09:00", "2026-06-05T11:00:00+09:00"),
        s1,
        ("2026-06-06T18:00:00+09:00", "2026-06-06T19:00:00+09:00"),
    ];
    let mut commands = Vec::new();
    for (i, (id, (start, end))) in SESSIONS.iter().zip(times).enumerate() {
        commands.push(Command::ScheduleSession {
            session: SessionSpec {
                id: (*id).into(),
                start: instant(start),
                end: instant(end),
                capacity: 1 + u32::from(capacities[i] % 3),
                waitlist_limit: (i != 2).then_some(3),
                policy: if pt && i == 2 && u.arbitrary()? {
                    "pt"
                } else {
                    "default"
                }
                .into(),
                credits: i as u32,
                tags: vec![],
            },
        });
    }
    for (i, member) in MEMBERS.iter().enumerate() {
        let from = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).expect("a valid date");
        commands.push(Command::SetMember {
            member: (*member).into(),
            eligibility: Eligibility {
                membership: (i != 4).then(|| MembershipTerms::from(from)),
                restrictions: vec![],
                tier: u8::from(i == 3) * 2,
            },
        });
        commands.push(Command::AddPack {
            member: (*member).into(),
            pack: PackSpec {
                id: "pack".into(),
                credits: u.int_in_range(1..=4)?,
                expires: instant(if u.arbitrary()? {
                    "2026-06-05T12:00:00+09:00"
                } else {
                    "2026-07-01T00:00:00+09:00"
                }),
                valid_for: vec![],
            },
        });
    }
    Ok(commands)
}

/// A booking command on session `s{n % 3}` (or an unknown `sx`) and member `m{n % 5}`.
#[derive(Debug, Clone, Arbitrary)]
pub enum BookingCmd {
    /// Book for a party.
    Book(u8, u8, u8),
    /// Join the waitlist.
    JoinWaitlist(u8, u8, u8),
    /// Cancel, by staff or not.
    Cancel(u8, u8, bool),
    /// Leave the waitlist.
    LeaveWaitlist(u8, u8),
    /// Accept an offer.
    AcceptOffer(u8, u8),
    /// Decline an offer.
    DeclineOffer(u8, u8),
    /// Check in.
    CheckIn(u8, u8),
    /// Mark a no-show.
    MarkNoShow(u8, u8),
    /// Change the capacity.
    ChangeCapacity(u8, u8, bool),
    /// Cancel a session.
    CancelSession(u8),
    /// Advance.
    Advance,
}

impl BookingCmd {
    /// The core's command.
    pub fn command(&self) -> Command {
        let session = |n: &u8| {
            if *n == 255 {
                "sx".into()
            } else {
                SESSIONS[usize::from(n % 3)].into()
            }
        };
        let member = |n: &u8| MEMBERS[usize::from(n % 5)].into();
        let party = |n: &u8| if n % 4 == 0 { 2 + u32::from(n % 3) } else { 1 };
        match self {
            Self::Book(s, m, p) => Command::Book {
                session: session(s),
                member: member(m),
                party: party(p),
            },
            Self::JoinWaitlist(s, m, p) => Command::JoinWaitlist {
                session: session(s),
                member: member(m),
                party: party(p),
            },
            Self::Cancel(s, m, staff) => Command::Cancel {
                session: session(s),
                member: member(m),
                by: if *staff {
                    CancelledBy::Staff
                } else {
                    CancelledBy::Member
                },
            },
            Self::LeaveWaitlist(s, m) => Command::LeaveWaitlist {
                session: session(s),
                member: member(m),
            },
            Self::AcceptOffer(s, m) => Command::AcceptOffer {
                session: session(s),
                member: member(m),
            },
            Self::DeclineOffer(s, m) => Command::DeclineOffer {
                session: session(s),
                member: member(m),
            },
            Self::CheckIn(s, m) => Command::CheckIn {
                session: session(s),
                member: member(m),
            },
            Self::MarkNoShow(s, m) => Command::MarkNoShow {
                session: session(s),
                member: member(m),
            },
            Self::ChangeCapacity(s, c, force) => Command::ChangeCapacity {
                session: session(s),
                capacity: u32::from(c % 6),
                force: *force,
            },
            Self::CancelSession(s) => Command::CancelSession {
                session: session(s),
            },
            Self::Advance => Command::Advance,
        }
    }
}

/// One step: wait `gap` × 10 minutes (from -30 minutes on; mostly forward
/// through the sessions' days), then decide `command`.
#[derive(Debug, Clone, Arbitrary)]
pub struct Step {
    /// Ten-minute units since the previous step, shifted by 3.
    pub gap: u8,
    /// The command.
    pub command: BookingCmd,
}

impl Step {
    /// The instant of this step after the previous step's `at`.
    pub fn at(&self, previous: Instant) -> Instant {
        previous + chrono::Duration::minutes((i64::from(self.gap % 64) - 3) * 10)
    }
}
