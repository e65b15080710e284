//! Chat benchmarks (design §8: a routed turn with a decider dry run, under
//! 50 µs from Python): one turn of the assistant with the shipped model, over
//! the club and members of `tests/vectors/chat.json`.
//!
//! `cargo bench -p memberkit --bench chat`.
//!
//! - `turn/dry_run`: a verified member asks for a pause with its month and
//!   length: classification, slots, the decider's dry run and the billing
//!   preview of the confirmation (the busiest turn).
//! - `turn/confirm`: the member's "はい" to that proposal (checked again).
//! - `turn/ask_identity`: a first message, before any record is read.
//! - `turn/facts`: a verified member asks what plan they are on.
//! - `parts/*`: what a turn is made of: reading the message (classifying and
//!   finding slots), and reading a member record from JSON.

use criterion::{Criterion, criterion_group, criterion_main};
use memberkit::calendar::date;
use memberkit::chat::{Assistant, ChatConfig, ChatState, Club, Member};
use memberkit::intent::default_model;
use serde_json::Value;
use std::hint::black_box;

fn setup() -> (Assistant, Member, String) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/chat.json");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the chat vectors"))
            .expect("JSON");
    let club = Club::from_json(&doc["club"].to_string()).expect("a club");
    let member_json = doc["members"][0].to_string();
    let member = Member::from_json(&member_json).expect("a member");
    let bot = Assistant::new(
        default_model().expect("the model"),
        club,
        ChatConfig::default(),
    )
    .expect("an assistant");
    (bot, member, member_json)
}

fn turns(c: &mut Criterion) {
    let (bot, member, member_json) = setup();
    let today = date(2026, 5, 6).expect("a date");
    let verified = ChatState::verified("1000001");
    let ask = "7月から2ヶ月休会したい";
    let proposed = bot
        .reply(bot.read(&verified, ask, today), Some(&member))
        .state;
    let mut group = c.benchmark_group("turn");
    group.bench_function("dry_run", |b| {
        b.iter(|| bot.reply(bot.read(black_box(&verified), ask, today), Some(&member)))
    });
    group.bench_function("confirm", |b| {
        b.iter(|| bot.reply(bot.read(black_box(&proposed), "はい", today), Some(&member)))
    });
    group.bench_function("ask_identity", |b| {
        b.iter(|| bot.reply(bot.read(&ChatState::default(), black_box(ask), today), None))
    });
    group.bench_function("facts", |b| {
        b.iter(|| {
            bot.reply(
                bot.read(&verified, black_box("what plan am I on?"), today),
                Some(&member),
            )
        })
    });
    group.finish();
    let mut parts = c.benchmark_group("parts");
    parts.bench_function("read", |b| {
        b.iter(|| bot.read(&verified, black_box(ask), today))
    });
    let model = default_model().expect("the model");
    parts.bench_function("classify", |b| {
        b.iter(|| model.classify(black_box(ask)).unwrap().confidence)
    });
    let slots = memberkit::intent::slots::SlotExtractor::default();
    parts.bench_function("slots", |b| b.iter(|| slots.extract(black_box(ask), today)));
    parts.bench_function("member_from_json", |b| {
        b.iter(|| Member::from_json(black_box(&member_json)))
    });
    parts.finish();
}

criterion_group!(benches, turns);
criterion_main!(benches);
