//! The club and members of `tests/vectors/chat.json`, for the chat tests.

use memberkit::chat::{Assistant, ChatConfig, Club, Member};
use memberkit::intent::default_model;
use serde_json::Value;

/// An assistant with `config` over the vectors' club, and their members.
pub fn fixture(config: ChatConfig) -> (Assistant, Vec<Member>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/chat.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let club = Club::from_json(&doc["club"].to_string()).unwrap();
    let members = doc["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| Member::from_json(&m.to_string()).unwrap())
        .collect();
    let bot = Assistant::new(default_model().unwrap(), club, config).unwrap();
    (bot, members)
}
