//! The batch advance: many accounts advanced to one date, each in place.

use super::DunningError;
use super::decide::run;
use super::event::Event;
use super::policy::Policy;
use super::state::{Command, Receivables};
use crate::calendar::NaiveDate;

/// Advances every account to `at` in place: the accounts with events or an
/// error, by index. The same as [`decide`](super::decide) with [`Command::Advance`] on
/// each, then [`Receivables::apply`].
///
/// `accounts` is a slice (`&mut accounts`) or any iterator of accounts held
/// apart, such as a binding's objects each behind its own lock, which are
/// advanced where they are instead of being moved into a slice and back.
///
/// Every run works in one spare state and one event list: the spare is made
/// a copy of the account in the storage of the state last replaced, and
/// trades places with the account when its run made events, so a changed
/// account costs no new state; its events are moved into a list of their
/// exact length. An account with nothing due is neither copied nor written.
pub fn advance_all<'a>(
    accounts: impl IntoIterator<Item = &'a mut Receivables>,
    policy: &Policy,
    at: NaiveDate,
) -> Vec<(usize, Result<Vec<Event>, DunningError>)> {
    let mut out = Vec::new();
    let mut spare = Receivables::default();
    let mut events = Vec::new();
    for (i, account) in accounts.into_iter().enumerate() {
        match run(
            account,
            policy,
            &Command::Advance,
            at,
            &mut spare,
            &mut events,
        ) {
            Ok(true) if !events.is_empty() => {
                // The state the events lead to, already made by the run.
                std::mem::swap(account, &mut spare);
                // Moved into a list of their length; the run's list keeps
                // its room for the next account.
                let mut made = Vec::with_capacity(events.len());
                made.append(&mut events);
                out.push((i, Ok(made)));
            }
            Ok(_) => {}
            Err(err) => {
                events.clear();
                out.push((i, Err(err)));
            }
        }
    }
    out
}
