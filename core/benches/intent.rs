//! Intent classifier benchmarks: classification latency (the shipped model and
//! a 77-intent Banking77 model), loading the shipped model, slot extraction,
//! routing, and training.
//!
//! `cargo bench -p memberkit --bench intent`. The Banking77 benchmarks read
//! `$MEMBERKIT_DATA/banking77/train.csv` (default `../shared/data` beside the
//! workspace) and are skipped when it is missing.

use criterion::{Criterion, criterion_group, criterion_main};
use memberkit::intent::slots::SlotExtractor;
use memberkit::intent::{
    Conversation, Example, Model, Router, RouterConfig, Scratch, TrainConfig, default_model,
    parse_tsv, train,
};
use std::hint::black_box;
use std::path::PathBuf;

const SHORT_TEXTS: [&str; 6] = [
    "I still haven't received my new card, when will it arrive?",
    "パスワードを忘れてしまいました",
    "How do I change my plan to the cheaper one?",
    "来週の火曜日のヨガを予約したいです",
    "Why was I charged twice this month?",
    "退会したいのですが手続きを教えてください",
];

/// Classifies the texts in turn, one per iteration.
fn classify_each(c: &mut Criterion, name: &str, model: &Model, texts: &[&str]) {
    let mut scratch = Scratch::default();
    let mut i = 0;
    c.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) % texts.len();
            black_box(
                model
                    .classify_with(&mut scratch, black_box(texts[i]))
                    .map(|c| c.confidence),
            )
        })
    });
}

fn shipped(c: &mut Criterion) {
    let model = default_model().expect("the shipped model loads");
    classify_each(c, "classify/default_model", &model, &SHORT_TEXTS);
    c.bench_function("load/default_model", |b| b.iter(default_model));
    let slots = SlotExtractor::default();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("a valid date");
    let message = "明日の18時半に予約、会員番号は1234567、電話は090-1234-5678です";
    c.bench_function("slots/extract", |b| {
        b.iter(|| slots.extract(black_box(message), today))
    });
    let router = Router::new(model.clone(), slots, RouterConfig::default()).expect("valid config");
    let conversation = Conversation::default();
    c.bench_function("route", |b| {
        b.iter(|| router.route(&conversation, black_box(message), false, today))
    });
    let corpus = include_str!("../data/intent/train.tsv");
    let examples = parse_tsv(corpus).expect("the corpus parses");
    let mut group = c.benchmark_group("train");
    group.sample_size(10);
    group.bench_function("default_corpus", |b| {
        b.iter(|| train(black_box(&examples), &TrainConfig::default()))
    });
    group.finish();
}

fn banking77_examples(split: &str) -> Option<Vec<Example>> {
    let dir = std::env::var_os("MEMBERKIT_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
        PathBuf::from,
    );
    let content = std::fs::read_to_string(dir.join(format!("banking77/{split}.csv"))).ok()?;
    // Simple enough for Banking77: text is quoted when it contains a comma.
    let examples = content
        .lines()
        .skip(1)
        .filter_map(|line| {
            let line = line.trim_end_matches('\r');
            let (text, category) = line.rsplit_once(',')?;
            let text = text.trim_matches('"').replace("\"\"", "\"");
            Some(Example::new(category, text))
        })
        .collect();
    Some(examples)
}

fn banking77(c: &mut Criterion) {
    let (Some(examples), Some(dev)) = (banking77_examples("train"), banking77_examples("dev"))
    else {
        eprintln!("banking77 benchmarks skipped: set MEMBERKIT_DATA to the shared data folder");
        return;
    };
    let config = TrainConfig::default();
    let model = train(&examples, &config).expect("Banking77 trains");
    let short: Vec<&str> = SHORT_TEXTS.iter().step_by(2).copied().collect();
    classify_each(c, "classify/banking77_short_en", &model, &short);
    // Every dev message in turn: longer texts, and weights less often in cache.
    let dev_texts: Vec<&str> = dev.iter().map(|e| e.text.as_str()).collect();
    classify_each(c, "classify/banking77_dev", &model, &dev_texts);
    let mut group = c.benchmark_group("train");
    group.sample_size(10);
    group.bench_function("banking77", |b| {
        b.iter(|| train(black_box(&examples), &config))
    });
    group.finish();
}

criterion_group!(benches, shipped, banking77);
criterion_main!(benches);
