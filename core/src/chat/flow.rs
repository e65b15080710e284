//! One turn's flow: handovers first, then the task under way (verifying,
//! collecting details, proposing, confirming) or a new one, or the unsure
//! path to a clarification.

use super::config::{Procedure, Topic};
use super::member::{Bookings, Member};
use super::reply::Alternative;
use super::reply::Step;
use super::say::Say;
use super::state::Request;
use super::state::{ChatState, Details, Goal, Proposal, Task};
use super::turn::Assistant;
use super::verify::{Outcome, verify};
use super::words::{Word, answer_word};
use super::{booking, explain, facts, procedure};
use crate::booking::{Command as BookingCommand, decide as booking_decide};
use crate::intent::HandoverReason;
use crate::intent::slots::{Slot, SlotValue};
use crate::membership::{Membership, decide};
use chrono::NaiveDate;

/// One turn in progress.
pub(super) struct TurnState<'a> {
    pub assistant: &'a Assistant,
    pub say: Say<'a>,
    pub state: ChatState,
    pub intent: String,
    pub confidence: f32,
    pub slots: Vec<Slot>,
    /// The slots verification took (not details of a procedure).
    pub used: Vec<bool>,
    pub message: String,
    pub member: Option<&'a Member>,
    pub bookings: Option<Bookings<'a>>,
    pub today: NaiveDate,
}

impl TurnState<'_> {
    pub fn step(&mut self, complaint: bool, choices: Vec<String>) -> Step {
        let router = &self.assistant.router;
        if let Some(reason) = self.state.handed_over {
            return self.handover(reason);
        }
        let confident = router.confident(&self.intent, self.confidence);
        if complaint {
            return self.handover(HandoverReason::Complaint);
        }
        if confident && self.intent == router.config().human_intent {
            return self.handover(HandoverReason::Asked);
        }
        let asked = if confident {
            self.assistant.goal(&self.intent)
        } else {
            None
        };
        let Some(task) = self.state.task.take() else {
            return match asked {
                Some(goal) => self.start(goal),
                None if confident => Step::Answer {
                    about: self.intent.clone(),
                },
                None => self.unsure(choices),
            };
        };
        self.resume(task, asked, choices)
    }

    /// A message in a conversation with a task under way.
    fn resume(&mut self, mut task: Task, asked: Option<Goal>, choices: Vec<String>) -> Step {
        let switch = asked.clone().filter(|goal| *goal != task.goal);
        if !self.state.identity.verified {
            let identity_given = self.slots.iter().any(|s| {
                matches!(
                    s.value,
                    SlotValue::MemberNumber(_)
                        | SlotValue::Email(_)
                        | SlotValue::Phone(_)
                        | SlotValue::Date(_)
                )
            });
            if let Some(goal) = switch.filter(|_| !identity_given) {
                return self.start(goal);
            }
            return self.advance(task);
        }
        let procedure = match task.goal {
            Goal::Procedure(p) => p,
            _ => return self.advance(task),
        };
        let changed = self.absorb(procedure, &mut task.details);
        let word = answer_word(&self.message);
        if task.proposal.is_some() && !changed {
            match (word, switch) {
                (Some(Word::Yes), _) => return self.confirm(task),
                (Some(Word::No), _) => {
                    return Step::Dropped { procedure };
                }
                (None, Some(goal)) => return self.start(goal),
                (None, None) => return self.repeat(task, choices),
            }
        }
        if procedure == Procedure::Cancel
            && self.state.conversation.retention_offered
            && !task.details.retention_declined
        {
            match switch {
                Some(goal @ Goal::Procedure(Procedure::Pause | Procedure::ChangePlan)) => {
                    return self.start(goal);
                }
                _ if word == Some(Word::No) || asked == Some(task.goal.clone()) || changed => {
                    task.details.retention_declined = true;
                }
                _ => return self.repeat(task, choices),
            }
        } else if let Some(goal) = switch.filter(|_| !changed) {
            return self.start(goal);
        } else if !changed && asked.is_none() && word.is_none() {
            return self.repeat(task, choices);
        }
        task.proposal = None;
        self.advance(task)
    }

    /// A new task for `goal`, with the details this message gave.
    fn start(&mut self, goal: Goal) -> Step {
        let mut task = Task {
            goal,
            details: Details::default(),
            proposal: None,
        };
        if let Goal::Procedure(procedure) = task.goal {
            self.absorb(procedure, &mut task.details);
        }
        self.advance(task)
    }

    /// The same question again: an unsure turn, counted toward a handover.
    fn repeat(&mut self, mut task: Task, choices: Vec<String>) -> Step {
        match self.unsure(choices) {
            handover @ Step::Handover { .. } => handover,
            _ => {
                task.proposal = None;
                self.advance(task)
            }
        }
    }

    /// An unsure message outside any task: clarify, or hand over.
    fn unsure(&mut self, choices: Vec<String>) -> Step {
        let router = &self.assistant.router;
        let action = router.unsure(
            &mut self.state.conversation,
            &self.intent,
            choices,
            &self.slots,
        );
        match action {
            crate::intent::Action::Handover { .. } => self.handover(HandoverReason::Unsure),
            crate::intent::Action::Clarify { choices } => Step::Clarify { choices },
            _ => Step::Answer {
                about: self.intent.clone(),
            },
        }
    }

    /// Takes a procedure's details from the slots verification did not take.
    fn absorb(&mut self, procedure: Procedure, details: &mut Details) -> bool {
        let free: Vec<&Slot> = self
            .slots
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(slot, _)| slot)
            .collect();
        if procedure.is_booking() {
            booking::absorb(procedure, details, &free)
        } else {
            procedure::absorb(procedure, details, &free, &self.message, self.today)
        }
    }

    /// Verifies identity if needed, then takes the task's next step.
    fn advance(&mut self, task: Task) -> Step {
        let rules = &self.assistant.config.verification;
        match verify(
            &mut self.state.identity,
            rules,
            &self.slots,
            &mut self.used,
            self.member,
            self.today,
        ) {
            Outcome::AlreadyVerified => {}
            Outcome::Verified => {
                self.say.verified();
                // Details given with the identity count too.
                let mut task = task;
                if let Goal::Procedure(procedure) = task.goal {
                    self.absorb(procedure, &mut task.details);
                }
                return self.act(task);
            }
            Outcome::Ask(fields) => {
                self.state.task = Some(task);
                return Step::AskIdentity { fields };
            }
            Outcome::Mismatch(attempts_left) => {
                self.state.task = Some(task);
                return Step::IdentityMismatch { attempts_left };
            }
            Outcome::Failed => return self.handover(HandoverReason::VerificationFailed),
        }
        self.act(task)
    }

    /// The task's step for a verified member.
    fn act(&mut self, mut task: Task) -> Step {
        let Some(member) = self.member else {
            // Verified earlier, but the host found no record now.
            return self.handover(HandoverReason::VerificationFailed);
        };
        let club = &self.assistant.club;
        let state = member.state();
        let procedure = match &task.goal {
            Goal::Host(intent) => {
                return Step::Answer {
                    about: intent.clone(),
                };
            }
            Goal::Answer(topic) => {
                let facts = match (topic, self.bookings) {
                    (Topic::Membership, _) => {
                        facts::membership_facts(club, member, &state, self.today)
                    }
                    (Topic::Billing, _) => facts::billing_facts(club, member, &state, self.today),
                    (Topic::Bookings, Some(b)) => facts::booking_facts(member, b.book, b.now),
                    // Without the book, the host answers.
                    (Topic::Bookings, None) => {
                        let config = &self.assistant.config;
                        let about = config.answers.iter().find(|(_, t)| **t == *topic);
                        return Step::Answer {
                            about: about.map_or_else(|| self.intent.clone(), |(i, _)| i.clone()),
                        };
                    }
                };
                return Step::Facts {
                    topic: *topic,
                    facts,
                };
            }
            Goal::Procedure(p) if p.is_booking() => {
                let procedure = *p;
                return self.act_booking(task, procedure, member);
            }
            Goal::Procedure(p) => *p,
        };
        if procedure == Procedure::Cancel
            && self.assistant.config.retention
            && !self.state.conversation.retention_offered
        {
            self.state.conversation.retention_offered = true;
            let offers = procedure::retention_offers(club, &state, self.today);
            if !offers.is_empty() {
                self.state.task = Some(task);
                return Step::OfferRetention { offers };
            }
            task.details.retention_declined = true;
        }
        let command = match procedure::command(procedure, &task.details, club, &state, self.today) {
            Ok(command) => command,
            Err(detail) => {
                self.state.task = Some(task);
                return Step::AskDetail { procedure, detail };
            }
        };
        self.propose(task, procedure, member, &state, command)
    }

    /// The step of a booking procedure: the session asked about, then a dry
    /// run on the book. Without the book the host answers.
    fn act_booking(&mut self, task: Task, procedure: Procedure, member: &Member) -> Step {
        let Some(Bookings { book, now, .. }) = self.bookings else {
            let config = &self.assistant.config;
            let about = config.procedures.iter().find(|(_, p)| **p == procedure);
            return Step::Answer {
                about: about.map_or_else(|| self.intent.clone(), |(i, _)| i.clone()),
            };
        };
        match booking::command(procedure, &task.details, book, member.booking_id(), now) {
            Ok(command) => self.propose_booking(task, procedure, command),
            Err(booking::Missing::Ask(detail)) => {
                self.state.task = Some(task);
                Step::AskDetail { procedure, detail }
            }
            Err(booking::Missing::NoSession) => {
                let line = self.assistant.config.templates.render(
                    self.say.language(),
                    "refuse_booking_no_session",
                    &[],
                );
                self.say.line(line);
                self.state.task = Some(task);
                Step::Refused {
                    procedure,
                    code: "no_session",
                    message: "no session fits what the member said".into(),
                    alternative: None,
                }
            }
        }
    }

    /// A dry run of a booking command on the book: a confirmation, or the
    /// refusal with the waitlist when the class is full.
    fn propose_booking(
        &mut self,
        mut task: Task,
        procedure: Procedure,
        command: BookingCommand,
    ) -> Step {
        let Some(Bookings { book, rules, now }) = self.bookings else {
            return Step::Dropped { procedure };
        };
        let version = book.version;
        match booking_decide(book, rules, &command, now) {
            Ok(events) => {
                let facts = booking::facts(book, &command, &events);
                self.say.booking_proposal(&command, book);
                task.proposal = Some(Proposal {
                    command: Request::Booking(command.clone()),
                    version,
                });
                self.state.task = Some(task);
                Step::Confirm {
                    procedure,
                    command: Request::Booking(command),
                    version,
                    facts,
                }
            }
            Err(error) => {
                let (code, reason) = explain::booking_refusal(
                    &error,
                    self.say.language(),
                    &self.assistant.config.templates,
                );
                self.say.line(reason);
                let alternative = booking::alternative(&command, &error).and_then(|command| {
                    let events = booking_decide(book, rules, &command, now).ok()?;
                    let facts = booking::facts(book, &command, &events);
                    self.say.booking_alternative(&command, book);
                    task.proposal = Some(Proposal {
                        command: Request::Booking(command.clone()),
                        version,
                    });
                    Some(Alternative {
                        command: Request::Booking(command),
                        version,
                        facts,
                    })
                });
                self.state.task = Some(task);
                Step::Refused {
                    procedure,
                    code,
                    message: error.to_string(),
                    alternative,
                }
            }
        }
    }

    /// A dry run of `command`: a confirmation, or the refusal with the nearest
    /// alternative.
    fn propose(
        &mut self,
        mut task: Task,
        procedure: Procedure,
        member: &Member,
        state: &Membership,
        command: crate::membership::Command,
    ) -> Step {
        let club = &self.assistant.club;
        match decide(state, &club.catalog, &command, self.today) {
            Ok(events) => {
                let facts = procedure::confirmation_facts(
                    club, member, state, &command, &events, self.today,
                );
                self.say.proposal(&command, &events);
                task.proposal = Some(Proposal {
                    command: Request::Membership(command.clone()),
                    version: state.version,
                });
                self.state.task = Some(task);
                Step::Confirm {
                    procedure,
                    command: Request::Membership(command),
                    version: state.version,
                    facts,
                }
            }
            Err(error) => {
                let (code, reason) = explain::refusal(
                    &error,
                    self.say.language(),
                    &self.assistant.config.templates,
                    club,
                    self.today,
                );
                self.say.line(reason);
                let alternative = procedure::alternative(club, state, &command, &error, self.today)
                    .map(|(command, events)| {
                        let facts = procedure::confirmation_facts(
                            club, member, state, &command, &events, self.today,
                        );
                        self.say.alternative(&command, &events);
                        task.proposal = Some(Proposal {
                            command: Request::Membership(command.clone()),
                            version: state.version,
                        });
                        Alternative {
                            command: Request::Membership(command),
                            version: state.version,
                            facts,
                        }
                    });
                self.state.task = Some(task);
                Step::Refused {
                    procedure,
                    code,
                    message: error.to_string(),
                    alternative,
                }
            }
        }
    }

    /// The member said yes: the proposal, checked again on the member's
    /// current state, goes to the host.
    fn confirm(&mut self, task: Task) -> Step {
        let (Goal::Procedure(procedure), Some(proposal), Some(member)) =
            (&task.goal, &task.proposal, self.member)
        else {
            return self.advance(task);
        };
        let procedure = *procedure;
        let command = match proposal.command.clone() {
            Request::Membership(command) => command,
            Request::Booking(command) => return self.confirm_booking(task, procedure, command),
        };
        let state = member.state();
        match decide(&state, &self.assistant.club.catalog, &command, self.today) {
            Ok(_) => Step::Confirmed {
                procedure,
                command: Request::Membership(command),
                version: state.version,
            },
            // The membership changed since: propose again on what it is now.
            Err(_) => {
                let mut task = task;
                task.proposal = None;
                self.propose(task, procedure, member, &state, command)
            }
        }
    }

    /// The yes to a booking command, checked again on the book as it is now.
    fn confirm_booking(
        &mut self,
        mut task: Task,
        procedure: Procedure,
        command: BookingCommand,
    ) -> Step {
        let Some(Bookings { book, rules, now }) = self.bookings else {
            return self.act(task);
        };
        match booking_decide(book, rules, &command, now) {
            Ok(_) => Step::Confirmed {
                procedure,
                command: Request::Booking(command),
                version: book.version,
            },
            Err(_) => {
                task.proposal = None;
                self.propose_booking(task, procedure, command)
            }
        }
    }

    fn handover(&mut self, reason: HandoverReason) -> Step {
        self.state.handed_over = Some(reason);
        self.state.task = None;
        let action = self
            .assistant
            .router
            .handover(reason, &self.state.conversation, &self.slots);
        let summary = match action {
            crate::intent::Action::Handover { summary, .. } => summary,
            _ => String::new(),
        };
        Step::Handover { reason, summary }
    }
}
