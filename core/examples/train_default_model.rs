//! Trains the shipped intent model from `core/data/intent/train.tsv` with the
//! config the shipped model keeps (or, with `--defaults`, with today's
//! [`TrainConfig::default`]), writes `core/data/intent/default_model.bin`, and
//! prints its figures on `core/data/intent/heldout.tsv`.
//!
//! `cargo run --release -p memberkit --example train_default_model [-- --defaults]`
//!
//! The shared conformance vectors (`tests/vectors/chat.json`) record the
//! shipped model's answers and confidences: a model trained with `--defaults`
//! needs them regenerated.

use memberkit::intent::{TrainConfig, default_model, parse_tsv, train};
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/intent");
    let examples = parse_tsv(&std::fs::read_to_string(data.join("train.tsv"))?)?;
    let heldout = parse_tsv(&std::fs::read_to_string(data.join("heldout.tsv"))?)?;
    let config = if std::env::args().any(|a| a == "--defaults") {
        TrainConfig::default()
    } else {
        default_model()?.config().clone()
    };
    let started = Instant::now();
    let model = train(&examples, &config)?;
    let elapsed = started.elapsed();
    let bytes = model.to_bytes();
    std::fs::write(data.join("default_model.bin"), &bytes)?;
    println!(
        "trained on {} examples in {:.2?}: {} intents, {} features, {} bytes, temperature {:.3}, threshold {:.3}",
        examples.len(),
        elapsed,
        model.intents().len(),
        model.feature_count(),
        bytes.len(),
        model.temperature(),
        model.threshold()
    );
    println!("held out: {}", model.evaluate(&heldout)?);
    Ok(())
}
