//! How a model is trained.

use super::IntentError;
use super::features::{MAX_CHAR_NGRAM, MAX_WORD_NGRAM, NgramSpec};
use serde::{Deserialize, Serialize};

/// The least share of the training weight that out-of-scope examples get when
/// [`TrainConfig::out_of_scope_example_weight`] is left to the data: a prior
/// that at least one message in twenty is out of scope, whatever the share of
/// such messages among the examples a host collected.
pub const MIN_OUT_OF_SCOPE_SHARE: f32 = 0.05;

/// How [`train`](super::train) builds a model. A model keeps its config, so
/// [`Model::retrain`](super::Model::retrain) trains the same way again.
///
/// The defaults serve short Japanese and English messages as well as the
/// public benchmarks (Banking77, CLINC150, HWU64) without a recipe: the
/// weight of the out-of-scope examples is chosen from how many there are
/// (see [`out_of_scope_example_weight`](Self::out_of_scope_example_weight)),
/// and the model's `oos` class alone rejects, with no confidence threshold.
/// Missing fields in JSON take their default. (The shipped
/// [`default_model`](super::default_model) keeps the config it was trained
/// with, the defaults of an earlier release.)
///
/// A host that prefers asking back to guessing can still have a threshold
/// chosen on the validation split:
///
/// ```
/// use memberkit::intent::TrainConfig;
/// let strict: TrainConfig = serde_json::from_str(r#"{"out_of_scope_weight": 1}"#)?;
/// strict.validate()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```
/// use memberkit::intent::TrainConfig;
/// let config: TrainConfig = serde_json::from_str(r#"{"epochs": 30, "seed": 7}"#)?;
/// assert_eq!((config.epochs, config.seed), (30, 7));
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
    /// (0 to 100; 0, the default, never rejects a message the model has an
    /// intent for: a split held out of the training examples is easier than
    /// the messages to come, so a threshold chosen on it rejects too many).
    pub out_of_scope_weight: f32,
    /// How many intents a classification lists in `alternatives` (at least 1).
    pub alternatives: u32,
    /// How much each example labelled [`OUT_OF_SCOPE`](super::OUT_OF_SCOPE)
    /// counts in training against an in-scope one (above 0, up to 100), or 0,
    /// the default, to choose it from the data: the out-of-scope examples then
    /// count as at least [`MIN_OUT_OF_SCOPE_SHARE`] of the training weight
    /// (1 when they already do). Above 1, the model itself answers `oos` more
    /// often: out-of-scope messages are varied, and a few examples stand for
    /// all of them.
    pub out_of_scope_example_weight: f32,
    /// Whether the model keeps the mean of the weights at the end of each
    /// epoch of the second half of training rather than the last ones
    /// (the default): steadier and a little more accurate.
    pub average_weights: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            epochs: 20,
            learning_rate: 1.0,
            l2: 1e-5,
            char_ngram_min: 1,
            char_ngram_max: 4,
            word_ngram_max: 2,
            min_document_frequency: 1,
            validation_fraction: 0.2,
            out_of_scope_weight: 0.0,
            alternatives: 3,
            out_of_scope_example_weight: 0.0,
            average_weights: true,
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
            (0.0..=100.0).contains(&self.out_of_scope_example_weight),
            "out_of_scope_example_weight",
            self.out_of_scope_example_weight.to_string(),
            "0 (chosen from the data) to 100",
        )
    }

    /// The weight of each out-of-scope example in training, given how many
    /// of the training examples are in scope and how many out of scope:
    /// [`out_of_scope_example_weight`](Self::out_of_scope_example_weight) when
    /// set, else the weight that makes the out-of-scope examples
    /// [`MIN_OUT_OF_SCOPE_SHARE`] of the whole (at least 1, at most 100).
    pub(super) fn effective_out_of_scope_example_weight(
        &self,
        in_scope: usize,
        out_of_scope: usize,
    ) -> f32 {
        if self.out_of_scope_example_weight > 0.0 {
            return self.out_of_scope_example_weight;
        }
        if out_of_scope == 0 {
            return 1.0;
        }
        let share = f64::from(MIN_OUT_OF_SCOPE_SHARE);
        let weight = share * in_scope as f64 / ((1.0 - share) * out_of_scope as f64);
        weight.clamp(1.0, 100.0) as f32
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
                out_of_scope_example_weight: -1.0,
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
    fn out_of_scope_weight_from_the_data() {
        let config = TrainConfig::default();
        // CLINC150: 15,000 in scope, 100 out of scope.
        let clinc = config.effective_out_of_scope_example_weight(15_000, 100);
        assert!((clinc - 7.89).abs() < 0.01, "{clinc}");
        // Plenty of out-of-scope examples already (the shipped corpus): once each.
        assert_eq!(
            config.effective_out_of_scope_example_weight(1_741, 161),
            1.0
        );
        assert_eq!(config.effective_out_of_scope_example_weight(9_000, 0), 1.0);
        assert_eq!(
            config.effective_out_of_scope_example_weight(1_000_000, 1),
            100.0
        );
        let fixed = TrainConfig {
            out_of_scope_example_weight: 3.0,
            ..config
        };
        assert_eq!(
            fixed.effective_out_of_scope_example_weight(15_000, 100),
            3.0
        );
    }

    #[test]
    fn json_reports_the_bad_field() {
        let err = serde_json::from_str::<TrainConfig>(r#"{"epochs": "many"}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        let err = serde_json::from_str::<TrainConfig>(r#"{"epoch": 3}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `epoch`"), "{err}");
    }
}
