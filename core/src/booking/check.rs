//! Who may take a seat: a session's instants under its policy, a member's
//! eligibility, strike lock, limits and overlaps, and the pack a booking uses.

use super::policy::{Policy, Rules};
use super::state::{Attendance, Instant, Member, Pack, Session, SessionSpec};
use super::{BookingError, Limit};
use chrono::{Datelike, Duration, NaiveDate};

/// A session's instants under its policy.
#[derive(Debug, Clone, Copy)]
pub(super) struct Times {
    /// Booking opens (`None`: always open).
    pub opens: Option<Instant>,
    /// Booking and joining the waitlist close.
    pub closes: Instant,
    /// Member cancels from here on are late (`None`: never).
    pub late_from: Option<Instant>,
    /// No promotion from here on; the waitlist is released.
    pub cutoff: Instant,
    /// Check-in opens.
    pub check_in_opens: Instant,
    /// Check-in closes and no-shows are marked.
    pub no_show_at: Instant,
}

pub(super) fn minutes(at: Instant, minutes: i64) -> Result<Instant, BookingError> {
    at.checked_add_signed(Duration::minutes(minutes))
        .ok_or(BookingError::OutOfRange { at })
}

impl Times {
    pub(super) fn of(spec: &SessionSpec, policy: &Policy) -> Result<Self, BookingError> {
        let before = |m: u32| minutes(spec.start, -i64::from(m));
        Ok(Self {
            opens: policy
                .opens_days_before
                .map(|days| minutes(spec.start, -i64::from(days) * 1440))
                .transpose()?,
            closes: before(policy.closes_minutes_before)?,
            late_from: match policy.late_cancel_minutes_before {
                0 => None,
                m => Some(before(m)?),
            },
            cutoff: before(policy.waitlist_cutoff_minutes_before)?,
            check_in_opens: before(policy.check_in_opens_minutes_before)?,
            no_show_at: minutes(spec.start, i64::from(policy.no_show_after_minutes))?,
        })
    }

    /// Refuses a booking or waitlist entry outside the window.
    pub(super) fn check_window(&self, session: &Session, at: Instant) -> Result<(), BookingError> {
        if session.cancelled {
            return Err(BookingError::SessionCancelled {
                session: session.spec.id.clone(),
            });
        }
        if let Some(opens) = self.opens
            && at < opens
        {
            return Err(BookingError::NotOpenYet {
                session: session.spec.id.clone(),
                opens,
            });
        }
        if at >= self.closes {
            return Err(BookingError::BookingClosed {
                session: session.spec.id.clone(),
                closed: self.closes,
            });
        }
        Ok(())
    }

    /// Whether promotion may still happen at `at`.
    pub(super) fn promotes(&self, session: &Session, at: Instant) -> bool {
        !session.cancelled && !session.waitlist_closed && at < self.cutoff
    }
}

/// The session's date in its own offset (the business's local calendar).
fn local_date(at: Instant) -> NaiveDate {
    at.date_naive()
}

/// Refuses a member who may not book `spec` at `at`: no membership for an
/// included session, a pause, a suspension, a restriction, a strike lock.
pub(super) fn eligible(
    rules: &Rules,
    member_id: &str,
    member: &Member,
    spec: &SessionSpec,
    at: Instant,
) -> Result<(), BookingError> {
    let day = local_date(spec.start);
    let included = spec.credits == 0;
    let eligibility = &member.eligibility;
    match &eligibility.membership {
        None if included => {
            return Err(BookingError::NotAMember {
                member: member_id.into(),
            });
        }
        None => {}
        Some(terms) => {
            if terms.suspended {
                return Err(BookingError::Suspended {
                    member: member_id.into(),
                });
            }
            if terms.pauses.iter().any(|p| p.from <= day && day < p.until) {
                return Err(BookingError::Paused {
                    member: member_id.into(),
                    date: day,
                });
            }
            let in_force = terms.from <= day && terms.until.is_none_or(|until| day < until);
            if included && !in_force {
                return Err(BookingError::MembershipNotInForce {
                    member: member_id.into(),
                    date: day,
                });
            }
        }
    }
    if let Some(restriction) = eligibility
        .restrictions
        .iter()
        .find(|r| rules.refuse_restrictions.contains(r))
    {
        return Err(BookingError::Restricted {
            member: member_id.into(),
            restriction: restriction.clone(),
        });
    }
    if let Some(until) = member.locked_until
        && at < until
    {
        return Err(BookingError::Locked {
            member: member_id.into(),
            until,
        });
    }
    Ok(())
}

/// Refuses a seat in `session` that would break a limit or overlap a
/// session the member holds.
pub(super) fn fits(
    rules: &Rules,
    member_id: &str,
    member: &Member,
    session: &Session,
    at: Instant,
) -> Result<(), BookingError> {
    check_limits(rules, member_id, member, session, at)?;
    match member
        .holdings
        .iter()
        .find(|h| h.attendance == Attendance::Booked && session.overlaps(h.start, h.end))
    {
        Some(other) => Err(BookingError::Overlaps {
            member: member_id.into(),
            session: other.session.clone(),
        }),
        None => Ok(()),
    }
}

fn check_limits(
    rules: &Rules,
    member_id: &str,
    member: &Member,
    session: &Session,
    at: Instant,
) -> Result<(), BookingError> {
    let spec = &session.spec;
    let day = local_date(spec.start);
    let week = day.iso_week();
    let limits = &rules.limits;
    let reached = |limit: Limit, max: u32| BookingError::LimitReached {
        member: member_id.into(),
        limit,
        max,
    };
    let counted = |attendance| {
        matches!(
            attendance,
            Attendance::Booked | Attendance::Attended | Attendance::NoShow
        )
    };
    let mut future = 0;
    let mut on_day = 0;
    let mut in_week = 0;
    for holding in &member.holdings {
        if holding.attendance == Attendance::Booked && holding.start > at {
            future += 1;
        }
        if counted(holding.attendance) {
            let date = local_date(holding.start);
            on_day += u32::from(date == day);
            in_week += u32::from(date.iso_week() == week);
        }
    }
    if let Some(max) = limits.max_future_bookings
        && future >= max
    {
        return Err(reached(Limit::FutureBookings, max));
    }
    if let Some(max) = limits.per_day
        && on_day >= max
    {
        return Err(reached(Limit::PerDay, max));
    }
    if let Some(max) = limits.per_week
        && in_week >= max
    {
        return Err(reached(Limit::PerWeek, max));
    }
    if spec.credits == 0
        && let Some(allowance) = member
            .eligibility
            .membership
            .as_ref()
            .and_then(|m| m.allowance)
    {
        let period = allowance.schedule.period_containing(day)?;
        let used = member
            .holdings
            .iter()
            .filter(|h| h.included && period.contains(local_date(h.start)))
            .count();
        if used >= allowance.bookings as usize {
            return Err(reached(Limit::PlanPeriod, allowance.bookings));
        }
    }
    Ok(())
}

/// The valid pack that expires first with `credits` free for `session`.
pub(super) fn pick_pack<'m>(
    member: &'m Member,
    session: &SessionSpec,
    credits: u32,
) -> Option<&'m Pack> {
    member
        .packs
        .iter()
        .filter(|p| {
            session.start < p.spec.expires
                && p.available() >= credits
                && (p.spec.valid_for.is_empty()
                    || p.spec.valid_for.iter().any(|t| session.tags.contains(t)))
        })
        .min_by_key(|p| p.spec.expires)
}
