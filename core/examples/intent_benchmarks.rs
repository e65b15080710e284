//! Trains and measures the intent classifier on the project's own bilingual
//! corpus (train on `core/data/intent/train.tsv`, measure on `heldout.tsv`;
//! with the default config this is the shipped model) and on the public
//! benchmark sets in the shared data folder (never copied into this repository): Banking77
//! (train on `train.csv`, measure on `dev.csv`) and CLINC150 (train on
//! `train.jsonl` + `oos_train.jsonl`, measure on `val.jsonl` + `oos_val.jsonl`)
//! and HWU64 (train on `train.jsonl`, measure on `dev.jsonl`).
//!
//! ```sh
//! cargo run --release -p memberkit --example intent_benchmarks -- [DATA_DIR] [CONFIG_JSON]
//! ```
//!
//! `DATA_DIR` defaults to `../shared/data`; `CONFIG_JSON` is a
//! [`TrainConfig`] in JSON, e.g. `'{"epochs": 20}'` (defaults otherwise). A
//! set whose files are missing is skipped with a note. `MK_ONLY` (a
//! comma-separated list of `memberkit`, `banking77`, `clinc150`, `hwu64`)
//! measures only those sets.
//!
//! For many intents and few out-of-scope examples, as in CLINC150, weight the
//! out-of-scope examples and let the model's `oos` class alone reject:
//!
//! ```sh
//! cargo run --release -p memberkit --example intent_benchmarks -- ../shared/data \
//!   '{"epochs": 30, "learning_rate": 2.0, "average_weights": true,
//!     "out_of_scope_example_weight": 8, "out_of_scope_weight": 0}'
//! ```

use memberkit::intent::{Example, Model, Scratch, TrainConfig, parse_tsv, train};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(args.first().map_or("../shared/data", String::as_str));
    let config: TrainConfig = match args.get(1) {
        Some(json) => serde_json::from_str(json)?,
        None => TrainConfig::default(),
    };
    println!("config: {}", serde_json::to_string(&config)?);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/intent");
    let train_set = parse_tsv(&std::fs::read_to_string(corpus.join("train.tsv"))?)?;
    let heldout = parse_tsv(&std::fs::read_to_string(corpus.join("heldout.tsv"))?)?;
    let only = std::env::var("MK_ONLY").unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only.split(',').any(|o| o == name);
    if wanted("memberkit") {
        report("memberkit ja/en heldout", &train_set, &heldout, &config)?;
    }
    let banking = data.join("banking77");
    match (
        read_csv(&banking.join("train.csv")),
        read_csv(&banking.join("dev.csv")),
    ) {
        _ if !wanted("banking77") => {}
        (Ok(train_set), Ok(dev)) => report("Banking77 dev", &train_set, &dev, &config)?,
        (Err(e), _) | (_, Err(e)) => println!("Banking77 skipped: {e}"),
    }
    let clinc = data.join("clinc150");
    let files = [
        "train.jsonl",
        "oos_train.jsonl",
        "val.jsonl",
        "oos_val.jsonl",
    ]
    .map(|name| read_jsonl(&clinc.join(name)));
    match files {
        _ if !wanted("clinc150") => {}
        [Ok(mut train_set), Ok(oos_train), Ok(mut val), Ok(oos_val)] => {
            train_set.extend(oos_train);
            val.extend(oos_val);
            report("CLINC150 val", &train_set, &val, &config)?;
        }
        _ => println!("CLINC150 skipped: files missing under {}", clinc.display()),
    }
    let hwu = data.join("hwu64");
    match ["train.jsonl", "dev.jsonl"].map(|name| read_jsonl(&hwu.join(name))) {
        _ if !wanted("hwu64") => {}
        [Ok(train_set), Ok(dev)] => report("HWU64 dev", &train_set, &dev, &config)?,
        _ => println!("HWU64 skipped: files missing under {}", hwu.display()),
    }
    Ok(())
}

fn report(
    name: &str,
    train_set: &[Example],
    test: &[Example],
    config: &TrainConfig,
) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let model = train(train_set, config)?;
    let training = started.elapsed();
    let evaluation = model.evaluate(test)?;
    println!(
        "{name}: trained on {} examples in {:.2} s ({} intents, {} features, temperature {:.3}, threshold {:.3})",
        train_set.len(),
        training.as_secs_f64(),
        model.intents().len(),
        model.feature_count(),
        model.temperature(),
        model.threshold()
    );
    print!("{name}: {evaluation}");
    if model.threshold() > 0.0 {
        let unthresholded = model.clone().with_threshold(0.0)?.evaluate(test)?;
        println!(
            "{name}: without the out-of-scope threshold: accuracy {:.1} %, in-scope accuracy {:.1} %, out-of-scope recall {:.1} %",
            unthresholded.accuracy * 100.0,
            unthresholded.in_scope_accuracy.unwrap_or(0.0) * 100.0,
            unthresholded.out_of_scope_recall.unwrap_or(0.0) * 100.0
        );
    }
    println!(
        "{name}: classify median {:.2} µs per message",
        median_latency(&model, test).as_secs_f64() * 1e6
    );
    Ok(())
}

/// The median time of one classification over the test texts.
fn median_latency(model: &Model, test: &[Example]) -> Duration {
    let mut scratch = Scratch::default();
    let mut times: Vec<Duration> = test
        .iter()
        .map(|e| {
            let started = Instant::now();
            let _ = std::hint::black_box(model.classify_with(&mut scratch, &e.text));
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

/// Banking77's CSV: header `text,category`, RFC 4180 quoting, CRLF line ends.
fn read_csv(path: &Path) -> Result<Vec<Example>, Box<dyn std::error::Error>> {
    let content = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut records = Vec::new();
    let (mut field, mut fields) = (String::new(), Vec::new());
    let (mut quoted, mut chars) = (false, content.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut fields));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(fields);
    }
    records
        .into_iter()
        .skip(1)
        .map(|r| match r.as_slice() {
            [text, category] => Ok(Example::new(category.as_str(), text.as_str())),
            _ => Err(format!("{}: a record without 2 fields: {r:?}", path.display()).into()),
        })
        .collect()
}

/// JSON lines of `{"text": ..., "intent": ...}`.
fn read_jsonl(path: &Path) -> Result<Vec<Example>, Box<dyn std::error::Error>> {
    let content = std::fs::read_to_string(path)?;
    content
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| Ok(serde_json::from_str::<Example>(line)?))
        .collect()
}
