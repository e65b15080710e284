//! A member's [`Eligibility`] read from their membership and dunning
//! records, so a host never translates them by hand.

use super::state::{Eligibility, MembershipTerms, PeriodAllowance};
use crate::calendar::NaiveDate;
use crate::dunning::Receivables;
use crate::membership::{BookingEntitlement, Catalog, Membership, MembershipError, Status};

impl From<NaiveDate> for MembershipTerms {
    /// A membership in force from `from`, without end, pause or allowance.
    fn from(from: NaiveDate) -> Self {
        Self {
            from,
            until: None,
            pauses: Vec::new(),
            suspended: false,
            allowance: None,
        }
    }
}

impl Eligibility {
    /// What booking needs to know of a member: their membership (in force
    /// from its start until it ends, its pauses taken and planned, whether
    /// dunning suspended it, the plan's bookings per billing period) and the
    /// restrictions their dunning account has in force. Send it with
    /// [`Command::SetMember`](super::Command::SetMember) after each
    /// membership or dunning event.
    ///
    /// # Errors
    /// [`MembershipError::UnknownPlan`] when the catalog lacks the member's plan.
    ///
    /// # Example
    /// ```
    /// use memberkit::booking::Eligibility;
    /// use memberkit::calendar::date;
    /// use memberkit::dunning::Receivables;
    /// use memberkit::membership::{Catalog, Command, Membership, decide};
    /// let catalog = Catalog::from_json(r#"[{"id": "4x", "name": "4 classes", "price": {"amount": "6600", "currency": "JPY"},
    ///     "interval": {"unit": "month", "count": 1}, "booking": {"kind": "per_period", "bookings": 4}}]"#)?;
    /// let join = Command::Join { plan: "4x".into(), start: date(2026, 4, 1)?, trial: false };
    /// let member = decide(&Membership::default(), &catalog, &join, date(2026, 4, 1)?)?
    ///     .iter().fold(Membership::default(), |m, e| m.apply(e));
    /// let mut account = Receivables::default();
    /// account.restrictions.push("no_new_bookings".into());
    /// let eligibility = Eligibility::from_records(&member, &catalog, Some(&account))?;
    /// let terms = eligibility.membership.as_ref().unwrap();
    /// assert_eq!((terms.from, terms.allowance.unwrap().bookings), (date(2026, 4, 1)?, 4));
    /// assert_eq!(eligibility.restrictions, ["no_new_bookings"]);
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn from_records(
        membership: &Membership,
        catalog: &Catalog,
        receivables: Option<&Receivables>,
    ) -> Result<Self, MembershipError> {
        let restrictions = receivables
            .map(|r| r.restrictions.clone())
            .unwrap_or_default();
        let (Some(from), false) = (membership.start, membership.status == Status::New) else {
            return Ok(Self {
                membership: None,
                restrictions,
                tier: 0,
            });
        };
        let plan = catalog.get(membership.plan.as_deref().unwrap_or_default())?;
        let allowance = match plan.booking {
            BookingEntitlement::Unlimited => None,
            BookingEntitlement::PerPeriod { bookings } => Some(PeriodAllowance {
                bookings,
                schedule: membership.billing_schedule(catalog)?,
            }),
        };
        Ok(Self {
            membership: Some(MembershipTerms {
                from,
                until: membership.ended_on.or(membership.ends_on),
                pauses: membership
                    .pauses
                    .iter()
                    .chain(&membership.planned_pause)
                    .copied()
                    .collect(),
                suspended: membership.status == Status::Suspended,
                allowance,
            }),
            restrictions,
            tier: 0,
        })
    }
}
