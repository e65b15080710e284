//! Trains the shipped intent model from `core/data/intent/train.tsv` with the
//! default config, writes `core/data/intent/default_model.bin`, and prints its
//! figures on `core/data/intent/heldout.tsv`.
//!
//! `cargo run --release -p memberkit --example train_default_model`

use memberkit::intent::{TrainConfig, parse_tsv, train};
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/intent");
    let examples = parse_tsv(&std::fs::read_to_string(data.join("train.tsv"))?)?;
    let heldout = parse_tsv(&std::fs::read_to_string(data.join("heldout.tsv"))?)?;
    let config = TrainConfig::default();
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
