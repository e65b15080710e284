//! Training examples (JSON and TSV) and training configs from any text:
//! errors, never panics; a config that validates trains (on at most 40
//! short examples, at most 3 epochs, to keep each run fast) or is refused
//! with an error; a trained model survives its bytes and classifies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::intent::{Example, Model, TrainConfig, parse_tsv, train};

fuzz_target!(|data: &[u8]| {
    let Some(text) = memberkit_fuzz::text(data) else {
        return;
    };
    // Examples and a config separated by NUL.
    let (examples_text, config_text) = text.split_once('\0').unwrap_or((text, "{}"));
    let _ = parse_tsv(examples_text);
    let examples: Vec<Example> = match memberkit::json::from_json(examples_text, "examples") {
        Ok(examples) => examples,
        Err(_) => match parse_tsv(examples_text) {
            Ok(examples) => examples,
            Err(_) => return,
        },
    };
    let Ok(mut config) = memberkit::json::from_json::<TrainConfig>(config_text, "training config")
    else {
        return;
    };
    if config.validate().is_err() {
        assert!(
            train(&examples, &config).is_err(),
            "train accepted a config that does not validate"
        );
        return;
    }
    if examples.len() > 40 || examples.iter().any(|e| e.text.len() > 200) {
        return;
    }
    config.epochs = config.epochs.min(3);
    let Ok(model) = train(&examples, &config) else {
        return;
    };
    let again =
        Model::from_bytes(&model.to_bytes()).expect("a trained model reads back from its bytes");
    assert_eq!(again.intents(), model.intents());
    for example in &examples {
        let ours = model
            .classify(&example.text)
            .expect("a trained example is under the limit");
        let theirs = again
            .classify(&example.text)
            .expect("a trained example is under the limit");
        assert_eq!(
            (ours.intent, ours.confidence.to_bits()),
            (theirs.intent, theirs.confidence.to_bits())
        );
        assert!(
            (0.0..=1.0).contains(&ours.confidence),
            "confidence {}",
            ours.confidence
        );
    }
});
