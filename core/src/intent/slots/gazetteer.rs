//! The host's own names — plans, classes, studios — found in messages.

use super::IntentError;
use super::fold::fold_char;
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Names a host's members use, each for an id in a list (`"plan"`,
/// `"class"`, `"studio"`, ...). Matched case-insensitively, with full-width
/// letters and digits read like ASCII; the longest name wins.
///
/// ```
/// use memberkit::intent::slots::{Gazetteer, SlotExtractor, SlotValue};
/// let mut names = Gazetteer::default();
/// names.add("plan", "light", ["ライト", "Light plan"]);
/// names.add("class", "yoga-am", ["朝ヨガ"]);
/// let slots = SlotExtractor::default().with_gazetteer(&names)?;
/// let found = slots.extract("ＬＩＧＨＴ ＰＬＡＮにして朝ヨガも予約したい", chrono::NaiveDate::MIN);
/// assert_eq!(found[0].value, SlotValue::Named { list: "plan".into(), id: "light".into() });
/// assert_eq!(found[1].value, SlotValue::Named { list: "class".into(), id: "yoga-am".into() });
/// # Ok::<(), memberkit::intent::IntentError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Gazetteer {
    entries: Vec<Entry>,
}

/// One id and the names that mean it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    list: String,
    id: String,
    names: Vec<String>,
}

impl Gazetteer {
    /// Adds `names` for `id` in `list`.
    pub fn add<S: Into<String>>(
        &mut self,
        list: &str,
        id: &str,
        names: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        self.entries.push(Entry {
            list: list.to_owned(),
            id: id.to_owned(),
            names: names.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Whether it has no names.
    pub fn is_empty(&self) -> bool {
        self.entries.iter().all(|e| e.names.is_empty())
    }

    /// The pattern matching every name and the `(list, id)` of each folded,
    /// lower-cased name.
    pub(super) fn compile(&self) -> Result<Option<Names>, IntentError> {
        let mut ids: HashMap<String, (String, String)> = HashMap::new();
        for entry in &self.entries {
            for name in &entry.names {
                let key = key(name);
                let invalid = |reason| IntentError::InvalidGazetteer {
                    list: entry.list.clone(),
                    name: name.chars().take(40).collect(),
                    reason,
                };
                if key.trim().is_empty() {
                    return Err(invalid("a name must have a letter or digit"));
                }
                if key.chars().count() > 100 {
                    return Err(invalid("a name has at most 100 characters"));
                }
                let target = (entry.list.clone(), entry.id.clone());
                match ids.get(&key) {
                    Some(existing) if *existing != target => {
                        return Err(invalid("the name already means another id"));
                    }
                    _ => {
                        ids.insert(key, target);
                    }
                }
            }
        }
        if ids.is_empty() {
            return Ok(None);
        }
        let mut keys: Vec<&String> = ids.keys().collect();
        keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alternation: Vec<String> = keys.iter().map(|k| regex::escape(k)).collect();
        let regex = RegexBuilder::new(&alternation.join("|"))
            .case_insensitive(true)
            .size_limit(1 << 24)
            .build()
            .map_err(|e| IntentError::InvalidGazetteer {
                list: String::new(),
                name: String::new(),
                reason: if e.to_string().contains("size") {
                    "too many names"
                } else {
                    "the names do not compile"
                },
            })?;
        Ok(Some(Names { regex, ids }))
    }
}

/// A compiled gazetteer.
#[derive(Debug, Clone)]
pub(super) struct Names {
    pub regex: Regex,
    ids: HashMap<String, (String, String)>,
}

impl Names {
    /// The `(list, id)` a matched name means.
    pub fn lookup(&self, matched: &str) -> Option<&(String, String)> {
        self.ids.get(&key(matched))
    }
}

/// A name as matched: width-folded and lower-cased.
fn key(name: &str) -> String {
    name.chars()
        .map(fold_char)
        .collect::<String>()
        .to_lowercase()
}
