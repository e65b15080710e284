//! Random catalogs, billing configs and membership scripts, billed after
//! every step: billing never panics; billing again through the same day
//! adds nothing and leaves the ledger as it was; every invoice's and credit
//! note's total is its lines plus the tax not included in them, and its
//! amount due is never negative; a ledger survives JSON.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use memberkit::billing::{BillingAccount, BillingConfig, bill, bill_in_place};
use memberkit::json::to_json;
use memberkit::membership::{Membership, decide};
use memberkit_fuzz::check::{document_adds_up, round_trips};
use memberkit_fuzz::membership::{base, catalog, steps};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let configs = &memberkit_fuzz::billing_vectors().1;
    let Ok(config) = u.choose(configs) else {
        return;
    };
    let config = BillingConfig::from_json(config).expect("the vector configs parse");
    let Ok(Some((catalog, _))) = catalog(&mut u) else {
        return;
    };
    let Ok(steps) = steps(&mut u, 24) else { return };
    let (mut state, mut events, mut at) = (Membership::default(), Vec::new(), base());
    let mut account = BillingAccount::new("m-1");
    for step in &steps {
        at = step.at(at);
        if let Ok(decided) = decide(&state, &catalog, &step.command.command(), at) {
            state = decided.iter().fold(state, |m, e| m.apply(e));
            events.extend(decided);
        }
        let Ok(documents) = bill_in_place(&mut account, &events, &catalog, &config, at) else {
            continue;
        };
        documents.iter().for_each(document_adds_up);
        let again = bill(&account, &events, &catalog, &config, at).expect("billing again succeeds");
        assert!(
            again.documents.is_empty(),
            "billing twice through {at} issued {:?}",
            again.documents
        );
        assert_eq!(again.account, account, "billing twice changed the ledger");
        round_trips(
            "billing account",
            &account,
            to_json,
            BillingAccount::from_json,
        );
    }
});
