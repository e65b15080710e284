//! A reply's text: lines gathered while the turn runs (「ご本人様を確認しました。」,
//! a refusal's reason), then the step's own text.

use super::config::{IdentityField, Procedure};
use super::facts::{self, Fact};
use super::member::Club;
use super::reply::{Detail, Offer, Step};
use super::text::{self, Language, Templates};
use crate::booking::{Book, Command as BookingCommand, Instant};
use crate::intent::{HandoverReason, OUT_OF_SCOPE};
use crate::membership::{CancelTiming, Command, Event};
use chrono::{Months, NaiveDate};

/// The text of one reply, in the member's language.
pub(super) struct Say<'a> {
    templates: &'a Templates,
    language: Language,
    today: NaiveDate,
    club: &'a Club,
    lines: Vec<String>,
}

impl<'a> Say<'a> {
    pub fn new(
        templates: &'a Templates,
        language: Language,
        today: NaiveDate,
        club: &'a Club,
    ) -> Self {
        Self {
            templates,
            language,
            today,
            club,
            lines: Vec::new(),
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    fn render(&self, key: &str, values: &[(&str, String)]) -> String {
        self.templates.render(self.language, key, values)
    }

    fn date(&self, day: NaiveDate) -> String {
        text::date(self.language, day, self.today)
    }

    /// The day before `day` (the last day of something ending before `day`).
    fn last(&self, day: NaiveDate) -> String {
        self.date(day.pred_opt().unwrap_or(day))
    }

    /// Adds a line as it is.
    pub fn line(&mut self, line: String) {
        self.lines.push(line);
    }

    /// Identity was verified in this turn.
    pub fn verified(&mut self) {
        let line = self.render("verified", &[]);
        self.line(line);
    }

    /// The line that states what `command` (accepted with `events`) does.
    pub fn proposal(&mut self, command: &Command, events: &[Event]) {
        let line = self.describe(command, events);
        self.line(line);
    }

    /// The nearest alternative, introduced.
    pub fn alternative(&mut self, command: &Command, events: &[Event]) {
        let intro = self.render("alternative", &[]);
        self.line(intro);
        self.proposal(command, events);
    }

    /// The line that states what a booking command does.
    pub fn booking_proposal(&mut self, command: &BookingCommand, book: &Book) {
        let (key, session) = match command {
            BookingCommand::Book { session, .. } => ("confirm_book", session),
            BookingCommand::JoinWaitlist { session, .. } => ("confirm_join_waitlist", session),
            BookingCommand::Cancel { session, .. } => ("confirm_cancel_booking", session),
            BookingCommand::LeaveWaitlist { session, .. } => ("confirm_leave_waitlist", session),
            // The booking procedures make no other command.
            _ => return,
        };
        let start = book
            .sessions
            .get(session)
            .map(|s| self.instant(s.spec.start))
            .unwrap_or_default();
        let line = self.render(key, &[("session", session.to_string()), ("start", start)]);
        self.line(line);
    }

    /// The nearest booking alternative, introduced.
    pub fn booking_alternative(&mut self, command: &BookingCommand, book: &Book) {
        let intro = self.render("alternative", &[]);
        self.line(intro);
        self.booking_proposal(command, book);
    }

    /// A session's start as written: 「5月8日 10:00」.
    fn instant(&self, at: Instant) -> String {
        let local = at.naive_local();
        format!("{} {}", self.date(local.date()), local.format("%H:%M"))
    }

    fn describe(&self, command: &Command, events: &[Event]) -> String {
        let effective = |cancel: bool| {
            events.iter().rev().find_map(|e| match e {
                Event::Cancelled { on, .. } | Event::CancellationScheduled { on, .. } if cancel => {
                    Some(*on)
                }
                Event::PlanChanged { on, .. } | Event::PlanChangeScheduled { on, .. }
                    if !cancel =>
                {
                    Some(*on)
                }
                _ => None,
            })
        };
        match command {
            Command::Pause { from, until } => {
                let months = (1..=1200)
                    .find(|&m| {
                        from.checked_add_months(Months::new(m))
                            .is_none_or(|d| d >= *until)
                    })
                    .unwrap_or(1);
                self.render(
                    "confirm_pause",
                    &[
                        ("from", self.date(*from)),
                        ("last", self.last(*until)),
                        ("months", text::months(self.language, months)),
                    ],
                )
            }
            Command::Resume { on } => self.render("confirm_resume", &[("on", self.date(*on))]),
            Command::Cancel { when } => {
                let on = effective(true).or(match when {
                    CancelTiming::On(on) => Some(*on),
                    _ => None,
                });
                let last = on.map(|on| self.last(on)).unwrap_or_default();
                self.render("confirm_cancel", &[("last", last)])
            }
            Command::ChangePlan { plan, .. } => {
                let (name, price) = self.club.catalog.get(plan).map_or_else(
                    |_| (plan.to_string(), String::new()),
                    |p| (p.name.clone(), text::money(self.language, &p.price)),
                );
                let on = effective(false).map(|on| self.date(on)).unwrap_or_default();
                self.render(
                    "confirm_change_plan",
                    &[("on", on), ("plan", name), ("price", price)],
                )
            }
            other => other.name().to_owned(),
        }
    }

    fn facts(&mut self, facts: &[Fact]) {
        for fact in facts {
            let line = facts::render(fact, self.language, self.templates, self.today);
            self.line(line);
        }
    }

    fn offers(&self, offers: &[Offer]) -> String {
        let items: Vec<String> = offers
            .iter()
            .map(|offer| match (offer.procedure, &offer.plan) {
                (Procedure::ChangePlan, Some(plan)) => {
                    let name = self
                        .club
                        .catalog
                        .get(plan)
                        .map_or_else(|_| plan.clone(), |p| p.name.clone());
                    self.render(
                        "offer_plan",
                        &[
                            ("plan", name),
                            ("price", text::money(self.language, &offer.monthly)),
                        ],
                    )
                }
                _ => self.render(
                    "offer_pause",
                    &[("fee", text::money(self.language, &offer.monthly))],
                ),
            })
            .collect();
        text::list(self.language, &items, true)
    }

    fn detail(&self, detail: &Detail) -> String {
        match detail {
            Detail::PauseStart => self.render("ask_pause_start", &[]),
            Detail::PauseMonths { min, max } => self.render(
                "ask_pause_months",
                &[("min", min.to_string()), ("max", max.to_string())],
            ),
            Detail::ResumeDate => self.render("ask_resume_date", &[]),
            Detail::Plan { plans } => {
                let names: Vec<String> = plans
                    .iter()
                    .map(|id| {
                        self.club
                            .catalog
                            .get(id)
                            .map_or_else(|_| id.clone(), |p| p.name.clone())
                    })
                    .collect();
                self.render(
                    "ask_plan",
                    &[("plans", text::list(self.language, &names, true))],
                )
            }
            Detail::Session { choices, .. } => {
                let items: Vec<String> = choices
                    .iter()
                    .map(|c| format!("{} {}", c.session, self.instant(c.start)))
                    .collect();
                self.render(
                    "ask_session",
                    &[("choices", text::list(self.language, &items, true))],
                )
            }
            Detail::ChangeTiming { next_renewal } => {
                let next = next_renewal.map(|d| self.date(d)).unwrap_or_default();
                self.render("ask_change_timing", &[("next", next)])
            }
        }
    }

    /// The whole text: the lines gathered, then `step`'s own.
    pub fn finish(mut self, step: &Step) -> String {
        match step {
            Step::Answer { about } if about == OUT_OF_SCOPE => {
                let line = self.render("out_of_scope", &[]);
                self.line(line);
            }
            Step::Answer { .. } => {}
            Step::Clarify { .. } => {
                let line = self.render("clarify", &[]);
                self.line(line);
            }
            Step::AskIdentity { fields } => {
                let line = if fields.as_slice() == [IdentityField::MemberNumber] {
                    self.render("ask_member_number", &[])
                } else {
                    let names: Vec<String> = fields
                        .iter()
                        .map(|f| self.render(&format!("field_{}", f.name()), &[]))
                        .collect();
                    self.render(
                        "ask_identity",
                        &[("fields", text::list(self.language, &names, true))],
                    )
                };
                self.line(line);
            }
            Step::IdentityMismatch { attempts_left } => {
                let line = self.render(
                    "identity_mismatch",
                    &[("attempts_left", attempts_left.to_string())],
                );
                self.line(line);
            }
            Step::AskDetail { detail, .. } => {
                let line = self.detail(detail);
                self.line(line);
            }
            Step::OfferRetention { offers } => {
                let line = self.render("retention", &[("offers", self.offers(offers))]);
                self.line(line);
            }
            Step::Facts { facts, .. } => self.facts(facts),
            Step::Confirm { facts, .. } => {
                self.facts(facts);
                let line = self.render("confirm_question", &[]);
                self.line(line);
            }
            Step::Refused { alternative, .. } => {
                if let Some(alternative) = alternative {
                    self.facts(&alternative.facts);
                    let line = self.render("confirm_question", &[]);
                    self.line(line);
                }
            }
            Step::Confirmed { .. } => {
                let line = self.render("confirmed", &[]);
                self.line(line);
            }
            Step::Dropped { .. } => {
                let line = self.render("dropped", &[]);
                self.line(line);
            }
            Step::Handover { reason, .. } => {
                let key = if *reason == HandoverReason::VerificationFailed {
                    "handover_verification"
                } else {
                    "handover"
                };
                let line = self.render(key, &[]);
                self.line(line);
            }
        }
        self.lines.join("\n")
    }
}
