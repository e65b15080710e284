//! Shared inputs and checks of memberkit's fuzz targets (see `README.md`).
//!
//! - [`membership`], [`dunning`], [`booking`]: structure-aware inputs built
//!   with `arbitrary`: catalogs, rules, policies and scripts of commands.
//! - [`check`]: the invariants the targets assert.
//! - [`c`]: calling the C ABI from Rust, for the differential target.

pub mod booking;
pub mod c;
pub mod check;
pub mod dunning;
pub mod membership;

/// `data` as text when it is UTF-8.
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The plans and billing configs of `tests/vectors/billing.json`, as JSON text.
pub fn billing_vectors() -> &'static (String, Vec<String>) {
    static VECTORS: std::sync::OnceLock<(String, Vec<String>)> = std::sync::OnceLock::new();
    VECTORS.get_or_init(|| {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/billing.json"))
                .expect("the billing vectors are JSON");
        let configs = vectors["configs"]
            .as_object()
            .expect("configs is an object");
        (
            vectors["plans"].to_string(),
            configs.values().map(|c| c.to_string()).collect(),
        )
    })
}

/// The checksum that ends a model's bytes (FNV-1a over 8-byte words, then
/// the length), as `memberkit::intent` writes it: the model-bytes target
/// seals its input with it to reach the fields behind it.
pub fn model_checksum(bytes: &[u8]) -> u64 {
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
