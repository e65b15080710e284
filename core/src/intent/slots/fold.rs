//! Width folding that keeps one character for one character, so a match in
//! the folded text maps back to the original text.

/// The text with full-width ASCII folded to ASCII and dash-like characters to
/// `-`, and where each folded character came from.
pub(super) struct Folded {
    pub text: String,
    /// `(folded byte offset, original byte offset)` of each character, then
    /// both lengths.
    origins: Vec<(usize, usize)>,
}

impl Folded {
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origins = Vec::with_capacity(original.len() + 1);
        for (offset, c) in original.char_indices() {
            origins.push((text.len(), offset));
            text.push(fold_char(c));
        }
        origins.push((text.len(), original.len()));
        Self { text, origins }
    }

    /// The original byte offset of a folded byte offset (a char boundary of
    /// the folded text).
    pub fn original(&self, folded: usize) -> usize {
        match self.origins.binary_search_by_key(&folded, |&(f, _)| f) {
            Ok(i) => self.origins[i].1,
            // Not a boundary: the start of the character containing it.
            Err(i) => self.origins[i.saturating_sub(1)].1,
        }
    }
}

pub(super) fn fold_char(c: char) -> char {
    match c {
        // Full-width ASCII (！ to ～) to ASCII.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{ffe5}' => '¥',
        // Hyphens, dashes, minus signs and the long-vowel marks people type
        // in phone numbers.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30fc}' | '\u{ff70}' => '-',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_maps_back() {
        let folded = Folded::new("電話０９０ー１２３４");
        assert_eq!(folded.text, "電話090-1234");
        let start = folded.text.find('0').unwrap();
        assert_eq!(folded.original(start), "電話".len());
        assert_eq!(
            folded.original(folded.text.len()),
            "電話０９０ー１２３４".len()
        );
    }
}
