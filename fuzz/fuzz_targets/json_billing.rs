//! Billing configs, accounts and batch histories from any text, and
//! `bill_batch_json` over them with the conformance vectors' plans and a
//! config: errors, never panics; accepted values survive their JSON form;
//! every document of a batch adds up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::billing::{
    AccountHistory, BillingAccount, BillingConfig, Document, bill_batch_json,
};
use memberkit::calendar::NaiveDate;
use memberkit::json::to_json;
use memberkit::membership::Catalog;
use memberkit_fuzz::check::{document_adds_up, round_trips};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::from_json(&memberkit_fuzz::billing_vectors().0).expect("the vector plans parse")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = memberkit_fuzz::text(rest) else {
        return;
    };
    if let Ok(config) = BillingConfig::from_json(text) {
        round_trips("billing config", &config, to_json, BillingConfig::from_json);
    }
    if let Ok(account) = BillingAccount::from_json(text) {
        round_trips(
            "billing account",
            &account,
            to_json,
            BillingAccount::from_json,
        );
    }
    let Ok(histories) = AccountHistory::list_from_json(text) else {
        return;
    };
    round_trips(
        "billing histories",
        &histories,
        to_json,
        AccountHistory::list_from_json,
    );
    let configs = &memberkit_fuzz::billing_vectors().1;
    let config = BillingConfig::from_json(&configs[usize::from(pick) % configs.len()])
        .expect("the vector configs parse");
    let through = NaiveDate::from_ymd_opt(2027, 1, 1).expect("a valid date");
    let Ok(out) = bill_batch_json(text, catalog(), &config, through) else {
        panic!("bill_batch_json refused histories that parse");
    };
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&out).expect("a batch's output is a JSON array");
    assert_eq!(items.len(), histories.len(), "one result per history");
    for item in items {
        if let Some(documents) = item.get("documents") {
            let documents: Vec<Document> =
                serde_json::from_value(documents.clone()).expect("documents read back");
            documents.iter().for_each(document_adds_up);
        }
    }
});
