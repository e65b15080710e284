//! Features that need no tokenizer: hashed character n-grams over the
//! normalized text plus word n-grams where words are separated by spaces,
//! weighted by sublinear TF-IDF and L2-normalized.

use super::normalize::normalize_into;

/// The longest character n-gram a model may use.
pub(super) const MAX_CHAR_NGRAM: usize = 8;
/// The longest word n-gram a model may use.
pub(super) const MAX_WORD_NGRAM: usize = 3;
/// The bit set in the hash of a word n-gram and clear in a character
/// n-gram's, so a model's sorted features list the character n-grams first.
pub(super) const WORD_FEATURE: u32 = 1 << 31;

/// Which n-grams become features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NgramSpec {
    pub char_min: usize,
    pub char_max: usize,
    pub word_max: usize,
}

/// Reusable buffers for featurizing one text at a time without allocating.
#[derive(Debug, Default)]
pub(super) struct Buffers {
    normalized: String,
    padded: String,
    pub hashes: Vec<u32>,
}

impl Buffers {
    /// Normalizes `text` and collects the hashes of its n-grams (with
    /// repetitions, in no particular order) into `self.hashes`.
    pub fn hash_ngrams(&mut self, text: &str, spec: NgramSpec) {
        normalize_into(text, &mut self.normalized);
        self.padded.clear();
        self.padded.push(' ');
        self.padded.push_str(&self.normalized);
        self.padded.push(' ');
        self.hashes.clear();
        if self.normalized.is_empty() {
            return;
        }
        char_ngrams(&self.padded, spec, &mut self.hashes);
        word_ngrams(&self.normalized, spec, &mut self.hashes);
    }
}

/// Character n-grams of `padded` (the normalized text with one space at each
/// end, so n-grams at a word's edge differ from those inside it).
fn char_ngrams(padded: &str, spec: NgramSpec, out: &mut Vec<u32>) {
    // The byte offsets of the last `MAX_CHAR_NGRAM + 1` char boundaries.
    let mut ring = [0usize; MAX_CHAR_NGRAM + 1];
    let ends = padded
        .char_indices()
        .skip(1)
        .map(|(i, _)| i)
        .chain(std::iter::once(padded.len()));
    for (count, end) in ends.enumerate() {
        let count = count + 1; // boundaries seen after the start
        ring[count % ring.len()] = end;
        for n in spec.char_min..=spec.char_max.min(count) {
            let start = ring[(count - n) % ring.len()];
            let gram = &padded[start..end];
            if gram != " " {
                out.push(fnv1a(b'c', gram.as_bytes()) & !WORD_FEATURE);
            }
        }
    }
}

/// Word n-grams of `normalized` (words separated by single spaces). A bigram is
/// hashed as the slice covering both words, space included.
fn word_ngrams(normalized: &str, spec: NgramSpec, out: &mut Vec<u32>) {
    if spec.word_max == 0 {
        return;
    }
    let mut starts = [0usize; MAX_WORD_NGRAM];
    let mut start = 0;
    let words = normalized
        .match_indices(' ')
        .map(|(i, _)| i)
        .chain(std::iter::once(normalized.len()));
    for (index, end) in words.enumerate() {
        starts[index % MAX_WORD_NGRAM] = start;
        for n in 1..=spec.word_max.min(index + 1) {
            let first = starts[(index + 1 - n) % MAX_WORD_NGRAM];
            out.push(fnv1a(b'w', &normalized.as_bytes()[first..end]) | WORD_FEATURE);
        }
        start = end + 1;
    }
}

/// 64-bit FNV-1a of a kind byte followed by `bytes`, folded to 32 bits. Stable
/// across runs and platforms, unlike the standard library's hasher.
pub(super) fn fnv1a(kind: u8, bytes: &[u8]) -> u32 {
    let mut hash = fnv1a64(0xcbf2_9ce4_8422_2325, &[kind]);
    hash = fnv1a64(hash, bytes);
    (hash ^ (hash >> 32)) as u32
}

/// Continues a 64-bit FNV-1a hash over `bytes`.
fn fnv1a64(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Sorts `items` and replaces it by `(item, count)` runs, in ascending order.
pub(super) fn count_runs(items: &mut [u32], runs: &mut Vec<(u32, u32)>) {
    items.sort_unstable();
    runs.clear();
    for &item in items.iter() {
        match runs.last_mut() {
            Some((last, count)) if *last == item => *count += 1,
            _ => runs.push((item, 1)),
        }
    }
}

/// Sublinear term frequency: `1 + ln(count)`.
pub(super) fn sublinear_tf(count: u32) -> f32 {
    1.0 + (count as f32).ln()
}

/// Smoothed inverse document frequency, as scikit-learn computes it:
/// `ln((1 + documents) / (1 + document_frequency)) + 1`.
pub(super) fn smooth_idf(documents: usize, document_frequency: u32) -> f32 {
    ((1.0 + documents as f64) / (1.0 + f64::from(document_frequency))).ln() as f32 + 1.0
}

/// Maps feature hashes to row numbers: an open-addressing table over the
/// model's sorted feature list, rebuilt whenever a model is built or loaded.
#[derive(Debug, Clone, Default)]
pub(super) struct FeatureIndex {
    /// Row numbers, `u32::MAX` for an empty slot; the length is a power of two.
    slots: Vec<u32>,
    shift: u32,
}

impl FeatureIndex {
    pub fn new(features: &[u32]) -> Self {
        let capacity = (features.len() * 2).next_power_of_two().max(2);
        let shift = 64 - capacity.trailing_zeros();
        let mut slots = vec![u32::MAX; capacity];
        let mask = capacity - 1;
        for (row, &hash) in features.iter().enumerate() {
            let mut slot = Self::home(hash, shift);
            while slots[slot] != u32::MAX {
                slot = (slot + 1) & mask;
            }
            // Rows are below u32::MAX: models validate their size on build.
            slots[slot] = row as u32;
        }
        Self { slots, shift }
    }

    fn home(hash: u32, shift: u32) -> usize {
        // Fibonacci hashing spreads the (already hashed) key over the table.
        (u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize
    }

    /// The row of `hash` in `features` (the list the index was built from).
    pub fn row(&self, hash: u32, features: &[u32]) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut slot = Self::home(hash, self.shift);
        loop {
            let row = *self.slots.get(slot)?;
            if row == u32::MAX {
                return None;
            }
            if features.get(row as usize) == Some(&hash) {
                return Some(row);
            }
            slot = (slot + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: NgramSpec = NgramSpec {
        char_min: 1,
        char_max: 3,
        word_max: 2,
    };

    fn hashes(text: &str, spec: NgramSpec) -> Vec<u32> {
        let mut buffers = Buffers::default();
        buffers.hash_ngrams(text, spec);
        let mut out = buffers.hashes.clone();
        out.sort_unstable();
        out
    }

    #[test]
    fn counts_every_ngram() {
        // " ab cd " has 7 chars; 1-grams skip the 3 spaces (4), 2-grams 6, 3-grams 5;
        // words: 2 unigrams and 1 bigram.
        assert_eq!(hashes("AB, cd", SPEC).len(), 4 + 6 + 5 + 3);
        // Japanese without spaces: one "word".
        assert_eq!(hashes("予約", SPEC).len(), 2 + 3 + 2 + 1);
        assert!(hashes("!!!", SPEC).is_empty());
    }

    #[test]
    fn ngrams_are_the_expected_slices() {
        let spec = NgramSpec {
            char_min: 2,
            char_max: 2,
            word_max: 2,
        };
        let mut expected: Vec<u32> = [" a", "a ", " b", "b "]
            .iter()
            .map(|g| fnv1a(b'c', g.as_bytes()) & !WORD_FEATURE)
            .chain(
                ["a", "b", "a b"]
                    .iter()
                    .map(|g| fnv1a(b'w', g.as_bytes()) | WORD_FEATURE),
            )
            .collect();
        expected.sort_unstable();
        assert_eq!(hashes("a b", spec), expected);
    }

    #[test]
    fn fnv_matches_reference_vectors() {
        assert_eq!(fnv1a64(0xcbf2_9ce4_8422_2325, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(0xcbf2_9ce4_8422_2325, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            fnv1a64(0xcbf2_9ce4_8422_2325, b"foobar"),
            0x8594_4171_f739_67e8
        );
    }

    #[test]
    fn index_finds_every_feature_and_nothing_else() {
        let features: Vec<u32> = (0..1000u32)
            .map(|i| i.wrapping_mul(2_654_435_761))
            .collect();
        let index = FeatureIndex::new(&features);
        for (row, &hash) in features.iter().enumerate() {
            assert_eq!(index.row(hash, &features), Some(row as u32));
        }
        assert_eq!(index.row(12345, &features), None);
        assert_eq!(FeatureIndex::new(&[]).row(7, &[]), None);
    }
}
