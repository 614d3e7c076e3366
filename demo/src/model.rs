//! The demo's one collection: notes.

use localful_core::Collection;
use serde::{Deserialize, Serialize};

/// A note. Title and body are encrypted (searched with `Like` over decrypted data); the tags are
/// also exposed as an `Indexed` field, so the tag filter starts from an IndexedDB key range.
/// Queries name the fields with the derived handles (`Note::TAGS`, `Note::TITLE`, `Note::BODY`).
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug, Default, Collection)]
#[collection(name = "notes")]
pub(crate) struct Note {
    /// The title (may be empty: shown as "Untitled").
    pub(crate) title: String,
    /// The text.
    pub(crate) body: String,
    /// Lower-case tags, without duplicates.
    #[serde(default)]
    #[field(indexed)]
    pub(crate) tags: Vec<String>,
}

impl Note {
    /// The title to show: the title, or "Untitled".
    pub(crate) fn display_title(&self) -> &str {
        if self.title.trim().is_empty() { "Untitled" } else { self.title.trim() }
    }

    /// The first line of the body, shortened for the list.
    pub(crate) fn snippet(&self) -> String {
        let line = self.body.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
        let mut out: String = line.chars().take(90).collect();
        if line.chars().count() > 90 {
            out.push('…');
        }
        out
    }
}

/// Parses a comma-separated tag field: trimmed, lower-cased, without `#`, empty entries and
/// duplicates, in the order typed.
pub(crate) fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',') {
        let tag = tag.trim().trim_start_matches('#').trim().to_lowercase();
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}
