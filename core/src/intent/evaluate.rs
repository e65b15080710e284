//! Measuring a model on labelled examples.

use super::model::{too_large, top_class};
use super::{Example, IntentError, MAX_TEXT_BYTES, Model, OUT_OF_SCOPE, Scratch};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// How well a model does on labelled examples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The number of examples.
    pub examples: usize,
    /// The share of examples whose classified intent (out of scope included)
    /// is their label.
    pub accuracy: f64,
    /// The share of in-scope examples classified as their label (`None` when
    /// every example is out of scope).
    pub in_scope_accuracy: Option<f64>,
    /// The share of [`OUT_OF_SCOPE`] examples classified out of scope (`None`
    /// when there are none).
    pub out_of_scope_recall: Option<f64>,
    /// The mean F1 over every intent that is a label or a prediction.
    pub macro_f1: f64,
    /// Precision and recall per intent, by intent id.
    pub per_intent: Vec<IntentScore>,
    /// The most frequent mistakes, most frequent first (at most 10).
    pub confusions: Vec<Confusion>,
    /// Expected calibration error of the confidence: over 15 equal-width
    /// confidence bins, the example-weighted mean gap between the mean
    /// confidence and the accuracy of the model's best guess.
    pub expected_calibration_error: f64,
}

/// Precision and recall for one intent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentScore {
    /// The intent id.
    pub intent: String,
    /// Examples labelled with it.
    pub support: usize,
    /// Examples classified as it.
    pub predicted: usize,
    /// The share of those classified as it that are labelled with it (0 when none is).
    pub precision: f64,
    /// The share of those labelled with it that are classified as it (0 when none is).
    pub recall: f64,
    /// The harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

/// A mistake and how often it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// The label.
    pub expected: String,
    /// What the model said instead.
    pub predicted: String,
    /// How many examples.
    pub count: usize,
}

const CALIBRATION_BINS: usize = 15;
const MOST_CONFUSED: usize = 10;

impl Model {
    /// Classifies each labelled example and measures the results.
    ///
    /// # Errors
    /// [`IntentError::NoExamples`] when `labelled` is empty;
    /// [`IntentError::TooLarge`] for a text longer than
    /// [`MAX_TEXT_BYTES`](super::MAX_TEXT_BYTES).
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::{Example, default_model};
    /// let model = default_model()?;
    /// let labelled = [
    ///     Example::new("hours", "土曜日は何時まで開いていますか"),
    ///     Example::new("password_reset", "I can't log in, I forgot my password"),
    ///     Example::new("oos", "おすすめのラーメン屋を教えて"),
    /// ];
    /// let evaluation = model.evaluate(&labelled)?;
    /// assert_eq!(evaluation.examples, 3);
    /// assert!(evaluation.accuracy >= 2.0 / 3.0);
    /// # Ok::<(), memberkit::intent::IntentError>(())
    /// ```
    pub fn evaluate(&self, labelled: &[Example]) -> Result<Evaluation, IntentError> {
        if labelled.is_empty() {
            return Err(IntentError::NoExamples);
        }
        let mut scratch = Scratch::default();
        // (label, prediction) -> count
        let mut pairs: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let mut bins = [(0usize, 0.0f64, 0usize); CALIBRATION_BINS];
        for example in labelled {
            too_large(
                "bytes in an example's text",
                example.text.len(),
                MAX_TEXT_BYTES,
            )?;
            let probabilities = self.probabilities(&mut scratch, &example.text);
            let (top, confidence) = top_class(probabilities);
            let predicted = if self.accepts(top, confidence) {
                self.intents[top].as_str()
            } else {
                OUT_OF_SCOPE
            };
            *pairs.entry((&example.intent, predicted)).or_default() += 1;
            let bin = ((f64::from(confidence) * CALIBRATION_BINS as f64) as usize)
                .min(CALIBRATION_BINS - 1);
            bins[bin].0 += 1;
            bins[bin].1 += f64::from(confidence);
            bins[bin].2 += usize::from(self.intents[top] == example.intent);
        }
        Ok(summarize(labelled.len(), &pairs, &bins))
    }
}

fn summarize(
    total: usize,
    pairs: &BTreeMap<(&str, &str), usize>,
    bins: &[(usize, f64, usize)],
) -> Evaluation {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let mut per: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new(); // support, predicted, right
    let (mut right, mut in_scope, mut in_scope_right, mut oos, mut oos_right) = (0, 0, 0, 0, 0);
    for (&(label, predicted), &count) in pairs {
        per.entry(label).or_default().0 += count;
        per.entry(predicted).or_default().1 += count;
        let correct = label == predicted;
        if correct {
            per.entry(label).or_default().2 += count;
            right += count;
        }
        if label == OUT_OF_SCOPE {
            oos += count;
            oos_right += if correct { count } else { 0 };
        } else {
            in_scope += count;
            in_scope_right += if correct { count } else { 0 };
        }
    }
    let per_intent: Vec<IntentScore> = per
        .iter()
        .map(|(&intent, &(support, predicted, right))| {
            let precision = ratio(right, predicted);
            let recall = ratio(right, support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            IntentScore {
                intent: intent.to_owned(),
                support,
                predicted,
                precision,
                recall,
                f1,
            }
        })
        .collect();
    let macro_f1 = per_intent.iter().map(|s| s.f1).sum::<f64>() / per_intent.len().max(1) as f64;
    let mut confusions: Vec<Confusion> = pairs
        .iter()
        .filter(|((label, predicted), _)| label != predicted)
        .map(|(&(label, predicted), &count)| Confusion {
            expected: label.to_owned(),
            predicted: predicted.to_owned(),
            count,
        })
        .collect();
    // Stable: ties stay in (expected, predicted) order.
    confusions.sort_by_key(|c| std::cmp::Reverse(c.count));
    confusions.truncate(MOST_CONFUSED);
    let expected_calibration_error = bins
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|&(n, confidence_sum, right)| {
            let gap = (confidence_sum / n as f64 - ratio(right, n)).abs();
            gap * n as f64 / total as f64
        })
        .sum();
    Evaluation {
        examples: total,
        accuracy: ratio(right, total),
        in_scope_accuracy: (in_scope > 0).then(|| ratio(in_scope_right, in_scope)),
        out_of_scope_recall: (oos > 0).then(|| ratio(oos_right, oos)),
        macro_f1,
        per_intent,
        confusions,
        expected_calibration_error,
    }
}

impl fmt::Display for Evaluation {
    /// A short report: the headline figures, then the most confused pairs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent =
            |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{:.1} %", v * 100.0));
        writeln!(
            f,
            "{} examples: accuracy {}, in-scope accuracy {}, out-of-scope recall {}, macro-F1 {:.3}, ECE {:.3}",
            self.examples,
            percent(Some(self.accuracy)),
            percent(self.in_scope_accuracy),
            percent(self.out_of_scope_recall),
            self.macro_f1,
            self.expected_calibration_error
        )?;
        for c in &self.confusions {
            writeln!(f, "  {} → {}: {}", c.expected, c.predicted, c.count)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_follow_their_definitions() {
        let mut pairs = BTreeMap::new();
        pairs.insert(("a", "a"), 3);
        pairs.insert(("a", "b"), 1);
        pairs.insert(("b", "b"), 2);
        pairs.insert(("oos", "oos"), 1);
        pairs.insert(("oos", "a"), 1);
        pairs.insert(("b", "oos"), 2);
        let bins = [(10, 9.0, 9), (0, 0.0, 0)];
        let e = summarize(10, &pairs, &bins);
        assert_eq!(e.accuracy, 0.6);
        assert_eq!(e.in_scope_accuracy, Some(5.0 / 8.0));
        assert_eq!(e.out_of_scope_recall, Some(0.5));
        let a = &e.per_intent[0];
        assert_eq!((a.intent.as_str(), a.support, a.predicted), ("a", 4, 4));
        assert_eq!((a.precision, a.recall), (0.75, 0.75));
        assert_eq!(e.confusions[0].count, 2);
        assert_eq!(e.confusions[0].expected, "b");
        assert!(e.expected_calibration_error.abs() < 1e-12);
        let text = e.to_string();
        assert!(text.contains("accuracy 60.0 %"), "{text}");
    }

    #[test]
    fn ece_is_the_weighted_gap() {
        let pairs = BTreeMap::from([(("a", "a"), 4)]);
        // 2 examples at confidence 0.9 all right (gap 0.1), 2 at 0.5 half right (gap 0).
        let bins = [(2, 1.8, 2), (2, 1.0, 1)];
        let e = summarize(4, &pairs, &bins);
        assert!((e.expected_calibration_error - 0.05).abs() < 1e-9);
    }

    #[test]
    fn empty_input_is_an_error() {
        let model = crate::intent::default_model().unwrap();
        assert_eq!(model.evaluate(&[]), Err(IntentError::NoExamples));
    }
}
