//! Replays the membership conformance vectors in `tests/vectors/membership.json`,
//! which the C and Python suites replay too. Run with `MK_BLESS_VECTORS=1` to
//! fill in the `events` of steps that have none yet (then review the diff).

use memberkit::calendar::parse_date;
use memberkit::membership::{Catalog, Command, Membership, decide};
use serde_json::Value;
use std::path::PathBuf;

fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/membership.json")
}

/// Writes the blessed vectors back when asked, and fails with every mismatch.
fn finish(path: &std::path::Path, doc: &Value, bless: bool, failures: &[String]) {
    if bless {
        std::fs::write(path, serde_json::to_string_pretty(doc).unwrap() + "\n").unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn membership_vectors() {
    let path = vectors_path();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let bless = std::env::var_os("MK_BLESS_VECTORS").is_some();
    let catalog = Catalog::from_json(&doc["plans"].to_string()).unwrap();
    let cases = doc["cases"].as_array_mut().unwrap();
    assert!(cases.len() >= 25, "at least 25 cases");
    let mut failures = Vec::new();
    for case in cases.iter_mut() {
        let name = case["name"].as_str().unwrap().to_owned();
        let mut state = Membership::default();
        for (i, step) in case["steps"].as_array_mut().unwrap().iter_mut().enumerate() {
            let at = parse_date(step["at"].as_str().unwrap()).unwrap();
            let command = Command::from_json(&step["command"].to_string()).unwrap();
            match (
                decide(&state, &catalog, &command, at),
                step.get("error").and_then(Value::as_str),
            ) {
                (Ok(events), None) => {
                    let got = serde_json::to_value(&events).unwrap();
                    if bless && step["events"].is_null() {
                        step["events"] = got.clone();
                    }
                    if step["events"] != got {
                        failures.push(format!(
                            "{name} step {i}: events {got} != expected {}",
                            step["events"]
                        ));
                    }
                    state = events.iter().fold(state, |m, e| m.apply(e));
                }
                (Err(err), Some(kind)) if err.kind().name() == kind => {}
                (outcome, expected) => failures.push(format!(
                    "{name} step {i}: got {outcome:?}, expected error {expected:?}"
                )),
            }
        }
        let status = serde_json::to_value(state.status).unwrap();
        if case["status"] != status {
            failures.push(format!(
                "{name}: final status {status} != expected {}",
                case["status"]
            ));
        }
    }
    finish(&path, &doc, bless, &failures);
}

/// A document as the vectors record it: what a reviewer checks, amounts as text.
fn summary(doc: &memberkit::billing::Document) -> Value {
    let amount = |m: &memberkit::money::Money| Value::String(m.amount().to_string());
    serde_json::json!({
        "id": doc.id,
        "kind": doc.kind,
        "date": doc.date,
        "collection_date": doc.collection_date,
        "corrects": doc.corrects,
        "lines": doc.lines.iter().map(|l| serde_json::json!([l.kind, amount(&l.amount), l.proration])).collect::<Vec<_>>(),
        "taxes": doc.taxes.iter().map(|t| serde_json::json!([t.rate, amount(&t.tax)])).collect::<Vec<_>>(),
        "total": amount(&doc.total),
        "credit_applied": amount(&doc.credit_applied),
        "refund": amount(&doc.refund),
        "amount_due": amount(&doc.amount_due),
    })
}

#[test]
fn billing_vectors() {
    use memberkit::billing::{BillingAccount, BillingConfig, bill, bill_batch_json};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/billing.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let bless = std::env::var_os("MK_BLESS_VECTORS").is_some();
    let catalog = Catalog::from_json(&doc["plans"].to_string()).unwrap();
    let configs = doc["configs"].clone();
    let cases = doc["cases"].as_array_mut().unwrap();
    assert!(cases.len() >= 30, "at least 30 cases");
    let mut failures = Vec::new();
    for case in cases.iter_mut() {
        let name = case["name"].as_str().unwrap().to_owned();
        let config =
            BillingConfig::from_json(&configs[case["config"].as_str().unwrap()].to_string())
                .unwrap();
        let steps: Vec<(chrono::NaiveDate, Command)> = case["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    parse_date(s["at"].as_str().unwrap()).unwrap(),
                    Command::from_json(&s["command"].to_string()).unwrap(),
                )
            })
            .collect();
        let bill_on: Vec<chrono::NaiveDate> = case["bill_on"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| parse_date(d.as_str().unwrap()).unwrap())
            .collect();
        let mut dates: Vec<chrono::NaiveDate> = steps
            .iter()
            .map(|(d, _)| *d)
            .chain(bill_on.iter().copied())
            .collect();
        dates.sort();
        dates.dedup();
        let mut account = match case.get("account") {
            Some(saved) => BillingAccount::from_json(&saved.to_string()).unwrap(),
            None => BillingAccount::new("A"),
        };
        let (mut state, mut events) = (Membership::default(), Vec::new());
        let mut documents = Vec::new();
        for day in dates {
            for (_, command) in steps.iter().filter(|(at, _)| *at == day) {
                let new = decide(&state, &catalog, command, day)
                    .unwrap_or_else(|e| panic!("{name}: {command:?}: {e}"));
                state = new.iter().fold(state, |m, e| m.apply(e));
                events.extend(new);
            }
            for _ in bill_on.iter().filter(|d| **d == day) {
                let new = decide(&state, &catalog, &Command::Advance, day).unwrap();
                state = new.iter().fold(state, |m, e| m.apply(e));
                events.extend(new);
                let run = bill(&account, &events, &catalog, &config, day)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                // The JSON-text path writes the same run as the typed
                // one's derived serialization, byte for byte.
                let history = serde_json::json!([{"account": &account, "events": &events}]);
                let batch = bill_batch_json(&history.to_string(), &catalog, &config, day).unwrap();
                let typed =
                    serde_json::json!([{"documents": &run.documents, "account": &run.account}])
                        .to_string();
                if batch != typed {
                    failures.push(format!("{name}: bill_batch_json {batch} != {typed}"));
                }
                documents.extend(run.documents.iter().map(summary));
                account = run.account;
            }
        }
        let got = Value::Array(documents);
        if bless && case["documents"].is_null() {
            case["documents"] = got.clone();
        }
        if case["documents"] != got {
            failures.push(format!(
                "{name}: documents {got:#} != expected {:#}",
                case["documents"]
            ));
        }
    }
    finish(&path, &doc, bless, &failures);
}

/// What a dunning case's account looks like at its end, as the vectors record it.
fn dunning_end(
    account: &memberkit::dunning::Receivables,
    policy: &memberkit::dunning::Policy,
) -> Value {
    use memberkit::dunning::Language;
    let amount = |m: Option<memberkit::money::Money>| m.map(|m| m.amount().to_string());
    let timeline = account.timeline(policy).unwrap();
    let told = |language| -> Vec<String> { timeline.iter().map(|p| p.message(language)).collect() };
    serde_json::json!({
        "standing": account.standing,
        "restrictions": account.restrictions,
        "unpaid_balance": amount(account.unpaid_balance()),
        "collected": amount(account.total_collected()),
        "timeline": {"ja": told(Language::Ja), "en": told(Language::En)},
    })
}

#[test]
fn dunning_vectors() {
    use memberkit::dunning::{
        Command, Policy, Receivables, decide, events_from_json, events_to_json, membership_commands,
    };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/dunning.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let bless = std::env::var_os("MK_BLESS_VECTORS").is_some();
    let policies = doc["policies"].clone();
    let cases = doc["cases"].as_array_mut().unwrap();
    assert!(cases.len() >= 20, "at least 20 cases");
    let mut failures = Vec::new();
    for case in cases.iter_mut() {
        let name = case["name"].as_str().unwrap().to_owned();
        let policy =
            Policy::from_json(&policies[case["policy"].as_str().unwrap()].to_string()).unwrap();
        let mut account = Receivables::default();
        for (i, step) in case["steps"].as_array_mut().unwrap().iter_mut().enumerate() {
            let at = parse_date(step["at"].as_str().unwrap()).unwrap();
            let command = Command::from_json(&step["command"].to_string()).unwrap();
            match (
                decide(&account, &policy, &command, at),
                step.get("error").and_then(Value::as_str),
            ) {
                (Ok(events), None) => {
                    let got = serde_json::to_value(&events).unwrap();
                    let membership = serde_json::to_value(membership_commands(&events)).unwrap();
                    for (event, json) in events.iter().zip(got.as_array().unwrap()) {
                        if json["type"] != event.name() {
                            failures.push(format!(
                                "{name} step {i}: {} is named {:?}",
                                json["type"],
                                event.name()
                            ));
                        }
                    }
                    let read_back = events_from_json(&events_to_json(&events));
                    if read_back.as_ref() != Ok(&events) {
                        failures.push(format!(
                            "{name} step {i}: events do not read back: {read_back:?}"
                        ));
                    }
                    if bless && step["events"].is_null() {
                        step["events"] = got.clone();
                        step["membership"] = membership.clone();
                    }
                    if step["events"] != got || step["membership"] != membership {
                        failures.push(format!(
                            "{name} step {i}: events {got} / membership {membership} != expected {} / {}",
                            step["events"], step["membership"]
                        ));
                    }
                    account = events.iter().fold(account, |a, e| a.apply(e));
                }
                (Err(err), Some(kind)) if err.kind().name() == kind => {}
                (outcome, expected) => failures.push(format!(
                    "{name} step {i}: got {outcome:?}, expected error {expected:?}"
                )),
            }
        }
        let end = dunning_end(&account, &policy);
        if bless && case["end"].is_null() {
            case["end"] = end.clone();
        }
        if case["end"] != end {
            failures.push(format!("{name}: end {end:#} != expected {:#}", case["end"]));
        }
    }
    finish(&path, &doc, bless, &failures);
}

/// Ids in order (the book's tables are hashed: the vectors list them so).
fn in_order(mut ids: Vec<&memberkit::booking::SessionId>) -> Vec<&memberkit::booking::SessionId> {
    ids.sort_unstable();
    ids
}

/// What a booking case's book looks like at its end, as the vectors record it.
fn booking_end(book: &memberkit::booking::Book, at: memberkit::booking::Instant) -> Value {
    // The book's tables are hashed: the vectors list them in id order.
    let sessions: serde_json::Map<String, Value> = in_order(book.sessions.keys().collect())
        .into_iter()
        .map(|id| {
            (
                id.to_string(),
                serde_json::to_value(book.session_view(id)).unwrap(),
            )
        })
        .collect();
    let members: serde_json::Map<String, Value> = in_order(book.members.keys().collect())
        .into_iter()
        .map(|id| {
            (
                id.to_string(),
                serde_json::to_value(book.member_view(id, at)).unwrap(),
            )
        })
        .collect();
    serde_json::json!({"version": book.version, "sessions": sessions, "members": members})
}

#[test]
fn booking_vectors() {
    use memberkit::booking::{Book, Command, Rules, decide, events_from_json, events_to_json};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/booking.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let bless = std::env::var_os("MK_BLESS_VECTORS").is_some();
    let rule_sets = doc["rules"].clone();
    let cases = doc["cases"].as_array_mut().unwrap();
    assert!(cases.len() >= 25, "at least 25 cases");
    let mut failures = Vec::new();
    for case in cases.iter_mut() {
        let name = case["name"].as_str().unwrap().to_owned();
        let rules =
            Rules::from_json(&rule_sets[case["rules"].as_str().unwrap()].to_string()).unwrap();
        let mut book = Book::default();
        let mut log = Vec::new();
        let mut last = None;
        for (i, step) in case["steps"].as_array_mut().unwrap().iter_mut().enumerate() {
            let at = chrono::DateTime::parse_from_rfc3339(step["at"].as_str().unwrap()).unwrap();
            last = Some(at);
            let command = Command::from_json(&step["command"].to_string()).unwrap();
            let expected = (
                step.get("error").and_then(Value::as_str),
                step.get("code").and_then(Value::as_str),
            );
            match (decide(&book, &rules, &command, at), expected) {
                (Ok(events), (None, _)) => {
                    let got = serde_json::to_value(&events).unwrap();
                    for (event, json) in events.iter().zip(got.as_array().unwrap()) {
                        if json["type"] != event.name() {
                            failures.push(format!(
                                "{name} step {i}: {} is named {:?}",
                                json["type"],
                                event.name()
                            ));
                        }
                    }
                    let read_back = events_from_json(&events_to_json(&events));
                    if read_back.as_ref() != Ok(&events) {
                        failures.push(format!(
                            "{name} step {i}: events do not read back: {read_back:?}"
                        ));
                    }
                    if bless && step["events"].is_null() {
                        step["events"] = got.clone();
                    }
                    if step["events"] != got {
                        failures.push(format!(
                            "{name} step {i}: events {got} != expected {}",
                            step["events"]
                        ));
                    }
                    let mut executed = book.clone();
                    let again = executed.execute(&rules, &command, at);
                    events.iter().for_each(|e| book.apply_mut(e));
                    if again.as_ref() != Ok(&events) || executed != book {
                        failures.push(format!(
                            "{name} step {i}: execute differs from decide + apply"
                        ));
                    }
                    log.extend(events);
                }
                (Err(err), (Some(kind), Some(code)))
                    if err.kind().name() == kind && err.code() == code => {}
                (outcome, expected) => failures.push(format!(
                    "{name} step {i}: got {outcome:?}, expected error {expected:?}"
                )),
            }
        }
        let replayed = log.iter().fold(Book::default(), |b, e| b.apply(e));
        if replayed != book {
            failures.push(format!("{name}: replaying the events gives another book"));
        }
        if Book::from_json(&book.to_json()).as_ref() != Ok(&book) {
            failures.push(format!("{name}: the book does not read back from its JSON"));
        }
        let end = booking_end(&book, last.unwrap());
        if bless && case["end"].is_null() {
            case["end"] = end.clone();
        }
        if case["end"] != end {
            failures.push(format!("{name}: end {end:#} != expected {:#}", case["end"]));
        }
    }
    finish(&path, &doc, bless, &failures);
}

/// The step of a reply as the chat vectors record it: its JSON without the
/// text, language, classification, slots and state.
fn chat_step(reply: &memberkit::chat::Reply) -> Value {
    let mut json: Value = serde_json::from_str(&reply.to_json()).unwrap();
    let object = json.as_object_mut().unwrap();
    for key in ["text", "language", "intent", "confidence", "slots", "state"] {
        object.remove(key);
    }
    json
}

#[test]
fn chat_vectors() {
    use memberkit::chat::{Assistant, ChatConfig, ChatState, Club, Member};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/chat.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let bless = std::env::var_os("MK_BLESS_VECTORS").is_some();
    let club = Club::from_json(&doc["club"].to_string()).unwrap();
    let members: Vec<Member> = doc["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| Member::from_json(&m.to_string()).unwrap())
        .collect();
    let model = memberkit::intent::default_model().unwrap();
    let bot = Assistant::new(model, club, ChatConfig::default()).unwrap();
    let conversations = doc["conversations"].as_array_mut().unwrap();
    assert!(conversations.len() >= 40, "at least 40 conversations");
    let mut failures = Vec::new();
    for conversation in conversations.iter_mut() {
        let name = conversation["name"].as_str().unwrap().to_owned();
        let today = parse_date(conversation["today"].as_str().unwrap()).unwrap();
        let mut state = match conversation.get("state") {
            Some(state) => ChatState::from_json(&state.to_string()).unwrap(),
            None => ChatState::default(),
        };
        for (i, turn) in conversation["turns"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            let at = turn["today"]
                .as_str()
                .map_or(today, |d| parse_date(d).unwrap());
            let reading = bot.read(&state, turn["say"].as_str().unwrap(), at);
            let member = reading
                .member_number()
                .and_then(|n| members.iter().find(|m| m.identity.member_number == n));
            let reply = bot.reply(reading, member);
            let (step, text) = (chat_step(&reply), Value::from(reply.text.clone()));
            if step["step"] != reply.step.name() {
                failures.push(format!(
                    "{name} turn {i}: {} is named {:?}",
                    step["step"],
                    reply.step.name()
                ));
            }
            if bless && turn["step"].is_null() {
                turn["step"] = step.clone();
                turn["text"] = text.clone();
            }
            if turn["step"] != step || turn["text"] != text {
                failures.push(format!(
                    "{name} turn {i}: got {step} {text}, expected {} {}",
                    turn["step"], turn["text"]
                ));
            }
            if ChatState::from_json(&reply.state.to_json()).as_ref() != Ok(&reply.state) {
                failures.push(format!("{name} turn {i}: the state does not read back"));
            }
            state = reply.state;
        }
    }
    finish(&path, &doc, bless, &failures);
}
