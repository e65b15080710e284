//! A trained model and classification.

use super::features::{Buffers, FeatureIndex, WORD_FEATURE, count_runs, sublinear_tf};
use super::{Example, IntentError, MAX_TEXT_BYTES, OUT_OF_SCOPE, TrainConfig};
use serde::Serialize;

/// A trained intent classifier. Immutable: share it between threads freely.
///
/// Build one with [`train`](super::train), load the shipped one with
/// [`default_model`](super::default_model), or load a saved one with
/// [`Model::from_bytes`] or serde (any serde format; the JSON form is shown
/// below). Loading validates everything, so a model in hand is always
/// consistent.
///
/// ```
/// use memberkit::intent::{Model, default_model};
/// let model = default_model()?;
/// let json = serde_json::to_string(&model).unwrap();
/// let reloaded: Model = serde_json::from_str(&json).unwrap();
/// assert_eq!(reloaded, model);
/// assert_eq!(Model::from_bytes(&model.to_bytes())?, model);
/// # Ok::<(), memberkit::intent::IntentError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Model {
    pub(super) config: TrainConfig,
    pub(super) intents: Vec<String>,
    pub(super) features: Vec<u32>,
    pub(super) idf: Vec<f32>,
    /// Quantized weights, `features × intents`, row-major by feature: a
    /// weight is `weights[i] × scales[row]`.
    pub(super) weights: Vec<i8>,
    pub(super) scales: Vec<f32>,
    pub(super) bias: Vec<f32>,
    pub(super) temperature: f32,
    pub(super) threshold: f32,
    pub(super) examples: Vec<Example>,
    out_of_scope: Option<usize>,
    first_word_row: u32,
    index: FeatureIndex,
}

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        // The index and the out-of-scope position derive from the rest.
        self.config == other.config
            && self.intents == other.intents
            && self.features == other.features
            && self.idf == other.idf
            && self.weights == other.weights
            && self.scales == other.scales
            && self.bias == other.bias
            && self.temperature == other.temperature
            && self.threshold == other.threshold
            && self.examples == other.examples
    }
}

/// The raw contents of a model, before validation.
pub(super) struct Parts {
    pub config: TrainConfig,
    pub intents: Vec<String>,
    pub features: Vec<u32>,
    pub idf: Vec<f32>,
    pub weights: Vec<i8>,
    pub scales: Vec<f32>,
    pub bias: Vec<f32>,
    pub temperature: f32,
    pub threshold: f32,
    pub examples: Vec<Example>,
}

/// What a member wants, how sure the model is, and the runners-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification<'m> {
    /// The intent id, or [`OUT_OF_SCOPE`] when the best intent's confidence is
    /// below the model's threshold or the best guess is `oos` itself.
    pub intent: &'m str,
    /// The calibrated probability of the model's best guess (the first of
    /// `alternatives`). For an out-of-scope result from the threshold it is
    /// that low probability.
    pub confidence: f32,
    /// The best intents with their calibrated probabilities, most likely
    /// first, as many as the model's config asks for.
    pub alternatives: Vec<Scored<'m>>,
}

/// An intent and its calibrated probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scored<'m> {
    /// The intent id.
    pub intent: &'m str,
    /// Its probability, from 0 to 1.
    pub confidence: f32,
}

/// Buffers reused across [`Model::classify_with`] calls, so classifying
/// allocates nothing but the result's short list of alternatives.
///
/// ```
/// use memberkit::intent::{Scratch, default_model};
/// let model = default_model()?;
/// let mut scratch = Scratch::default();
/// for text in ["営業時間は？", "I forgot my password"] {
///     let result = model.classify_with(&mut scratch, text)?;
///     assert!(result.confidence > 0.0);
/// }
/// # Ok::<(), memberkit::intent::IntentError>(())
/// ```
#[derive(Debug, Default)]
pub struct Scratch {
    buffers: Buffers,
    runs: Vec<(u32, u32)>,
    vector: Vec<(u32, f32)>,
    scores: Vec<f32>,
}

impl Scratch {
    /// The probabilities the last classification left, one per intent.
    pub(super) fn probabilities(&self) -> &[f32] {
        &self.scores
    }
}

/// The most intents a model may have.
pub(super) const MAX_INTENTS: usize = 10_000;
/// The most features a model may have.
pub(super) const MAX_FEATURES: usize = 50_000_000;
/// The most weights (features × intents) a model may have.
pub(super) const MAX_WEIGHTS: usize = 500_000_000;
/// The largest bias a model may hold (far beyond any a training makes).
const MAX_BIAS: f32 = 1e6;
/// The largest weight scale (a weight is at most 127 × its scale).
const MAX_SCALE: f32 = 1e6;
/// The temperature's range: with these bounds, and a feature's value at
/// most 1, no message's score overflows.
const MIN_TEMPERATURE: f32 = 1e-6;
const MAX_TEMPERATURE: f32 = 1e6;

impl Model {
    pub(super) fn from_parts(parts: Parts) -> Result<Self, IntentError> {
        let invalid = |what: String| Err(IntentError::InvalidModel { what });
        parts.config.validate()?;
        let k = parts.intents.len();
        if !(2..=MAX_INTENTS).contains(&k) {
            return invalid(format!("{k} intents; expected 2 to {MAX_INTENTS}"));
        }
        for (i, intent) in parts.intents.iter().enumerate() {
            if !is_valid_intent_id(intent) {
                return invalid(format!("intent #{i} has an invalid id {intent:?}"));
            }
        }
        if parts.intents.windows(2).any(|w| w[0] >= w[1]) {
            return invalid("intents are not sorted and unique".into());
        }
        let n = parts.features.len();
        if n > MAX_FEATURES {
            return invalid(format!("{n} features; at most {MAX_FEATURES}"));
        }
        if parts.features.windows(2).any(|w| w[0] >= w[1]) {
            return invalid("feature hashes are not sorted and unique".into());
        }
        if parts.idf.len() != n {
            return invalid(format!("{} idf weights for {n} features", parts.idf.len()));
        }
        if parts.idf.iter().any(|v| !v.is_finite() || *v <= 0.0) {
            return invalid("an idf weight is not a positive finite number".into());
        }
        if n.saturating_mul(k) > MAX_WEIGHTS {
            return invalid(format!(
                "{n} features × {k} intents exceed {MAX_WEIGHTS} weights"
            ));
        }
        if n.checked_mul(k) != Some(parts.weights.len()) {
            return invalid(format!(
                "{} weights for {n} features and {k} intents",
                parts.weights.len()
            ));
        }
        if parts.scales.len() != n {
            return invalid(format!(
                "{} weight scales for {n} features",
                parts.scales.len()
            ));
        }
        if parts.bias.len() != k {
            return invalid(format!("{} biases for {k} intents", parts.bias.len()));
        }
        // Bounds no trained model comes near, which keep every score finite:
        // a feature's value is at most 1 and a weight at most 127 × its scale.
        if parts
            .bias
            .iter()
            .any(|v| !(-MAX_BIAS..=MAX_BIAS).contains(v))
        {
            return invalid(format!("a bias is not a number within ±{MAX_BIAS:e}"));
        }
        if parts.scales.iter().any(|v| !(0.0..=MAX_SCALE).contains(v)) {
            return invalid(format!(
                "a weight scale is not a number from 0 to {MAX_SCALE:e}"
            ));
        }
        if !(MIN_TEMPERATURE..=MAX_TEMPERATURE).contains(&parts.temperature) {
            return invalid(format!(
                "temperature {} is not within {MIN_TEMPERATURE:e}..={MAX_TEMPERATURE:e}",
                parts.temperature
            ));
        }
        if !(0.0..=1.0).contains(&parts.threshold) {
            return invalid(format!("threshold {} is not within 0..=1", parts.threshold));
        }
        for (i, example) in parts.examples.iter().enumerate() {
            if parts.intents.binary_search(&example.intent).is_err() {
                return invalid(format!(
                    "example #{i} has intent {:?}, which the model does not know",
                    example.intent
                ));
            }
        }
        let out_of_scope = parts
            .intents
            .binary_search_by(|i| i.as_str().cmp(OUT_OF_SCOPE))
            .ok();
        let index = FeatureIndex::new(&parts.features);
        let first_word_row = first_word_row(&parts.features);
        Ok(Self {
            config: parts.config,
            intents: parts.intents,
            features: parts.features,
            idf: parts.idf,
            weights: parts.weights,
            scales: parts.scales,
            bias: parts.bias,
            temperature: parts.temperature,
            threshold: parts.threshold,
            examples: parts.examples,
            out_of_scope,
            first_word_row,
            index,
        })
    }

    /// Classifies one message. Text the model has no feature for gets the
    /// model's prior, a low confidence, and usually [`OUT_OF_SCOPE`].
    ///
    /// # Errors
    /// [`IntentError::TooLarge`] for a text longer than
    /// [`MAX_TEXT_BYTES`](super::MAX_TEXT_BYTES); any shorter text is
    /// classified.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::{IntentError, MAX_TEXT_BYTES, default_model};
    /// let model = default_model()?;
    /// let result = model.classify("パスワードを忘れてしまいました")?;
    /// assert_eq!(result.intent, "password_reset");
    /// assert!(result.confidence > 0.5);
    /// assert_eq!(result.alternatives[0].intent, "password_reset");
    /// let long = "a".repeat(MAX_TEXT_BYTES + 1);
    /// assert!(matches!(model.classify(&long), Err(IntentError::TooLarge { .. })));
    /// # Ok::<(), memberkit::intent::IntentError>(())
    /// ```
    pub fn classify(&self, text: &str) -> Result<Classification<'_>, IntentError> {
        self.classify_with(&mut Scratch::default(), text)
    }

    /// [`Model::classify`] with buffers the caller keeps between calls.
    ///
    /// # Errors
    /// As [`Model::classify`].
    pub fn classify_with<'m>(
        &'m self,
        scratch: &mut Scratch,
        text: &str,
    ) -> Result<Classification<'m>, IntentError> {
        too_large("bytes in a text", text.len(), MAX_TEXT_BYTES)?;
        self.probabilities(scratch, text);
        let probabilities = &scratch.scores;
        let (top, confidence) = top_class(probabilities);
        let wanted = (self.config.alternatives as usize).min(probabilities.len());
        // Selection in rank order (probability descending, then intent order),
        // each round taking the best below the previous pick: no sorting.
        let mut alternatives: Vec<Scored<'m>> = Vec::with_capacity(wanted);
        let mut previous: Option<(f32, usize)> = None;
        for _ in 0..wanted {
            let ranks_after_previous = |&(i, &p): &(usize, &f32)| match previous {
                None => true,
                Some((pp, pi)) => p < pp || (p == pp && i > pi),
            };
            let next = probabilities
                .iter()
                .enumerate()
                .filter(ranks_after_previous)
                .fold(None, |best: Option<(usize, f32)>, (i, &p)| match best {
                    Some((_, bp)) if bp >= p => best,
                    _ => Some((i, p)),
                });
            let Some((i, p)) = next else { break };
            alternatives.push(Scored {
                intent: &self.intents[i],
                confidence: p,
            });
            previous = Some((p, i));
        }
        let intent = if self.accepts(top, confidence) {
            self.intents[top].as_str()
        } else {
            OUT_OF_SCOPE
        };
        Ok(Classification {
            intent,
            confidence,
            alternatives,
        })
    }

    /// Whether the best class `top` with probability `confidence` is taken as
    /// the intent, rather than out of scope.
    pub(super) fn accepts(&self, top: usize, confidence: f32) -> bool {
        Some(top) != self.out_of_scope && confidence >= self.threshold
    }

    /// Leaves the calibrated probability of each intent in `scratch.scores`.
    pub(super) fn probabilities<'s>(&self, scratch: &'s mut Scratch, text: &str) -> &'s [f32] {
        self.logits(scratch, text);
        softmax(&mut scratch.scores, self.temperature);
        &scratch.scores
    }

    /// Leaves the raw (uncalibrated) scores of each intent in `scratch.scores`.
    fn logits(&self, scratch: &mut Scratch, text: &str) {
        scratch.buffers.hash_ngrams(text, self.config.ngrams());
        let features = &self.features;
        let index = &self.index;
        scratch
            .buffers
            .hashes
            .retain_mut(|hash| match index.row(*hash, features) {
                Some(row) => {
                    *hash = row;
                    true
                }
                None => false,
            });
        count_runs(&mut scratch.buffers.hashes, &mut scratch.runs);
        tf_idf(
            &scratch.runs,
            &self.idf,
            self.first_word_row,
            &mut scratch.vector,
        );
        quantized_scores(
            &self.weights,
            &self.scales,
            &self.bias,
            &scratch.vector,
            &mut scratch.scores,
        );
    }

    /// The intent ids the model knows, sorted.
    pub fn intents(&self) -> &[String] {
        &self.intents
    }

    /// The config the model was trained with.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The examples the model was trained on, kept for [`Model::retrain`].
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// The temperature that calibrates the model's probabilities (1 when not
    /// calibrated): probabilities are the softmax of scores divided by it.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// The confidence below which a classification is out of scope, chosen on
    /// the validation split (0 when not chosen).
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The number of features (hashed n-grams) the model has weights for.
    pub fn feature_count(&self) -> usize {
        self.features.len()
    }

    /// This model with a different out-of-scope threshold: a host that prefers
    /// asking back to guessing can raise it.
    ///
    /// # Errors
    /// [`IntentError::InvalidConfig`] when `threshold` is not within 0..=1.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::default_model;
    /// let strict = default_model()?.with_threshold(1.0)?;
    /// assert_eq!(strict.classify("I forgot my password")?.intent, "oos");
    /// # Ok::<(), memberkit::intent::IntentError>(())
    /// ```
    pub fn with_threshold(mut self, threshold: f32) -> Result<Self, IntentError> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(IntentError::InvalidConfig {
                field: "threshold",
                value: threshold.to_string(),
                expected: "0 to 1",
            });
        }
        self.threshold = threshold;
        Ok(self)
    }

    /// Retrains with `added` examples on top of the ones the model was trained
    /// on, with the same config: the feedback loop in which operators add or
    /// relabel misunderstood messages. An added example whose normalized text
    /// equals a kept one's (ignoring spaces) replaces it, so relabelling a message
    /// moves it.
    ///
    /// # Errors
    /// As [`train`](super::train).
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::{Example, default_model};
    /// let model = default_model()?;
    /// let relabelled = Example::new("hours", "Is the studio open during Golden Week?");
    /// let retrained = model.retrain(&[relabelled])?;
    /// assert_eq!(retrained.examples().len(), model.examples().len() + 1);
    /// # Ok::<(), memberkit::intent::IntentError>(())
    /// ```
    pub fn retrain(&self, added: &[Example]) -> Result<Model, IntentError> {
        // Spaces are ignored too: "駐車場は、ありますか" relabels "駐車場はありますか".
        let key = |text: &str| super::normalize(text).replace(' ', "");
        let replaced: std::collections::HashSet<String> =
            added.iter().map(|e| key(&e.text)).collect();
        let examples: Vec<Example> = self
            .examples
            .iter()
            .filter(|e| !replaced.contains(&key(&e.text)))
            .chain(added)
            .cloned()
            .collect();
        super::train(&examples, &self.config)
    }
}

/// `(index, probability)` of the most likely class (the first on ties).
pub(super) fn top_class(probabilities: &[f32]) -> (usize, f32) {
    probabilities
        .iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, &p)| {
            if p > best.1 { (i, p) } else { best }
        })
}

/// The row of the first word n-gram in sorted `features` (its length when
/// there is none): rows before it are character n-grams.
pub(super) fn first_word_row(features: &[u32]) -> u32 {
    // The number of features is bounded by MAX_FEATURES, far below u32::MAX.
    features.partition_point(|hash| hash & WORD_FEATURE == 0) as u32
}

/// The sublinear TF-IDF vector of `(row, count)` runs (sorted by row), with
/// the character n-grams (rows below `first_word_row`) and the word n-grams
/// each L2-normalized on their own, so the many character n-grams do not
/// drown the few words.
pub(super) fn tf_idf(
    runs: &[(u32, u32)],
    idf: &[f32],
    first_word_row: u32,
    vector: &mut Vec<(u32, f32)>,
) {
    vector.clear();
    vector.extend(
        runs.iter()
            .map(|&(row, count)| (row, sublinear_tf(count) * idf[row as usize])),
    );
    let words = vector.partition_point(|&(row, _)| row < first_word_row);
    let (chars, words) = vector.split_at_mut(words);
    for block in [chars, words] {
        let norm = block.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            block.iter_mut().for_each(|(_, v)| *v /= norm);
        }
    }
}

/// `bias + Σ value · scales[row] · weights[row]` for each class.
pub(super) fn quantized_scores(
    weights: &[i8],
    scales: &[f32],
    bias: &[f32],
    vector: &[(u32, f32)],
    out: &mut Vec<f32>,
) {
    let k = bias.len();
    out.clear();
    out.extend_from_slice(bias);
    for &(row, value) in vector {
        let row = row as usize;
        let scaled = value * scales[row];
        for (o, &w) in out.iter_mut().zip(&weights[row * k..(row + 1) * k]) {
            *o += scaled * f32::from(w);
        }
    }
}

/// Quantizes `features × classes` weights to one signed byte each, with one
/// scale per feature row (its largest magnitude maps to ±127). A row of
/// zeros gets scale 0.
pub(super) fn quantize(weights: &[f32], classes: usize) -> (Vec<i8>, Vec<f32>) {
    let mut quantized = Vec::with_capacity(weights.len());
    let mut scales = Vec::with_capacity(weights.len() / classes.max(1));
    for row in weights.chunks_exact(classes) {
        let largest = row.iter().fold(0.0f32, |m, w| m.max(w.abs()));
        let scale = largest / 127.0;
        scales.push(scale);
        quantized.extend(row.iter().map(|&w| {
            if scale > 0.0 {
                // Within ±127 by construction; `as` saturates anyway.
                (w / scale).round() as i8
            } else {
                0
            }
        }));
    }
    (quantized, scales)
}

/// Replaces scores by `softmax(scores / temperature)`.
pub(super) fn softmax(scores: &mut [f32], temperature: f32) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = ((*s - max) / temperature).exp();
        sum += *s;
    }
    scores.iter_mut().for_each(|s| *s /= sum);
}

/// Whether `intent` can be an intent id: 1 to 100 characters, no control
/// characters.
pub(super) fn is_valid_intent_id(intent: &str) -> bool {
    let count = intent.chars().count();
    (1..=100).contains(&count) && !intent.chars().any(char::is_control)
}

/// Refuses `count` of `what` above `max` with [`IntentError::TooLarge`].
pub(super) fn too_large(what: &'static str, count: usize, max: usize) -> Result<(), IntentError> {
    if count > max {
        Err(IntentError::TooLarge { what, count, max })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::default_model;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static MODEL: LazyLock<Model> = LazyLock::new(|| default_model().unwrap());

    #[test]
    fn alternatives_are_distinct_sorted_and_consistent() {
        let result = MODEL
            .classify("支払い方法をクレジットカードに変えたい")
            .unwrap();
        assert_eq!(result.intent, "payment_method");
        assert_eq!(result.alternatives.len(), 3);
        assert_eq!(result.alternatives[0].confidence, result.confidence);
        assert!(
            result
                .alternatives
                .windows(2)
                .all(|w| w[0].confidence >= w[1].confidence)
        );
        assert!(result.alternatives[0].intent != result.alternatives[1].intent);
    }

    #[test]
    fn text_without_known_features_is_out_of_scope() {
        for text in ["", "!!!", "\u{1F600}", "ЖЖЖ"] {
            assert_eq!(
                MODEL.classify(text).unwrap().intent,
                OUT_OF_SCOPE,
                "{text:?}"
            );
        }
    }

    #[test]
    fn retrain_moves_a_relabelled_message() {
        let text = "駐車場はありますか";
        let examples = vec![
            Example::new("hours", "何時まで開いていますか"),
            Example::new("hours", "営業時間を教えて"),
            Example::new("oos", text),
            Example::new("cancel", "退会したい"),
            Example::new("cancel", "解約をお願いします"),
        ];
        let config = TrainConfig {
            validation_fraction: 0.0,
            ..TrainConfig::default()
        };
        let model = crate::intent::train(&examples, &config).unwrap();
        let retrained = model
            .retrain(&[Example::new("hours", "駐車場は、ありますか？")])
            .unwrap();
        assert_eq!(retrained.examples().len(), examples.len());
        assert!(!retrained.examples().iter().any(|e| e.intent == "oos"));
        assert!(matches!(
            retrained
                .retrain(&[Example::new("hours", "x")])
                .map(|m| m.intents().len()),
            Ok(2)
        ));
    }

    proptest! {
        #[test]
        fn classify_never_panics_and_gives_probabilities(text in "\\PC{0,80}") {
            let model = &*MODEL;
            let mut scratch = Scratch::default();
            let result = model.classify_with(&mut scratch, &text).unwrap();
            prop_assert!(result.confidence > 0.0 && result.confidence <= 1.0);
            let sum: f32 = model.probabilities(&mut scratch, &text).iter().sum();
            prop_assert!((sum - 1.0).abs() < 1e-4);
        }

        #[test]
        fn classify_never_panics_on_any_chars(chars in proptest::collection::vec(any::<char>(), 0..40)) {
            let text: String = chars.into_iter().collect();
            let _ = MODEL.classify(&text);
        }
    }
}
