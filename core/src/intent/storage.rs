//! Saving and loading models: serde (JSON or any other format) and a compact,
//! versioned, little-endian binary form.
//!
//! The binary form (version 2), all integers and floats little-endian:
//!
//! | field | bytes |
//! |---|---|
//! | magic `MKIM`, format version (u16), flags (u16, 0) | 8 |
//! | config: seed u64, epochs u32, learning_rate f32, l2 f32, char n-gram min/max and word n-gram max (u8 each), a zero byte, min_document_frequency u32, validation_fraction f32, out_of_scope_weight f32, alternatives u32 | 40 |
//! | version 2 only: out_of_scope_example_weight f32, average_weights u8 (0 or 1), three zero bytes | 8 |
//! | temperature f32, threshold f32 | 8 |
//! | intents: count u32, then each as a string (length u32 + UTF-8) | |
//! | features: count u32, then the sorted hashes (u32 each) | |
//! | idf (f32 per feature), weight scales (f32 per feature), bias (f32 per intent) | |
//! | weights (i8, features × intents, row-major by feature; a weight is the byte times its row's scale) | |
//! | examples: count u32, then each as intent index u32 + text string | |
//! | checksum of everything before it (u64; FNV-1a over 64-bit words) | 8 |
//!
//! Version 1 lacks the version-2 config fields, which then take the values
//! every version-1 model was trained with (out_of_scope_example_weight 1,
//! average_weights off). A model whose config has those values is written as
//! version 1, so builds that read only version 1 still load it.

use super::model::{MAX_FEATURES, MAX_INTENTS, Parts};
use super::{Example, IntentError, Model, TrainConfig};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const MAGIC: &[u8; 4] = b"MKIM";
/// The newest format version, which this build writes when it must.
const VERSION: u16 = 2;
/// The version without the version-2 config fields.
const VERSION_1: u16 = 1;

/// The version-2 config fields as every version-1 model has them.
const VERSION_1_SETTINGS: (f32, bool) = (1.0, false);

/// The oldest version that holds all of `config`.
fn format_version(config: &TrainConfig) -> u16 {
    if (config.out_of_scope_example_weight, config.average_weights) == VERSION_1_SETTINGS {
        VERSION_1
    } else {
        VERSION
    }
}

/// Refuses a version this build cannot read.
fn check_version(found: u16) -> Result<(), IntentError> {
    if (VERSION_1..=VERSION).contains(&found) {
        Ok(())
    } else {
        Err(IntentError::UnsupportedVersion {
            found,
            supported: VERSION,
        })
    }
}

/// The checksum of the binary form: FNV-1a taken over little-endian 64-bit
/// words (the last one zero-padded) instead of bytes, eight times faster on a
/// multi-megabyte model, then the length mixed in.
fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut buffer = [0u8; 8];
        buffer.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(buffer)).wrapping_mul(PRIME);
    }
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    hash = (hash ^ u64::from_le_bytes(last)).wrapping_mul(PRIME);
    (hash ^ bytes.len() as u64).wrapping_mul(PRIME)
}

#[derive(Serialize)]
struct ModelView<'a> {
    version: u16,
    config: &'a TrainConfig,
    temperature: f32,
    threshold: f32,
    intents: &'a [String],
    features: &'a [u32],
    idf: &'a [f32],
    bias: &'a [f32],
    scales: &'a [f32],
    weights: &'a [i8],
    examples: &'a [Example],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelData {
    version: u16,
    config: TrainConfig,
    temperature: f32,
    threshold: f32,
    intents: Vec<String>,
    features: Vec<u32>,
    idf: Vec<f32>,
    bias: Vec<f32>,
    scales: Vec<f32>,
    weights: Vec<i8>,
    examples: Vec<Example>,
}

impl Serialize for Model {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ModelView {
            version: format_version(&self.config),
            config: &self.config,
            temperature: self.temperature,
            threshold: self.threshold,
            intents: &self.intents,
            features: &self.features,
            idf: &self.idf,
            bias: &self.bias,
            scales: &self.scales,
            weights: &self.weights,
            examples: &self.examples,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Model {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let data = ModelData::deserialize(deserializer)?;
        check_version(data.version).map_err(serde::de::Error::custom)?;
        Model::from_parts(Parts {
            config: data.config,
            intents: data.intents,
            features: data.features,
            idf: data.idf,
            weights: data.weights,
            scales: data.scales,
            bias: data.bias,
            temperature: data.temperature,
            threshold: data.threshold,
            examples: data.examples,
        })
        .map_err(serde::de::Error::custom)
    }
}

impl Model {
    /// The model in its compact binary form (see the module source for the
    /// layout): about one byte per weight, readable by [`Model::from_bytes`] on
    /// any platform.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::default_model;
    /// let bytes = default_model()?.to_bytes();
    /// assert_eq!(&bytes[..4], b"MKIM");
    /// # Ok::<(), memberkit::intent::IntentError>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let text_bytes: usize = self.examples.iter().map(|e| e.text.len() + 8).sum();
        let mut out = Vec::with_capacity(
            64 + 4 * (self.features.len() * 3 + self.bias.len()) + self.weights.len() + text_bytes,
        );
        let version = format_version(&self.config);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        let c = &self.config;
        out.extend_from_slice(&c.seed.to_le_bytes());
        out.extend_from_slice(&c.epochs.to_le_bytes());
        out.extend_from_slice(&c.learning_rate.to_le_bytes());
        out.extend_from_slice(&c.l2.to_le_bytes());
        out.extend_from_slice(&[c.char_ngram_min, c.char_ngram_max, c.word_ngram_max, 0]);
        out.extend_from_slice(&c.min_document_frequency.to_le_bytes());
        out.extend_from_slice(&c.validation_fraction.to_le_bytes());
        out.extend_from_slice(&c.out_of_scope_weight.to_le_bytes());
        out.extend_from_slice(&c.alternatives.to_le_bytes());
        if version >= VERSION {
            out.extend_from_slice(&c.out_of_scope_example_weight.to_le_bytes());
            out.extend_from_slice(&[u8::from(c.average_weights), 0, 0, 0]);
        }
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&self.threshold.to_le_bytes());
        put_len(&mut out, self.intents.len());
        for intent in &self.intents {
            put_str(&mut out, intent);
        }
        put_len(&mut out, self.features.len());
        for hash in &self.features {
            out.extend_from_slice(&hash.to_le_bytes());
        }
        for value in self.idf.iter().chain(&self.scales).chain(&self.bias) {
            out.extend_from_slice(&value.to_le_bytes());
        }
        out.extend(self.weights.iter().map(|w| w.to_le_bytes()[0]));
        put_len(&mut out, self.examples.len());
        for example in &self.examples {
            // Every example's intent is one of the model's: checked on build.
            let index = self
                .intents
                .binary_search(&example.intent)
                .unwrap_or_default();
            put_len(&mut out, index);
            put_str(&mut out, &example.text);
        }
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Loads a model saved by [`Model::to_bytes`], validating every part.
    ///
    /// # Errors
    /// [`IntentError::BadMagic`], [`IntentError::UnsupportedVersion`],
    /// [`IntentError::ChecksumMismatch`], [`IntentError::Truncated`] and
    /// [`IntentError::InvalidModel`]: never a panic, whatever the bytes.
    ///
    /// # Example
    /// ```
    /// use memberkit::intent::{IntentError, Model, default_model};
    /// let bytes = default_model()?.to_bytes();
    /// assert!(Model::from_bytes(&bytes).is_ok());
    /// assert_eq!(Model::from_bytes(b"GIF89a"), Err(IntentError::BadMagic));
    /// let mut corrupt = bytes.clone();
    /// corrupt[100] ^= 1;
    /// assert!(matches!(Model::from_bytes(&corrupt), Err(IntentError::ChecksumMismatch { .. })));
    /// # Ok::<(), memberkit::intent::IntentError>(())
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, IntentError> {
        if bytes.len() < 4 || &bytes[..4] != MAGIC {
            return Err(IntentError::BadMagic);
        }
        let mut reader = Reader { bytes, offset: 4 };
        let version = reader.u16("format version")?;
        check_version(version)?;
        let body_end =
            bytes
                .len()
                .checked_sub(8)
                .filter(|&end| end >= 6)
                .ok_or(IntentError::Truncated {
                    what: "checksum",
                    offset: 6,
                    needed: 8,
                    available: bytes.len().saturating_sub(6),
                })?;
        let found = u64::from_le_bytes(bytes[body_end..].try_into().unwrap_or_default());
        let computed = checksum(&bytes[..body_end]);
        if found != computed {
            return Err(IntentError::ChecksumMismatch { found, computed });
        }
        let mut reader = Reader {
            bytes: &bytes[..body_end],
            offset: 6,
        };
        let flags = reader.u16("flags")?;
        if flags != 0 {
            return Err(IntentError::InvalidModel {
                what: format!("unknown flags {flags:#06x}"),
            });
        }
        let mut config = TrainConfig {
            seed: reader.u64("seed")?,
            epochs: reader.u32("epochs")?,
            learning_rate: reader.f32("learning_rate")?,
            l2: reader.f32("l2")?,
            char_ngram_min: reader.u8("char_ngram_min")?,
            char_ngram_max: reader.u8("char_ngram_max")?,
            word_ngram_max: {
                let word_max = reader.u8("word_ngram_max")?;
                reader.u8("padding")?;
                word_max
            },
            min_document_frequency: reader.u32("min_document_frequency")?,
            validation_fraction: reader.f32("validation_fraction")?,
            out_of_scope_weight: reader.f32("out_of_scope_weight")?,
            alternatives: reader.u32("alternatives")?,
            out_of_scope_example_weight: VERSION_1_SETTINGS.0,
            average_weights: VERSION_1_SETTINGS.1,
        };
        if version >= VERSION {
            config.out_of_scope_example_weight = reader.f32("out_of_scope_example_weight")?;
            config.average_weights = match reader.array::<4>("average_weights")? {
                [flag @ (0 | 1), 0, 0, 0] => flag == 1,
                bytes => {
                    return Err(IntentError::InvalidModel {
                        what: format!("average_weights bytes {bytes:?} are not 0 or 1 and padding"),
                    });
                }
            };
        }
        let temperature = reader.f32("temperature")?;
        let threshold = reader.f32("threshold")?;
        let k = reader.count("intent count", MAX_INTENTS, 4)?;
        let intents = (0..k)
            .map(|_| reader.string("intent id"))
            .collect::<Result<Vec<_>, _>>()?;
        let n = reader.count("feature count", MAX_FEATURES, 4)?;
        let features = reader.u32s("feature hashes", n)?;
        let idf = reader.f32s("idf weights", n)?;
        let scales = reader.f32s("weight scales", n)?;
        let bias = reader.f32s("biases", k)?;
        let weights = reader
            .take("weights", n.saturating_mul(k))?
            .iter()
            .map(|&b| i8::from_le_bytes([b]))
            .collect();
        let example_count = reader.count("example count", usize::MAX, 8)?;
        let mut examples = Vec::with_capacity(example_count);
        for _ in 0..example_count {
            let index = reader.u32("example intent")? as usize;
            let intent = intents
                .get(index)
                .ok_or_else(|| IntentError::InvalidModel {
                    what: format!("an example's intent #{index} is out of range"),
                })?
                .clone();
            let text = reader.string("example text")?;
            examples.push(Example { intent, text });
        }
        if reader.offset != body_end {
            return Err(IntentError::InvalidModel {
                what: format!(
                    "{} unexpected bytes after the examples",
                    body_end - reader.offset
                ),
            });
        }
        Model::from_parts(Parts {
            config,
            intents,
            features,
            idf,
            weights,
            scales,
            bias,
            temperature,
            threshold,
            examples,
        })
    }
}

fn put_len(out: &mut Vec<u8>, len: usize) {
    // Lengths are bounded well below u32::MAX by the model's limits.
    out.extend_from_slice(&(len as u32).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_len(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    /// Refuses to read `needed` bytes when fewer are left.
    fn ensure(&self, what: &'static str, needed: usize) -> Result<(), IntentError> {
        let available = self.bytes.len() - self.offset;
        if needed > available {
            return Err(IntentError::Truncated {
                what,
                offset: self.offset,
                needed,
                available,
            });
        }
        Ok(())
    }

    fn take(&mut self, what: &'static str, needed: usize) -> Result<&'a [u8], IntentError> {
        self.ensure(what, needed)?;
        let slice = &self.bytes[self.offset..self.offset + needed];
        self.offset += needed;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], IntentError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(what, N)?);
        Ok(out)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, IntentError> {
        Ok(self.array::<1>(what)?[0])
    }

    fn u16(&mut self, what: &'static str) -> Result<u16, IntentError> {
        self.array(what).map(u16::from_le_bytes)
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, IntentError> {
        self.array(what).map(u32::from_le_bytes)
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, IntentError> {
        self.array(what).map(u64::from_le_bytes)
    }

    fn f32(&mut self, what: &'static str) -> Result<f32, IntentError> {
        self.array(what).map(f32::from_le_bytes)
    }

    /// A count of items of at least `item_bytes` each: refused when above
    /// `max` or when the bytes left cannot hold that many, before anything is
    /// allocated for them.
    fn count(
        &mut self,
        what: &'static str,
        max: usize,
        item_bytes: usize,
    ) -> Result<usize, IntentError> {
        let count = self.u32(what)? as usize;
        if count > max {
            return Err(IntentError::InvalidModel {
                what: format!("{what} {count} is above the limit {max}"),
            });
        }
        self.ensure(what, count.saturating_mul(item_bytes))?;
        Ok(count)
    }

    /// `count` little-endian 4-byte values.
    fn words<T>(
        &mut self,
        what: &'static str,
        count: usize,
        from: fn([u8; 4]) -> T,
    ) -> Result<Vec<T>, IntentError> {
        let bytes = self.take(what, count.saturating_mul(4))?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| from([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    fn u32s(&mut self, what: &'static str, count: usize) -> Result<Vec<u32>, IntentError> {
        self.words(what, count, u32::from_le_bytes)
    }

    fn f32s(&mut self, what: &'static str, count: usize) -> Result<Vec<f32>, IntentError> {
        self.words(what, count, f32::from_le_bytes)
    }

    fn string(&mut self, what: &'static str) -> Result<String, IntentError> {
        let len = self.u32(what)? as usize;
        let bytes = self.take(what, len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| IntentError::InvalidModel {
            what: format!("{what} is not valid UTF-8"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::train;
    use proptest::prelude::*;

    fn small_model() -> Model {
        let examples: Vec<Example> = (0..6)
            .flat_map(|i| {
                [
                    Example::new("hours", format!("when do you open {i}")),
                    Example::new("cancel", format!("退会したい {i}")),
                    Example::new("oos", format!("tell me a joke {i}")),
                ]
            })
            .collect();
        // Version-1 settings, so the offsets below hold.
        let config = TrainConfig {
            out_of_scope_example_weight: VERSION_1_SETTINGS.0,
            average_weights: VERSION_1_SETTINGS.1,
            ..TrainConfig::default()
        };
        train(&examples, &config).unwrap()
    }

    #[test]
    fn binary_and_json_round_trip() {
        let model = small_model();
        let bytes = model.to_bytes();
        let loaded = Model::from_bytes(&bytes).unwrap();
        assert_eq!(loaded, model);
        assert_eq!(loaded.to_bytes(), bytes);
        let json = serde_json::to_string(&model).unwrap();
        let from_json: Model = serde_json::from_str(&json).unwrap();
        assert_eq!(from_json, model);
        assert_eq!(from_json.to_bytes(), bytes);
    }

    #[test]
    fn version_2_settings_are_kept_and_version_1_settings_stay_version_1() {
        let model = small_model();
        assert_eq!(model.to_bytes()[4..6], VERSION_1.to_le_bytes());
        let read_back = Model::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(read_back.config(), model.config());
        let model = train(model.examples(), &TrainConfig::default()).unwrap();
        let bytes = model.to_bytes();
        assert_eq!(bytes[4..6], VERSION.to_le_bytes());
        assert_eq!(Model::from_bytes(&bytes).unwrap(), model);
        let json = serde_json::to_string(&model).unwrap();
        assert_eq!(serde_json::from_str::<Model>(&json).unwrap(), model);
        // average_weights (offset 8 + 40 + 4) must be 0 or 1.
        let mut body = bytes[..bytes.len() - 8].to_vec();
        body[52] = 2;
        let sum = checksum(&body);
        body.extend_from_slice(&sum.to_le_bytes());
        assert!(matches!(
            Model::from_bytes(&body),
            Err(IntentError::InvalidModel { .. })
        ));
    }

    #[test]
    fn checksum_sees_every_byte_and_the_length() {
        let base = checksum(b"0123456789abc");
        for i in 0..13 {
            let mut changed = *b"0123456789abc";
            changed[i] ^= 0x20;
            assert_ne!(checksum(&changed), base, "{i}");
        }
        assert_ne!(checksum(b"abc"), checksum(b"abc\0"));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = small_model().to_bytes();
        for len in 0..bytes.len() {
            assert!(Model::from_bytes(&bytes[..len]).is_err(), "{len}");
        }
    }

    #[test]
    fn inconsistent_contents_are_refused_even_with_a_valid_checksum() {
        let bytes = small_model().to_bytes();
        // Set the temperature (offset 8 + 40 = 48) to NaN and fix the checksum.
        let mut body = bytes[..bytes.len() - 8].to_vec();
        body[48..52].copy_from_slice(&f32::NAN.to_le_bytes());
        let sum = checksum(&body);
        body.extend_from_slice(&sum.to_le_bytes());
        assert!(matches!(
            Model::from_bytes(&body),
            Err(IntentError::InvalidModel { .. })
        ));
        let mut wrong_version = bytes.clone();
        wrong_version[4] = 9;
        assert_eq!(
            Model::from_bytes(&wrong_version),
            Err(IntentError::UnsupportedVersion {
                found: 9,
                supported: 2
            })
        );
    }

    #[test]
    fn json_with_mismatched_sizes_is_refused() {
        let mut value = serde_json::to_value(small_model()).unwrap();
        value["bias"] = serde_json::json!([0.0]);
        let err = serde_json::from_value::<Model>(value).unwrap_err();
        assert!(err.to_string().contains("1 biases for 3 intents"), "{err}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut data = b"MKIM\x01\x00".to_vec();
            data.extend_from_slice(&bytes);
            let _ = Model::from_bytes(&data);
            let _ = Model::from_bytes(&bytes);
        }

        #[test]
        fn corrupt_bytes_with_a_fixed_checksum_never_panic(
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
        ) {
            let bytes = small_model().to_bytes();
            let mut body = bytes[..bytes.len() - 8].to_vec();
            for (index, value) in flips {
                let i = index.index(body.len());
                body[i] = value;
            }
            let sum = checksum(&body);
            body.extend_from_slice(&sum.to_le_bytes());
            if let Ok(model) = Model::from_bytes(&body) {
                let _ = model.classify("予約したい");
            }
        }
    }
}
