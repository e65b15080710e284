//! What the host supplies: the club (shared by every conversation) and one
//! member's record (for the member a conversation is about).

use super::config::IdentityField;
use crate::billing::{BillingAccount, BillingConfig};
use crate::booking::{Book, Instant, Rules};
use crate::dunning::{Policy, Receivables};
use crate::intent::slots::{Gazetteer, SlotValue};
use crate::membership::{Catalog, Event, Membership};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The club: its plans, how it bills, and the names its members use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Club {
    /// The plans.
    pub catalog: Catalog,
    /// How the club bills (for the invoices shown to members).
    pub billing: BillingConfig,
    /// More names members use (plan aliases, classes, studios); each plan's
    /// id and name are known without being listed.
    pub names: Gazetteer,
    /// The dunning policy, for telling members what happens to an unpaid
    /// invoice, and when.
    pub dunning: Option<Policy>,
}

/// The booking book as it stands, with its rules, for the booking
/// procedures and questions about bookings.
#[derive(Debug, Clone, Copy)]
pub struct Bookings<'a> {
    /// The book.
    pub book: &'a Book,
    /// Its rules.
    pub rules: &'a Rules,
    /// The instant of the conversation's message.
    pub now: Instant,
}

impl Club {
    /// A club with `catalog`, the default billing config and no extra names.
    pub fn new(catalog: Catalog) -> Self {
        Self {
            catalog,
            billing: BillingConfig::default(),
            names: Gazetteer::default(),
            dunning: None,
        }
    }
}

/// What identifies a member, as the host has it on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// The member number.
    pub member_number: String,
    /// The email address.
    #[serde(default)]
    pub email: Option<String>,
    /// The phone number, in any format (compared by its digits).
    #[serde(default)]
    pub phone: Option<String>,
    /// The date of birth.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
}

impl Identity {
    /// Whether `value`, given for `field`, matches what is on file; `None`
    /// when `value` is not a `field` or nothing is on file for it.
    pub(super) fn check(&self, field: IdentityField, value: &SlotValue) -> Option<bool> {
        match (field, value) {
            (IdentityField::MemberNumber, SlotValue::MemberNumber(n)) => {
                Some(n.eq_ignore_ascii_case(&self.member_number))
            }
            (IdentityField::Email, SlotValue::Email(e)) => {
                Some(e.eq_ignore_ascii_case(self.email.as_deref()?.trim()))
            }
            (IdentityField::Phone, SlotValue::Phone(p)) => {
                Some(*p == domestic_digits(self.phone.as_deref()?))
            }
            (IdentityField::BirthDate, SlotValue::Date(d)) => Some(*d == self.birth_date?),
            _ => None,
        }
    }
}

/// A phone number's digits in domestic form (`+81` becomes a leading 0).
fn domestic_digits(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("81") {
        Some(rest) if phone.trim_start().starts_with('+') => {
            format!("0{}", rest.trim_start_matches('0'))
        }
        _ => digits,
    }
}

/// One member's record, as the host stores it: who they are, their
/// membership's events, and what was billed.
///
/// ```
/// use memberkit::chat::Member;
/// let member = Member::from_json(r#"{
///     "identity": {"member_number": "1234567", "email": "hanako@example.jp"},
///     "membership": [{"type": "joined", "on": "2026-04-01", "plan": "regular",
///         "applied_on": "2026-03-20", "paid_from": "2026-04-01", "admission_fee": null, "rejoin": false}]
/// }"#)?;
/// assert_eq!(member.state().version, 1);
/// # Ok::<(), memberkit::chat::ChatError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Who the member is.
    pub identity: Identity,
    /// The membership's events, oldest first.
    #[serde(default)]
    pub membership: Vec<Event>,
    /// The billing ledger; without one, everything due up to the
    /// conversation's date counts as billed.
    #[serde(default)]
    pub billing: Option<BillingAccount>,
    /// What the member owes and dunning's record of it.
    #[serde(default)]
    pub receivables: Option<Receivables>,
    /// The member's id in the booking book, when it differs from the
    /// member number.
    #[serde(default)]
    pub booking_id: Option<String>,
}

impl Member {
    /// A member with no membership events yet.
    pub fn new(identity: Identity) -> Self {
        Self {
            identity,
            membership: Vec::new(),
            billing: None,
            receivables: None,
            booking_id: None,
        }
    }

    /// The membership, replayed from its events.
    pub fn state(&self) -> Membership {
        self.membership
            .iter()
            .fold(Membership::default(), |m, e| m.apply(e))
    }

    /// The member's id in the booking book.
    pub fn booking_id(&self) -> &str {
        self.booking_id
            .as_deref()
            .unwrap_or(&self.identity.member_number)
    }

    /// Reads a member record from JSON.
    ///
    /// # Errors
    /// [`ChatError::Json`](super::ChatError::Json) naming the bad field.
    pub fn from_json(json: &str) -> Result<Self, super::ChatError> {
        Ok(crate::json::from_json(json, "chat member")?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_checks_by_field() {
        let identity = Identity {
            member_number: "M-001234".into(),
            email: Some("Hanako@Example.jp".into()),
            phone: Some("+81 90-1234-5678".into()),
            birth_date: NaiveDate::from_ymd_opt(1990, 4, 1),
        };
        let number = SlotValue::MemberNumber("m-001234".into());
        assert_eq!(
            identity.check(IdentityField::MemberNumber, &number),
            Some(true)
        );
        let email = SlotValue::Email("hanako@example.jp".into());
        assert_eq!(identity.check(IdentityField::Email, &email), Some(true));
        let phone = SlotValue::Phone("09012345678".into());
        assert_eq!(identity.check(IdentityField::Phone, &phone), Some(true));
        let wrong = SlotValue::Phone("09012345679".into());
        assert_eq!(identity.check(IdentityField::Phone, &wrong), Some(false));
        assert_eq!(identity.check(IdentityField::Email, &phone), None);
        let none = Identity {
            email: None,
            ..identity
        };
        assert_eq!(none.check(IdentityField::Email, &email), None);
    }
}
