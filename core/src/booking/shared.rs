//! Deciding and applying in one step, on a book the caller owns or on one
//! shared between threads.

use super::BookingError;
use super::decide::decide;
use super::event::Event;
use super::policy::Rules;
use super::promote::advanced;
use super::query::{MemberView, SessionView};
use super::state::{Book, Command, Instant};
use std::sync::{Mutex, MutexGuard};

impl Book {
    /// Decides `command` and applies its events: the book changes only when
    /// the command is accepted.
    ///
    /// # Errors
    /// As [`decide`]; the book is unchanged.
    pub fn execute(
        &mut self,
        rules: &Rules,
        command: &Command,
        at: Instant,
    ) -> Result<Vec<Event>, BookingError> {
        if let Command::Advance = command {
            if let Some(last) = self.as_of
                && at < last
            {
                return Err(BookingError::OutOfOrder { at, last });
            }
            return Ok(match advanced(self, rules, at)? {
                Some((book, events)) => {
                    *self = book;
                    events
                }
                None => Vec::new(),
            });
        }
        let events = decide(self, rules, command, at)?;
        for event in &events {
            self.apply_mut(event);
        }
        Ok(events)
    }
}

/// A book and its rules behind a lock, for hosts that keep bookings in
/// process: it may be shared between threads (`&SharedBook` is `Send` and
/// `Sync`), and each command is decided and applied atomically, so two
/// threads can never both take the last seat.
///
/// ```
/// use memberkit::booking::{Book, Command, Rules, SharedBook};
/// let shared = SharedBook::new(Rules::default(), Book::default());
/// let at = chrono::DateTime::parse_from_rfc3339("2026-06-01T09:00:00+09:00").unwrap();
/// std::thread::scope(|scope| {
///     scope.spawn(|| shared.execute(&Command::Advance, at));
/// });
/// assert_eq!(shared.version(), 0);
/// ```
#[derive(Debug)]
pub struct SharedBook {
    rules: Rules,
    book: Mutex<Book>,
}

impl SharedBook {
    /// A shared book under `rules`.
    pub fn new(rules: Rules, book: Book) -> Self {
        Self {
            rules,
            book: Mutex::new(book),
        }
    }

    /// The rules.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Decides and applies `command` under the lock ([`Book::execute`]).
    ///
    /// # Errors
    /// As [`decide`]; the book is unchanged.
    pub fn execute(&self, command: &Command, at: Instant) -> Result<Vec<Event>, BookingError> {
        self.lock().execute(&self.rules, command, at)
    }

    /// As [`SharedBook::execute`] when the lock is free at once; `None`
    /// when another thread holds it (so a caller that holds a lock of its
    /// own, such as Python's GIL, can release it before waiting).
    ///
    /// # Errors
    /// As [`decide`]; the book is unchanged.
    pub fn try_execute(
        &self,
        command: &Command,
        at: Instant,
    ) -> Option<Result<Vec<Event>, BookingError>> {
        let mut book = match self.book.try_lock() {
            Ok(book) => book,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return None,
        };
        Some(book.execute(&self.rules, command, at))
    }

    /// When the book next has something to do ([`Book::next_due`]).
    pub fn next_due(&self) -> Option<Instant> {
        self.lock().next_due(&self.rules)
    }

    /// `read` with the book, under the lock (cheaper than a
    /// [`snapshot`](Self::snapshot) for a question asked of it).
    pub fn read<R>(&self, read: impl FnOnce(&Book) -> R) -> R {
        read(&self.lock())
    }

    /// A copy of the book.
    pub fn snapshot(&self) -> Book {
        self.lock().clone()
    }

    /// The book's version.
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// A session's seats and waitlist ([`Book::session_view`]).
    pub fn session_view(&self, session: &str) -> Option<SessionView> {
        self.lock().session_view(session)
    }

    /// A member's view ([`Book::member_view`]).
    pub fn member_view(&self, member: &str, at: Instant) -> Option<MemberView> {
        self.lock().member_view(member, at)
    }

    /// The lock; a thread that panicked while holding it left the book as
    /// it was before its command (commands apply only once decided).
    fn lock(&self) -> MutexGuard<'_, Book> {
        self.book
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
