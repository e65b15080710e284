//! Facts from the member's own data — status, plan, renewals, planned
//! changes, minimum term, invoices — computed with the same queries and
//! billing runs the three layers share, and written in the member's language.

use super::member::{Club, Member};
use super::text::{self, Language, Templates};
use crate::billing::{BillingAccount, Document, DocumentKind, bill, bill_in_place};
use crate::booking::{Book, Instant};
use crate::dunning::{Action, Planned};
use crate::membership::{EarlyCancel, Event, Membership, PlanId, ScheduledChange, Status};
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// One fact shown to the member. Serialized with a `"fact"` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Fact {
    /// The membership's status today.
    Status {
        /// The status.
        status: Status,
    },
    /// The current plan.
    Plan {
        /// Its id.
        id: PlanId,
        /// Its name.
        name: String,
        /// Its price per period.
        price: Money,
    },
    /// The next renewal.
    NextRenewal {
        /// The day.
        on: NaiveDate,
    },
    /// A pause decided and not yet started.
    PlannedPause {
        /// The first paused day.
        from: NaiveDate,
        /// The day membership resumes.
        until: NaiveDate,
    },
    /// The end of the pause under way.
    PlannedResume {
        /// The day membership resumes.
        on: NaiveDate,
    },
    /// A cancellation decided.
    PlannedCancellation {
        /// The first day no longer a member.
        on: NaiveDate,
    },
    /// A plan change decided.
    PlannedPlanChange {
        /// The day the new plan applies.
        on: NaiveDate,
        /// The new plan's id.
        plan: PlanId,
        /// Its name.
        name: String,
    },
    /// The minimum term, while it runs.
    MinimumTerm {
        /// The first day after it.
        ends_on: NaiveDate,
    },
    /// The early-termination fee a cancel costs now.
    EarlyTerminationFee {
        /// The fee.
        amount: Money,
    },
    /// The monthly pause fee (休会費).
    PauseFee {
        /// Per month.
        monthly: Money,
    },
    /// What today's prorated settlement comes to (credits net of charges).
    Settlement {
        /// The sum of today's documents; negative when the member is owed.
        amount: Money,
    },
    /// The next invoice.
    NextInvoice {
        /// Its date.
        date: NaiveDate,
        /// When it is collected.
        collection_date: NaiveDate,
        /// What is to be collected.
        amount: Money,
    },
    /// The last invoice before membership ends.
    LastInvoice {
        /// Its date.
        date: NaiveDate,
        /// What is to be collected.
        amount: Money,
    },
    /// No invoice is coming.
    NoInvoice,
    /// What is unpaid.
    UnpaidBalance {
        /// The sum of the open invoices' balances.
        amount: Money,
    },
    /// What dunning will do, and when, unless the member pays.
    Dunning {
        /// The planned step.
        #[serde(flatten)]
        planned: Planned,
    },
    /// A booking to come.
    Booked {
        /// The session.
        session: String,
        /// When it starts.
        start: Instant,
    },
    /// A waitlist place.
    Waiting {
        /// The session.
        session: String,
        /// When it starts.
        start: Instant,
        /// The place in line, from 1.
        position: u32,
    },
    /// Nothing booked and no waitlist place.
    NoBookings,
    /// The session a booking command is about.
    Session {
        /// The session.
        session: String,
        /// When it starts.
        start: Instant,
    },
    /// The place in line a waitlist command gives.
    WaitlistPosition {
        /// From 1.
        position: u32,
    },
    /// Punch-card credits a booking reserves.
    CreditsUsed {
        /// How many.
        credits: u32,
    },
    /// Credits a late cancel forfeits.
    CreditsForfeited {
        /// How many.
        credits: u32,
    },
    /// The fee a late cancel costs.
    LateCancelFee {
        /// The fee.
        amount: Money,
    },
}

/// Billing previews over one member: the ledger caught up to today, then
/// runs on top of it with the events a command would add.
pub(super) struct Billing<'a> {
    club: &'a Club,
    member: &'a Member,
    today: NaiveDate,
    /// Billed through today with the member's events, or `None` when that
    /// run fails (no facts about invoices are shown then).
    baseline: Option<BillingAccount>,
}

impl<'a> Billing<'a> {
    pub fn new(club: &'a Club, member: &'a Member, today: NaiveDate) -> Self {
        let mut account = member
            .billing
            .clone()
            .unwrap_or_else(|| BillingAccount::new(member.identity.member_number.as_str()));
        let baseline = bill_in_place(
            &mut account,
            &member.membership,
            &club.catalog,
            &club.billing,
            today,
        )
        .ok()
        .map(|_| account);
        Self {
            club,
            member,
            today,
            baseline,
        }
    }

    /// The documents after today's, through `through`, with `extra` events
    /// added to the member's.
    fn documents(&self, extra: &[Event], through: NaiveDate) -> Vec<Document> {
        let Some(account) = &self.baseline else {
            return Vec::new();
        };
        let events: Vec<Event> = self
            .member
            .membership
            .iter()
            .chain(extra)
            .cloned()
            .collect();
        bill(
            account,
            &events,
            &self.club.catalog,
            &self.club.billing,
            through,
        )
        .map(|run| run.documents)
        .unwrap_or_default()
    }

    /// The invoice facts for a membership that will be `after` once `extra`
    /// events are added: today's settlement, then the next invoice (or,
    /// when it ends, the last one).
    pub fn invoices(&self, after: &Membership, extra: &[Event]) -> Vec<Fact> {
        let mut facts = Vec::new();
        if self.baseline.is_none() {
            return facts;
        }
        let catalog = &self.club.catalog;
        let next = after.next_renewal(catalog, self.today).ok().flatten();
        let through = match (next, after.ends_on) {
            (Some(next), _) => next,
            (None, Some(end)) => end,
            (None, None) => self.today,
        };
        let documents = self.documents(extra, through);
        let today: Vec<&Document> = documents.iter().filter(|d| d.date == self.today).collect();
        if let Some(first) = today.first() {
            let mut amount = Money::zero(first.total.currency());
            for document in &today {
                amount = amount.checked_add(document.total).unwrap_or(amount);
            }
            facts.push(Fact::Settlement { amount });
        }
        let mut upcoming = documents
            .iter()
            .filter(|d| d.date > self.today && d.kind == DocumentKind::Invoice);
        let fact = if next.is_none() && after.ends_on.is_some() {
            upcoming.next_back().map(|d| Fact::LastInvoice {
                date: d.date,
                amount: d.amount_due,
            })
        } else {
            upcoming.next().map(|d| Fact::NextInvoice {
                date: d.date,
                collection_date: d.collection_date,
                amount: d.amount_due,
            })
        };
        facts.push(fact.unwrap_or(Fact::NoInvoice));
        facts
    }
}

/// The facts about a membership as it stands on `today`.
pub(super) fn membership_facts(
    club: &Club,
    member: &Member,
    state: &Membership,
    today: NaiveDate,
) -> Vec<Fact> {
    let catalog = &club.catalog;
    let mut facts = Vec::new();
    let status = state.status_on(catalog, today).unwrap_or(state.status);
    facts.push(Fact::Status { status });
    let plan = state.plan.as_deref().and_then(|id| catalog.get(id).ok());
    if let Some(plan) = plan {
        facts.push(Fact::Plan {
            id: plan.id.clone(),
            name: plan.name.clone(),
            price: plan.price,
        });
    }
    if let Ok(Some(on)) = state.next_renewal(catalog, today) {
        facts.push(Fact::NextRenewal { on });
    }
    for change in state.scheduled_changes() {
        facts.extend(match change {
            ScheduledChange::Pause { on, until } => Some(Fact::PlannedPause { from: on, until }),
            ScheduledChange::Resume { on } => Some(Fact::PlannedResume { on }),
            ScheduledChange::Cancellation { on } => Some(Fact::PlannedCancellation { on }),
            ScheduledChange::PlanChange { on, plan } => {
                let name = catalog
                    .get(&plan)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                Some(Fact::PlannedPlanChange { on, plan, name })
            }
            ScheduledChange::Start { .. } | ScheduledChange::TrialEnd { .. } => None,
        });
    }
    if let Some((plan, term)) = plan.and_then(|p| Some((p, p.minimum_term.as_ref()?)))
        && let Ok(ends_on) = state.minimum_term_end(plan, term.periods)
        && ends_on > today
    {
        facts.push(Fact::MinimumTerm { ends_on });
        if let EarlyCancel::Fee { amount } = term.early_cancel {
            facts.push(Fact::EarlyTerminationFee { amount });
        }
    }
    facts.extend(Billing::new(club, member, today).invoices(state, &[]));
    facts.extend(unpaid_facts(club, member));
    facts
}

/// The next invoice, then what is unpaid and what dunning plans for it,
/// for billing questions.
pub(super) fn billing_facts(
    club: &Club,
    member: &Member,
    state: &Membership,
    today: NaiveDate,
) -> Vec<Fact> {
    let mut facts = Billing::new(club, member, today).invoices(state, &[]);
    facts.extend(unpaid_facts(club, member));
    facts
}

/// The unpaid balance and dunning's steps to come (reminders left out: they
/// are the host's to send), when anything is unpaid.
fn unpaid_facts(club: &Club, member: &Member) -> Vec<Fact> {
    let Some(receivables) = &member.receivables else {
        return Vec::new();
    };
    let Some(amount) = receivables
        .unpaid_balance()
        .filter(|a| !a.is_zero() && !a.is_negative())
    else {
        return Vec::new();
    };
    let mut facts = vec![Fact::UnpaidBalance { amount }];
    if let Some(policy) = &club.dunning {
        let planned = receivables.timeline(policy).unwrap_or_default();
        facts.extend(
            planned
                .into_iter()
                .filter(|p| !matches!(p.action, Action::Remind { .. }))
                .map(|planned| Fact::Dunning { planned }),
        );
    }
    facts
}

/// The member's bookings to come and waitlist places in `book` at `now`.
pub(super) fn booking_facts(member: &Member, book: &Book, now: Instant) -> Vec<Fact> {
    let Some(view) = book.member_view(member.booking_id(), now) else {
        return vec![Fact::NoBookings];
    };
    let start = |session: &str| book.sessions.get(session).map(|s| s.spec.start);
    let mut facts: Vec<Fact> = view
        .upcoming
        .iter()
        .filter_map(|session| {
            Some(Fact::Booked {
                session: session.to_string(),
                start: start(session)?,
            })
        })
        .collect();
    facts.extend(view.waiting.iter().filter_map(|(session, position)| {
        Some(Fact::Waiting {
            session: session.to_string(),
            start: start(session)?,
            position: *position,
        })
    }));
    if facts.is_empty() {
        facts.push(Fact::NoBookings);
    }
    facts
}

/// A fact as one line of text.
pub(super) fn render(
    fact: &Fact,
    language: Language,
    templates: &Templates,
    today: NaiveDate,
) -> String {
    let date = |d: NaiveDate| text::date(language, d, today);
    let last = |d: NaiveDate| date(d.pred_opt().unwrap_or(d));
    let money = |m: &Money| text::money(language, m);
    let instant = |at: Instant| {
        let local = at.naive_local();
        format!("{} {}", date(local.date()), local.format("%H:%M"))
    };
    let (key, values): (&str, Vec<(&str, String)>) = match fact {
        Fact::Status { status } => {
            let label = templates.render(language, &format!("status_{}", status.name()), &[]);
            ("fact_status", vec![("status", label)])
        }
        Fact::Plan { name, price, .. } => (
            "fact_plan",
            vec![("plan", name.clone()), ("price", money(price))],
        ),
        Fact::NextRenewal { on } => ("fact_next_renewal", vec![("on", date(*on))]),
        Fact::PlannedPause { from, until } => (
            "fact_planned_pause",
            vec![("from", date(*from)), ("last", last(*until))],
        ),
        Fact::PlannedResume { on } => ("fact_planned_resume", vec![("on", date(*on))]),
        Fact::PlannedCancellation { on } => {
            ("fact_planned_cancellation", vec![("last", last(*on))])
        }
        Fact::PlannedPlanChange { on, plan, name } => {
            let name = if name.is_empty() {
                plan.to_string()
            } else {
                name.clone()
            };
            (
                "fact_planned_plan_change",
                vec![("on", date(*on)), ("plan", name)],
            )
        }
        Fact::MinimumTerm { ends_on } => ("fact_minimum_term", vec![("last", last(*ends_on))]),
        Fact::EarlyTerminationFee { amount } => ("fact_early_fee", vec![("fee", money(amount))]),
        Fact::PauseFee { monthly } => ("fact_pause_fee", vec![("fee", money(monthly))]),
        Fact::Settlement { amount } if amount.is_negative() => {
            ("fact_credit", vec![("amount", money(&amount.negated()))])
        }
        Fact::Settlement { amount } => ("fact_settlement", vec![("amount", money(amount))]),
        Fact::NextInvoice {
            date: on,
            collection_date,
            amount,
        } => (
            "fact_next_invoice",
            vec![
                ("date", date(*on)),
                ("amount", money(amount)),
                ("collect", date(*collection_date)),
            ],
        ),
        Fact::LastInvoice { date: on, amount } => (
            "fact_last_invoice",
            vec![("date", date(*on)), ("amount", money(amount))],
        ),
        Fact::NoInvoice => ("fact_no_invoice", Vec::new()),
        Fact::UnpaidBalance { amount } => ("fact_unpaid", vec![("amount", money(amount))]),
        Fact::Dunning { planned } => return planned.message(language),
        Fact::Booked { session, start } => (
            "fact_booked",
            vec![("session", session.clone()), ("start", instant(*start))],
        ),
        Fact::Waiting {
            session,
            start,
            position,
        } => (
            "fact_waiting",
            vec![
                ("session", session.clone()),
                ("start", instant(*start)),
                ("position", position.to_string()),
            ],
        ),
        Fact::NoBookings => ("fact_no_bookings", Vec::new()),
        Fact::Session { session, start } => (
            "fact_session",
            vec![("session", session.clone()), ("start", instant(*start))],
        ),
        Fact::WaitlistPosition { position } => (
            "fact_waitlist_position",
            vec![("position", position.to_string())],
        ),
        Fact::CreditsUsed { credits } => {
            ("fact_credits_used", vec![("credits", credits.to_string())])
        }
        Fact::CreditsForfeited { credits } => (
            "fact_credits_forfeited",
            vec![("credits", credits.to_string())],
        ),
        Fact::LateCancelFee { amount } => ("fact_late_cancel_fee", vec![("fee", money(amount))]),
    };
    templates.render(language, key, &values)
}
