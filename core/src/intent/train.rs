//! Training: features, a multinomial logistic regression fit by AdaGrad, then
//! temperature scaling and an out-of-scope threshold fit on a validation split.

use super::features::{Buffers, FeatureIndex, count_runs, smooth_idf};
use super::model::{
    MAX_FEATURES, MAX_INTENTS, MAX_WEIGHTS, Parts, first_word_row, is_valid_intent_id, quantize,
    quantized_scores, softmax, tf_idf, too_large, top_class,
};
use super::rng::SplitMix64;
use super::{Example, IntentError, MAX_EXAMPLES, MAX_TEXT_BYTES, Model, OUT_OF_SCOPE, TrainConfig};

/// Trains a model on labelled examples.
///
/// Deterministic: the same examples (in the same order) and config give the
/// same model, bit for bit. When `config.validation_fraction` is above 0, that
/// share of each intent's examples is held out first to calibrate the
/// probabilities (temperature scaling) and to choose the confidence below
/// which a message is out of scope (maximizing in-scope accuracy plus
/// out-of-scope recall on the held-out examples); the final model is then
/// trained on all examples. Examples labelled [`OUT_OF_SCOPE`] teach it what
/// out-of-scope messages look like.
///
/// # Errors
/// [`IntentError::NoExamples`], [`IntentError::TooFewIntents`] (fewer than
/// two), [`IntentError::InvalidIntentId`], [`IntentError::InvalidConfig`], and
/// [`IntentError::TooLarge`] for more than [`MAX_EXAMPLES`](super::MAX_EXAMPLES)
/// examples, a text longer than [`MAX_TEXT_BYTES`](super::MAX_TEXT_BYTES), or
/// a model that would exceed its size limits (more than 10,000 intents, ...),
/// and [`IntentError::InvalidModel`] when training diverges to non-finite
/// weights (an extreme learning rate).
///
/// # Example
/// ```
/// use memberkit::intent::{Example, IntentError, TrainConfig, train};
/// let config = TrainConfig::default();
/// assert_eq!(train(&[], &config), Err(IntentError::NoExamples));
/// let one_intent = [Example::new("hours", "open?"), Example::new("hours", "closed?")];
/// assert_eq!(train(&one_intent, &config), Err(IntentError::TooFewIntents { found: 1 }));
/// ```
pub fn train(examples: &[Example], config: &TrainConfig) -> Result<Model, IntentError> {
    config.validate()?;
    if examples.is_empty() {
        return Err(IntentError::NoExamples);
    }
    too_large("examples", examples.len(), MAX_EXAMPLES)?;
    for (index, example) in examples.iter().enumerate() {
        too_large(
            "bytes in an example's text",
            example.text.len(),
            MAX_TEXT_BYTES,
        )?;
        if !is_valid_intent_id(&example.intent) {
            return Err(IntentError::InvalidIntentId {
                index,
                intent: example.intent.clone(),
            });
        }
    }
    let mut intents: Vec<String> = examples.iter().map(|e| e.intent.clone()).collect();
    intents.sort_unstable();
    intents.dedup();
    if intents.len() < 2 {
        return Err(IntentError::TooFewIntents {
            found: intents.len(),
        });
    }
    too_large("intents", intents.len(), MAX_INTENTS)?;
    let labels: Vec<u32> = examples
        .iter()
        .map(|e| intents.binary_search(&e.intent).unwrap_or(0) as u32)
        .collect();

    let vocabulary = Vocabulary::build(examples, config);
    too_large("features", vocabulary.features.len(), MAX_FEATURES)?;
    too_large(
        "weights (features × intents)",
        vocabulary.features.len().saturating_mul(intents.len()),
        MAX_WEIGHTS,
    )?;
    let matrix = vocabulary.matrix();

    let mut rng = SplitMix64::new(config.seed);
    let shape = Shape {
        features: vocabulary.features.len(),
        classes: intents.len(),
    };
    let (training, validation) =
        split(&labels, shape.classes, config.validation_fraction, &mut rng);
    let out_of_scope = intents.iter().position(|i| i == OUT_OF_SCOPE);
    let out_of_scope_count = out_of_scope.map_or(0, |oos| {
        labels
            .iter()
            .filter(|&&label| label as usize == oos)
            .count()
    });
    let weighting = Weighting {
        out_of_scope,
        weight: config.effective_out_of_scope_example_weight(
            examples.len() - out_of_scope_count,
            out_of_scope_count,
        ),
    };
    let (temperature, threshold) = if validation.is_empty() {
        (1.0, 0.0)
    } else {
        let (weights, bias) = fit(
            &matrix, &labels, &training, shape, config, &mut rng, weighting,
        );
        // Calibrate what the model will compute: the quantized weights.
        let (weights, scales) = quantize(&weights, shape.classes);
        let mut logits = Vec::with_capacity(validation.len() * shape.classes);
        let mut row_scores = Vec::new();
        for &i in &validation {
            quantized_scores(&weights, &scales, &bias, matrix.row(i), &mut row_scores);
            logits.extend_from_slice(&row_scores);
        }
        let validation_labels: Vec<u32> = validation.iter().map(|&i| labels[i]).collect();
        let temperature = fit_temperature(&logits, &validation_labels, shape.classes);
        let threshold = choose_threshold(
            &logits,
            &validation_labels,
            shape.classes,
            temperature,
            out_of_scope,
            config.out_of_scope_weight,
        );
        (temperature, threshold)
    };
    let all: Vec<usize> = (0..examples.len()).collect();
    let (weights, bias) = fit(&matrix, &labels, &all, shape, config, &mut rng, weighting);
    let (weights, scales) = quantize(&weights, shape.classes);
    Model::from_parts(Parts {
        config: config.clone(),
        intents,
        features: vocabulary.features,
        idf: vocabulary.idf,
        weights,
        scales,
        bias,
        temperature,
        threshold,
        examples: examples.to_vec(),
    })
}

/// Which class is out of scope, and how much each of its examples counts.
#[derive(Debug, Clone, Copy)]
struct Weighting {
    out_of_scope: Option<usize>,
    weight: f32,
}

#[derive(Debug, Clone, Copy)]
struct Shape {
    features: usize,
    classes: usize,
}

/// The features kept from the training texts, and each text's n-gram counts.
struct Vocabulary {
    /// Sorted feature hashes; a feature's row is its position.
    features: Vec<u32>,
    idf: Vec<f32>,
    /// Each example's `(hash, count)` runs, sorted by hash.
    documents: Vec<Vec<(u32, u32)>>,
}

impl Vocabulary {
    fn build(examples: &[Example], config: &TrainConfig) -> Self {
        let mut buffers = Buffers::default();
        let mut documents = Vec::with_capacity(examples.len());
        let mut all_hashes = Vec::new();
        for example in examples {
            buffers.hash_ngrams(&example.text, config.ngrams());
            let mut runs = Vec::new();
            count_runs(&mut buffers.hashes, &mut runs);
            all_hashes.extend(runs.iter().map(|&(hash, _)| hash));
            documents.push(runs);
        }
        let mut document_frequencies = Vec::new();
        count_runs(&mut all_hashes, &mut document_frequencies);
        let (features, idf) = document_frequencies
            .into_iter()
            .filter(|&(_, df)| df >= config.min_document_frequency)
            .map(|(hash, df)| (hash, smooth_idf(examples.len(), df)))
            .unzip();
        Self {
            features,
            idf,
            documents,
        }
    }

    /// The TF-IDF vectors of the documents, computed exactly as
    /// [`Model::classify`] computes them.
    fn matrix(&self) -> Matrix {
        let index = FeatureIndex::new(&self.features);
        let first_word_row = first_word_row(&self.features);
        let mut matrix = Matrix {
            starts: vec![0],
            entries: Vec::new(),
        };
        let mut runs = Vec::new();
        let mut vector = Vec::new();
        for document in &self.documents {
            runs.clear();
            runs.extend(document.iter().filter_map(|&(hash, count)| {
                index.row(hash, &self.features).map(|row| (row, count))
            }));
            tf_idf(&runs, &self.idf, first_word_row, &mut vector);
            matrix.entries.extend_from_slice(&vector);
            matrix.starts.push(matrix.entries.len());
        }
        matrix
    }
}

/// Sparse rows of `(feature row, value)`.
struct Matrix {
    starts: Vec<usize>,
    entries: Vec<(u32, f32)>,
}

impl Matrix {
    fn row(&self, i: usize) -> &[(u32, f32)] {
        &self.entries[self.starts[i]..self.starts[i + 1]]
    }
}

/// Splits example indices into training and validation, holding out
/// `fraction` of each class (rounded, keeping at least one for training).
fn split(
    labels: &[u32],
    classes: usize,
    fraction: f32,
    rng: &mut SplitMix64,
) -> (Vec<usize>, Vec<usize>) {
    let mut by_class = vec![Vec::new(); classes];
    for (i, &label) in labels.iter().enumerate() {
        by_class[label as usize].push(i);
    }
    let mut training = Vec::new();
    let mut validation = Vec::new();
    for mut members in by_class {
        rng.shuffle(&mut members);
        let held = ((members.len() as f64 * f64::from(fraction)).round() as usize)
            .min(members.len().saturating_sub(1));
        validation.extend_from_slice(&members[..held]);
        training.extend_from_slice(&members[held..]);
    }
    training.sort_unstable();
    validation.sort_unstable();
    (training, validation)
}

/// Fits weights (`features × classes`, row-major by feature) and biases by
/// AdaGrad on the softmax cross-entropy, visiting `subset` in a fresh random
/// order each epoch, with out-of-scope examples weighted as `weighting` says. With `config.average_weights`, the
/// result is the mean of the weights at the end of each epoch of the second
/// half.
fn fit(
    matrix: &Matrix,
    labels: &[u32],
    subset: &[usize],
    shape: Shape,
    config: &TrainConfig,
    rng: &mut SplitMix64,
    weighting: Weighting,
) -> (Vec<f32>, Vec<f32>) {
    let mut learner = Learner::new(shape, config);
    let mut average = config.average_weights.then(|| Average::new(shape));
    let mut order = subset.to_vec();
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let label = labels[i] as usize;
            let weight = if Some(label) == weighting.out_of_scope {
                weighting.weight
            } else {
                1.0
            };
            learner.step(matrix.row(i), label, weight);
        }
        if let Some(average) = average.as_mut().filter(|_| epoch > config.epochs / 2) {
            learner.settle();
            average.add(&learner.weights, &learner.bias);
        }
    }
    match average {
        Some(average) => average.mean(),
        None => {
            learner.settle();
            (learner.weights, learner.bias)
        }
    }
}

/// The state of AdaGrad: the learning rate adapts per feature row; L2 shrinks
/// every row at every step, applied lazily, all at once, when an example next
/// has the row's feature (or on [`Learner::settle`]).
struct Learner {
    classes: usize,
    rate: f32,
    l2: f32,
    weights: Vec<f32>,
    bias: Vec<f32>,
    squared: Vec<f32>,
    bias_squared: f32,
    last_step: Vec<u32>,
    step_count: u32,
    gradient: Vec<f32>,
}

impl Learner {
    fn new(shape: Shape, config: &TrainConfig) -> Self {
        Self {
            classes: shape.classes,
            rate: config.learning_rate,
            l2: config.l2,
            weights: vec![0.0; shape.features * shape.classes],
            bias: vec![0.0; shape.classes],
            squared: vec![0.0; shape.features],
            bias_squared: 0.0,
            last_step: vec![0; shape.features],
            step_count: 0,
            gradient: Vec::with_capacity(shape.classes),
        }
    }

    /// One step on the example `row` labelled `label`, its loss times `weight`.
    fn step(&mut self, row: &[(u32, f32)], label: usize, weight: f32) {
        let k = self.classes;
        self.step_count += 1;
        scores(&self.weights, &self.bias, row, &mut self.gradient);
        softmax(&mut self.gradient, 1.0);
        self.gradient[label] -= 1.0;
        if weight != 1.0 {
            self.gradient.iter_mut().for_each(|g| *g *= weight);
        }
        let norm2: f32 = self.gradient.iter().map(|g| g * g).sum();
        self.bias_squared += norm2;
        let step = self.rate / (self.bias_squared.sqrt() + 1e-6);
        for (b, g) in self.bias.iter_mut().zip(&self.gradient) {
            *b -= step * g;
        }
        for &(feature, value) in row {
            let f = feature as usize;
            let decay = shrink(
                self.rate,
                self.l2,
                self.squared[f],
                self.step_count - self.last_step[f],
            );
            self.last_step[f] = self.step_count;
            self.squared[f] += value * value * norm2;
            let step = self.rate / (self.squared[f].sqrt() + 1e-6) * value;
            for (w, g) in self.weights[f * k..(f + 1) * k]
                .iter_mut()
                .zip(&self.gradient)
            {
                *w = *w * decay - step * g;
            }
        }
    }

    /// Applies every row's pending L2 shrinking.
    fn settle(&mut self) {
        let (rate, l2) = (self.rate, self.l2);
        for (f, row) in self.weights.chunks_exact_mut(self.classes).enumerate() {
            let decay = shrink(
                rate,
                l2,
                self.squared[f],
                self.step_count - self.last_step[f],
            );
            self.last_step[f] = self.step_count;
            row.iter_mut().for_each(|w| *w *= decay);
        }
    }
}

/// The factor by which `steps` steps of L2 (`l2`, at base rate `rate`) shrink
/// a row whose squared gradients sum to `squared`.
fn shrink(rate: f32, l2: f32, squared: f32, steps: u32) -> f32 {
    let eta = rate / (squared.sqrt() + 1e-6);
    let per_step = (1.0 - eta * l2).max(0.0);
    let total = steps as f32 * eta * l2;
    if steps == 1 {
        per_step
    } else if total < 1e-3 {
        // (1 - x)^n = 1 - n·x to within (n·x)²/2 < 5e-7: skip the power.
        1.0 - total
    } else {
        per_step.powi(steps as i32)
    }
}

/// A running sum of weights and biases, for their mean.
struct Average {
    weights: Vec<f32>,
    bias: Vec<f32>,
    count: u32,
}

impl Average {
    fn new(shape: Shape) -> Self {
        Self {
            weights: vec![0.0; shape.features * shape.classes],
            bias: vec![0.0; shape.classes],
            count: 0,
        }
    }

    fn add(&mut self, weights: &[f32], bias: &[f32]) {
        self.weights
            .iter_mut()
            .zip(weights)
            .for_each(|(a, w)| *a += w);
        self.bias.iter_mut().zip(bias).for_each(|(a, b)| *a += b);
        self.count += 1;
    }

    fn mean(mut self) -> (Vec<f32>, Vec<f32>) {
        let n = self.count.max(1) as f32;
        self.weights.iter_mut().for_each(|a| *a /= n);
        self.bias.iter_mut().for_each(|a| *a /= n);
        (self.weights, self.bias)
    }
}

/// `bias + Σ value · weights[row]` for each class, on the unquantized
/// weights being trained.
fn scores(weights: &[f32], bias: &[f32], vector: &[(u32, f32)], out: &mut Vec<f32>) {
    let k = bias.len();
    out.clear();
    out.extend_from_slice(bias);
    for &(row, value) in vector {
        let start = row as usize * k;
        for (o, w) in out.iter_mut().zip(&weights[start..start + k]) {
            *o += value * w;
        }
    }
}

/// The temperature minimizing the validation examples' negative
/// log-likelihood (golden-section search on its logarithm).
fn fit_temperature(logits: &[f32], labels: &[u32], classes: usize) -> f32 {
    let nll = |log_t: f64| -> f64 {
        let t = log_t.exp();
        logits
            .chunks_exact(classes)
            .zip(labels)
            .map(|(row, &label)| {
                let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let sum: f64 = row
                    .iter()
                    .map(|&z| ((f64::from(z) - f64::from(max)) / t).exp())
                    .sum();
                sum.ln() - (f64::from(row[label as usize]) - f64::from(max)) / t
            })
            .sum()
    };
    let (mut lo, mut hi) = ((0.02f64).ln(), (50.0f64).ln());
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut a = hi - ratio * (hi - lo);
    let mut b = lo + ratio * (hi - lo);
    let (mut fa, mut fb) = (nll(a), nll(b));
    for _ in 0..50 {
        if fa <= fb {
            hi = b;
            b = a;
            fb = fa;
            a = hi - ratio * (hi - lo);
            fa = nll(a);
        } else {
            lo = a;
            a = b;
            fa = fb;
            b = lo + ratio * (hi - lo);
            fb = nll(b);
        }
    }
    (((lo + hi) / 2.0).exp()) as f32
}

/// The confidence threshold maximizing in-scope accuracy plus
/// `out_of_scope_weight` × out-of-scope recall on the validation examples
/// (in-scope accuracy alone when none is out of scope), placed halfway between
/// the two confidences it separates.
fn choose_threshold(
    logits: &[f32],
    labels: &[u32],
    classes: usize,
    temperature: f32,
    out_of_scope: Option<usize>,
    out_of_scope_weight: f32,
) -> f32 {
    // (confidence, whether accepting is right, whether rejecting is right)
    let mut cases: Vec<(f32, bool, bool)> = Vec::with_capacity(labels.len());
    let mut probabilities = Vec::with_capacity(classes);
    let (mut in_scope, mut oos) = (0usize, 0usize);
    for (row, &label) in logits.chunks_exact(classes).zip(labels) {
        probabilities.clear();
        probabilities.extend_from_slice(row);
        softmax(&mut probabilities, temperature);
        let (top, confidence) = top_class(&probabilities);
        let label_is_oos = Some(label as usize) == out_of_scope;
        if label_is_oos {
            oos += 1;
        } else {
            in_scope += 1;
        }
        if Some(top) == out_of_scope {
            // Rejected at any threshold.
            continue;
        }
        cases.push((confidence, top == label as usize, label_is_oos));
    }
    let weight = |n: usize| if n == 0 { 0.0 } else { 1.0 / n as f64 };
    let (accept_weight, reject_weight) = (
        weight(in_scope),
        weight(oos) * f64::from(out_of_scope_weight),
    );
    // Sorted by confidence; a threshold at cases[i].0 accepts cases[i..].
    cases.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut score: f64 = cases
        .iter()
        .map(|&(_, right, _)| if right { accept_weight } else { 0.0 })
        .sum();
    let (mut best_score, mut best) = (score, 0.0f32);
    for (i, &(confidence, right, is_oos)) in cases.iter().enumerate() {
        // Move cases[i] from accepted to rejected.
        if right {
            score -= accept_weight;
        }
        if is_oos {
            score += reject_weight;
        }
        let next = cases.get(i + 1).map_or(1.0, |c| c.0);
        if next > confidence && score > best_score + 1e-12 {
            best_score = score;
            best = (confidence + next) / 2.0;
        }
    }
    best.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<Example> {
        let mut examples = Vec::new();
        for i in 0..12 {
            examples.push(Example::new(
                "hours",
                format!("what time do you open on day {i}"),
            ));
            examples.push(Example::new(
                "hours",
                format!("営業時間は何時までですか {i}"),
            ));
            examples.push(Example::new(
                "cancel",
                format!("i want to cancel my membership {i}"),
            ));
            examples.push(Example::new("cancel", format!("退会したいです {i}")));
            examples.push(Example::new("oos", format!("what is the weather like {i}")));
        }
        examples
    }

    #[test]
    fn is_deterministic_and_seed_dependent() {
        let config = TrainConfig::default();
        let a = train(&toy(), &config).unwrap();
        let b = train(&toy(), &config).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_bytes(), b.to_bytes());
        let c = train(&toy(), &TrainConfig { seed: 1, ..config }).unwrap();
        assert_ne!(a.weights, c.weights);
    }

    #[test]
    fn learns_the_toy_intents() {
        let model = train(&toy(), &TrainConfig::default()).unwrap();
        assert_eq!(model.intents(), ["cancel", "hours", "oos"]);
        assert_eq!(
            model.classify("what time do you open").unwrap().intent,
            "hours"
        );
        assert_eq!(model.classify("退会したい").unwrap().intent, "cancel");
        assert_eq!(model.classify("weather today?").unwrap().intent, "oos");
        assert!(model.temperature() > 0.0 && model.temperature() != 1.0);
    }

    #[test]
    fn out_of_scope_example_weight_makes_oos_more_likely() {
        let oos_probability = |weight: f32| {
            let config = TrainConfig {
                validation_fraction: 0.0,
                out_of_scope_example_weight: weight,
                ..TrainConfig::default()
            };
            let model = train(&toy(), &config).unwrap();
            let mut scratch = crate::intent::Scratch::default();
            model.probabilities(&mut scratch, "what time is the weather")[2]
        };
        assert!(oos_probability(10.0) > oos_probability(1.0));
    }

    #[test]
    fn last_weights_are_deterministic_and_still_learn() {
        let config = TrainConfig {
            average_weights: false,
            ..TrainConfig::default()
        };
        let model = train(&toy(), &config).unwrap();
        assert_eq!(model, train(&toy(), &config).unwrap());
        assert_ne!(
            model.weights,
            train(&toy(), &TrainConfig::default()).unwrap().weights
        );
        assert_eq!(
            model.classify("what time do you open").unwrap().intent,
            "hours"
        );
        assert_eq!(model.classify("退会したい").unwrap().intent, "cancel");
    }

    #[test]
    fn divergence_is_an_error_not_a_panic() {
        let config = TrainConfig {
            learning_rate: 1e38,
            ..TrainConfig::default()
        };
        match train(&toy(), &config) {
            Ok(model) => assert!(model.scales.iter().all(|s| s.is_finite())),
            Err(err) => assert!(matches!(err, IntentError::InvalidModel { .. }), "{err}"),
        }
    }

    #[test]
    fn refuses_bad_intent_ids() {
        let examples = [Example::new("a", "x"), Example::new("", "y")];
        assert_eq!(
            train(&examples, &TrainConfig::default()),
            Err(IntentError::InvalidIntentId {
                index: 1,
                intent: String::new()
            })
        );
    }

    #[test]
    fn split_is_stratified_and_keeps_one_for_training() {
        let labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        let (training, validation) = split(&labels, 2, 0.2, &mut SplitMix64::new(3));
        assert_eq!(validation.len(), 2);
        assert!(validation.iter().all(|&i| labels[i] == 0));
        assert_eq!(training.len(), 9);
    }

    #[test]
    fn temperature_sharpens_underconfident_scores() {
        // Always right but with small margins: the fitted temperature is below 1.
        let logits = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0];
        let t = fit_temperature(&logits, &[0, 1, 0], 2);
        assert!(t < 0.1, "{t}");
        // Right half the time with big margins: above 1.
        let t = fit_temperature(&logits, &[0, 0, 1], 2);
        assert!(t > 1.0, "{t}");
    }

    #[test]
    fn threshold_separates_confident_right_from_unsure_oos() {
        // Class 2 is oos. Two confident right answers, two unsure oos messages.
        let logits = [5.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.5, 0.0];
        let threshold = choose_threshold(&logits, &[0, 1, 2, 2], 3, 1.0, Some(2), 1.0);
        let unsure = 0.5f32.exp() / (0.5f32.exp() + 2.0);
        assert!(threshold > unsure && threshold < 0.98, "{threshold}");
        // Without oos examples nothing is gained by rejecting.
        assert_eq!(
            choose_threshold(&logits[..6], &[0, 1], 3, 1.0, Some(2), 1.0),
            0.0
        );
        // Nor when out-of-scope recall does not count.
        assert_eq!(
            choose_threshold(&logits, &[0, 1, 2, 2], 3, 1.0, Some(2), 0.0),
            0.0
        );
    }
}
