//! Writes the seed of the `intent_model_bytes` target: a small trained
//! model's bytes without their trailing checksum (the target appends it).
//! Run from `fuzz/`: `cargo run --example model_seed`.

use memberkit::intent::{Example, TrainConfig, train};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let examples: Vec<Example> = [
        ("hours", "what time do you open"),
        ("hours", "営業時間を教えて"),
        ("cancel", "i want to cancel"),
        ("cancel", "退会したいです"),
        ("oos", "the weather is nice"),
    ]
    .into_iter()
    .map(|(intent, text)| Example::new(intent, text))
    .collect();
    let config = TrainConfig {
        validation_fraction: 0.0,
        char_ngram_max: 2,
        word_ngram_max: 1,
        epochs: 2,
        ..TrainConfig::default()
    };
    let bytes = train(&examples, &config)?.to_bytes();
    let dir = std::path::Path::new("corpus/intent_model_bytes");
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("small_model"), &bytes[..bytes.len() - 8])?;
    println!("{} bytes", bytes.len() - 8);
    Ok(())
}
