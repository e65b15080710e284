//! Yes and no, as members write them in a confirmation.

use crate::intent::normalize;

/// A yes or a no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Word {
    /// Go ahead.
    Yes,
    /// Do not.
    No,
}

/// Normalized words that begin a yes.
const YES: &[&str] = &[
    "はい",
    "ええ",
    "うん",
    "お願いします",
    "おねがいします",
    "それでお願い",
    "それで大丈夫",
    "大丈夫です",
    "問題ありません",
    "了解",
    "承知",
    "確定",
    "ok",
    "okay",
    "yes",
    "yeah",
    "yep",
    "sure",
    "go ahead",
    "please do",
    "confirm",
    "correct",
    "that s right",
    "sounds good",
];

/// Normalized words that begin a no.
const NO: &[&str] = &[
    "いいえ",
    "いえ",
    "いや",
    "やめ",
    "止め",
    "結構です",
    "けっこうです",
    "いりません",
    "不要",
    "しません",
    "やっぱりいい",
    "no",
    "nope",
    "don t",
    "do not",
    "stop",
    "never mind",
    "not now",
];

/// Whether `message` says yes or no: it begins with one of the words (after
/// normalizing), or is one of them.
///
/// A message that begins with a no but goes on with a request
/// (「いいえ、7月からにしてください」) is still a no here; the caller reads
/// its details first.
pub(super) fn answer_word(message: &str) -> Option<Word> {
    let normalized = normalize(message);
    let text = normalized.trim();
    let begins = |words: &[&str]| {
        words.iter().any(|w| {
            text.strip_prefix(w).is_some_and(|rest| {
                // An English word must end at a word boundary ("no" is not "now").
                !w.is_ascii() || !rest.starts_with(|c: char| c.is_ascii_alphanumeric())
            })
        })
    };
    if begins(NO) {
        Some(Word::No)
    } else if begins(YES) {
        Some(Word::Yes)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_in_both_languages() {
        for yes in [
            "はい",
            "はい、お願いします",
            "お願いします！",
            "Yes please",
            "OK",
            "sure, go ahead",
        ] {
            assert_eq!(answer_word(yes), Some(Word::Yes), "{yes}");
        }
        for no in [
            "いいえ",
            "いえ、やめておきます",
            "やめます",
            "No thanks",
            "never mind",
        ] {
            assert_eq!(answer_word(no), Some(Word::No), "{no}");
        }
        for neither in [
            "now please",
            "7月からにしてください",
            "nothing",
            "yesterday",
        ] {
            assert_eq!(answer_word(neither), None, "{neither}");
        }
    }
}
