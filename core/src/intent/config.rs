//! How a model is trained.

use super::IntentError;
use super::features::{MAX_CHAR_NGRAM, MAX_WORD_NGRAM, NgramSpec};
use serde::{Deserialize, Serialize};

/// How [`train`](super::train) builds a model. A model keeps its config, so
/// [`Model::retrain`](super::Model::retrain) trains the same way again.
///
/// The defaults are the ones the shipped [`default_model`](super::default_model)
/// was trained with, and serve short Japanese and English messages well.
/// Missing fields in JSON take their default.
///
/// With many intents and few out-of-scope examples (CLINC150: 150 intents,
/// 100 `oos` examples), weighting those examples up and letting the `oos`
/// class alone reject beats a confidence threshold:
///
/// ```
/// use memberkit::intent::TrainConfig;
/// let clinc: TrainConfig = serde_json::from_str(r#"{"epochs": 30, "learning_rate": 2.0,
///     "average_weights": true, "out_of_scope_example_weight": 8, "out_of_scope_weight": 0}"#)?;
/// clinc.validate()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```
/// use memberkit::intent::TrainConfig;
/// let config: TrainConfig = serde_json::from_str(r#"{"epochs": 20, "seed": 7}"#)?;
/// assert_eq!((config.epochs, config.seed), (20, 7));
/// assert_eq!(config.char_ngram_max, TrainConfig::default().char_ngram_max);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Seeds the validation split and the order examples are visited in:
    /// one seed, one model, bit for bit.
    pub seed: u64,
    /// Passes over the training examples.
    pub epochs: u32,
    /// AdaGrad's base learning rate.
    pub learning_rate: f32,
    /// L2 regularization strength: every step shrinks each weight by
    /// `learning rate × l2` of itself.
    pub l2: f32,
    /// The shortest character n-gram (1 to 8).
    pub char_ngram_min: u8,
    /// The longest character n-gram (`char_ngram_min` to 8).
    pub char_ngram_max: u8,
    /// The longest word n-gram over space-separated words (0 for none, up to 3).
    pub word_ngram_max: u8,
    /// A feature is kept when at least this many examples have it.
    pub min_document_frequency: u32,
    /// The share of each intent's examples held out to calibrate confidence
    /// and choose the out-of-scope threshold (0 to 0.5; 0 skips calibration).
    /// The final model is then trained on all examples.
    pub validation_fraction: f32,
    /// How much out-of-scope recall counts against in-scope accuracy when
    /// the threshold is chosen: it maximizes `in-scope accuracy +
    /// out_of_scope_weight × out-of-scope recall` on the validation split
    /// (0 to 100; 0 never rejects a message the model has an intent for).
    pub out_of_scope_weight: f32,
    /// How many intents a classification lists in `alternatives` (at least 1).
    pub alternatives: u32,
    /// How much each example labelled [`OUT_OF_SCOPE`](super::OUT_OF_SCOPE)
    /// counts in training against an in-scope one (above 0, up to 100).
    /// Above 1, the model itself answers `oos` more often: out-of-scope
    /// messages are varied, and a few examples stand for all of them.
    pub out_of_scope_example_weight: f32,
    /// Whether the model keeps the mean of the weights at the end of each
    /// epoch of the second half of training rather than the last ones:
    /// steadier and a little more accurate with many intents and epochs.
    pub average_weights: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            epochs: 10,
            learning_rate: 1.0,
            l2: 1e-5,
            char_ngram_min: 1,
            char_ngram_max: 4,
            word_ngram_max: 2,
            min_document_frequency: 1,
            validation_fraction: 0.2,
            out_of_scope_weight: 1.0,
            alternatives: 3,
            out_of_scope_example_weight: 1.0,
            average_weights: false,
        }
    }
}

impl TrainConfig {
    /// Checks every field's range.
    ///
    /// # Errors
    /// [`IntentError::InvalidConfig`] naming the first field out of range.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::{IntentError, TrainConfig};
    /// let config = TrainConfig { char_ngram_min: 5, char_ngram_max: 3, ..TrainConfig::default() };
    /// assert!(matches!(config.validate(), Err(IntentError::InvalidConfig { field: "char_ngram_max", .. })));
    /// ```
    pub fn validate(&self) -> Result<(), IntentError> {
        let check = |ok: bool, field: &'static str, value: String, expected: &'static str| {
            if ok {
                Ok(())
            } else {
                Err(IntentError::InvalidConfig {
                    field,
                    value,
                    expected,
                })
            }
        };
        check(
            (1..=10_000).contains(&self.epochs),
            "epochs",
            self.epochs.to_string(),
            "1 to 10000",
        )?;
        check(
            self.learning_rate.is_finite() && self.learning_rate > 0.0,
            "learning_rate",
            self.learning_rate.to_string(),
            "a finite number above 0",
        )?;
        check(
            self.l2.is_finite() && self.l2 >= 0.0 && self.l2 < 1.0,
            "l2",
            self.l2.to_string(),
            "0 or more and below 1",
        )?;
        check(
            (1..=MAX_CHAR_NGRAM as u8).contains(&self.char_ngram_min),
            "char_ngram_min",
            self.char_ngram_min.to_string(),
            "1 to 8",
        )?;
        check(
            (self.char_ngram_min..=MAX_CHAR_NGRAM as u8).contains(&self.char_ngram_max),
            "char_ngram_max",
            self.char_ngram_max.to_string(),
            "char_ngram_min to 8",
        )?;
        check(
            self.word_ngram_max <= MAX_WORD_NGRAM as u8,
            "word_ngram_max",
            self.word_ngram_max.to_string(),
            "0 to 3",
        )?;
        check(
            self.min_document_frequency >= 1,
            "min_document_frequency",
            self.min_document_frequency.to_string(),
            "at least 1",
        )?;
        check(
            (0.0..=0.5).contains(&self.validation_fraction),
            "validation_fraction",
            self.validation_fraction.to_string(),
            "0 to 0.5",
        )?;
        check(
            (0.0..=100.0).contains(&self.out_of_scope_weight),
            "out_of_scope_weight",
            self.out_of_scope_weight.to_string(),
            "0 to 100",
        )?;
        check(
            (1..=1000).contains(&self.alternatives),
            "alternatives",
            self.alternatives.to_string(),
            "1 to 1000",
        )?;
        check(
            self.out_of_scope_example_weight > 0.0 && self.out_of_scope_example_weight <= 100.0,
            "out_of_scope_example_weight",
            self.out_of_scope_example_weight.to_string(),
            "above 0, up to 100",
        )
    }

    pub(super) fn ngrams(&self) -> NgramSpec {
        NgramSpec {
            char_min: usize::from(self.char_ngram_min),
            char_max: usize::from(self.char_ngram_max),
            word_max: usize::from(self.word_ngram_max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_each_bound_is_checked() {
        TrainConfig::default().validate().unwrap();
        let bad = [
            TrainConfig {
                epochs: 0,
                ..Default::default()
            },
            TrainConfig {
                learning_rate: f32::NAN,
                ..Default::default()
            },
            TrainConfig {
                l2: -1.0,
                ..Default::default()
            },
            TrainConfig {
                char_ngram_min: 0,
                ..Default::default()
            },
            TrainConfig {
                char_ngram_max: 9,
                ..Default::default()
            },
            TrainConfig {
                word_ngram_max: 4,
                ..Default::default()
            },
            TrainConfig {
                min_document_frequency: 0,
                ..Default::default()
            },
            TrainConfig {
                validation_fraction: 0.9,
                ..Default::default()
            },
            TrainConfig {
                out_of_scope_weight: -1.0,
                ..Default::default()
            },
            TrainConfig {
                alternatives: 0,
                ..Default::default()
            },
            TrainConfig {
                out_of_scope_example_weight: 0.0,
                ..Default::default()
            },
            TrainConfig {
                out_of_scope_example_weight: f32::INFINITY,
                ..Default::default()
            },
        ];
        for config in bad {
            assert!(
                matches!(config.validate(), Err(IntentError::InvalidConfig { .. })),
                "{config:?}"
            );
        }
    }

    #[test]
    fn json_reports_the_bad_field() {
        let err = serde_json::from_str::<TrainConfig>(r#"{"epochs": "many"}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        let err = serde_json::from_str::<TrainConfig>(r#"{"epoch": 3}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `epoch`"), "{err}");
    }
}
