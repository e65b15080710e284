//! Text normalization for Japanese and English member messages.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::is_nfkc;

/// Normalizes a message for classification: Unicode NFKC (full-width letters
/// and digits become ASCII, half-width katakana becomes full-width), lower
/// case, apostrophes dropped, and every run of punctuation, symbols and white
/// space turned into one space, with none at either end.
///
/// The result is a fixed point: normalizing it again changes nothing.
///
/// # Example
/// ```
/// use memberkit::intent::normalize;
/// assert_eq!(normalize("  Ｉ'd like to ＪＯＩＮ!!  "), "id like to join");
/// assert_eq!(normalize("ﾊﾟｽﾜｰﾄﾞを忘れました。"), "パスワードを忘れました");
/// assert_eq!(normalize("会員番号：１２３４５"), "会員番号 12345");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// [`normalize`] into a buffer the caller reuses, replacing its contents.
///
/// # Example
/// ```
/// use memberkit::intent::normalize_into;
/// let mut buffer = String::new();
/// normalize_into("Ｈｅｌｌｏ、ＷＯＲＬＤ", &mut buffer);
/// assert_eq!(buffer, "hello world");
/// ```
pub fn normalize_into(text: &str, out: &mut String) {
    one_pass(text, out);
    // Lower-casing or dropping an apostrophe can, rarely, leave a sequence that
    // NFKC would change again (a base letter meeting a combining mark). Repeat
    // until the text is a fixed point; each pass only composes, so this ends
    // quickly, and the bound keeps it so on any input.
    for _ in 0..4 {
        if is_nfkc(out) {
            return;
        }
        let previous = std::mem::take(out);
        one_pass(&previous, out);
    }
}

fn one_pass(text: &str, out: &mut String) {
    out.clear();
    let mut space_pending = false;
    for c in text.nfkc() {
        if is_apostrophe(c) {
            continue;
        }
        if c.is_alphanumeric() || is_combining_mark(c) {
            if space_pending && !out.is_empty() {
                out.push(' ');
            }
            space_pending = false;
            out.extend(c.to_lowercase());
        } else {
            space_pending = true;
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_width_case_and_punctuation() {
        assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize("ｶﾀｶﾅ"), "カタカナ");
        assert_eq!(normalize("ｶﾞｷﾞ"), "ガギ");
        assert_eq!(
            normalize("予約を\u{3000}キャンセル！？"),
            "予約を キャンセル"
        );
        assert_eq!(normalize("Don’t   cancel... please"), "dont cancel please");
        assert_eq!(normalize("①②"), "12");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" !? 。、"), "");
    }

    #[test]
    fn keeps_combining_marks_inside_words() {
        // "e" + combining acute composes to "é" and stays one word.
        assert_eq!(normalize("Cafe\u{301} OK"), "café ok");
    }

    proptest! {
        #[test]
        fn is_idempotent(text in "\\PC{0,40}") {
            let once = normalize(&text);
            prop_assert_eq!(normalize(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }

        #[test]
        fn is_idempotent_on_any_chars(text in proptest::collection::vec(any::<char>(), 0..30)) {
            let text: String = text.into_iter().collect();
            let once = normalize(&text);
            prop_assert_eq!(normalize(&once), once);
        }
    }
}
