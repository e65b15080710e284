//! Identity verification (本人確認): the member number first, then each step
//! passed by one matching detail, a limited number of failures, and nothing
//! from the record revealed on the way.

use super::config::{IdentityField, Verification};
use super::member::Member;
use super::state::IdentityProgress;
use crate::intent::slots::{Slot, SlotValue};
use chrono::{Months, NaiveDate};

/// Where verification stands after a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Verified before this message.
    AlreadyVerified,
    /// Verified by this message.
    Verified,
    /// Ask for one of these fields.
    Ask(Vec<IdentityField>),
    /// The details did not match; this many attempts are left.
    Mismatch(u32),
    /// Too many failures: hand over.
    Failed,
}

/// The field a slot can be given for: a date is a birth date only when it
/// is years in the past (「6月1日から」 is a pause, not a birthday).
fn field_of(value: &SlotValue, today: NaiveDate) -> Option<IdentityField> {
    match value {
        SlotValue::MemberNumber(_) => Some(IdentityField::MemberNumber),
        SlotValue::Email(_) => Some(IdentityField::Email),
        SlotValue::Phone(_) => Some(IdentityField::Phone),
        SlotValue::Date(d)
            if today
                .checked_sub_months(Months::new(36))
                .is_some_and(|t| *d < t) =>
        {
            Some(IdentityField::BirthDate)
        }
        _ => None,
    }
}

/// Advances verification with the slots of one message, marking in `used`
/// the slots it took. `member` is the record the host found for the claimed
/// number (looked up after reading the message), if any.
pub(super) fn verify(
    progress: &mut IdentityProgress,
    rules: &Verification,
    slots: &[Slot],
    used: &mut [bool],
    member: Option<&Member>,
    today: NaiveDate,
) -> Outcome {
    if progress.verified {
        return Outcome::AlreadyVerified;
    }
    let wanted = |used: &[bool], fields: &[IdentityField]| {
        slots.iter().enumerate().find(|(i, s)| {
            !used[*i] && field_of(&s.value, today).is_some_and(|f| fields.contains(&f))
        })
    };
    if let Some((i, slot)) = wanted(used, &[IdentityField::MemberNumber]) {
        used[i] = true;
        if let SlotValue::MemberNumber(number) = &slot.value
            && progress.claimed.as_deref() != Some(number.as_str())
        {
            progress.claimed = Some(number.clone());
            progress.steps_passed = 0;
        }
    }
    let Some(claimed) = progress.claimed.clone() else {
        return Outcome::Ask(vec![IdentityField::MemberNumber]);
    };
    // The record must be the claimed member's.
    let member = member.filter(|m| m.identity.member_number.eq_ignore_ascii_case(&claimed));
    let mut failed = member.is_none() && rules.steps.len() == 1;
    for step in rules.steps.iter().skip(1 + progress.steps_passed as usize) {
        if failed {
            break;
        }
        let Some((i, slot)) = wanted(used, step) else {
            return Outcome::Ask(step.clone());
        };
        used[i] = true;
        let matches = field_of(&slot.value, today)
            .and_then(|field| member?.identity.check(field, &slot.value));
        if matches == Some(true) {
            progress.steps_passed += 1;
        } else {
            failed = true;
        }
    }
    if failed {
        progress.failures += 1;
        progress.claimed = None;
        progress.steps_passed = 0;
        return if progress.failures >= rules.max_attempts {
            Outcome::Failed
        } else {
            Outcome::Mismatch(rules.max_attempts - progress.failures)
        };
    }
    progress.verified = true;
    progress.failures = 0;
    Outcome::Verified
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::Identity;
    use crate::intent::slots::SlotExtractor;

    fn member() -> Member {
        Member::new(Identity {
            member_number: "1234567".into(),
            email: Some("hanako@example.jp".into()),
            phone: None,
            birth_date: None,
        })
    }

    fn say(progress: &mut IdentityProgress, text: &str, member: Option<&Member>) -> Outcome {
        let today = NaiveDate::from_ymd_opt(2026, 5, 6).unwrap();
        let slots = SlotExtractor::default().extract(text, today);
        let mut used = vec![false; slots.len()];
        verify(
            progress,
            &Verification::default(),
            &slots,
            &mut used,
            member,
            today,
        )
    }

    #[test]
    fn number_then_email() {
        let mut progress = IdentityProgress::default();
        let asked = say(&mut progress, "退会したい", None);
        assert_eq!(asked, Outcome::Ask(vec![IdentityField::MemberNumber]));
        let next = say(&mut progress, "会員番号1234567です", Some(&member()));
        assert!(matches!(next, Outcome::Ask(fields) if fields.contains(&IdentityField::Email)));
        assert_eq!(progress.claimed.as_deref(), Some("1234567"));
        assert_eq!(
            say(&mut progress, "hanako@example.jp", Some(&member())),
            Outcome::Verified
        );
        assert_eq!(
            say(&mut progress, "anything", None),
            Outcome::AlreadyVerified
        );
    }

    #[test]
    fn both_in_one_message_and_failures_hand_over() {
        let mut progress = IdentityProgress::default();
        let wrong = "会員番号1234567、メールはtaro@example.jp";
        assert_eq!(
            say(&mut progress, wrong, Some(&member())),
            Outcome::Mismatch(2)
        );
        assert_eq!(progress.claimed, None, "a failure forgets the number");
        // A phone is not on file: it cannot pass, whatever it is.
        assert_eq!(
            say(
                &mut progress,
                "会員番号1234567、電話は090-1234-5678",
                Some(&member())
            ),
            Outcome::Mismatch(1)
        );
        // Unknown numbers fail the same way, revealing nothing.
        assert_eq!(
            say(&mut progress, "会員番号7654321 hanako@example.jp", None),
            Outcome::Failed
        );
        let mut fresh = IdentityProgress::default();
        let right = "会員番号1234567、メールはhanako@example.jp";
        assert_eq!(say(&mut fresh, right, Some(&member())), Outcome::Verified);
    }
}
