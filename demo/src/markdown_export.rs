//! The plain export: every note as a Markdown file in a zip, decrypted (the user asked for it
//! and gave the password again). Pure, so it is tested natively.

use crate::model::Note;
use std::collections::HashSet;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// A file name for `title`: what file systems accept (no `/ \ : * ? " < > |` or control
/// characters, no leading dot), at most 80 characters, unique among `taken` (" (2)", " (3)"…),
/// ending in `.md`.
pub(crate) fn file_name(title: &str, taken: &mut HashSet<String>) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let cleaned = cleaned.trim_start_matches('.').trim();
    let base: String = if cleaned.is_empty() {
        "Untitled".into()
    } else {
        cleaned.chars().take(80).collect()
    };
    let mut name = format!("{base}.md");
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        name = format!("{base} ({n}).md");
        n += 1;
    }
    name
}

/// The Markdown of `note`: its title as a heading, its tags, its text.
pub(crate) fn markdown(note: &Note) -> String {
    let mut out = format!("# {}\n\n", note.display_title());
    if !note.tags.is_empty() {
        let tags: Vec<String> = note.tags.iter().map(|t| format!("#{t}")).collect();
        out.push_str(&format!("Tags: {}\n\n", tags.join(" ")));
    }
    out.push_str(&note.body);
    if !note.body.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A zip of `notes`, one Markdown file each (deflated).
pub(crate) fn notes_zip(notes: &[Note]) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut taken = HashSet::new();
    for note in notes {
        zip.start_file(file_name(note.display_title(), &mut taken), options)?;
        zip.write_all(markdown(note).as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::io::Read;

    fn note(title: &str, body: &str, tags: &[&str]) -> Note {
        Note {
            title: title.into(),
            body: body.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn names_are_safe_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(file_name("Groceries", &mut taken), "Groceries.md");
        assert_eq!(file_name("groceries", &mut taken), "groceries (2).md");
        assert_eq!(file_name("a/b: c?", &mut taken), "a b c.md");
        assert_eq!(file_name("  ", &mut taken), "Untitled.md");
        assert_eq!(file_name("..hidden", &mut taken), "hidden.md");
        assert_eq!(file_name(&"x".repeat(200), &mut taken).len(), 83);
    }

    #[test]
    fn the_zip_holds_every_note_as_markdown() {
        let notes = [
            note("Groceries", "milk\neggs", &["home", "food"]),
            note("", "no title", &[]),
            note("Groceries", "again", &[]),
        ];
        let bytes = notes_zip(&notes).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut files = Vec::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            files.push((file.name().to_string(), text));
        }
        assert_eq!(
            files,
            [
                (
                    "Groceries.md".to_string(),
                    "# Groceries\n\nTags: #home #food\n\nmilk\neggs\n".to_string()
                ),
                (
                    "Untitled.md".to_string(),
                    "# Untitled\n\nno title\n".to_string()
                ),
                (
                    "Groceries (2).md".to_string(),
                    "# Groceries\n\nagain\n".to_string()
                ),
            ]
        );
    }
}
