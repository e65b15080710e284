//! The plans a business offers.

use super::{MembershipError, Plan, PlanId};
use std::collections::BTreeMap;

/// The plans a business offers, by id.
///
/// ```
/// use memberkit::membership::Catalog;
/// let catalog = Catalog::from_json(r#"[
///   {"id": "day", "name": "Daytime", "price": {"amount": "6600", "currency": "JPY"},
///    "interval": {"unit": "month", "count": 1}},
///   {"id": "full", "name": "Full", "price": {"amount": "9900", "currency": "JPY"},
///    "interval": {"unit": "month", "count": 1}}
/// ]"#)?;
/// assert_eq!(catalog.get("full")?.name, "Full");
/// assert!(catalog.get("gold").is_err());
/// # Ok::<(), memberkit::membership::MembershipError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    plans: BTreeMap<PlanId, Plan>,
}

impl Catalog {
    /// A catalog of `plans`.
    ///
    /// # Errors
    /// [`MembershipError::InvalidPlan`] for an invalid plan or a repeated id,
    /// with the path `[index].field`.
    pub fn new(plans: impl IntoIterator<Item = Plan>) -> Result<Self, MembershipError> {
        let mut catalog = Self::default();
        for (index, plan) in plans.into_iter().enumerate() {
            plan.validate().map_err(|err| match err {
                MembershipError::InvalidPlan { path, message } => MembershipError::InvalidPlan {
                    path: format!("[{index}].{path}"),
                    message,
                },
                other => other,
            })?;
            if catalog.plans.contains_key(&plan.id) {
                return Err(MembershipError::InvalidPlan {
                    path: format!("[{index}].id"),
                    message: format!("plan id {:?} appears twice", plan.id),
                });
            }
            catalog.plans.insert(plan.id.clone(), plan);
        }
        Ok(catalog)
    }

    /// Parses a JSON array of plans.
    ///
    /// # Errors
    /// [`MembershipError::InvalidPlan`] naming the path of the bad field.
    pub fn from_json(json: &str) -> Result<Self, MembershipError> {
        Self::new(super::json::parse::<Vec<Plan>>(json, "plan")?)
    }

    /// The plan with id `id`.
    ///
    /// # Errors
    /// [`MembershipError::UnknownPlan`] when there is none.
    pub fn get(&self, id: &str) -> Result<&Plan, MembershipError> {
        self.plans
            .get(id)
            .ok_or_else(|| MembershipError::UnknownPlan {
                plan: id.to_owned(),
            })
    }

    /// Every plan, by id.
    pub fn plans(&self) -> impl Iterator<Item = &Plan> {
        self.plans.values()
    }
}
