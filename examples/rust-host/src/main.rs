//! A gym's back office meeting memberkit: a plan catalog from its database's
//! JSON, a member joining mid-month, the first billing run, a refused
//! command shown to staff, and a member's message routed by the shipped
//! intent model. Prints what `expected-output.txt` holds.

use memberkit::billing::{BillingAccount, BillingConfig, bill_in_place};
use memberkit::calendar::date;
use memberkit::intent::default_model;
use memberkit::membership::{Catalog, Command, Membership, decide};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::from_json(
        r#"[{"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
             "price_includes_tax": true, "interval": {"unit": "month", "count": 1}}]"#,
    )?;
    let mut member = Membership::default();
    let mut stored = Vec::new(); // the host's event table for this member
    let join = Command::Join {
        plan: "regular".into(),
        start: date(2026, 4, 20)?,
        trial: false,
    };
    for event in decide(&member, &catalog, &join, date(2026, 4, 20)?)? {
        member = member.apply(&event);
        stored.push(event);
    }
    println!("member: {:?}, version {}", member.status, member.version);

    let mut account = BillingAccount::new("M-0001");
    let documents = bill_in_place(
        &mut account,
        &stored,
        &catalog,
        &BillingConfig::default(),
        date(2026, 5, 1)?,
    )?;
    for document in &documents {
        println!("{} {} {}", document.id, document.date, document.total);
    }
    let again = bill_in_place(
        &mut account,
        &stored,
        &catalog,
        &BillingConfig::default(),
        date(2026, 5, 1)?,
    )?;
    println!("billing May 1 again: {} new", again.len());

    let gold = Command::ChangePlan {
        plan: "gold".into(),
        when: memberkit::membership::ChangeTiming::Now,
    };
    match decide(&member, &catalog, &gold, date(2026, 5, 2)?) {
        Ok(_) => return Err("a change to an unknown plan was accepted".into()),
        Err(refused) => {
            let refused = memberkit::Error::from(refused);
            println!("refused ({:?}): {refused}", refused.kind());
        }
    }

    let model = default_model()?;
    for text in [
        "来月から休会したいのですが",
        "I want to cancel my membership",
    ] {
        println!("{text:?}: {}", model.classify(text)?.intent);
    }
    Ok(())
}
