//! Stored data stays readable: `tests/golden/` holds what hosts store
//! (membership, dunning and booking states and events, billing ledgers and
//! documents, chat states, model files) as this crate wrote them when each
//! file was made. Every later version must read each one back to the same
//! value: read, written again, it must give the same JSON (or the same
//! bytes), and a model must answer as it did. A change that breaks a file
//! fails here; a deliberate format change ships a migration that reads the
//! old form, and this test exercises it.
//!
//! The files are made once from the conformance vectors' cases
//! (`MK_BLESS_GOLDEN=1 cargo test -p memberkit --test golden` writes the
//! files that do not exist yet, never over one that does) and then never
//! regenerated.

use memberkit::calendar::parse_date;
use memberkit::intent::{Example, Model, TrainConfig, train};
use serde::Serialize;
use serde_json::{Value, json};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_json(path: &PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

fn parsed(json: String) -> Value {
    serde_json::from_str(&json).unwrap()
}

/// The golden file `name`, written from `make` first when blessing and it is missing.
fn golden(name: &str, make: impl FnOnce() -> Vec<u8>) -> Vec<u8> {
    let path = root().join("tests/golden").join(name);
    if !path.exists() && std::env::var_os("MK_BLESS_GOLDEN").is_some() {
        std::fs::write(&path, make()).unwrap();
    }
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn golden_json(name: &str, make: impl FnOnce() -> Value) -> Value {
    let bytes = golden(name, || {
        // One case a line: small, and a diff shows which case changed.
        let doc = make();
        let Value::Object(mut fields) = doc else {
            return format!("{}\n", serde_json::to_string_pretty(&doc).unwrap()).into_bytes();
        };
        let cases = fields.remove("cases").unwrap();
        let head = serde_json::to_string(&fields).unwrap();
        let lines: Vec<String> = cases
            .as_array()
            .unwrap()
            .iter()
            .map(Value::to_string)
            .collect();
        let head = head.trim_end_matches('}');
        format!("{head},\"cases\":[\n{}\n]}}\n", lines.join(",\n")).into_bytes()
    });
    serde_json::from_slice(&bytes).unwrap()
}

/// The vector file `name`'s cases.
fn cases(name: &str) -> (Value, Vec<Value>) {
    let doc = read_json(&root().join("tests/vectors").join(name));
    let cases = doc["cases"].as_array().unwrap().clone();
    (doc, cases)
}

/// `{"about": ..., "cases": [...]}`, what every JSON golden file holds.
fn file(about: &str, cases: Vec<Value>) -> Value {
    json!({"about": about, "written_by": format!("memberkit {}", env!("CARGO_PKG_VERSION")), "cases": cases})
}

/// Reads `stored` with `read` and writes it again with `write`; the two
/// must be the same JSON.
fn same_again<T>(
    what: &str,
    stored: &Value,
    read: impl Fn(&str) -> T,
    write: impl Fn(&T) -> String,
) {
    let again: Value = serde_json::from_str(&write(&read(&stored.to_string()))).unwrap();
    assert_eq!(
        &again, stored,
        "{what} does not read back to the same value"
    );
}

#[test]
fn membership_states_and_events() {
    use memberkit::membership::{
        Catalog, Command, Membership, decide, events_from_json, events_to_json,
    };
    let (doc, vector_cases) = cases("membership.json");
    let stored = golden_json("membership.json", || {
        let catalog = Catalog::from_json(&doc["plans"].to_string()).unwrap();
        let cases = vector_cases.iter().map(|case| {
            let (mut state, mut events) = (Membership::default(), Vec::new());
            for step in case["steps"].as_array().unwrap() {
                let at = parse_date(step["at"].as_str().unwrap()).unwrap();
                let command = Command::from_json(&step["command"].to_string()).unwrap();
                if let Ok(new) = decide(&state, &catalog, &command, at) {
                    state = new.iter().fold(state, |m, e| m.apply(e));
                    events.extend(new);
                }
            }
            json!({"name": case["name"], "state": parsed(state.to_json()), "events": value(&events)})
        });
        file(
            "Membership states (Membership::to_json) and their events (events_to_json)",
            cases.collect(),
        )
    });
    let cases = stored["cases"].as_array().unwrap();
    assert!(cases.len() >= 25);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        same_again(
            name,
            &case["state"],
            |j| Membership::from_json(j).unwrap(),
            Membership::to_json,
        );
        same_again(
            name,
            &case["events"],
            |j| events_from_json(j).unwrap(),
            |e| events_to_json(e),
        );
        // The state is the events applied, as it was.
        let events = events_from_json(&case["events"].to_string()).unwrap();
        let replayed = events.iter().fold(Membership::default(), |m, e| m.apply(e));
        assert_eq!(
            parsed(replayed.to_json()),
            case["state"],
            "{name}: replayed state"
        );
    }
}

#[test]
fn billing_ledgers_and_documents() {
    use memberkit::billing::{BillingAccount, BillingConfig, Document, bill};
    use memberkit::membership::{Catalog, Command, Membership, decide};
    let (doc, vector_cases) = cases("billing.json");
    let stored = golden_json("billing.json", || {
        let catalog = Catalog::from_json(&doc["plans"].to_string()).unwrap();
        let cases = vector_cases.iter().map(|case| {
            let config = &doc["configs"][case["config"].as_str().unwrap()];
            let config = BillingConfig::from_json(&config.to_string()).unwrap();
            let mut days: Vec<(chrono::NaiveDate, Option<Command>)> = Vec::new();
            for step in case["steps"].as_array().unwrap() {
                let at = parse_date(step["at"].as_str().unwrap()).unwrap();
                days.push((at, Some(Command::from_json(&step["command"].to_string()).unwrap())));
            }
            for day in case["bill_on"].as_array().unwrap() {
                days.push((parse_date(day.as_str().unwrap()).unwrap(), None));
            }
            days.sort_by_key(|(day, command)| (*day, command.is_none()));
            let mut account = match case.get("account") {
                Some(saved) => BillingAccount::from_json(&saved.to_string()).unwrap(),
                None => BillingAccount::new("A"),
            };
            let (mut state, mut events, mut documents) = (Membership::default(), Vec::new(), Vec::new());
            for (day, command) in days {
                let command = command.unwrap_or(Command::Advance);
                let billing = matches!(command, Command::Advance);
                let new = decide(&state, &catalog, &command, day).unwrap();
                state = new.iter().fold(state, |m, e| m.apply(e));
                events.extend(new);
                if billing {
                    let run = bill(&account, &events, &catalog, &config, day).unwrap();
                    documents.extend(run.documents);
                    account = run.account;
                }
            }
            json!({"name": case["name"], "account": value(&account), "documents": value(&documents)})
        });
        file(
            "Billing ledgers (BillingAccount) and the documents billed",
            cases.collect(),
        )
    });
    let cases = stored["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        same_again(
            name,
            &case["account"],
            |j| BillingAccount::from_json(j).unwrap(),
            memberkit::json::to_json,
        );
        same_again(
            name,
            &case["documents"],
            |j| memberkit::json::from_json::<Vec<Document>>(j, "documents").unwrap(),
            memberkit::json::to_json,
        );
    }
}

#[test]
fn dunning_receivables_and_events() {
    use memberkit::dunning::{
        Command, Policy, Receivables, decide, events_from_json, events_to_json,
    };
    let (doc, vector_cases) = cases("dunning.json");
    let stored = golden_json("dunning.json", || {
        let cases = vector_cases.iter().map(|case| {
            let policy = &doc["policies"][case["policy"].as_str().unwrap()];
            let policy = Policy::from_json(&policy.to_string()).unwrap();
            let (mut account, mut events) = (Receivables::default(), Vec::new());
            for step in case["steps"].as_array().unwrap() {
                let at = parse_date(step["at"].as_str().unwrap()).unwrap();
                let command = Command::from_json(&step["command"].to_string()).unwrap();
                if let Ok(new) = decide(&account, &policy, &command, at) {
                    account = new.iter().fold(account, |a, e| a.apply(e));
                    events.extend(new);
                }
            }
            json!({"name": case["name"], "state": parsed(account.to_json()), "events": value(&events)})
        });
        file(
            "Dunning cases (Receivables::to_json) and their events",
            cases.collect(),
        )
    });
    let cases = stored["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        same_again(
            name,
            &case["state"],
            |j| Receivables::from_json(j).unwrap(),
            Receivables::to_json,
        );
        same_again(
            name,
            &case["events"],
            |j| events_from_json(j).unwrap(),
            |e| events_to_json(e),
        );
        let events = events_from_json(&case["events"].to_string()).unwrap();
        let replayed = events
            .iter()
            .fold(Receivables::default(), |a, e| a.apply(e));
        assert_eq!(
            parsed(replayed.to_json()),
            case["state"],
            "{name}: replayed state"
        );
    }
}

#[test]
fn booking_books_and_events() {
    use memberkit::booking::{Book, Command, Rules, decide, events_from_json, events_to_json};
    let (doc, vector_cases) = cases("booking.json");
    let stored = golden_json("booking.json", || {
        let cases = vector_cases.iter().map(|case| {
            let rules = &doc["rules"][case["rules"].as_str().unwrap()];
            let rules = Rules::from_json(&rules.to_string()).unwrap();
            let (mut book, mut events) = (Book::default(), Vec::new());
            for step in case["steps"].as_array().unwrap() {
                let at =
                    chrono::DateTime::parse_from_rfc3339(step["at"].as_str().unwrap()).unwrap();
                let command = Command::from_json(&step["command"].to_string()).unwrap();
                if let Ok(new) = decide(&book, &rules, &command, at) {
                    book = new.iter().fold(book, |b, e| b.apply(e));
                    events.extend(new);
                }
            }
            json!({"name": case["name"], "state": parsed(book.to_json()), "events": value(&events)})
        });
        file(
            "Booking books (Book::to_json) and their events",
            cases.collect(),
        )
    });
    let cases = stored["cases"].as_array().unwrap();
    assert!(cases.len() >= 25);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        same_again(
            name,
            &case["state"],
            |j| Book::from_json(j).unwrap(),
            Book::to_json,
        );
        same_again(
            name,
            &case["events"],
            |j| events_from_json(j).unwrap(),
            |e| events_to_json(e),
        );
        let events = events_from_json(&case["events"].to_string()).unwrap();
        let replayed = events.iter().fold(Book::default(), |b, e| b.apply(e));
        assert_eq!(
            parsed(replayed.to_json()),
            case["state"],
            "{name}: replayed state"
        );
    }
}

#[test]
fn chat_states() {
    use memberkit::chat::{Assistant, ChatConfig, ChatState, Club, Member};
    let stored = golden_json("chat.json", || {
        let doc = read_json(&root().join("tests/vectors/chat.json"));
        let club = Club::from_json(&doc["club"].to_string()).unwrap();
        let members: Vec<Member> = doc["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| Member::from_json(&m.to_string()).unwrap())
            .collect();
        let model = memberkit::intent::default_model().unwrap();
        let bot = Assistant::new(model, club, ChatConfig::default()).unwrap();
        let cases = doc["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|conversation| {
                let today = parse_date(conversation["today"].as_str().unwrap()).unwrap();
                let mut state = match conversation.get("state") {
                    Some(state) => ChatState::from_json(&state.to_string()).unwrap(),
                    None => ChatState::default(),
                };
                let mut states = Vec::new();
                for turn in conversation["turns"].as_array().unwrap() {
                    let at = turn["today"]
                        .as_str()
                        .map_or(today, |d| parse_date(d).unwrap());
                    let reading = bot.read(&state, turn["say"].as_str().unwrap(), at);
                    let member = reading
                        .member_number()
                        .and_then(|n| members.iter().find(|m| m.identity.member_number == n));
                    state = bot.reply(reading, member).state;
                    states.push(parsed(state.to_json()));
                }
                json!({"name": conversation["name"], "states": states})
            });
        file(
            "Chat states (ChatState::to_json) after each turn of the chat vectors",
            cases.collect(),
        )
    });
    let cases = stored["cases"].as_array().unwrap();
    assert!(cases.len() >= 40);
    for case in cases {
        for state in case["states"].as_array().unwrap() {
            same_again(
                case["name"].as_str().unwrap(),
                state,
                |j| ChatState::from_json(j).unwrap(),
                ChatState::to_json,
            );
        }
    }
}

/// The examples the golden models are trained on.
fn examples() -> Vec<Example> {
    let pairs = [
        ("休会したい", "pause"),
        ("来月から休みたい", "pause"),
        ("I want to pause my membership", "pause"),
        ("退会したい", "cancel"),
        ("cancel my membership", "cancel"),
        ("解約の手続き", "cancel"),
        ("何時まで開いていますか", "hours"),
        ("what time do you open", "hours"),
        ("今日の天気は", "oos"),
        ("tell me a joke", "oos"),
    ];
    pairs
        .iter()
        .map(|(text, intent)| Example {
            intent: (*intent).into(),
            text: (*text).into(),
        })
        .collect()
}

/// Messages the golden models classify, with what they answered.
const PROBES: [&str; 4] = [
    "休会の手続きをしたい",
    "please cancel",
    "open hours?",
    "サッカーの結果",
];

fn answers(model: &Model) -> Value {
    PROBES
        .iter()
        .map(|text| {
            let c = model.classify(text).unwrap();
            json!({"text": text, "intent": c.intent, "confidence": c.confidence})
        })
        .collect()
}

/// A model file of each format version (1: the config without the fields
/// added in 2; 2: today's), and what each answered.
#[test]
fn model_files_of_every_version() {
    let configs = [
        (
            "model-v1.bin",
            TrainConfig {
                out_of_scope_example_weight: 1.0,
                average_weights: false,
                ..TrainConfig::default()
            },
        ),
        ("model-v2.bin", TrainConfig::default()),
    ];
    for (version, (name, config)) in (1u16..).zip(configs) {
        let bytes = golden(name, || train(&examples(), &config).unwrap().to_bytes());
        assert_eq!(
            bytes[4..6],
            version.to_le_bytes(),
            "{name}: its format version"
        );
        let model = Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            model.to_bytes(),
            bytes,
            "{name}: written again, the same bytes"
        );
        let stored = golden_json(&format!("{name}.answers.json"), || answers(&model));
        let now = answers(&model);
        for (was, is) in stored
            .as_array()
            .unwrap()
            .iter()
            .zip(now.as_array().unwrap())
        {
            assert_eq!(was["intent"], is["intent"], "{name}: {}", was["text"]);
            let (a, b) = (
                was["confidence"].as_f64().unwrap(),
                is["confidence"].as_f64().unwrap(),
            );
            assert!(
                (a - b).abs() < 1e-6,
                "{name}: {}: confidence {a} then, {b} now",
                was["text"]
            );
        }
    }
}
