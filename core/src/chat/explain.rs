//! A refusal in the member's words: the membership rule's own reason, from
//! the decider's error.

use super::member::Club;
use super::text::{self, Language, Templates};
use crate::booking::BookingError;
use crate::membership::MembershipError;
use chrono::NaiveDate;

/// The stable code of a refusal and its text in `language`.
pub(super) fn refusal(
    error: &MembershipError,
    language: Language,
    templates: &Templates,
    club: &Club,
    today: NaiveDate,
) -> (&'static str, String) {
    let date = |d: &NaiveDate| text::date(language, *d, today);
    let last = |d: &NaiveDate| date(&d.pred_opt().unwrap_or(*d));
    let month = |d: &NaiveDate| text::month(language, *d, today);
    let plan_name = |id: &str| {
        club.catalog
            .get(id)
            .map_or_else(|_| id.to_owned(), |p| p.name.clone())
    };
    let (code, values): (&'static str, Vec<(&str, String)>) = match error {
        MembershipError::PauseNotAllowed { .. } => ("pause_not_allowed", vec![]),
        MembershipError::PauseRequestTooLate { from, deadline } => (
            "pause_deadline",
            vec![("from", month(from)), ("deadline", date(deadline))],
        ),
        MembershipError::PauseTooShort { min, .. } => {
            ("pause_too_short", vec![("min", min.to_string())])
        }
        MembershipError::PauseTooLong { max, .. } => {
            ("pause_too_long", vec![("max", max.to_string())])
        }
        MembershipError::TooManyPauses { max, .. } => {
            ("too_many_pauses", vec![("max", max.to_string())])
        }
        MembershipError::PauseNotAtPeriodStart { next, .. } => {
            ("pause_period_start", vec![("next", date(next))])
        }
        MembershipError::PauseAlreadyPlanned { from } => {
            ("pause_planned", vec![("from", date(from))])
        }
        MembershipError::InsideMinimumTerm { ends_on } => {
            ("minimum_term", vec![("last", last(ends_on))])
        }
        MembershipError::DateInPast { date: day, .. }
        | MembershipError::DateBeforeStart { date: day, .. } => {
            ("date_past", vec![("date", date(day))])
        }
        MembershipError::AfterEnd { ends_on, .. } => ("after_end", vec![("last", last(ends_on))]),
        MembershipError::ResumeOutsidePause { from, until, .. } => (
            "resume_outside",
            vec![("from", date(from)), ("last", last(until))],
        ),
        MembershipError::SamePlan { plan } => ("same_plan", vec![("plan", plan_name(plan))]),
        MembershipError::InvalidTransition { status, .. } => {
            let label = templates.render(language, &format!("status_{}", status.name()), &[]);
            ("status", vec![("status", label)])
        }
        other => ("other", vec![("detail", other.to_string())]),
    };
    let text = templates.render(language, &format!("refuse_{code}"), &values);
    (code, text)
}

/// The stable code of a booking refusal (the booking error's own) and its
/// text in `language`.
pub(super) fn booking_refusal(
    error: &BookingError,
    language: Language,
    templates: &Templates,
) -> (&'static str, String) {
    let code = error.code();
    let key = match code {
        "full" => "refuse_booking_full",
        "booking_closed" | "session_started" | "session_cancelled" => "refuse_booking_closed",
        "not_open_yet" => "refuse_booking_not_open",
        "restricted" => "refuse_booking_restricted",
        "not_a_member" | "membership_not_in_force" | "paused" | "suspended" => {
            "refuse_booking_membership"
        }
        "limit_reached" => "refuse_booking_limit",
        "overlaps" => "refuse_booking_overlaps",
        "no_credit" => "refuse_booking_no_credit",
        "already_booked" | "already_waitlisted" => "refuse_booking_already",
        "locked" => "refuse_booking_locked",
        _ => "refuse_booking_other",
    };
    let text = templates.render(language, key, &[("detail", error.to_string())]);
    (code, text)
}
